/** The host around a real node's life: checked and recorded before it starts, put back after it stops. */
import { existsSync, mkdirSync } from "node:fs";
import { requireBin } from "../toolchain/tools.js";
import { nodePaths } from "./config.js";
import { lockHost, unlockHost } from "./host-lock.js";
import { hostLeftovers, readSnapshot, restoreHost, snapshotHost, writeSnapshot } from "./host.js";

/** Executables a real node runs; a missing one fails before anything starts, with the install command. */
const nodeExecutables = [
  "containerd",
  "ctr",
  "runc",
  "kubelet",
  "kube-proxy",
  "kube-router",
  "bridge",
  "iptables",
  "ipset",
];

/** Checks what the node needs and records the host's state (before anything changes it). */
export const prepareHost = async (clusterDir: string): Promise<void> => {
  for (const exe of nodeExecutables) requireBin(exe);
  if (process.getuid?.() !== 0) throw new Error("a real node needs root (containerd, iptables, mounts, cgroups)");
  if (!existsSync("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
    throw new Error("a real node needs the cgroup v1 memory controller at /sys/fs/cgroup/memory (kubelet: cgroupfs)");
  }
  await lockHost(clusterDir);
  const p = nodePaths(clusterDir);
  mkdirSync(p.dir, { recursive: true });
  writeSnapshot(p.hostSnapshot, await snapshotHost());
};

/**
 * Puts the host back as `prepareHost` found it (a no-op for a cluster without a real node) and returns what is
 * still different, each item named.
 */
export const restoreNodeHost = async (clusterDir: string): Promise<string[]> => {
  const p = nodePaths(clusterDir);
  const snapshot = readSnapshot(p.hostSnapshot);
  if (snapshot === undefined) return [];
  const problems = await restoreHost(snapshot, p.dir);
  const leftovers = await hostLeftovers(snapshot);
  unlockHost(clusterDir);
  return [...problems, ...leftovers];
};
