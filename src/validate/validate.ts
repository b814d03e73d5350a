import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parse } from "yaml";
import { charts } from "../../charts-src/index.js";
import { seconds } from "../lib/run.js";
import { MissingToolError } from "../toolchain/tools.js";
import { type Fixture, loadFixtures } from "./fixtures.js";
import type { CheckResult, Rung } from "./report.js";
import { checkCharts } from "./rung-chart.js";
import { checkManifests } from "./rung-manifests.js";
import { checkPolicies } from "./rung-policies.js";
import { checkValues } from "./rung-values.js";
import { type Rendering, renderFixtures } from "./renderings.js";

export interface ValidateOptions {
  root: string;
  /** Only this chart; all when absent. */
  chart?: string;
  /** The user's values files; every fixture of every chart when empty. */
  valuesFiles?: string[];
  log?: (line: string) => void;
}

/**
 * The validation ladder (rungs 1–4), batched: ajv in-process, one lint per chart and Helm, one `helm template`
 * per fixture, then one kubeconform run and one Kyverno run over all renderings.
 */
export const validate = async ({
  root,
  chart,
  valuesFiles = [],
  log = () => {},
}: ValidateOptions): Promise<CheckResult[]> => {
  for (const n of chart ? [chart] : [])
    if (!charts[n]) throw new Error(`unknown chart "${n}"; charts: ${Object.keys(charts).join(", ")}`);
  const names =
    chart !== undefined
      ? [chart]
      : valuesFiles.length > 0
        ? [...new Set(valuesFiles.map(chartOfValues))]
        : Object.keys(charts);
  const work = mkdtempSync(join(tmpdir(), "llmcharts-validate-"));
  try {
    const fixtures: Fixture[] =
      valuesFiles.length === 0
        ? names.flatMap((n) => loadFixtures(root, n))
        : valuesFiles.map((path) => userFixture(chart ?? chartOfValues(path), path));
    const results: CheckResult[] = [];
    let since = Date.now();
    const step = async (label: string, rung: Rung, work: () => Promise<CheckResult[]> | CheckResult[]) => {
      let rs: CheckResult[];
      try {
        rs = await work();
      } catch (err) {
        // A missing tool stops its rung only: what the other rungs found is still reported.
        if (!(err instanceof MissingToolError)) throw err;
        rs = [{ chart: names.join(","), fixture: "-", rung, check: "not run", ok: false, message: err.message }];
      }
      results.push(...rs);
      const failed = rs.filter((r) => !r.ok).length;
      log(`${label}: ${rs.length - failed} passed, ${failed} failed (${seconds(Date.now() - since)})`);
      since = Date.now();
      return rs;
    };
    log(`validating ${names.join(", ")}: ${fixtures.length} values files`);
    const values = await step("rung 1 values (ajv)", "values", () =>
      names.flatMap((n) =>
        checkValues(
          charts[n] as NonNullable<(typeof charts)[string]>,
          fixtures.filter((f) => f.chart === n),
        ),
      ),
    );
    // A user's file already refused by its schema would only be refused again, once per Helm: its error is printed once.
    const refused = (f: Fixture) =>
      valuesFiles.length > 0 && values.some((r) => !r.ok && r.chart === f.chart && r.fixture === f.name);
    const renderable = fixtures.filter((f) => !refused(f));
    await step("rung 2 chart (helm lint, ct lint)", "chart", () => checkCharts(root, names));
    const renderDir = join(work, "renderings");
    let renderings: Rendering[] = [];
    await step("helm template (Helm 4 and 3)", "manifests", async () => {
      const out = await renderFixtures(root, renderable, renderDir, (done) => {
        if (done % 20 === 0) log(`  helm template: ${done}/${renderable.length * 2}`);
      });
      renderings = out.renderings;
      return out.results;
    });
    await step("rung 3 manifests (kubeconform)", "manifests", () =>
      renderings.length ? checkManifests(renderDir, renderings) : [],
    );
    await step("rung 4 policies (kyverno)", "policies", () => checkPolicies(root, renderings));
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

const readValues = (path: string): unknown => {
  if (!existsSync(path)) throw new Error(`-f ${path}: no such file`);
  return parse(readFileSync(path, "utf8"), { version: "1.1" }) ?? {};
};

/** A user's own values file, checked as a good fixture. */
const userFixture = (chart: string, path: string): Fixture => ({
  chart,
  name: `good/${basename(path, ".yaml")}`,
  path: resolve(path),
  kind: "good",
  values: readValues(path),
});

/**
 * The chart a values file is for, when `--chart` does not say: the one whose top-level keys hold most of the
 * file's (a misspelt key then gets its own error from that chart's schema).
 */
export const chartOfValues = (path: string): string => {
  const values = readValues(path);
  const keys = values && typeof values === "object" ? Object.keys(values) : [];
  const fit = Object.values(charts)
    .map((c) => ({ name: c.name, score: keys.filter((k) => k in c.values.properties).length }))
    .sort((a, b) => b.score - a.score);
  const [best, next] = fit;
  if (!best || best.score === 0 || best.score === next?.score)
    throw new Error(
      `-f ${path}: cannot tell which chart it is for (top-level keys: ${keys.join(", ") || "none"}); pass --chart ${Object.keys(charts).join("|")}`,
    );
  return best.name;
};
