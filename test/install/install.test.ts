/**
 * Rung 5: the generated charts installed with the real Helm 4 on a real API server (the embedded control plane:
 * etcd, kube-apiserver, controller-manager, scheduler, kwok nodes for each NodePool). The same scenarios as
 * `llmcharts test-install`; each check in them is an assertion, and a failure shows every failed check with the
 * server's or the tool's own message. See src/install/scenarios/index.ts for what each scenario proves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDown, clusterStatus } from "../../src/cluster/index.js";
import type { ScenarioResult } from "../../src/install/recorder.js";
import { failures, formatReport } from "../../src/install/report.js";
import { InstallContext } from "../../src/install/context.js";
import { runScenario } from "../../src/install/run.js";
import { bringUp, installScenarios } from "../../src/install/scenarios/index.js";

const root = join(import.meta.dirname, "..", "..");
const name = `install-${process.pid}-${Date.now().toString(36)}`;
const workDir = mkdtempSync(join(tmpdir(), "llmcharts-install-test-"));
const suite = new InstallContext({
  root,
  workDir,
  clusterName: name,
  log: process.env.LLMCHARTS_VERBOSE ? (line) => console.log(line) : undefined,
});

/** Every check of the scenario passed; otherwise the failed ones, with their messages, are the assertion's. */
const expectPassed = (result: ScenarioResult) => {
  expect(result.checks.length, `${result.title}: no checks ran`).toBeGreaterThan(0);
  expect(
    result.checks.filter((c) => !c.ok).map((c) => c.name),
    `${result.title} failed:\n${failures(result)}`,
  ).toEqual([]);
};

// Once every test has run: the broken-cluster test below writes under workDir too.
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("install on a real API server", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    await suite.up();
  }, 120_000);

  afterAll(async () => {
    // Always, even when a test failed; a no-op when the teardown test already took the cluster down.
    await clusterDown({ name });
  }, 60_000);

  for (const scenario of installScenarios) {
    it(`${scenario.id} ${scenario.title}`, { timeout: scenario.timeoutMs ?? 180_000 }, async () => {
      expectPassed(await runScenario(suite, scenario));
    });
  }
});

describe("a cluster that cannot start", () => {
  it("fails bring-up with the failing component's last log lines", async () => {
    const broken = `${name}-broken`;
    const brokenRun = new InstallContext({ root, workDir: join(workDir, "broken"), clusterName: broken });
    // An invalid GOMEMLIMIT makes a Go program die at start-up: etcd, the first component, fails for real. Set only
    // around the start-up, in this process (the CLI cannot take it: tsx's esbuild is a Go program too).
    const saved = process.env.GOMEMLIMIT;
    process.env.GOMEMLIMIT = "not-a-limit";
    let result: ScenarioResult;
    try {
      result = await runScenario(brokenRun, bringUp);
    } finally {
      if (saved === undefined) delete process.env.GOMEMLIMIT;
      else process.env.GOMEMLIMIT = saved;
      await clusterDown({ name: broken });
    }
    const up = result.checks.find((c) => c.name === "cluster up");
    expect(up?.ok).toBe(false);
    expect(up?.detail).toMatch(new RegExp(`cluster "${broken}": etcd exited`));
    expect(up?.detail).toMatch(/--- last lines of .*etcd\.log ---/);
    expect(up?.detail).toMatch(/malformed GOMEMLIMIT/);
    expect(formatReport([result])).toMatch(/FAIL cluster up\n[\s\S]*malformed GOMEMLIMIT/);
    expect((await clusterStatus({ name: broken })).state).toBe("absent");
  }, 60_000);
});
