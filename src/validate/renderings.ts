import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mapLimit } from "../lib/pool.js";
import type { Fixture } from "./fixtures.js";
import { chartDir, helms, helmTemplate } from "./helm.js";
import { type CheckResult, summaryLine } from "./report.js";

export interface Rendering {
  fixture: Fixture;
  /** File holding Helm 4's rendering, named `<chart>__<fixture>.yaml` so a failure maps back to its fixture. */
  file: string;
}

export const renderingFile = (dir: string, f: Fixture) => join(dir, `${f.chart}__${f.name.replace("/", "__")}.yaml`);

/** Parses a rendering's file name back into chart and fixture. */
export const fixtureOfFile = (file: string): { chart: string; fixture: string } => {
  const [chart = "?", kind = "?", name = "?"] = (file.split("/").pop() ?? "").replace(/\.yaml$/, "").split("__");
  return { chart, fixture: `${kind}/${name}` };
};

/**
 * One `helm template` per fixture and Helm version: good fixtures must render (Helm 4's output is kept for the
 * later rungs), bad ones must be refused with a message that names the field at fault.
 */
export const renderFixtures = async (
  root: string,
  fixtures: Fixture[],
  outDir: string,
  onProgress: (done: number) => void = () => {},
): Promise<{ results: CheckResult[]; renderings: Rendering[] }> => {
  mkdirSync(outDir, { recursive: true });
  const jobs = fixtures.flatMap((fixture) => helms().map((helm) => ({ fixture, helm })));
  let done = 0;
  const results = await mapLimit(jobs, async ({ fixture, helm }): Promise<CheckResult & { file?: string }> => {
    const out = await helmTemplate(helm.exe, { chartDir: chartDir(root, fixture.chart), valuesFile: fixture.path });
    onProgress(++done);
    const base = { chart: fixture.chart, fixture: fixture.name, check: `${helm.name} template` };
    const said = `${out.stderr}`.trim();
    if (fixture.kind === "good") {
      let file: string | undefined;
      if (out.exitCode === 0 && helm.name === "helm4") {
        file = renderingFile(outDir, fixture);
        writeFileSync(file, out.stdout);
      }
      return {
        ...base,
        rung: "manifests",
        ok: out.exitCode === 0,
        message: out.exitCode === 0 ? undefined : said,
        file,
      };
    }
    const e = fixture.expect as NonNullable<Fixture["expect"]>;
    const named = said.includes(e.pointer) && e.words.every((w) => said.includes(w));
    return {
      ...base,
      rung: "values",
      ok: out.exitCode !== 0 && named,
      message:
        out.exitCode === 0
          ? "rendered, but it should be refused"
          : named
            ? undefined
            : `refused without naming ${e.pointer}: ${said}`,
    };
  });
  const renderings = results.flatMap((r) =>
    r.file
      ? [{ fixture: fixtures.find((f) => f.name === r.fixture && f.chart === r.chart) as Fixture, file: r.file }]
      : [],
  );
  return { results: results.map(({ file: _, ...r }) => r), renderings };
};

export { summaryLine };
