import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { labels } from "../../charts-src/lib/conventions.js";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/** The Kyverno ClusterPolicy files, `policies/<name>/policy.yaml` (the native admission policies are proven apart). */
export const policyFiles = (root: string): string[] => {
  const dir = join(root, "policies");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name !== "admission")
    .sort()
    .map((name) => join(dir, name, "policy.yaml"))
    .filter(existsSync);
};

interface Obj {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
}

/**
 * Offline, Kyverno knows nothing of namespaces: the labels its rules select on, and the tenant that rules read from
 * the namespace, come from a values file built from the Namespace objects the rendering itself creates.
 */
const valuesFor = (docs: Obj[]): string => {
  const namespaces = docs.filter((d) => d.kind === "Namespace");
  const tenant = namespaces.map((n) => n.metadata?.labels?.[labels.tenant]).find(Boolean) ?? "";
  return stringify({
    apiVersion: "cli.kyverno.io/v1alpha1",
    kind: "Values",
    metadata: { name: "rendering" },
    globalValues: { namespaceTenant: tenant },
    namespaceSelector: namespaces.map((n) => ({
      name: n.metadata?.name,
      labels: { "kubernetes.io/metadata.name": n.metadata?.name, ...n.metadata?.labels },
    })),
  });
};

const summaryPattern = /pass: (\d+), fail: (\d+), warn: (\d+), error: (\d+), skip: (\d+)/;

/** `kyverno apply` of every ClusterPolicy to one rendering: zero failures and zero errors. */
const applyToRendering = async (kyverno: string, policies: string[], r: Rendering): Promise<CheckResult> => {
  const docs = parseAllDocuments(readFileSync(r.file, "utf8"))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
  const valuesFile = `${r.file}.kyverno-values.yaml`;
  writeFileSync(valuesFile, valuesFor(docs));
  const out = await run(kyverno, ["apply", ...policies, "--resource", r.file, "--values-file", valuesFile]);
  const text = `${out.stdout}\n${out.stderr}`;
  const summary = summaryPattern.exec(text);
  const base = { chart: r.fixture.chart, fixture: r.fixture.name, rung: "policies" as const, check: "kyverno apply" };
  if (!summary) return { ...base, ok: false, message: text.trim().split("\n").slice(-5).join(" | ") };
  const [, , fail, , error] = summary.map(Number);
  if (fail === 0 && error === 0) return { ...base, ok: true };
  const violations = text
    .split("\n")
    .filter((l) => / -> resource .* failed:/.test(l) || /^\d+ - /.test(l))
    .join(" ");
  return { ...base, ok: false, message: `${fail} violations, ${error} errors: ${violations}` };
};

interface TestResult {
  policy: string;
  rule?: string;
  resources: string[];
  result: "pass" | "fail" | "skip";
  generatedResource?: string;
}

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
    for (const r of (parse(readFileSync(file, "utf8")) as { results: TestResult[] }).results) {
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

/** Rung 4: every rendering against the platform's Kyverno policies, and each policy's own `kyverno test` suite. */
export const checkPolicies = async (root: string, renderings: Rendering[]): Promise<CheckResult[]> => {
  const policies = policyFiles(root);
  if (policies.length === 0) return [];
  const kyverno = requireBin("kyverno");
  const applied: CheckResult[] = [];
  for (const r of renderings) applied.push(await applyToRendering(kyverno, policies, r));
  return [...applied, ...(await testSuites(kyverno, root))];
};
