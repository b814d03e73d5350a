import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { charts } from "../../charts-src/index.js";
import { seconds } from "../lib/run.js";
import { type Fixture, loadFixtures } from "./fixtures.js";
import type { CheckResult } from "./report.js";
import { checkCharts } from "./rung-chart.js";
import { checkManifests } from "./rung-manifests.js";
import { checkPolicies } from "./rung-policies.js";
import { checkValues } from "./rung-values.js";
import { renderFixtures } from "./renderings.js";

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
  const names = chart ? [chart] : Object.keys(charts);
  for (const n of names)
    if (!charts[n]) throw new Error(`unknown chart "${n}"; charts: ${Object.keys(charts).join(", ")}`);
  const work = mkdtempSync(join(tmpdir(), "llmcharts-validate-"));
  try {
    const fixtures: Fixture[] = names.flatMap((n) =>
      valuesFiles.length === 0 ? loadFixtures(root, n) : valuesFiles.map((path) => userFixture(n, path)),
    );
    const results: CheckResult[] = [];
    let since = Date.now();
    const step = (label: string, rs: CheckResult[]) => {
      results.push(...rs);
      const failed = rs.filter((r) => !r.ok).length;
      log(`${label}: ${rs.length - failed} passed, ${failed} failed (${seconds(Date.now() - since)})`);
      since = Date.now();
    };
    log(`validating ${names.join(", ")}: ${fixtures.length} values files`);
    step(
      "rung 1 values (ajv)",
      names.flatMap((n) =>
        checkValues(
          charts[n] as NonNullable<(typeof charts)[string]>,
          fixtures.filter((f) => f.chart === n),
        ),
      ),
    );
    step("rung 2 chart (helm lint, ct lint)", await checkCharts(root, names));
    const renderDir = join(work, "renderings");
    const { results: rendered, renderings } = await renderFixtures(root, fixtures, renderDir, (done) => {
      if (done % 20 === 0) log(`  helm template: ${done}/${fixtures.length * 2}`);
    });
    step("helm template (Helm 4 and 3)", rendered);
    step("rung 3 manifests (kubeconform)", renderings.length ? await checkManifests(renderings) : []);
    step("rung 4 policies (kyverno)", await checkPolicies(root, renderings));
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

/** A user's own values file, checked as a good fixture. */
const userFixture = (chart: string, path: string): Fixture => ({
  chart,
  name: `good/${basename(path, ".yaml")}`,
  path,
  kind: "good",
  values: parse(readFileSync(path, "utf8"), { version: "1.1" }) ?? {},
});
