import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { formatOutcome, runRuntimeSuite } from "./run.js";

/** Adds `test-runtime [--keep] [--json] [--only id...]`. */
export const registerRuntimeCommands = (program: Command): Command =>
  program
    .command("test-runtime")
    .description(
      "rung 6: a real node (containerd, kubelet, kube-proxy, kube-router) runs the real OpenWebUI and Ollama; chats, isolation",
    )
    .option("--keep", "leave the cluster running afterwards (stop it with: llmcharts cluster down --name runtime)")
    .option("--json", "print the outcomes as JSON")
    .option("--only <ids...>", "run only these scenarios (after bring-up)")
    .action(async (opts: { keep?: boolean; json?: boolean; only?: string[] }) => {
      const report = await runRuntimeSuite({
        root: process.cwd(),
        workDir: mkdtempSync(join(tmpdir(), "llmcharts-runtime-")),
        keep: opts.keep,
        only: opts.only,
        log: (line) => console.error(line),
        onOutcome: opts.json ? undefined : (o) => console.log(formatOutcome(o)),
      });
      if (opts.json) console.log(JSON.stringify(report, null, 2));
      console.log(`runtime: ${report.passed} passed, ${report.failed} failed`);
      process.exitCode = report.failed === 0 ? 0 : 1;
    });
