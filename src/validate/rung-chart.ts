import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charts as chartSources } from "../../charts-src/index.js";
import { argoSafetyViolations } from "../generate/argo-safety.js";
import { chartFiles, lintValuesFile } from "../generate/chart-files.js";
import { run } from "../lib/run.js";
import { requireBin, toolEtc } from "../toolchain/tools.js";
import { chartDir, helms } from "./helm.js";
import type { CheckResult } from "./report.js";

const lastLines = (text: string, n = 8) => text.trim().split("\n").slice(-n).join(" | ");

/** Rung 2: `helm lint --strict` with Helm 4 and Helm 3, and chart-testing's `ct lint`, offline. */
export const checkCharts = async (root: string, charts: string[]): Promise<CheckResult[]> => {
  const dirs = charts.map((c) => chartDir(root, c));
  const results: CheckResult[] = charts.map((chart) => {
    const source = chartSources[chart];
    const files = source ? Object.entries(chartFiles(source)).filter(([p]) => p.startsWith("templates/")) : [];
    const violations = files.flatMap(([path, text]) => argoSafetyViolations(path, text));
    const ok = violations.length === 0;
    return {
      chart,
      fixture: "templates",
      rung: "chart",
      check: "Argo CD safety",
      ok,
      message: ok ? undefined : violations.join("; "),
    };
  });
  for (const helm of helms()) {
    for (const [i, chart] of charts.entries()) {
      const lintFixture = chartSources[chart]?.lintFixture;
      const values = lintFixture ? ["--values", join(dirs[i] as string, lintValuesFile(lintFixture))] : [];
      const out = await run(helm.exe, ["lint", "--strict", dirs[i] as string, ...values]);
      results.push({
        chart,
        fixture: "defaults",
        rung: "chart",
        check: `${helm.name} lint --strict`,
        ok: out.exitCode === 0,
        message: out.exitCode === 0 ? undefined : lastLines(`${out.stdout}\n${out.stderr}`),
      });
    }
  }
  const ct = await ctLint(dirs);
  for (const chart of charts) {
    const failed = ct.exitCode !== 0 && ct.output.includes(`${chart} =>`) && !ct.output.includes(`✔︎ ${chart} =>`);
    results.push({
      chart,
      fixture: "defaults",
      rung: "chart",
      check: "ct lint",
      ok: ct.exitCode === 0 || !failed,
      message: ct.exitCode === 0 ? undefined : lastLines(ct.output),
    });
  }
  return results;
};

/** ct shells out to `helm`, `yamllint` and `yamale` by name: give it a PATH holding exactly the pinned ones. */
const ctLint = async (dirs: string[]) => {
  const etc = toolEtc("chart-testing");
  const bin = mkdtempSync(join(tmpdir(), "llmcharts-ct-"));
  try {
    symlinkSync(requireBin("helm3"), join(bin, "helm"));
    symlinkSync(requireBin("yamllint"), join(bin, "yamllint"));
    symlinkSync(requireBin("yamale"), join(bin, "yamale"));
    const out = await run(
      requireBin("ct"),
      [
        "lint",
        "--charts",
        dirs.join(","),
        "--validate-maintainers=false",
        "--check-version-increment=false",
        "--chart-yaml-schema",
        join(etc, "chart_schema.yaml"),
        "--lint-conf",
        join(etc, "lintconf.yaml"),
      ],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, cwd: bin },
    );
    return { exitCode: out.exitCode, output: `${out.stdout}\n${out.stderr}` };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
};
