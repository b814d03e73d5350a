// Times rung 6 on a real node: npx tsx scripts/bench-runtime.ts
//   image sizes (and build times when the cache lacks them), the bring-up (control plane, real node, images
//   imported, CRDs, platform), a standard tenant from `helm install` to its first chat answer, and the whole suite.
//   Prints `tenant to first answer: <seconds> s`.
import { statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildImages } from "../src/images/build.js";
import { formatOutcome, runRuntimeSuite } from "../src/runtime/run.js";

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const start = Date.now();
for (const image of await buildImages([], () => {})) {
  console.log(
    `image ${image.ref}: ${mib(statSync(image.archive).size)} (${image.outcome}${image.outcome === "built" ? ` in ${(image.ms / 1000).toFixed(0)} s` : ""})`,
  );
}
const report = await runRuntimeSuite({
  root: join(import.meta.dirname, ".."),
  workDir: mkdtempSync(join(tmpdir(), "llmcharts-bench-runtime-")),
  clusterName: `bench-runtime-${process.pid}`,
  onOutcome: (o) => console.log(formatOutcome(o)),
});
const outcome = (id: string) => report.outcomes.find((o) => o.id === id);
console.log(
  `real-node bring-up (control plane, node, images, CRDs, platform): ${((outcome("bring-up")?.ms ?? 0) / 1000).toFixed(1)} s`,
);
console.log(
  `runtime suite: ${((Date.now() - start) / 1000).toFixed(0)} s, ${report.passed} passed, ${report.failed} failed`,
);
const first = outcome("chat-standard")?.figures?.firstAnswerSeconds;
console.log(`tenant to first answer: ${first === undefined ? "n/a" : first.toFixed(1)} s`);
if (report.failed > 0) process.exitCode = 1;
