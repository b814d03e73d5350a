import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { colourVerdicts } from "../lib/colour.js";
import { packageRoot } from "../lib/package-root.js";
import { UsageError } from "../lib/usage-error.js";
import { formatReport, summary } from "../harness/report.js";
import { ScenarioRunner, selectScenarios } from "../harness/run.js";
import { ensureToolchainFor } from "../toolchain/ensure.js";
import { InstallContext, type InstallMade } from "./context.js";
import { installScenarios, teardown } from "./scenarios/index.js";
import { isolation } from "./scenarios/isolation.js";

interface TestInstallOptions {
  kubeconfig?: string;
  keep?: boolean;
  name: string;
  json?: boolean;
  only?: string;
  report?: string;
}

/** Adds `test-install [--kubeconfig PATH] [--keep] [--name N] [--json] [--only IDS] [--report FILE.svg]`. */
export const registerInstallCommands = (program: Command): Command =>
  program
    .command("test-install")
    .description(
      "install the generated charts on a real API server (embedded control plane with kwok nodes, or --kubeconfig) " +
        "and prove them: CRDs, placement by tier, admission and quota, isolation, upgrade/rollback/uninstall, a real Argo CD syncing a fleet",
    )
    .option("--kubeconfig <path>", "use this cluster instead of starting one (nothing of it is stopped)")
    .option("--keep", "leave the embedded cluster running afterwards (stop it with: llmcharts cluster down --name N)")
    .option("--name <name>", "name of the embedded cluster", "test-install")
    .option("--json", "print the results as JSON")
    .option(
      "--only <ids>",
      "run only these scenarios (comma-separated ids, e.g. 2,6), besides bring-up and teardown; a scenario may need an earlier one (6 needs 2's platform release)",
    )
    .option(
      "--report <file.svg>",
      "also draw the isolation matrix (what np-guard finds the NetworkPolicies allow between tenants and shared services) as SVG",
    )
    .action(async (opts: TestInstallOptions) => {
      const scenarios = selectScenarios(
        installScenarios,
        opts.only?.split(",").map((id) => id.trim()),
      );
      if (opts.report && !scenarios.includes(isolation))
        throw new UsageError(
          `--report draws what the isolation scenario finds: add ${isolation.id} to --only (and 2, which installs the tenants)`,
        );
      await ensureToolchainFor("test-install", (line) => console.error(line));
      const workDir = mkdtempSync(join(tmpdir(), "llmcharts-install-"));
      const ctx = new InstallContext({
        root: packageRoot,
        workDir,
        clusterName: opts.name,
        kubeconfig: opts.kubeconfig,
        isolationReport: opts.report ? resolve(opts.report) : undefined,
        log: opts.json ? () => {} : (line) => console.error(line),
      });
      const runner = new ScenarioRunner<InstallContext, InstallMade>(ctx);
      // Ctrl-C still tears the cluster down (the components ignore the terminal's signals).
      const onSignal = () => {
        void runner.run(teardown).finally(() => {
          rmSync(workDir, { recursive: true, force: true });
          process.exit(130);
        });
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        const results = await runner.all(scenarios, { keep: opts.keep });
        if (opts.json) console.log(JSON.stringify({ results, summary: summary(results) }, null, 2));
        else console.log(colourVerdicts(formatReport(results), process.stdout));
        // On stderr: with --json, stdout holds the JSON and nothing else.
        if (opts.keep && ctx.info) {
          console.error(`cluster "${ctx.info.name}" kept: export KUBECONFIG=${ctx.info.kubeconfig}`);
          console.error(`stop it with: llmcharts cluster down --name ${ctx.info.name}`);
        }
        process.exitCode = results.every((r) => r.ok) ? 0 : 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        rmSync(workDir, { recursive: true, force: true });
      }
    });
