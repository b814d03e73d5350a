import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { labels } from "../../charts-src/lib/conventions.js";
import { mapLimit } from "../lib/pool.js";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
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
      const policy = parseAllDocuments(readFileSync(file, "utf8"))[0]?.toJS() as Obj | undefined;
      return policy?.kind === "ClusterPolicy" && policy.metadata?.name === name;
    })
    .map(({ file }) => file);
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
  const tenant = tenantOf(docs) ?? "";
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

const documents = (r: Rendering): Obj[] =>
  parseAllDocuments(readFileSync(r.file, "utf8"))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);

const tenantOf = (docs: Obj[]): string | undefined =>
  docs
    .filter((d) => d.kind === "Namespace")
    .map((n) => n.metadata?.labels?.[labels.tenant])
    .find(Boolean);

/** `kyverno apply` of every ClusterPolicy to some renderings at once: zero failures and zero errors. */
const applyTo = async (kyverno: string, policies: string[], group: Rendering[]): Promise<CheckResult[]> => {
  const valuesFile = `${group[0]?.file}.kyverno-values.yaml`;
  writeFileSync(valuesFile, valuesFor(group.flatMap(documents)));
  const files = group.flatMap((r) => ["--resource", r.file]);
  const out = await run(kyverno, ["apply", ...policies, ...files, "--values-file", valuesFile]);
  const text = `${out.stdout}\n${out.stderr}`;
  const summary = summaryPattern.exec(text);
  const [, , fail, , error] = (summary ?? []).map(Number);
  if (summary && fail === 0 && error === 0) {
    return group.map((r) => ({
      chart: r.fixture.chart,
      fixture: r.fixture.name,
      rung: "policies" as const,
      check: "kyverno apply",
      ok: true,
    }));
  }
  // A failing batch is run again one rendering at a time, so each failure names its fixture.
  if (group.length > 1) return (await mapLimit(group, (r) => applyTo(kyverno, policies, [r]), 4)).flat();
  const r = group[0] as Rendering;
  const base = { chart: r.fixture.chart, fixture: r.fixture.name, rung: "policies" as const, check: "kyverno apply" };
  if (!summary) return [{ ...base, ok: false, message: text.trim().split("\n").slice(-5).join(" | ") }];
  const violations = text
    .split("\n")
    .filter((l) => / -> resource .* failed:/.test(l) || /^\d+ - /.test(l))
    .join(" ");
  return [{ ...base, ok: false, message: `${fail} violations, ${error} errors: ${violations}` }];
};

/**
 * Renderings without a tenant namespace share one run; each tenant rendering gets its own, because the tenant the
 * rules read from the namespace is a single value per run.
 */
const applyAll = async (kyverno: string, policies: string[], renderings: Rendering[]): Promise<CheckResult[]> => {
  const tenants = renderings.filter((r) => tenantOf(documents(r)));
  const others = renderings.filter((r) => !tenants.includes(r));
  const groups = [...(others.length ? [others] : []), ...tenants.map((r) => [r])];
  return (await mapLimit(groups, (g) => applyTo(kyverno, policies, g), 4)).flat();
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
  // Kyverno spends most of a run waiting, not computing: four runs at a time on two cores.
  const [applied, suites] = await Promise.all([applyAll(kyverno, policies, renderings), testSuites(kyverno, root)]);
  return [...applied, ...suites];
};
