import { run } from "../../src/lib/run.js";
import type { K8sObject } from "../../src/generate/policy-cases/fixtures.js";
import type { Expected, PolicyCase, PolicySuite } from "../../src/generate/policy-cases/types.js";

/**
 * Runs `kyverno test` on one directory and judges its rows ourselves. The CLI's own verdict is not enough
 * (Kyverno 1.17.2, and upstream issues kyverno/kyverno#11519 and #9804):
 * - a ClusterPolicy result that expects `fail` and gets `pass` is printed as RESULT "Pass" with reason
 *   "Want fail, got pass", counted as passed, and the command exits 0;
 * - a rule that does not match a listed resource (its match broke, or it was deleted) yields a passing row with
 *   reason "Excluded", whatever result was expected;
 * - a policy Kyverno rejects as invalid yields "Skip"/"Invalid Policy" rows, also counted as passed.
 * So a row counts as right only when its reason is "Ok", or "Excluded" where we expected `skip`.
 */

export interface KyvernoRow {
  ID: number;
  POLICY: string;
  RULE: string;
  RESOURCE: string;
  RESULT: string;
  REASON: string;
  Message?: string;
}

export interface KyvernoTestRun {
  exitCode: number;
  rows: KyvernoRow[];
  /** The CLI's own summary line: "N tests passed and M tests failed". */
  summary: { passed: number; failed: number } | undefined;
  output: string;
}

export const runKyvernoTest = async (kyverno: string, dir: string): Promise<KyvernoTestRun> => {
  const result = await run(kyverno, ["test", dir, "--output-format", "json", "--detailed-results", "--remove-color"]);
  const output = `${result.stdout}\n${result.stderr}`;
  const start = result.stdout.indexOf("\n[");
  const end = result.stdout.lastIndexOf("\n]");
  const rows = start >= 0 && end > start ? (JSON.parse(result.stdout.slice(start + 1, end + 2)) as KyvernoRow[]) : [];
  const summary = /Test Summary: (\d+) tests passed and (\d+) tests failed/.exec(result.stdout);
  return {
    exitCode: result.exitCode,
    rows,
    summary: summary ? { passed: Number(summary[1]), failed: Number(summary[2]) } : undefined,
    output,
  };
};

/** One row we expect: a rule's (or admission policy's) verdict on one resource. */
export interface ExpectedRow {
  rule: string;
  kind: string;
  namespace?: string;
  name: string;
  expected: Expected;
}

const rowsOf = (cases: PolicyCase[]): ExpectedRow[] =>
  cases.flatMap((c) =>
    Object.entries(c.expect).map(([rule, expected]) => ({
      rule,
      kind: c.resource.kind,
      namespace: c.resource.metadata.namespace,
      name: c.resource.metadata.name,
      expected,
    })),
  );

/**
 * The rows a ClusterPolicy's suite must produce. A generate expectation gives two: the generated object, and an
 * "Excluded" row for the trigger, which kyverno prints because the policy's validate rules do not match it.
 */
export const expectedPolicyRows = (suite: PolicySuite): ExpectedRow[] => [
  ...(suite.generates ?? []).flatMap((g) => [
    { rule: g.rule, kind: g.generated.kind, name: g.generated.metadata.name, expected: "pass" as const },
    { rule: g.rule, kind: g.trigger.kind, name: g.trigger.metadata.name, expected: "skip" as const },
  ]),
  ...rowsOf(suite.cases),
];

export const expectedAdmissionRows = (cases: PolicyCase[]): ExpectedRow[] => rowsOf(cases);

/** The kind, namespace and name in a row's RESOURCE ("apps/v1/Deployment/ns/name", or just a name for generated). */
const parseResource = (resource: string): { kind?: string; namespace?: string; name: string } => {
  const parts = resource.split("/");
  const name = parts.at(-1) ?? "";
  return parts.length >= 4 ? { kind: parts.at(-3), namespace: parts.at(-2), name } : { name };
};

const rowMatches = (row: KyvernoRow, want: ExpectedRow, admission: boolean): boolean => {
  const { kind, namespace, name } = parseResource(row.RESOURCE);
  if (name !== want.name) return false;
  if (admission ? row.POLICY !== want.rule : row.RULE !== want.rule) return false;
  if (kind !== undefined && kind !== want.kind) return false;
  // kyverno prints cluster-scoped resources in namespace "default".
  return kind === undefined || want.namespace === undefined || namespace === want.namespace;
};

export interface Verdict {
  /** One line per problem; empty when every row is right. */
  problems: string[];
  counts: Record<Expected, number>;
}

/** Compares the rows of a run with the rows we expect, one for one. */
export const judge = (runResult: KyvernoTestRun, expected: ExpectedRow[], admission = false): Verdict => {
  const problems: string[] = [];
  const counts: Record<Expected, number> = { pass: 0, fail: 0, skip: 0 };
  const unclaimed = new Set(runResult.rows);
  for (const want of expected) {
    counts[want.expected]++;
    const label = `${want.rule} on ${want.kind} ${want.namespace ? `${want.namespace}/` : ""}${want.name} (want ${want.expected})`;
    const rows = runResult.rows.filter((row) => unclaimed.has(row) && rowMatches(row, want, admission));
    if (rows.length !== 1) {
      problems.push(`${label}: ${rows.length} rows in kyverno's output`);
      continue;
    }
    const row = rows[0] as KyvernoRow;
    unclaimed.delete(row);
    const ok = row.REASON === "Ok" || (want.expected === "skip" && row.REASON === "Excluded");
    if (!ok || row.RESULT !== "Pass") problems.push(`${label}: ${row.RESULT} / ${row.REASON}: ${row.Message ?? ""}`);
  }
  for (const row of unclaimed) problems.push(`unexpected row ${row.POLICY} ${row.RULE} ${row.RESOURCE}: ${row.REASON}`);
  if (runResult.exitCode !== 0) problems.push(`kyverno test exited ${runResult.exitCode}`);
  if (!runResult.summary) problems.push("no Test Summary line in kyverno's output");
  else if (runResult.summary.failed !== 0 || runResult.summary.passed !== expected.length) {
    problems.push(
      `summary says ${runResult.summary.passed} passed and ${runResult.summary.failed} failed; want ${expected.length} and 0`,
    );
  }
  return { problems, counts };
};

/** A short description of a resource, for test names. */
export const describeResource = (r: K8sObject): string =>
  `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ""}${r.metadata.name}`;
