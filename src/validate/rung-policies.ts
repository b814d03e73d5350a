import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import type { KubeObject } from "../../charts-src/lib/k8s.js";
import type { KyvernoTestResult } from "../generate/policies.js";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
import { preparePolicies } from "./kyverno-apply.js";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/**
 * The Kyverno ClusterPolicy files as the platform ships them by default, `policies/<name>/policy.yaml`: a directory
 * named after the ClusterPolicy it holds. Suites of other settings (`<name>-site`) and the native admission policies
 * are proven by their own `kyverno test` runs.
 */
export const policyFiles = (root: string): string[] => {
  const dir = join(root, "policies");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, file: join(dir, name, "policy.yaml") }))
    .filter(({ name, file }) => {
      if (!existsSync(file)) return false;
      const policy = parseAllDocuments(readFileSync(file, "utf8"))[0]?.toJS() as KubeObject | undefined;
      return policy?.kind === "ClusterPolicy" && policy.metadata?.name === name;
    })
    .map(({ file }) => file);
};

interface Row {
  POLICY: string;
  RULE: string;
  RESOURCE: string;
  RESULT: string;
  REASON: string;
}

/**
 * `kyverno test` of every suite in one run. Its own verdict is not trusted (1.17 counts "Want fail, got pass" and
 * unmatched "Excluded" rows as passed): a row is right only when its reason is Ok, or Excluded where the suite
 * expects a skip.
 */
const testSuites = async (kyverno: string, root: string): Promise<CheckResult[]> => {
  const out = await run(kyverno, [
    "test",
    join(root, "policies"),
    "--output-format",
    "json",
    "--detailed-results",
    "--remove-color",
  ]);
  // One JSON array of rows per suite, between progress lines.
  const rows = [...out.stdout.matchAll(/^\[$[\s\S]*?^\]$/gm)].flatMap((m) => JSON.parse(m[0]) as Row[]);
  const skips = new Set<string>();
  for (const suite of readdirSync(join(root, "policies"))) {
    const file = join(root, "policies", suite, "kyverno-test.yaml");
    if (!existsSync(file)) continue;
    for (const r of (parse(readFileSync(file, "utf8")) as { results: KyvernoTestResult[] }).results) {
      // A generate rule's trigger also yields an "Excluded" row (its validate side does not match it).
      if (r.result === "skip" || r.generatedResource) {
        for (const res of r.resources) skips.add(`${r.policy}/${r.rule ?? ""}/${res.split("/").pop()}`);
      }
    }
  }
  const wrong = rows.filter((row) => {
    if (row.RESULT !== "Pass") return true;
    if (row.REASON === "Ok") return false;
    return !(row.REASON === "Excluded" && skips.has(`${row.POLICY}/${row.RULE}/${row.RESOURCE.split("/").pop()}`));
  });
  const base = { chart: "platform", fixture: "policies/", rung: "policies" as const, check: "kyverno test" };
  if (rows.length === 0)
    return [{ ...base, ok: false, message: `no result rows: ${out.stderr.trim().split("\n").slice(-3).join(" | ")}` }];
  if (wrong.length === 0) return [{ ...base, ok: true }];
  return wrong.map((row) => ({
    ...base,
    ok: false,
    message: `${row.POLICY}/${row.RULE} on ${row.RESOURCE}: ${row.RESULT} (${row.REASON})`,
  }));
};

/**
 * Rung 4: every rendering against the platform's Kyverno policies, and each policy's own `kyverno test` suite. The
 * suites need no rendering: `suites` starts them at once, so they run beside the renderings. `prepare` writes the
 * shared runs' inputs, and the function it returns runs them, one process per core.
 */
export const checkPolicies = (
  root: string,
  { withSuites = true } = {},
): { suites: Promise<CheckResult[]>; prepare: (r: Rendering[]) => () => Promise<CheckResult[]> } => {
  const policies = policyFiles(root);
  if (policies.length === 0) return { suites: Promise.resolve([]), prepare: () => async () => [] };
  const suites = withSuites ? testSuites(requireBin("kyverno"), root) : Promise.resolve([]);
  // Awaited later; until then a failure must not count as an unhandled rejection.
  suites.catch(() => {});
  // The shared runs go through kyverno-apply: upstream's `kyverno apply`, with each policy's autogen rules computed
  // once rather than for every workload (tools/kyverno-apply; test/fleet/kyverno-apply.test.ts proves it says what
  // upstream says).
  return {
    suites,
    prepare: (renderings) => {
      const prepared = preparePolicies(policies, renderings);
      return () => prepared.run(requireBin("kyverno-apply"));
    },
  };
};
