// Times rung 6 on a real node: npx tsx scripts/bench-runtime.ts
//   image sizes (and build times when the cache lacks them), the bring-up (control plane, real node, images
//   imported, CRDs, platform), a standard tenant from `helm install` to its first chat answer, and the whole suite;
//   premium woken by KEDA three times (the suite's wake and two more), the standard HPA under load.
//   Prints `tenant to first answer: <seconds> s` and `wake to first token: <seconds> s` (median of 3), the first token
//   through the ingress controller beside straight from the Service (one run, one answer each way), and External
//   Secrets' rotation: Secrets Manager to the Kubernetes Secret, and to OpenWebUI running on the new value.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatScenario, summary } from "../src/harness/report.js";
import { ScenarioRunner } from "../src/harness/run.js";
import { buildImages } from "../src/images/build.js";
import { RuntimeContext, type RuntimeMade } from "../src/runtime/context.js";
import { runtimeScenarios } from "../src/runtime/scenarios/index.js";
import { premiumWakesAgain } from "../src/runtime/scenarios/premium-wake.js";

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const start = Date.now();
for (const image of await buildImages([], () => {})) {
  console.log(
    `image ${image.ref}: ${mib(statSync(image.archive).size)} (${image.outcome}${image.outcome === "built" ? ` in ${(image.ms / 1000).toFixed(0)} s` : ""})`,
  );
}
const ctx = new RuntimeContext({
  root: join(import.meta.dirname, ".."),
  workDir: mkdtempSync(join(tmpdir(), "llmcharts-bench-runtime-")),
  clusterName: `bench-runtime-${process.pid}`,
});
// Two more wakes right after the suite's own, for a median of three.
const scenarios = runtimeScenarios.flatMap((s) =>
  s.id === "premium-sleeps-and-wakes" ? [s, premiumWakesAgain(1), premiumWakesAgain(2)] : [s],
);
const results = await new ScenarioRunner<RuntimeContext, RuntimeMade>(ctx).all(scenarios, {
  onResult: (r) => console.log(formatScenario(r, { notes: false })),
});
const result = (id: string) => results.find((r) => r.id === id);
console.log(
  `real-node bring-up (control plane, node, images, CRDs, platform): ${((result("bring-up")?.ms ?? 0) / 1000).toFixed(1)} s`,
);
console.log(`runtime suite: ${((Date.now() - start) / 1000).toFixed(0)} s, ${summary(results)}`);
const first = result("chat-standard")?.figures.firstAnswerSeconds;
console.log(`tenant to first answer: ${first === undefined ? "n/a" : first.toFixed(1)} s`);
const pulled = result("models-pulled")?.figures.pullSeconds;
const grown = result("catalog-grows")?.figures.catalogToServedSeconds;
console.log(
  `model pull Job (tiny model, registry to cache): ${pulled?.toFixed(1) ?? "n/a"} s; catalog entry to a running tenant's Ollama serving it: ${grown?.toFixed(1) ?? "n/a"} s`,
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const wakes = results.flatMap((r) => r.figures.wakeToFirstTokenSeconds ?? []);
console.log(
  `wake to first token: ${wakes.length === 0 ? "n/a" : median(wakes).toFixed(1)} s (median of ${wakes.length}: ${wakes.map((w) => w.toFixed(1)).join(", ")})`,
);
const scaling = result("standard-scales")?.figures ?? {};
console.log(
  `standard HPA: load to a second pod Ready ${scaling.loadToSecondPodReadySeconds?.toFixed(1) ?? "n/a"} s, load end to scale-down ${scaling.loadEndToScaleDownSeconds?.toFixed(1) ?? "n/a"} s`,
);
const edge = result("ingress-streams")?.figures ?? {};
const [viaIngress, viaService] = [edge.firstTokenMsIngress, edge.firstTokenMsService];
console.log(
  `first token through Traefik: ${viaIngress?.toFixed(0) ?? "n/a"} ms, straight from the Service: ${viaService?.toFixed(0) ?? "n/a"} ms${viaIngress && viaService ? ` (${(viaIngress / viaService).toFixed(1)}x)` : ""}`,
);
const eso = result("secrets-synced")?.figures ?? {};
console.log(
  `ESO rotation: Secrets Manager to Secret ${eso.esoRotationSeconds?.toFixed(1) ?? "n/a"} s, to OpenWebUI running on it ${eso.reloadedSeconds?.toFixed(1) ?? "n/a"} s`,
);
if (results.some((r) => !r.ok)) process.exitCode = 1;
