import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { nodePaths } from "./config.js";

/**
 * One real-node cluster per host at a time: kube-proxy's and kube-router's iptables chains and ipsets, the CNI
 * bridges' routes and the cgroup roots are host-wide, so a second cluster would rewrite the first one's rules (its pods
 * then crash-loop) and its teardown would refuse to clear state it did not create. The lock names the cluster
 * directory holding it; a lock whose directory holds no host snapshot any more is stale (its cluster was removed).
 */
export const hostLockFile = "/run/llmcharts-real-node.lock";

const holder = (lockFile: string): string | undefined => {
  if (!existsSync(lockFile)) return undefined;
  const dir = readFileSync(lockFile, "utf8").trim();
  return dir && existsSync(nodePaths(dir).hostSnapshot) ? dir : undefined;
};

/** Takes the host for `clusterDir`, waiting (with a line a minute) while another real-node cluster holds it. */
export const lockHost = async (
  clusterDir: string,
  { waitMs = 30 * 60_000, log = console.error, lockFile = hostLockFile } = {},
): Promise<void> => {
  const started = Date.now();
  for (let waited = 0; ; waited += 5_000) {
    const other = holder(lockFile);
    if (other === undefined || other === clusterDir) break;
    if (waited % 60_000 === 0) log(`waiting for the host: real-node cluster ${other} is running`);
    if (Date.now() - started >= waitMs)
      throw new Error(
        `another real-node cluster (${other}) holds this host; stop it with \`llmcharts cluster down\` or wait for it`,
      );
    await sleep(5_000);
  }
  writeFileSync(lockFile, `${clusterDir}\n`);
};

/** Gives the host back, if `clusterDir` holds it. */
export const unlockHost = (clusterDir: string, lockFile = hostLockFile): void => {
  if (existsSync(lockFile) && readFileSync(lockFile, "utf8").trim() === clusterDir) rmSync(lockFile, { force: true });
};
