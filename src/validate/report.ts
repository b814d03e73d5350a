export type Rung = "values" | "chart" | "manifests" | "promtool" | "policies" | "fleet";

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

/** `N passed, N failed`, and which rungs could not run for want of a tool, with the command that installs it. */
export const summaryLine = (results: CheckResult[]): string => {
  const failed = results.filter((r) => !r.ok).length;
  const notRun = results.filter((r) => r.check === "not run");
  const rungs = [...new Set(notRun.map((r) => r.rung))];
  const tools = [...new Set(notRun.map((r) => /tools install (\S+)$/.exec(r.message ?? "")?.[1]).filter(Boolean))];
  const missing =
    notRun.length > 0
      ? `; could not run: ${rungs.join(", ")} (run: npx llmcharts tools install ${tools.join(" ")})`
      : "";
  return `${results.length - failed} passed, ${failed} failed${missing}`;
};
