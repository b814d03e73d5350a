/**
 * A local Kubernetes control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, and the kwok
 * controller simulating the nodes (and the pods on them) that opt in with the `kwok.x-k8s.io/node: fake` annotation.
 * Every component runs from the pinned toolchain, on free loopback ports, with its state under
 * `<cache>/clusters/<name>/`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { requireBin } from "../toolchain/tools.js";
import {
  apiserverArgs,
  type ClusterPorts,
  type ComponentName,
  componentNames,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  schedulerArgs,
} from "./components.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { type ClusterPaths, checkClusterName, clusterPaths, clustersRoot } from "./paths.js";
import { caOfServingBundle, newUsers, nodeUsers, type TokenUser, writeCredentials } from "./pki.js";
import { freePorts } from "./ports.js";
import { httpGet, httpProbe, type Probe, waitUntil } from "./probe.js";
import {
  type ProcessRecord,
  firstExited,
  recordAlive,
  type StopReport,
  type Started,
  startProcess,
  stopProcesses,
  tailFile,
} from "./processes.js";
import { prepareHost, restoreNodeHost } from "../node/host-lifecycle.js";
import type { NodeSpec } from "../node/config.js";
import { hostIp } from "../node/host.js";
import { startRealNodes } from "../node/node.js";
import {
  type ControllerContext,
  type ControllerName,
  type ControllerProcess,
  controllerProcesses,
  controllerUsers,
  startControllers,
} from "./controllers/index.js";
import { type ClusterKubectl, clusterKubectl } from "./kubectl.js";
import { kwokConfig } from "./stages.js";
import { type ClusterState, readState, writeState } from "./state.js";

export interface UpOptions {
  name?: string;
  /**
   * Join a real node (containerd, kubelet, kube-proxy, kube-router, CoreDNS) carrying these labels, next to the
   * kwok controller; its pods really run.
   */
  realNodes?: NodeSpec[];
  /**
   * Controllers to run as host processes once the control plane is ready (metrics-server, keda, karpenter,
   * external-secrets, reloader); `up` returns when each is ready (its APIService Available, if it serves one).
   */
  controllers?: ControllerName[];
  /**
   * Extra flags per controller process (keda-operator, keda-adapter, metrics-server, karpenter, moto,
   * external-secrets, reloader), after ours.
   */
  controllerArgs?: Partial<Record<ControllerProcess, string[]>>;
  /**
   * Extra environment per controller process, over ours: e.g. KEDA's WATCH_NAMESPACE, which only the environment
   * sets.
   */
  controllerEnv?: Partial<Record<ControllerProcess, NodeJS.ProcessEnv>>;
  /** Progress lines (each component started and ready). */
  log?: (line: string) => void;
  /** Aborting stops the start-up and cleans up like a failure. */
  signal?: AbortSignal;
}

export interface ClusterInfo {
  name: string;
  /** Admin kubeconfig (a system:masters bearer token). */
  kubeconfig: string;
  apiserverUrl: string;
  stateDir: string;
  pids: Record<string, number>;
  /** The real nodes' names, when some joined. */
  realNodes?: string[];
}

/** A component failed to start: names it, says why, and carries the end of its log. */
export class ClusterStartError extends Error {
  constructor(
    readonly cluster: string,
    readonly component: string,
    reason: string,
    readonly logFile?: string,
  ) {
    const tail = logFile ? tailFile(logFile) : "";
    const clash = /address already in use/i.test(tail)
      ? " (a port picked for it was taken by another process meanwhile; try again)"
      : "";
    super(
      `cluster "${cluster}": ${component} ${reason}${clash}` +
        (tail ? `\n--- last lines of ${logFile} ---\n${tail}\n---` : ""),
    );
    this.name = "ClusterStartError";
  }
}

const since = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Ready-timeouts; generous, since a loaded CI machine starts these processes slowly. */
const timeouts = {
  etcd: 30_000,
  "kube-apiserver": 90_000,
  "kube-controller-manager": 60_000,
  "kube-scheduler": 60_000,
  kwok: 60_000,
} satisfies Record<ComponentName, number>;

/** The pinned executables, resolved before anything starts so a missing one fails with the install command. */
const executables = (): Record<ComponentName, string> => ({
  etcd: requireBin("etcd"),
  "kube-apiserver": requireBin("kube-apiserver"),
  "kube-controller-manager": requireBin("kube-controller-manager"),
  "kube-scheduler": requireBin("kube-scheduler"),
  kwok: requireBin("kwok"),
});

/** Stop order: everything that talks to the API server, then the API server, then etcd. */
const stopWaves = <P extends ProcessRecord>(procs: P[]): P[][] => {
  const servers = ["kube-apiserver", "etcd"];
  return [procs.filter((p) => !servers.includes(p.name)), ...servers.map((s) => procs.filter((p) => p.name === s))];
};

/** The processes a state file records that still run. */
const aliveProcesses = (state: ClusterState | undefined) => state?.processes.filter(recordAlive) ?? [];

/** Removes what a previous run left (a stopped cluster, or the logs of a failed start); refuses a live cluster. */
const clearLeftovers = (name: string, paths: ClusterPaths): void => {
  const alive = aliveProcesses(readState(paths.state));
  if (alive.length > 0) {
    throw new Error(
      `cluster "${name}" is already running (${alive.map((p) => `${p.name} pid ${p.pid}`).join(", ")}); ` +
        `stop it first: llmcharts cluster down --name ${name}`,
    );
  }
  rmSync(paths.dir, { recursive: true, force: true });
};

/**
 * The address controllers listen on when no real node gives one: the host's, which the API server (on loopback)
 * can dial too, and which an EndpointSlice accepts (loopback it refuses).
 */
const controllersHostIp = (): string => {
  try {
    return hostIp();
  } catch {
    throw new Error("controllers need a non-loopback IPv4 address on this host: the API server reaches them there");
  }
};

/** What the controllers' start-up gets from clusterUp: its phases' helpers, with the controllers' identities. */
const controllerContext = (
  c: {
    paths: ClusterPaths;
    users: Record<string, TokenUser>;
    kube: ClusterKubectl;
    hostIp: string;
    adminGet: ControllerContext["get"];
    kubeconfigFor: (path: string, user: TokenUser) => void;
  },
  start: (component: string, args: string[], path: string, env: NodeJS.ProcessEnv) => Promise<void>,
  ready: (component: string, probe: Probe, what: string, timeoutMs?: number) => Promise<void>,
  extraArgs: UpOptions["controllerArgs"] = {},
  extraEnv: UpOptions["controllerEnv"] = {},
): ControllerContext => ({
  ...c.kube,
  paths: c.paths,
  hostIp: c.hostIp,
  kubeconfig: (controller) => {
    const user = c.users[`controller:${controller}`];
    if (!user) throw new Error(`no credentials for controller ${controller}`);
    c.kubeconfigFor(c.paths.componentKubeconfig(controller), user);
    return c.paths.componentKubeconfig(controller);
  },
  start: (component, exe, args, env) => start(component, args, exe, env),
  ready: (component, what, probe, timeoutMs) => ready(component, probe, what, timeoutMs),
  get: c.adminGet,
  ports: freePorts,
  extraArgs: (process) => extraArgs[process as ControllerProcess] ?? [],
  extraEnv: (process) => extraEnv[process as ControllerProcess] ?? {},
});

/** Environment of a component: ours, minus variables that would change its configuration behind its flags. */
const componentEnv = (component: ComponentName, paths: ClusterPaths): NodeJS.ProcessEnv => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("ETCD_") && k !== "KUBECONFIG"),
  );
  // kwok also loads ~/.kwok/kwok.yaml when it exists; a home of its own keeps a user's file out.
  return component === "kwok" ? { ...env, HOME: paths.dir } : env;
};

/** Starts components as processes of the cluster, each recorded in its state, and waits until each is ready. */
interface Launcher {
  start: (component: string, args: string[], path?: string, env?: NodeJS.ProcessEnv) => Promise<void>;
  ready: (component: string, probe: Probe, what?: string, timeoutMs?: number) => Promise<void>;
  started: Started[];
  /** Stops every wait at once (a failure elsewhere). */
  abort: () => void;
}

const launcher = (
  c: {
    name: string;
    paths: ClusterPaths;
    state: ClusterState;
    exe: Record<ComponentName, string>;
    log: (line: string) => void;
    t0: number;
  },
  outer?: AbortSignal,
): Launcher => {
  const { name, paths, state, exe, log } = c;
  // Stops every wait as soon as one fails, or when the caller aborts.
  const failed = new AbortController();
  const signal = outer ? AbortSignal.any([outer, failed.signal]) : failed.signal;
  const started: Started[] = [];

  /** Throws if any started process has exited: the first thing to report when something is not ready. */
  const guard = (): void => {
    const p = firstExited(started);
    if (!p) return;
    const how = p.exit.signal ? `signal ${p.exit.signal}` : `code ${p.exit.code}`;
    throw new ClusterStartError(name, p.name, `exited (${how}) during start-up`, p.log);
  };

  return {
    started,
    abort: () => failed.abort(),
    start: async (component, args, path, env) => {
      signal.throwIfAborted();
      const p = await startProcess(component, path ?? exe[component as ComponentName], args, paths.log(component), {
        env: env ?? componentEnv(component as ComponentName, paths),
        cwd: paths.dir,
      });
      started.push(p);
      state.processes.push({ name: p.name, pid: p.pid, exe: p.exe, log: p.log });
      writeState(paths.state, state);
      log(`${component}: started (pid ${p.pid})`);
    },
    ready: async (component, probe, what = component, timeoutMs) => {
      try {
        await waitUntil(what, probe, {
          timeoutMs: timeoutMs ?? timeouts[component as ComponentName] ?? 60_000,
          signal,
          guard,
        });
      } catch (err) {
        if (err instanceof ClusterStartError || signal.aborted) throw err;
        const reason = (err as Error).message.slice(what.length + 1);
        const who = what === component ? component : `${component} (${what})`;
        throw new ClusterStartError(name, who, reason, paths.log(component));
      }
      log(`${what}: ready (${since(c.t0)})`);
    },
  };
};

/** Where the cluster will run: its directory made afresh, its ports, its users' credentials, its first state. */
const planCluster = async (name: string, paths: ClusterPaths, opts: UpOptions) => {
  clearLeftovers(name, paths);
  mkdirSync(clustersRoot(), { recursive: true });
  // Not recursive: a second `up` of the same name racing this one fails here instead of sharing the directory.
  mkdirSync(paths.dir, { mode: 0o700 });
  mkdirSync(paths.logs);
  mkdirSync(paths.apiserverCertDir, { recursive: true });

  const realNodes = opts.realNodes ?? [];
  const [etcdClient = 0, etcdPeer = 0, apiserver = 0, controllerManager = 0, scheduler = 0, kwok = 0, ...nodePorts] =
    await freePorts(10 + 2 * realNodes.length);
  const ports: ClusterPorts = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok };
  const node = realNodes.length > 0 ? { ip: hostIp() } : undefined;
  const users: Record<string, TokenUser> & ReturnType<typeof newUsers> = {
    ...newUsers(),
    ...nodeUsers(realNodes.map((n) => n.name)),
    ...controllerUsers(opts.controllers ?? []),
  };
  writeCredentials(paths, users);
  writeFileSync(paths.kwokConfig, kwokConfig());
  const apiserverUrl = `https://${node?.ip ?? "127.0.0.1"}:${ports.apiserver}`;
  const state: ClusterState = {
    name,
    createdAt: new Date().toISOString(),
    apiserverUrl,
    kubeconfig: paths.kubeconfig,
    ports,
    processes: [],
    ...(node ? { realNodes: realNodes.map((n) => n.name) } : {}),
  };
  writeState(paths.state, state);
  return { realNodes, ports, nodePorts, node, users, apiserverUrl, state };
};

type Plan = Awaited<ReturnType<typeof planCluster>>;

/**
 * etcd, the API server (whose self-signed CA the kubeconfigs then trust, verified), controller-manager, scheduler
 * and kwok; ready once namespaces get their default ServiceAccount (the controllers really work).
 */
const startControlPlane = async (name: string, paths: ClusterPaths, plan: Plan, l: Launcher) => {
  const { ports, node, users, apiserverUrl } = plan;
  await l.start("etcd", etcdArgs(paths, ports));
  await l.ready("etcd", httpProbe(`http://127.0.0.1:${ports.etcdClient}/health`));

  await l.start("kube-apiserver", apiserverArgs(paths, ports, node?.ip));
  await l.ready("kube-apiserver", httpProbe(`${apiserverUrl}/readyz`, { token: users.admin.token }));

  const ca = caOfServingBundle(paths.apiserverCert);
  if (ca === undefined) {
    throw new ClusterStartError(name, "kube-apiserver", `wrote no self-signed CA into ${paths.apiserverCert}`);
  }
  writeFileSync(paths.ca, ca);
  const kubeconfigFor = (path: string, u: TokenUser) =>
    writeKubeconfig(path, { name: `llmcharts-${name}`, server: apiserverUrl, ca, user: u.user, token: u.token });
  kubeconfigFor(paths.kubeconfig, users.admin);
  kubeconfigFor(paths.componentKubeconfig("kube-controller-manager"), users.controllerManager);
  kubeconfigFor(paths.componentKubeconfig("kube-scheduler"), users.scheduler);
  kubeconfigFor(paths.componentKubeconfig("kwok"), users.kwok);
  // What the kubeconfigs trust must be what the server serves.
  const verified = await httpProbe(`${apiserverUrl}/readyz`, { token: users.admin.token, ca })();
  if (verified !== true) {
    throw new ClusterStartError(name, "kube-apiserver", `failed verification with its own CA: ${verified}`);
  }

  await l.start("kube-controller-manager", controllerManagerArgs(paths, ports));
  await l.start("kube-scheduler", schedulerArgs(paths, ports));
  await l.start("kwok", kwokArgs(paths, ports));
  await Promise.all([
    // Their serving certificates are self-signed in memory; /healthz is readable without credentials.
    l.ready("kube-controller-manager", httpProbe(`https://127.0.0.1:${ports.controllerManager}/healthz`)),
    l.ready("kube-scheduler", httpProbe(`https://127.0.0.1:${ports.scheduler}/healthz`)),
    l.ready("kwok", httpProbe(`http://127.0.0.1:${ports.kwok}/healthz`)),
  ]);
  await l.ready(
    "kube-controller-manager",
    httpProbe(`${apiserverUrl}/api/v1/namespaces/default/serviceaccounts/default`, { token: users.admin.token, ca }),
    "default service account",
  );
  return { ca, kubeconfigFor, kube: clusterKubectl(paths.kubeconfig) };
};

type ControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

/** The real nodes joined to the control plane: each with its kubelet's ports and its identity's kubeconfig. */
const joinRealNodes = (
  paths: ClusterPaths,
  plan: Plan,
  plane: ControlPlane,
  l: Launcher,
  log: (line: string) => void,
) => {
  const [proxyHealthz = 0, proxyMetrics = 0, routerHealth = 0, routerMetrics = 0, ...kubeletPorts] = plan.nodePorts;
  return startRealNodes(
    {
      clusterDir: paths.dir,
      ip: plan.node?.ip ?? "",
      ports: {
        kubelets: plan.realNodes.map((_, i) => ({
          kubelet: kubeletPorts[2 * i] ?? 0,
          kubeletHealthz: kubeletPorts[2 * i + 1] ?? 0,
        })),
        proxyHealthz,
        proxyMetrics,
        routerHealth,
        routerMetrics,
      },
      kubeconfig: (identity) => {
        const user = plan.users[identity];
        if (!user) throw new Error(`no credentials for ${identity}`);
        const path = paths.componentKubeconfig(identity.replace(":", "-"));
        plane.kubeconfigFor(path, user);
        return path;
      },
      start: (component, path, args) => l.start(component, args, path, process.env),
      ready: (component, what, probe, timeoutMs) => l.ready(component, probe, what, timeoutMs),
      apply: (objects) => plane.kube.apply(objects, "llmcharts-node"),
      kubectl: (args) => plane.kube.kubectl(args),
      log,
    },
    plan.realNodes,
  );
};

/** A start that failed: every process stopped, the host restored, the logs kept; the error names the component. */
const failedStart = async (
  err: unknown,
  c: { name: string; paths: ClusterPaths; l: Launcher; realNode: boolean; outer?: AbortSignal },
): Promise<never> => {
  c.l.abort();
  await stopProcesses(stopWaves(c.l.started), 2000);
  if (c.realNode) await restoreNodeHost(c.paths.dir);
  // Keep the logs for a post-mortem; `down` (or the next `up`) removes them.
  for (const entry of readdirSync(c.paths.dir)) {
    if (entry !== "logs") rmSync(join(c.paths.dir, entry), { recursive: true, force: true });
  }
  const note = `\n(logs kept in ${c.paths.logs}; every process started was stopped)`;
  if (err instanceof ClusterStartError) {
    err.message += note;
    throw err;
  }
  const reason = c.outer?.aborted ? "start-up interrupted" : err instanceof Error ? err.message : String(err);
  throw new Error(`cluster "${c.name}": ${reason}${note}`, { cause: err });
};

export const clusterUp = async (opts: UpOptions = {}): Promise<ClusterInfo> => {
  const name = checkClusterName(opts.name ?? "default");
  const log = opts.log ?? (() => {});
  const paths = clusterPaths(name);
  // Before anything is made: a tool missing from the toolchain is reported with nothing to clean up.
  const exe = executables();
  const t0 = Date.now();
  const plan = await planCluster(name, paths, opts);
  const { node, state, apiserverUrl } = plan;
  const l = launcher({ name, paths, state, exe, log, t0 }, opts.signal);
  const controllers = opts.controllers ?? [];
  try {
    if (node) await prepareHost(paths.dir);
    const plane = await startControlPlane(name, paths, plan, l);
    if (node) await joinRealNodes(paths, plan, plane, l, log);
    if (controllers.length > 0) {
      const adminGet = (path: string) =>
        httpGet(`${apiserverUrl}${path}`, { token: plan.users.admin.token, ca: plane.ca });
      const where = {
        paths,
        users: plan.users,
        kube: plane.kube,
        hostIp: node?.ip ?? controllersHostIp(),
        adminGet,
        kubeconfigFor: plane.kubeconfigFor,
      };
      await startControllers(
        controllerContext(
          where,
          l.start,
          (c, probe, what, ms) => l.ready(c, probe, what, ms),
          opts.controllerArgs,
          opts.controllerEnv,
        ),
        controllers,
      );
    }
  } catch (err) {
    return failedStart(err, { name, paths, l, realNode: node !== undefined, outer: opts.signal });
  }

  state.readyAt = new Date().toISOString();
  writeState(paths.state, state);
  log(`cluster "${name}" up in ${since(t0)}`);
  return {
    name,
    kubeconfig: paths.kubeconfig,
    apiserverUrl,
    stateDir: paths.dir,
    pids: Object.fromEntries(l.started.map((p) => [p.name, p.pid])),
    ...(node ? { realNodes: plan.realNodes.map((n) => n.name) } : {}),
  };
};

export interface DownOptions {
  name?: string;
  /** How long components get to exit on SIGTERM before SIGKILL. */
  graceMs?: number;
}

export interface DownReport extends StopReport {
  name: string;
  /** Whether there was anything (processes or files) to remove. */
  existed: boolean;
}

/** Stops every process the cluster's state records and removes its state directory; a no-op when there is none. */
export const clusterDown = async (opts: DownOptions = {}): Promise<DownReport> => {
  const name = checkClusterName(opts.name ?? "default");
  const paths = clusterPaths(name);
  const state = readState(paths.state);
  const existed = existsSync(paths.dir);
  const report = await stopProcesses(stopWaves(state?.processes ?? []), opts.graceMs ?? 5000);
  if (report.survivors.length > 0) {
    throw new Error(`cluster "${name}": could not stop ${report.survivors.join(", ")}; state kept in ${paths.dir}`);
  }
  const left = await restoreNodeHost(paths.dir);
  if (left.length > 0) {
    throw new Error(
      `cluster "${name}": the real node left on the host:\n  ${left.join("\n  ")}\n(state kept in ${paths.dir})`,
    );
  }
  rmSync(paths.dir, { recursive: true, force: true });
  return { name, existed, ...report };
};

export interface ComponentStatus {
  name: string;
  pid?: number;
  alive: boolean;
}

export interface ClusterStatus {
  name: string;
  stateDir: string;
  /** running: every component alive and the API ready; degraded: anything less; stopped: nothing alive. */
  state: "running" | "degraded" | "stopped" | "absent";
  apiserverUrl?: string;
  kubeconfig?: string;
  /** "ok", or why the API server's /readyz did not answer 200. */
  api: string;
  components: ComponentStatus[];
}

/** Admin token and CA from the cluster's kubeconfig, if it was written. */
const adminCredentials = (path: string): { token: string; ca: string } | undefined => {
  try {
    const config = parse(readFileSync(path, "utf8"));
    const token: unknown = config?.users?.[0]?.user?.token;
    const caData: unknown = config?.clusters?.[0]?.cluster?.["certificate-authority-data"];
    if (typeof token !== "string" || typeof caData !== "string") return undefined;
    return { token, ca: Buffer.from(caData, "base64").toString("utf8") };
  } catch {
    return undefined;
  }
};

export const clusterStatus = async (opts: { name?: string } = {}): Promise<ClusterStatus> => {
  const name = checkClusterName(opts.name ?? "default");
  const paths = clusterPaths(name);
  const state = readState(paths.state);
  if (state === undefined) {
    return { name, stateDir: paths.dir, state: "absent", api: "no cluster", components: [] };
  }
  // The controllers this cluster was started with count as components too.
  const controllerNamesRecorded = Object.values(controllerProcesses)
    .flat()
    .filter((c) => state.processes.some((p) => p.name === c));
  const components = [...componentNames, ...controllerNamesRecorded].map((c): ComponentStatus => {
    const p = state.processes.find((r) => r.name === c);
    return { name: c, pid: p?.pid, alive: p !== undefined && recordAlive(p) };
  });
  const credentials = adminCredentials(state.kubeconfig);
  const probe = credentials
    ? await httpProbe(`${state.apiserverUrl}/readyz`, { ...credentials, timeoutMs: 3000 })()
    : "no admin kubeconfig";
  const api = probe === true ? "ok" : probe;
  const alive = components.filter((c) => c.alive).length;
  return {
    name,
    stateDir: paths.dir,
    state:
      alive === 0 ? "stopped" : alive === components.length && api === "ok" && state.readyAt ? "running" : "degraded",
    apiserverUrl: state.apiserverUrl,
    kubeconfig: state.kubeconfig,
    api,
    components,
  };
};
