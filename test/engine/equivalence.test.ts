import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { TemplateEmitter } from "../../charts-src/lib/engine/emit-template.js";
import { mergeValues, valuesSchema } from "../../charts-src/lib/engine/index.js";
import { chartFiles, compareRenderings, writeChart } from "../../src/validate/equivalence.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { helms } from "../../src/validate/helm.js";
import { valuesArbitrary } from "../../src/validate/values-arbitrary.js";
import { valuesChecker } from "../../src/validate/rung-values.js";

/** Fixed in CI so a run is repeatable; fast-check prints the seed and the failing values when a property fails. */
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

  it(`${randomRuns} random schema-valid values (seed ${seed})`, async () => {
    const valid = valuesChecker(chart);
    // A values file always holds what no default can know (the lint fixture's values); the draw goes on top of it.
    const required = good.find((f) => f.name === `good/${chart.lintFixture}`)?.values ?? {};
    const arbitrary = valuesArbitrary(valuesSchema(chart.values))
      .map((v) => mergeValues(required, v))
      .filter((v) => valid(v).length === 0);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (values) => {
        for (const helm of helms()) expect(await compareRenderings(chart, dir, values, helm.exe, work)).toBeUndefined();
      }),
      { numRuns: randomRuns, seed },
    );
    // A guard against a hang, not a speed target: 200 draws, each rendered by both Helms, took up to ten minutes on
    // two loaded cores once the tenant chart passed 100 kB.
  }, 1_200_000);
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
