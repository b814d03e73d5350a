/**
 * Rung 5: the generated charts installed with the real Helm 4 on a real API server (the embedded control plane:
 * etcd, kube-apiserver, controller-manager, scheduler, kwok nodes for each NodePool). The same scenarios as
 * `llmcharts test-install`; each check in them is an assertion, and a failure shows every failed check with the
 * server's or the tool's own message. See src/install/scenarios/index.ts for what each scenario proves.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clusterDown, clusterStatus } from "../../src/cluster/index.js";
import type { ScenarioResult } from "../../src/harness/recorder.js";
import { formatReport } from "../../src/harness/report.js";
import { InstallContext, type InstallMade } from "../../src/install/context.js";
import { ScenarioRunner } from "../../src/harness/run.js";
import { scenarioTests } from "../scenarios.js";
import { findAll, parseXml } from "../xml.js";
import { bringUp, installScenarios } from "../../src/install/scenarios/index.js";

const root = join(import.meta.dirname, "..", "..");
const name = `install-${process.pid}-${Date.now().toString(36)}`;
const workDir = mkdtempSync(join(tmpdir(), "llmcharts-install-test-"));
const isolationReport = join(workDir, "isolation.svg");
const suite = new InstallContext({
  root,
  workDir,
  clusterName: name,
  isolationReport,
  log: process.env.LLMCHARTS_VERBOSE ? (line) => console.log(line) : undefined,
});

// Once every test has run: the broken-cluster test below writes under workDir too.
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("install on a real API server", () => {
  scenarioTests(suite, installScenarios, { suite: "install", timeoutMs: 180_000 });
});

describe("test-install --report", () => {
  it("draws the live cluster's isolation: each tenant's own paths allowed, nothing between tenants", () => {
    expect(existsSync(isolationReport), "drawn by the isolation scenario (4) above").toBe(true);
    const cells = findAll(parseXml(readFileSync(isolationReport, "utf8")), (n) =>
      (n.attrs.class ?? "").startsWith("cell "),
    );
    const kinds = new Set(cells.map((c) => c.attrs.class));
    expect(kinds).toContain("cell within-tenant");
    expect(kinds).toContain("cell shared");
    expect(kinds).not.toContain("cell cross-tenant");
    const tenantsDrawn = new Set(
      cells.map((c) => c.attrs["data-from"]?.split("/")[0]).filter((n) => n?.startsWith("tenant-")),
    );
    expect(tenantsDrawn.size).toBeGreaterThanOrEqual(2);
  });
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
      result = await new ScenarioRunner<InstallContext, InstallMade>(brokenRun).run(bringUp);
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
