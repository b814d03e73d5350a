/** Runs install scenarios against one context: each records its checks; an error fails it instead of the run. */
import type { InstallContext, Scenario } from "./context.js";
import { Recorder, type ScenarioResult } from "./recorder.js";
import { installScenarios } from "./scenarios/index.js";

/** One scenario; an unexpected error becomes a failed check of it. */
export const runScenario = async (ctx: InstallContext, s: Scenario): Promise<ScenarioResult> => {
  ctx.log(`[${s.id}] ${s.title}`);
  const r = new Recorder(s.id, s.title, ctx.log);
  try {
    await s.run(ctx, r);
  } catch (err) {
    r.check("scenario ran to the end", false, (err as Error).message);
  }
  return r.result();
};

/**
 * Every scenario in order. Those that need a cluster run only once bring-up gave one; cleanup (teardown) runs last
 * whatever happened, unless `keep`.
 */
export const runAll = async (
  ctx: InstallContext,
  { keep = false, scenarios = installScenarios }: { keep?: boolean; scenarios?: readonly Scenario[] } = {},
): Promise<ScenarioResult[]> => {
  const results: ScenarioResult[] = [];
  try {
    for (const s of scenarios.filter((x) => !x.cleanup)) {
      if (!s.withoutCluster && !ctx.kube) continue;
      results.push(await runScenario(ctx, s));
    }
  } finally {
    if (!keep) for (const s of scenarios.filter((x) => x.cleanup)) results.push(await runScenario(ctx, s));
  }
  return results;
};
