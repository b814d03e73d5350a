// kedacore/http-add-on#1692 on the real node: npx tsx scripts/long-idle.ts [minutes, default 40]
//   Brings the lab up (as the runtime suite does), puts tenant gamma's premium to sleep through KEDA, leaves it asleep
//   for the given minutes, then sends one chat through OpenWebUI: it must be held, wake premium and be answered.
//   Prints `premium woken after <m> min asleep: answered in <s> s, first token <s> s` and exits non-zero if not.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatScenario, summary } from "../src/harness/report.js";
import { ScenarioRunner, selectScenarios } from "../src/harness/run.js";
import { RuntimeContext, type RuntimeMade } from "../src/runtime/context.js";
import { runtimeScenarios } from "../src/runtime/scenarios/index.js";
import { premiumWakesAfterLongIdle } from "../src/runtime/scenarios/premium-wake.js";

const minutes = Number(process.argv[2] ?? 40);
if (!Number.isFinite(minutes) || minutes <= 0) {
  console.error(`long-idle: minutes must be a positive number, not ${process.argv[2]}; for example 40`);
  process.exit(2);
}
const ctx = new RuntimeContext({
  root: join(import.meta.dirname, ".."),
  workDir: mkdtempSync(join(tmpdir(), "llmcharts-long-idle-")),
  clusterName: `long-idle-${process.pid}`,
  log: (line) => console.error(line),
});
const before = selectScenarios(runtimeScenarios, [
  "models-pulled",
  "standard-ready",
  "chat-premium",
  "premium-sleeps-and-wakes",
]);
const idle = premiumWakesAfterLongIdle(minutes);
const scenarios = [...before.filter((s) => s.id !== "teardown"), idle, ...before.filter((s) => s.id === "teardown")];
const results = await new ScenarioRunner<RuntimeContext, RuntimeMade>(ctx).all(scenarios, {
  onResult: (r) => console.log(formatScenario(r, { notes: false })),
});
const woken = results.find((r) => r.id === idle.id);
const answered = woken?.figures.heldChatAnsweredSeconds;
const firstToken = woken?.figures.wakeToFirstTokenSeconds;
console.log(
  `premium woken after ${minutes} min asleep: ${woken?.ok ? `answered in ${answered?.toFixed(1)} s, first token ${firstToken?.toFixed(1) ?? "n/a"} s` : "NOT answered"}`,
);
console.log(`long idle: ${summary(results)}`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
