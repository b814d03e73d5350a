import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { nodePaths } from "../../src/node/config.js";
import { lockHost, unlockHost } from "../../src/node/host-lock.js";

const work = mkdtempSync(join(tmpdir(), "llmcharts-host-lock-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const lockFile = join(work, "real-node.lock");
/** A cluster directory whose node has recorded the host, as a running real-node cluster has. */
const runningCluster = (name: string) => {
  const dir = join(work, name);
  mkdirSync(nodePaths(dir).dir, { recursive: true });
  writeFileSync(nodePaths(dir).hostSnapshot, "{}");
  return dir;
};

test("a second real-node cluster waits for the first, then takes the host once the first is gone", async () => {
  const first = runningCluster("first");
  const second = join(work, "second");
  await lockHost(first, { lockFile });
  const lines: string[] = [];
  await expect(lockHost(second, { lockFile, waitMs: 0, log: (l) => lines.push(l) })).rejects.toThrow(
    /another real-node cluster \(.*first\) holds this host/,
  );
  expect(lines).toEqual([`waiting for the host: real-node cluster ${first} is running`]);
  unlockHost(second, lockFile); // not the holder: changes nothing
  await expect(lockHost(second, { lockFile, waitMs: 0 })).rejects.toThrow(/first/);
  unlockHost(first, lockFile);
  await lockHost(second, { lockFile, waitMs: 0 });
});

test("a lock left by a removed cluster is stale", async () => {
  const gone = runningCluster("gone");
  await lockHost(gone, { lockFile });
  rmSync(gone, { recursive: true });
  await lockHost(join(work, "next"), { lockFile, waitMs: 0 });
});
