/**
 * A containerd of the test's own: root, state, sockets and runc's root under one temporary directory, its CRI plugin
 * off, so it shares nothing with the real node's containerd (nor with any other). Stopped by its pid; the mounts its
 * containers left under the directory are unmounted before the directory is removed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProcess, stopProcesses, tailFile } from "../../src/cluster/processes.js";
import { type RunResult, run, runStep } from "../../src/lib/run.js";
import { sleep } from "../../src/lib/wait.js";
import { requireBin } from "../../src/toolchain/tools.js";

export interface PrivateContainerd {
  dir: string;
  /** Imports a docker-archive into the test's namespace. */
  importArchive: (archive: string) => Promise<void>;
  /**
   * `ctr run --rm` of `ref` with `args` as its process (ctr, unlike docker, replaces the entrypoint with them: the
   * caller prefixes it), as the image's user, with a read-only root and a tmpfs /tmp, host directories bound read-only
   * (`binds`, host path to container path) and read-write (`writable`).
   */
  run: (
    ref: string,
    args: string[],
    opts: { binds: Record<string, string>; writable?: Record<string, string>; cwd: string },
  ) => Promise<RunResult>;
  stop: () => Promise<void>;
}

const namespace = "llmcharts-test";

export const startPrivateContainerd = async (): Promise<PrivateContainerd> => {
  const dir = mkdtempSync(join(tmpdir(), "llmcharts-containerd-"));
  const socket = join(dir, "containerd.sock");
  writeFileSync(
    join(dir, "config.toml"),
    [
      "version = 2",
      `root = "${join(dir, "root")}"`,
      `state = "${join(dir, "state")}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      `[grpc]\n  address = "${socket}"`,
      `[ttrpc]\n  address = "${socket}.ttrpc"`,
      '[debug]\n  address = ""',
      '[metrics]\n  address = ""',
    ].join("\n"),
  );
  const log = join(dir, "containerd.log");
  const daemon = await startProcess(
    "containerd",
    requireBin("containerd"),
    ["--config", join(dir, "config.toml")],
    log,
  );
  const ctr = (args: string[]) => run(requireBin("ctr"), ["--address", socket, "-n", namespace, ...args]);
  for (let i = 0; ; i++) {
    if ((await ctr(["version"])).exitCode === 0) break;
    if (daemon.exit || i > 100) throw new Error(`containerd did not start:\n${tailFile(log)}`);
    await sleep(100);
  }
  let containers = 0;
  return {
    dir,
    importArchive: async (archive) => {
      await runStep(`ctr images import ${archive}`, requireBin("ctr"), [
        ...["--address", socket, "-n", namespace, "images", "import", archive],
      ]);
    },
    run: async (ref, args, opts) => {
      containers += 1;
      const mounts = [
        ...Object.entries(opts.binds).map(([src, dst]) => `type=bind,src=${src},dst=${dst},options=rbind:ro`),
        ...Object.entries(opts.writable ?? {}).map(([src, dst]) => `type=bind,src=${src},dst=${dst},options=rbind:rw`),
      ].flatMap((m) => ["--mount", m]);
      return ctr([
        ...["run", "--rm", "--read-only", "--runc-root", join(dir, "runc"), "--cwd", opts.cwd],
        ...["--mount", "type=tmpfs,src=tmpfs,dst=/tmp,options=nosuid:nodev:mode=1777", ...mounts],
        ref,
        `validator-${containers}`,
        ...args,
      ]);
    },
    stop: async () => {
      await stopProcesses([[daemon]]);
      // Its shims exit with their containers (--rm); what they mounted under the directory goes, deepest first.
      const mounted = readFileSync("/proc/self/mountinfo", "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[4] ?? "")
        .filter((m) => m.startsWith(`${dir}/`))
        .sort((a, b) => b.length - a.length);
      for (const m of mounted) if ((await run("umount", [m])).exitCode !== 0) await run("umount", ["-l", m]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A directory a container's user can read: the given fixtures copied under it, by name. */
export const readableCopy = (parent: string, name: string, sources: Record<string, string>): string => {
  const target = join(parent, name);
  for (const [to, from] of Object.entries(sources)) {
    mkdirSync(join(target, to, ".."), { recursive: true });
    cpSync(from, join(target, to), { recursive: true });
  }
  return target;
};
