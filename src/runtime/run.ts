/** The runtime suite from start to end: bring-up, every scenario in order, teardown (unless kept). */
import { runtimeScenarios } from "./scenarios/index.js";
import { type RuntimeOptions, RuntimeRun, type ScenarioOutcome } from "./suite.js";

export interface RuntimeReport {
  outcomes: ScenarioOutcome[];
  passed: number;
  failed: number;
}

export const formatOutcome = (o: ScenarioOutcome): string =>
  o.ok ? `PASS ${o.id} (${(o.ms / 1000).toFixed(1)}s)` : `FAIL ${o.id}: ${o.reason}`;

export const runRuntimeSuite = async (
  opts: RuntimeOptions & { keep?: boolean; only?: string[]; onOutcome?: (o: ScenarioOutcome) => void },
): Promise<RuntimeReport> => {
  const run = new RuntimeRun(opts);
  const outcomes: ScenarioOutcome[] = [];
  const record = (o: ScenarioOutcome) => {
    outcomes.push(o);
    opts.onOutcome?.(o);
  };
  try {
    const up = await run.runScenario("bring-up", async () => {
      await run.up();
      return undefined;
    });
    record(up);
    if (up.ok) {
      for (const { id, scenario } of runtimeScenarios) {
        if (opts.only && opts.only.length > 0 && !opts.only.includes(id)) continue;
        record(await run.runScenario(id, scenario));
      }
    }
  } finally {
    const kept = opts.keep ? run.keptServices() : undefined;
    if (kept) run.log(kept);
    if (!opts.keep) {
      record(
        await run.runScenario("teardown", async () => {
          await run.down();
          return undefined;
        }),
      );
    }
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  return { outcomes, passed: outcomes.length - failed, failed };
};
