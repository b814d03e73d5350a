/**
 * The install and runtime suites as vitest sees them: one test per scenario, in order, each an assertion that every
 * check of the scenario passed (a failure shows the failed checks with the server's or the tool's own message).
 * Whatever happens, the cluster is stopped at the end.
 */
import { afterAll, expect, it } from "vitest";
import { clusterDown } from "../src/cluster/index.js";
import type { ScenarioResult } from "../src/harness/recorder.js";
import { failures, summary } from "../src/harness/report.js";
import { ScenarioRunner } from "../src/harness/run.js";
import type { Scenario, SuiteContext } from "../src/harness/suite.js";

/** Every check of the scenario passed; otherwise the failed ones, with their messages, are the assertion's. */
export const expectPassed = (result: ScenarioResult) => {
  expect(result.checks.length, `${result.title}: no checks ran`).toBeGreaterThan(0);
  expect(
    result.checks.filter((c) => !c.ok).map((c) => c.name),
    `${result.title} failed:\n${failures(result)}`,
  ).toEqual([]);
};

/** Registers one test per scenario (inside the caller's `describe`); a scenario needing a cluster waits for one. */
export const scenarioTests = <C extends SuiteContext, M>(
  ctx: C,
  scenarios: readonly Scenario<C, M>[],
  { suite, timeoutMs }: { suite: string; timeoutMs: number },
): ScenarioRunner<C, M> => {
  const runner = new ScenarioRunner<C, M>(ctx);
  const results: ScenarioResult[] = [];
  afterAll(async () => {
    // Always, even when a test failed; a no-op when the teardown test already took the cluster down.
    await clusterDown({ name: ctx.clusterName });
    // The suite's summary line: what still stands in for a controller or a cloud service is named there.
    console.log(`${suite}: ${summary(results)}`);
  }, 120_000);
  for (const scenario of scenarios) {
    it(`${scenario.id} ${scenario.title}`, { timeout: scenario.timeoutMs ?? timeoutMs }, async (test) => {
      if (!scenario.withoutCluster && !ctx.kube) test.skip("no cluster: bring-up failed");
      const result = await runner.run(scenario);
      results.push(result);
      expectPassed(result);
    });
  }
  return runner;
};
