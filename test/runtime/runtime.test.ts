/**
 * Rung 6: the charts' workloads running for real on a real node joined to the embedded control plane (see
 * src/runtime/suite.ts). The same scenarios as `llmcharts test-runtime`, each an assertion that carries the
 * scenario's own evidence (pod events, container logs, the connects that went the wrong way).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatOutcome, runRuntimeSuite } from "../../src/runtime/run.js";
import { runtimeScenarios } from "../../src/runtime/scenarios/index.js";

const root = join(import.meta.dirname, "..", "..");

describe("the charts run for real", () => {
  it("brings up a real node, runs every scenario and leaves the host as it found it", {
    timeout: 1_500_000,
  }, async () => {
    const report = await runRuntimeSuite({
      root,
      workDir: mkdtempSync(join(tmpdir(), "llmcharts-runtime-test-")),
      clusterName: `runtime-${process.pid}`,
      onOutcome: (o) => console.log(formatOutcome(o)),
      log: process.env.LLMCHARTS_VERBOSE ? (line) => console.log(line) : undefined,
    });
    const ids = report.outcomes.map((o) => o.id);
    expect(ids).toEqual(["bring-up", ...runtimeScenarios.map((s) => s.id), "teardown"]);
    expect(report.outcomes.filter((o) => !o.ok).map(formatOutcome)).toEqual([]);
  });
});
