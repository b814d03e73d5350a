/**
 * One source file per template file: the template `templates/<concern>.yaml` of a chart is built by a function that
 * `charts-src/<chart>/<concern>.ts` exports, so the next engineer finds a template's source by its name.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";

const chartsSrc = join(import.meta.dirname, "..", "..", "charts-src");

const templates = Object.entries(charts)
  .flatMap(([chart, def]) => Object.entries(def.templates).map(([concern, build]) => ({ chart, concern, build })))
  .map((t) => ({ ...t, template: `${t.chart}/templates/${t.concern}.yaml`, source: `${t.chart}/${t.concern}.ts` }));

describe("one source file per template file", () => {
  it.each(templates)("$template is built in charts-src/$source", async (t) => {
    const source: Record<string, unknown> = await import(join(chartsSrc, t.source));
    expect(Object.values(source)).toContain(t.build);
  });
});
