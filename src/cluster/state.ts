import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { ClusterPorts } from "./components.js";
import type { ProcessRecord } from "./processes.js";

/** state.json: written before anything starts and after every process starts, so `down` can always clean up. */
export interface ClusterState {
  name: string;
  createdAt: string;
  apiserverUrl: string;
  kubeconfig: string;
  ports: ClusterPorts;
  /** Started processes, in start order. */
  processes: ProcessRecord[];
  /** The real nodes' names, when some joined (their host changes are undone by `down`). */
  realNodes?: string[];
  /** Set once every component is ready. */
  readyAt?: string;
}

export const readState = (path: string): ClusterState | undefined => {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as ClusterState;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); remove it by hand`);
  }
};

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export const writeState = (path: string, state: ClusterState): void => {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
};
