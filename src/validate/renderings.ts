import { join } from "node:path";
import { mapLimit } from "../lib/pool.js";
import type { Fixture } from "./fixtures.js";
import { chartDir } from "./helm.js";
import { renderers, renderMany } from "./helm-render.js";
import { type CheckResult, summaryLine } from "./report.js";

export interface Rendering {
  fixture: Fixture;
  /** File holding Helm 4's rendering; its place is all that maps it back to its fixture, so no two share one. */
  file: string;
  /** The same objects as a JSON list, when the renderer wrote one. */
  objects?: string;
}

/**
 * Every fixture rendered by Helm 4 and by Helm 3 (one process per chart and Helm): good fixtures must render (Helm 4's
 * output is kept for the later rungs), bad ones must be refused with a message that names the field at fault.
 */
export const renderFixtures = async (
  root: string,
  fixtures: Fixture[],
  outDir: string,
  onProgress: (done: number) => void = () => {},
): Promise<{ results: CheckResult[]; renderings: Rendering[] }> => {
  const charts = [...new Set(fixtures.map((f) => f.chart))];
  const jobs = charts.flatMap((chart) => renderers().map((helm) => ({ chart, helm })));
  let done = 0;
  const perJob = await mapLimit(
    jobs,
    async ({ chart, helm }) => {
      const mine = fixtures.filter((f) => f.chart === chart);
      const outcomes = await renderMany(
        helm.exe,
        chartDir(root, chart),
        mine.map((f) => f.helmValues ?? f.path),
        join(outDir, chart, helm.name),
        // Only Helm 4's renderings go on to the later rungs: Helm 3 need only say whether it renders each file.
        { onResult: () => onProgress(++done), checkOnly: helm.name !== "helm4" },
      );
      return mine.map((fixture, i) => ({ fixture, helm: helm.name, ...outcomes[i] }));
    },
    2,
  );
  // Results in fixture order, Helm 4 then Helm 3, whatever order the processes finished in.
  const outcomes = perJob.flat();
  const ordered = fixtures.flatMap((f) => outcomes.filter((o) => o.fixture === f));
  const results = ordered.map(({ fixture, helm, error }): CheckResult => {
    const base = { chart: fixture.chart, fixture: fixture.name, check: `${helm} template` };
    if (fixture.kind === "good") return { ...base, rung: "manifests", ok: error === undefined, message: error?.trim() };
    const e = fixture.expect as NonNullable<Fixture["expect"]>;
    const said = error ?? "";
    const named = said.includes(e.pointer) && e.words.every((w) => said.includes(w));
    return {
      ...base,
      rung: "values",
      ok: error !== undefined && named,
      message:
        error === undefined
          ? "rendered, but it should be refused"
          : named
            ? undefined
            : `refused without naming ${e.pointer}: ${said.trim()}`,
    };
  });
  const renderings = ordered.flatMap((o) =>
    o.helm === "helm4" && o.file && o.fixture.kind === "good"
      ? [{ fixture: o.fixture, file: o.file, objects: o.objects }]
      : [],
  );
  return { results, renderings };
};

export { summaryLine };
