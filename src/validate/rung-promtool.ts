import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { alertTestsDir } from "../generate/alert-tests.js";
import { mapLimit } from "../lib/pool.js";
import { requireBin } from "../toolchain/tools.js";
import { documents } from "./documents.js";
import { type PromqlSource, promqlSources, rulesFileText } from "./promql-sources.js";
import { checkRulesFile, ruleReference, testRulesFile } from "./promtool.js";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/** One line per promtool error, naming the object, the rule or panel, its expression and where to fix it. */
const explain = (s: PromqlSource, error: string): string => {
  const ref = ruleReference(error);
  const rule = ref && s.groups.find((g) => g.name === ref.group)?.rules[ref.index];
  if (!ref || !rule) return `${s.object}: ${error}; ${s.fix}`;
  return `${s.object}: ${rule.what}: ${ref.message} in \`${rule.expr.replace(/\s+/g, " ")}\`; ${s.fix}`;
};

/** The alerts' unit test suites generate wrote (`alert-tests/<alert>.test.yaml`). */
const alertSuites = (root: string): string[] => {
  const dir = join(root, alertTestsDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".test.yaml"))
    .sort()
    .map((f) => join(dir, f));
};

const testSuites = async (promtool: string, suites: string[]): Promise<CheckResult[]> =>
  mapLimit(
    suites,
    async (file): Promise<CheckResult> => {
      const name = file.slice(file.lastIndexOf("/") + 1);
      const failed = await testRulesFile(promtool, file);
      const alert = name.replace(/\.test\.yaml$/, "");
      return {
        chart: "platform",
        fixture: `${alertTestsDir}/${name}`,
        rung: "promtool",
        check: "promtool test rules",
        ok: failed === undefined,
        message:
          failed &&
          `${alert}: ${failed}; make the alert do what its cases in charts-src/platform/prometheus-rules.ts say (or correct them), then run npx llmcharts generate`,
      };
    },
    2,
  );

/**
 * The promtool rung: the PromQL of every rendering, parsed by Prometheus's own parser (`promtool check rules`): each
 * PrometheusRule's rule groups as they are, and each dashboard's panel queries as recording rules, their template
 * variables filled in. With `withTests` it also runs the alerts' unit tests (alert-tests/, `promtool test rules`). A
 * rendering without PromQL (a tenant's) gets no result.
 */
export const checkPromql = async (
  root: string,
  renderings: Rendering[],
  work: string,
  { withTests }: { withTests: boolean },
): Promise<CheckResult[]> => {
  const checked = renderings
    .map((rendering) => ({ rendering, sources: promqlSources(documents(rendering), rendering.fixture.chart) }))
    .filter(({ sources }) => sources.length > 0);
  const suites = withTests ? alertSuites(root) : [];
  if (checked.length === 0 && suites.length === 0) return [];
  const promtool = requireBin("promtool");
  // Fixtures mostly render the same rules and dashboards: each distinct file is checked once.
  mkdirSync(work, { recursive: true });
  const files = new Map<string, string>();
  const fileOf = (s: PromqlSource): string => {
    const text = rulesFileText(s);
    let file = files.get(text);
    if (!file) {
      file = join(work, `rules-${files.size}.yaml`);
      writeFileSync(file, text);
      files.set(text, file);
    }
    return file;
  };
  const plan = checked.map(({ rendering, sources }) => ({
    rendering,
    sources: sources.map((s) => ({ s, file: fileOf(s) })),
  }));
  const errors = new Map(
    await mapLimit([...files.values()], async (f) => [f, await checkRulesFile(promtool, f)] as const, 2),
  );
  const results = plan.flatMap(({ rendering, sources }): CheckResult[] => {
    const base = { chart: rendering.fixture.chart, fixture: rendering.fixture.name, rung: "promtool" as const };
    const failures = sources.flatMap(({ s, file }) => [
      ...s.problems,
      ...(errors.get(file) ?? []).map((e) => explain(s, e)),
    ]);
    if (failures.length === 0) return [{ ...base, check: "promtool check rules", ok: true }];
    return failures.map((message) => ({ ...base, check: "promtool check rules", ok: false, message }));
  });
  return [...results, ...(await testSuites(promtool, suites))];
};
