import type { ClusterPaths } from "../paths.js";
import type { Probe } from "../probe.js";
import type { ClusterKubectl } from "../kubectl.js";

/** What a controller's start-up gets from the cluster starting it. */
export interface ControllerContext extends ClusterKubectl {
  paths: ClusterPaths;
  /**
   * The address controllers listen on and their EndpointSlices name: the host's own, which the API server can dial.
   * Not loopback: the API server refuses endpoints in 127.0.0.0/8.
   */
  hostIp: string;
  /** Writes the kubeconfig of a controller's identity (see controllerUsers) and returns its path. */
  kubeconfig: (controller: string) => string;
  /** Starts a process the cluster records, logs and stops (`component` names it and its log). */
  start: (component: string, exe: string, args: string[], env: NodeJS.ProcessEnv) => Promise<void>;
  /** Waits until `probe` passes; a failure names `component` and ends with the last lines of its log. */
  ready: (component: string, what: string, probe: Probe, timeoutMs?: number) => Promise<void>;
  /** A GET on the API server as its admin. */
  get: (path: string) => Promise<{ status: number; body: string }>;
  /** Free TCP ports for the controllers' listeners. */
  ports: (count: number) => Promise<number[]>;
  /** Extra flags per process (appended, so they win), e.g. a shorter metrics-server --metric-resolution. */
  extraArgs: (process: string) => string[];
  /** Extra environment per process (over the controller's own), e.g. KEDA's WATCH_NAMESPACE. */
  extraEnv: (process: string) => NodeJS.ProcessEnv;
}
