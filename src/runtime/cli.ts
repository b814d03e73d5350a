import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { formatScenario, summary } from "../harness/report.js";
import { ScenarioRunner, selectScenarios } from "../harness/run.js";
import { colourVerdicts } from "../lib/colour.js";
import { ensureToolchainFor } from "../toolchain/ensure.js";
import { RuntimeContext, type RuntimeMade } from "./context.js";
import { runtimeScenarios } from "./scenarios/index.js";

/** Adds `test-runtime [--keep] [--json] [--only id...]`. */
export const registerRuntimeCommands = (program: Command): Command =>
  program
    .command("test-runtime")
    .description(
      "rung 6: a real node (containerd, kubelet, kube-proxy, kube-router) runs the real OpenWebUI and Ollama; chats, isolation",
    )
    .option("--keep", "leave the cluster running afterwards (stop it with: llmcharts cluster down --name runtime)")
    .option("--json", "print the results as JSON, and nothing else on stdout")
    .option("--only <ids...>", "run only these scenarios (after bring-up)")
    .action(async (opts: { keep?: boolean; json?: boolean; only?: string[] }) => {
      const scenarios = selectScenarios(runtimeScenarios, opts.only);
      await ensureToolchainFor("test-runtime", (line) => console.error(line));
      const ctx = new RuntimeContext({
        root: process.cwd(),
        workDir: mkdtempSync(join(tmpdir(), "llmcharts-runtime-")),
        log: (line) => console.error(line),
      });
      const runner = new ScenarioRunner<RuntimeContext, RuntimeMade>(ctx);
      const results = await runner.all(scenarios, {
        keep: opts.keep,
        onResult: opts.json ? undefined : (r) => console.log(colourVerdicts(formatScenario(r), process.stdout)),
      });
      const kept = opts.keep ? ctx.keptServices() : undefined;
      if (kept) console.error(kept);
      if (opts.json) console.log(JSON.stringify({ results, summary: summary(results) }, null, 2));
      else console.log(colourVerdicts(`runtime: ${summary(results)}`, process.stdout));
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    });
