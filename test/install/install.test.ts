/**
 * Rung 5: the generated charts installed with the real Helm 4 on a real API server (the embedded control plane:
 * etcd, kube-apiserver, controller-manager, scheduler, kwok nodes for each NodePool). The same scenarios as
 * `llmcharts test-install`; each check in them is an assertion, and a failure shows every failed check with the
 * server's or the tool's own message. See src/install/scenarios.ts for what each scenario proves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDown, clusterStatus } from "../../src/cluster/index.js";
import type { ScenarioResult } from "../../src/install/recorder.js";
import { failures, formatReport } from "../../src/install/report.js";
import { InstallRun } from "../../src/install/scenarios.js";

const root = join(import.meta.dirname, "..", "..");
const name = `install-${process.pid}-${Date.now().toString(36)}`;
const workDir = mkdtempSync(join(tmpdir(), "llmcharts-install-test-"));
const suite = new InstallRun({
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

describe("install on a real API server", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    await suite.up();
  }, 120_000);

  afterAll(async () => {
    // Always, even when a test failed; a no-op when the teardown test already took the cluster down.
    await clusterDown({ name });
    rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it("1 bring-up: upstream CRDs Established, kwok nodes per NodePool in two zones", async () => {
    expectPassed(await suite.bringUp());
  });

  it("2 install: nodepools, platform and three tenants; Deployments available, pods on their tier's nodes", async () => {
    expectPassed(await suite.install());
  });

  it("3 admission and quota: GPU pods and tolerations outside premium, quota, privilege refused", async () => {
    expectPassed(await suite.admission());
  });

  it("4 isolation: no tenant reaches another; Ollama only from its own OpenWebUI (np-guard)", async () => {
    expectPassed(await suite.isolation());
  });

  it("5 life cycle: previous version, upgrade, helm test, rollback, uninstall keeps data, reinstall", async () => {
    expectPassed(await suite.lifecycle());
  });

  it("oci: published signed to a real registry, installed with --verify, a tenant upgraded from the previous version", async () => {
    expectPassed(await suite.oci());
  });

  it("bad input: a chart the server refuses stops at the dry run with the server's message", async () => {
    expectPassed(await suite.badInput());
  });

  it("6 Argo CD parity: rendered as Argo CD renders, applied server-side, in sync, byte-identical", async () => {
    expectPassed(await suite.argoParity());
  });

  it("7 teardown: no process of the cluster left behind", async () => {
    expectPassed(await suite.teardown());
    expect((await clusterStatus({ name })).state).toBe("absent");
  });
});

describe("a cluster that cannot start", () => {
  it("fails bring-up with the failing component's last log lines", async () => {
    const broken = `${name}-broken`;
    const brokenRun = new InstallRun({ root, workDir: join(workDir, "broken"), clusterName: broken });
    // An invalid GOMEMLIMIT makes a Go program die at start-up: etcd, the first component, fails for real. Set only
    // around the start-up, in this process (the CLI cannot take it: tsx's esbuild is a Go program too).
    const saved = process.env.GOMEMLIMIT;
    process.env.GOMEMLIMIT = "not-a-limit";
    let result: ScenarioResult;
    try {
      result = await brokenRun.bringUp();
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
