import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { TemplateEmitter } from "../../charts-src/lib/engine/emit-template.js";
import { mergeValues, valuesSchema } from "../../charts-src/lib/engine/index.js";
import {
  chartFiles,
  compareRenderings,
  differenceFromConcrete,
  release,
  renderedObjects,
  writeChart,
} from "../../src/validate/equivalence.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { helms } from "../../src/validate/helm.js";
import { renderers, renderMany } from "../../src/validate/helm-render.js";
import { mendDraw, valuesArbitrary } from "../../src/validate/values-arbitrary.js";
import { valuesChecker } from "../../src/validate/rung-values.js";

/** Fixed in CI so a run is repeatable; a failure names the draw, its values and the first difference. */
const seed = Number(process.env.LLMCHARTS_SEED ?? 20261124);
const randomRuns = Number(process.env.LLMCHARTS_RANDOM_RUNS ?? 200);
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-equivalence-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(Object.values(charts))("$name: helm template equals concrete synthesis", (chart) => {
  const dir = join(work, chart.name);
  writeChart(chartFiles(chart), dir);
  const good = loadFixtures(root, chart.name).filter((f) => f.kind === "good");

  it.each(good.flatMap((f) => helms().map((h) => ({ fixture: f.name, values: f.values, helm: h }))))(
    "$fixture with $helm.name",
    async ({ values, helm }) => {
      expect(await compareRenderings(chart, dir, values, helm.exe, work)).toBeUndefined();
    },
  );

  // The draws go through our renderers, Helm's own engine with the chart loaded once (test/fleet/helm-render proves
  // they print what `helm template` prints): a process per draw and per Helm took twenty minutes for the tenant chart.
  it(`${randomRuns} random schema-valid values (seed ${seed})`, async () => {
    const check = valuesChecker(chart);
    // A values file always holds what no default can know (the lint fixture's values); the draw goes on top of it.
    const required = good.find((f) => f.name === `good/${chart.lintFixture}`)?.values ?? {};
    const draws = fc
      .sample(valuesArbitrary(valuesSchema(chart.values)), { numRuns: randomRuns, seed })
      .map((draw) => mendDraw(draw, check, (d) => mergeValues(required, d)));
    expect(draws.filter((d) => d === undefined).length, "draws no mending made valid").toBe(0);
    const files = draws.map((values, i) => {
      const file = join(work, `${chart.name}-draw-${i}.json`);
      // JSON, not YAML: Helm reads YAML 1.1, where a plain `y` or `on` is a boolean.
      writeFileSync(file, JSON.stringify(values));
      return file;
    });
    for (const renderer of renderers()) {
      const outcomes = await renderMany(renderer.exe, dir, files, join(work, `${chart.name}-${renderer.name}`), {
        release: release.name,
        namespace: release.namespace,
      });
      const differences = outcomes.flatMap((o, i) => {
        const fromHelm = o.file ? renderedObjects(readFileSync(o.file, "utf8")) : `helm template failed: ${o.error}`;
        const difference = differenceFromConcrete(chart, draws[i], fromHelm);
        return difference ? [`${renderer.name}, draw ${i}: ${JSON.stringify(draws[i])}\n${difference}`] : [];
      });
      expect(differences.slice(0, 1)).toEqual([]);
    }
  }, 300_000);
});

it("a deliberately wrong emitter fails the equivalence proof", async () => {
  const chart = charts.nodepools;
  if (!chart) throw new Error("nodepools chart missing");
  const emitter = TemplateEmitter.prototype as unknown as { inline: (v: unknown) => string | undefined };
  const honest = emitter.inline;
  // The mutant quotes every number: `weight: "100"` instead of `weight: 100`.
  emitter.inline = function (this: unknown, v: unknown) {
    const out = honest.call(this, v);
    return typeof v === "number" ? `"${out}"` : out;
  };
  try {
    const dir = join(work, "mutant");
    writeChart(chartFiles(chart), dir);
    const [helm] = helms();
    // What only the operator knows (the lint fixture's values), without which both renderings refuse alike.
    const values = loadFixtures(root, chart.name).find((f) => f.name === `good/${chart.lintFixture}`)?.values;
    const diff = await compareRenderings(chart, dir, values, (helm as { exe: string }).exe, work);
    expect(diff).toMatch(/differs/);
  } finally {
    emitter.inline = honest;
  }
});
