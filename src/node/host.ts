/**
 * What a real node changes on the host, recorded before it starts and put back when it stops: sysctls (kubelet,
 * kube-proxy and the CNI bridge set some), iptables and ip6tables rules (kube-proxy, kube-router, CNI), ipsets
 * (kube-router), network links (the bridge and veths), mounts (container root filesystems, volumes, network
 * namespaces), cgroups (kubepods) and the fixed directories kubelet creates whatever its settings.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { run, runStep } from "../lib/run.js";
import { sleep } from "../lib/wait.js";
import { binPath } from "../toolchain/tools.js";
import { nodeCgroupRoots } from "./config.js";

/** Sysctls the node's components write (kubelet: memory and panic; bridge: forwarding; kube-proxy: localnet). */
export const touchedSysctls = [
  "vm.overcommit_memory",
  "kernel.panic",
  "kernel.panic_on_oops",
  "net.ipv4.ip_forward",
  "net.ipv4.conf.all.route_localnet",
  "net.bridge.bridge-nf-call-iptables",
  "net.bridge.bridge-nf-call-ip6tables",
] as const;

/** Directories kubelet creates outside its --root-dir. */
const kubeletFixedDirs = ["/var/lib/kubelet", "/var/log/containers", "/var/log/pods"];

/** Where containerd's shims and CNI keep their sockets and network namespaces, outside containerd's own state. */
const runtimeDirs = ["/run/containerd", "/var/run/netns", "/run/netns"];

export interface HostSnapshot {
  sysctls: Record<string, string>;
  iptables: string;
  ip6tables: string;
  ipsets: string[];
  links: string[];
  mounts: string[];
  /** Fixed directories that did not exist before. */
  createdDirs: string[];
}

const sysctlPath = (key: string) => `/proc/sys/${key.replaceAll(".", "/")}`;
const readSysctl = (key: string) => readFileSync(sysctlPath(key), "utf8").trim();

/** The host's first non-loopback IPv4 address: the node's InternalIP, reachable from pods and the API server. */
export const hostIp = (): string => {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  throw new Error("no non-loopback IPv4 address on this host: a real node needs one for its InternalIP");
};

const mountPoints = (): string[] =>
  readFileSync("/proc/self/mountinfo", "utf8")
    .trim()
    .split("\n")
    .map((line) => (line.split(" ")[4] ?? "").replace(/\\040/g, " "));

const links = async (): Promise<string[]> => {
  const out = await runStep("ip link", "ip", ["-o", "link", "show"]);
  return out.stdout
    .trim()
    .split("\n")
    .map((l) => (l.split(": ")[1] ?? "").split("@")[0] as string)
    .filter((n) => n.length > 0);
};

const ipsets = async (): Promise<string[]> => {
  const out = await run(binPath("ipset"), ["list", "-n"]);
  return out.exitCode === 0 ? out.stdout.split("\n").filter((s) => s.length > 0) : [];
};

const save = async (exe: string): Promise<string> => (await runStep(`${exe}-save`, `/usr/sbin/${exe}-save`, [])).stdout;

/** The chains every table has; an empty table lists them with policy ACCEPT. */
const builtinChains: Record<string, string[]> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

/** iptables-restore input that leaves each table of `current` empty: no rules, no chains of its own, ACCEPT. */
const resetTables = (current: string): string =>
  [...current.matchAll(/^\*(\w+)$/gm)]
    .map(([, table]) => table as string)
    .map((t) => [`*${t}`, ...(builtinChains[t] ?? []).map((c) => `:${c} ACCEPT [0:0]`), "COMMIT", ""].join("\n"))
    .join("");

/** What a ruleset holds, comparable across saves: rules and chains, not counters or empty tables' defaults. */
const rulesOf = (saved: string): string[] =>
  saved
    .split("\n")
    .filter((l) => l.startsWith("-A ") || l.startsWith(":"))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ""))
    .filter((l) => !/^:(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) ACCEPT$/.test(l));

export const snapshotHost = async (): Promise<HostSnapshot> => ({
  sysctls: Object.fromEntries(touchedSysctls.filter((k) => existsSync(sysctlPath(k))).map((k) => [k, readSysctl(k)])),
  iptables: await save("iptables"),
  ip6tables: await save("ip6tables"),
  ipsets: await ipsets(),
  links: await links(),
  mounts: mountPoints(),
  createdDirs: [...kubeletFixedDirs, ...runtimeDirs].filter((d) => !existsSync(d)),
});

export const writeSnapshot = (path: string, s: HostSnapshot): void => writeFileSync(path, JSON.stringify(s, null, 2));
export const readSnapshot = (path: string): HostSnapshot | undefined =>
  existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as HostSnapshot) : undefined;

/** The cgroups the nodes' pods live in: `kubepods` below each node's cgroup root. */
const podCgroups = nodeCgroupRoots.map((r) => `${r === "/" ? "" : r}/kubepods`);

/** Every pid in the cgroups under `kubepods` (the node's containers), across the v1 hierarchies. */
const kubepodsPids = (): number[] => {
  const pids = new Set<number>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const pid of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n")) if (pid) pids.add(Number(pid));
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
  };
  for (const ctrl of ["pids", "memory", "cpu"]) {
    for (const root of podCgroups) walk(`/sys/fs/cgroup/${ctrl}${root}`);
  }
  return [...pids];
};

/** Removes a cgroup tree bottom-up (a cgroup directory goes only once it has no tasks and no children). */
const removeCgroupTree = (dir: string): void => {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch {
    // Still busy; reported by the leftovers check.
  }
};

/** Kills what runs in the node's cgroups (containers whose shims outlive kubelet and containerd). */
export const killContainers = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) {
    const pids = kubepodsPids();
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    await sleep(100);
  }
};

/** Processes whose command line mentions `marker` (the node's directory): containerd shims. */
export const processesMentioning = (marker: string): number[] =>
  readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);

/**
 * Puts the host back as the snapshot found it. Every step runs even if one fails; what could not be undone is
 * returned, so `cluster down` can say what is left.
 */
export const restoreHost = async (s: HostSnapshot, nodeDir: string): Promise<string[]> => {
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (err) {
      problems.push(`${what}: ${(err as Error).message.split("\n")[0]}`);
    }
  };
  await attempt("kill containers", killContainers);
  await attempt("kill shims", async () => {
    for (const pid of processesMentioning(nodeDir)) process.kill(pid, "SIGKILL");
    await sleep(200);
  });
  await attempt("unmount", async () => {
    const before = new Set(s.mounts);
    // Deepest first, so a mount inside another goes before it.
    const extra = mountPoints()
      .filter((m) => !before.has(m))
      .sort((a, b) => b.length - a.length);
    for (const m of extra) {
      const r = await run("umount", [m]);
      if (r.exitCode !== 0) await run("umount", ["-l", m]);
    }
  });
  await attempt("cgroups", () => {
    for (const ctrl of readdirSync("/sys/fs/cgroup")) {
      for (const root of podCgroups) removeCgroupTree(`/sys/fs/cgroup/${ctrl}${root}`);
      for (const root of nodeCgroupRoots.filter((r) => r !== "/")) removeCgroupTree(`/sys/fs/cgroup/${ctrl}${root}`);
    }
  });
  for (const [exe, saved] of [
    ["iptables", s.iptables],
    ["ip6tables", s.ip6tables],
  ] as const) {
    await attempt(exe, async () => {
      // Empty every table there is now (rules and chains), then load what was there before.
      await runStep(`${exe}-restore (reset)`, `/usr/sbin/${exe}-restore`, [], { input: resetTables(await save(exe)) });
      if (saved.trim()) await runStep(`${exe}-restore`, `/usr/sbin/${exe}-restore`, [], { input: saved });
    });
  }
  await attempt("ipsets", async () => {
    for (const set of (await ipsets()).filter((x) => !s.ipsets.includes(x))) {
      await runStep(`ipset destroy ${set}`, binPath("ipset"), ["destroy", set]);
    }
  });
  await attempt("links", async () => {
    for (const link of (await links()).filter((l) => !s.links.includes(l))) {
      await run("ip", ["link", "delete", link]);
    }
  });
  await attempt("sysctls", () => {
    for (const [k, v] of Object.entries(s.sysctls)) if (readSysctl(k) !== v) writeFileSync(sysctlPath(k), v);
  });
  await attempt("directories", () => {
    for (const d of s.createdDirs) rmSync(d, { recursive: true, force: true });
  });
  return problems;
};

/** What differs from the snapshot now: empty when the host is as it was. */
export const hostLeftovers = async (s: HostSnapshot): Promise<string[]> => {
  const now = await snapshotHost();
  const left: string[] = [];
  const newOnes = (label: string, a: string[], b: string[]) => {
    const extra = a.filter((x) => !b.includes(x));
    if (extra.length > 0) left.push(`${label}: ${extra.join(", ")}`);
  };
  for (const [k, v] of Object.entries(s.sysctls))
    if (now.sysctls[k] !== v) left.push(`sysctl ${k}=${now.sysctls[k]} (was ${v})`);
  newOnes("iptables", rulesOf(now.iptables), rulesOf(s.iptables));
  newOnes("ip6tables", rulesOf(now.ip6tables), rulesOf(s.ip6tables));
  newOnes("ipsets", now.ipsets, s.ipsets);
  newOnes("links", now.links, s.links);
  newOnes("mounts", now.mounts, s.mounts);
  newOnes(
    "directories",
    s.createdDirs.filter((d) => existsSync(d)),
    [],
  );
  for (const root of [...podCgroups, ...nodeCgroupRoots.filter((r) => r !== "/")]) {
    if (existsSync(`/sys/fs/cgroup/memory${root}`)) left.push(`cgroup /sys/fs/cgroup/memory${root}`);
  }
  return left;
};
