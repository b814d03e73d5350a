export type Rung = "values" | "chart" | "manifests" | "policies" | "fleet";

/** One check of the ladder: which chart, fixture and rung, and what went wrong (if anything). */
export interface CheckResult {
  chart: string;
  fixture: string;
  rung: Rung;
  check: string;
  ok: boolean;
  /** For a failure: the object and field at fault, and why. */
  message?: string;
}

export const failureLine = (r: CheckResult): string =>
  `FAIL ${r.chart} ${r.fixture} [${r.rung}: ${r.check}] ${r.message ?? ""}`.trimEnd();

export const summaryLine = (results: CheckResult[]): string => {
  const failed = results.filter((r) => !r.ok).length;
  return `${results.length - failed} passed, ${failed} failed`;
};
