/**
 * Rung 6: the charts' workloads running for real on a real node joined to the embedded control plane (see
 * src/runtime/). The same scenarios as `llmcharts test-runtime`, one test each, in order; each carries the scenario's
 * own evidence (pod events, container logs, the connects that went the wrong way).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { RuntimeContext } from "../../src/runtime/context.js";
import { runtimeScenarios } from "../../src/runtime/scenarios/index.js";
import { scenarioTests } from "../scenarios.js";

const ctx = new RuntimeContext({
  root: join(import.meta.dirname, "..", ".."),
  workDir: mkdtempSync(join(tmpdir(), "llmcharts-runtime-test-")),
  clusterName: `runtime-${process.pid}`,
  log: process.env.LLMCHARTS_VERBOSE ? (line) => console.log(line) : undefined,
});

describe("the charts run for real on a real node", () => {
  scenarioTests(ctx, runtimeScenarios, { suite: "runtime", timeoutMs: 600_000 });
});
