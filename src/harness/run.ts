/** Runs scenarios against one context: each records its checks; an error fails it instead of the run. */
import { Recorder, type ScenarioResult } from "./recorder.js";
import { UsageError } from "../lib/usage-error.js";
import type { Scenario, SuiteContext } from "./suite.js";

export class ScenarioRunner<C extends SuiteContext, M> {
  /** What the scenarios run so far made, for the ones after them. */
  readonly made: Partial<M> = {};

  constructor(readonly ctx: C) {}

  /** One scenario; an unexpected error becomes a failed check of it. */
  async run(s: Scenario<C, M>): Promise<ScenarioResult> {
    this.ctx.log(`[${s.id}] ${s.title}`);
    const r = new Recorder(s.id, s.title, this.ctx.log);
    try {
      Object.assign(this.made, await s.run(this.ctx, r, this.made));
      // A scenario that throws on failure (and checks nothing itself) passed by running to the end.
      if (r.checks.length === 0) r.check("scenario ran to the end", true);
    } catch (err) {
      r.check("scenario ran to the end", false, (err as Error).message);
    }
    return r.result();
  }

  /**
   * Every scenario in order. Those that need a cluster run only once bring-up gave one; cleanup (teardown) runs last
   * whatever happened, unless `keep`. `onResult` sees each result as it comes.
   */
  async all(
    scenarios: readonly Scenario<C, M>[],
    { keep = false, onResult }: { keep?: boolean; onResult?: (r: ScenarioResult) => void } = {},
  ): Promise<ScenarioResult[]> {
    const results: ScenarioResult[] = [];
    const record = (r: ScenarioResult) => {
      results.push(r);
      onResult?.(r);
    };
    try {
      for (const s of scenarios.filter((x) => !x.cleanup)) {
        if (!s.withoutCluster && !this.ctx.kube) continue;
        record(await this.run(s));
      }
    } finally {
      if (!keep) for (const s of scenarios.filter((x) => x.cleanup)) record(await this.run(s));
    }
    return results;
  }
}

/**
 * The scenarios `--only` names, with those that run without a cluster (bring-up, teardown); every one without ids.
 * An unknown id is a usage error naming the known ones.
 */
export const selectScenarios = <S extends { id: string; withoutCluster?: true }>(
  all: readonly S[],
  ids: string[] = [],
): readonly S[] => {
  if (ids.length === 0) return all;
  const known = all.map((s) => s.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0)
    throw new UsageError(
      `--only ${ids.join(",")}: no scenario ${unknown.join(", ")}; the scenarios are ${known.join(", ")}`,
    );
  return all.filter((s) => s.withoutCluster || ids.includes(s.id));
};
