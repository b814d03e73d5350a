/**
 * A component that dies during start-up is reported with how it ended. Between its death and Node reaping it, it is a
 * zombie: dead to `pidAlive`, its exit code not known yet. It is reported only once its code is known (a report in
 * between said "code ?", which failed a CI run of the controllers' start-up test).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { firstExited, pidAlive, startProcess } from "../../src/cluster/processes.js";
import { until } from "../../src/lib/wait.js";

const dir = mkdtempSync(join(tmpdir(), "llmcharts-processes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a child that just died is reported exited once its code is known, not before", async () => {
  const child = await startProcess("quick", "/bin/sh", ["-c", "exit 3"], join(dir, "quick.log"));
  // Blocking the event loop until it is a zombie: Node cannot reap it meanwhile, so its code is not known yet.
  const deadline = Date.now() + 10_000;
  while (pidAlive(child.pid)) if (Date.now() > deadline) throw new Error("the child did not exit in 10 s");
  expect(child.exit).toBeUndefined();
  expect(firstExited([child])).toBeUndefined();

  await until("Node reaps the child", async () => child.exit !== undefined, 10_000, 20);
  expect(firstExited([child])?.exit).toEqual({ code: 3, signal: null });
});
