/** Prints install-scenario results: one line per check, notes indented, a summary line at the end. */
import type { ScenarioResult } from "./recorder.js";

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

const indent = (text: string, prefix: string): string =>
  text
    .split("\n")
    .map((l) => `${prefix}${l}`)
    .join("\n");

export const formatScenario = (s: ScenarioResult, opts: { notes?: boolean } = {}): string => {
  const lines = [`${s.ok ? "PASS" : "FAIL"} [${s.id}] ${s.title} (${seconds(s.ms)})`];
  for (const c of s.checks) {
    lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}`);
    if (!c.ok && c.detail) lines.push(indent(c.detail, "         "));
  }
  if (opts.notes ?? true) for (const n of s.notes) lines.push(indent(n, "       ").replace(/^ {7}/, "  note "));
  return lines.join("\n");
};

/** Every stand-in the scenarios used, each once. */
export const standIns = (results: ScenarioResult[]): string[] =>
  [...new Set(results.flatMap((r) => r.standIns))].sort();

/** One line: checks passed and failed, the failed scenarios, the time, and what still stands in for something. */
export const summary = (results: ScenarioResult[]): string => {
  const checks = results.flatMap((r) => r.checks);
  const failed = checks.filter((c) => !c.ok).length;
  const scenarios = results.filter((r) => !r.ok).map((r) => r.id);
  const used = standIns(results);
  return `${checks.length - failed} checks passed, ${failed} failed${scenarios.length ? ` (scenarios ${scenarios.join(", ")})` : ""}; ${seconds(results.reduce((a, r) => a + r.ms, 0))}; stand-ins: ${used.join("; ") || "none"}`;
};

export const formatReport = (results: ScenarioResult[]): string =>
  [...results.map((r) => formatScenario(r)), summary(results)].join("\n\n");

/** The failed checks of a scenario as one message (what a test assertion shows). */
export const failures = (s: ScenarioResult): string =>
  s.checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name}${c.detail ? `:\n${indent(c.detail, "  ")}` : ""}`)
    .join("\n");
