/**
 * `npm run bench`: speed figures, measured side by side in one run (medians), never asserted in tests.
 * - the validation ladder over every fixture vs the conventional way (each check per fixture, serially);
 * - `generate` in a fresh process; validate time per fixture.
 * The last line is `ladder speedup: <ratio>x`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charts } from "../charts-src/index.js";
import { run } from "../src/lib/run.js";
import { kubeconformSchemaLocations } from "../src/toolchain/datasets.js";
import { kubernetes } from "../src/toolchain/pins.js";
import { requireBin } from "../src/toolchain/tools.js";
import { loadFixtures } from "../src/validate/fixtures.js";
import { chartDir } from "../src/validate/helm.js";
import { validate } from "../src/validate/validate.js";
import { policyFiles } from "../src/validate/rung-policies.js";
import { median, time } from "./bench-lib.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const root = process.cwd();

const fixtures = Object.keys(charts).flatMap((c) => loadFixtures(root, c));

/** What a chart repo's CI usually does: every check, per fixture, one process after another. */
const conventional = async () => {
  const work = mkdtempSync(join(tmpdir(), "llmcharts-bench-"));
  try {
    const policies = policyFiles(root);
    for (const f of fixtures) {
      const dir = chartDir(root, f.chart);
      for (const helm of [requireBin("helm"), requireBin("helm3")]) {
        await run(helm, ["lint", "--strict", dir, "-f", f.path]);
        const out = await run(helm, ["template", "fixture", dir, "-f", f.path]);
        if (out.exitCode !== 0) continue;
        const file = join(work, "rendering.yaml");
        writeFileSync(file, out.stdout);
        for (const version of [kubernetes.oldestSupported, kubernetes.newestSupported]) {
          await run(requireBin("kubeconform"), [
            "-strict",
            "-kubernetes-version",
            version.slice(1),
            ...kubeconformSchemaLocations().flatMap((l) => ["-schema-location", l]),
            file,
          ]);
        }
        if (policies.length > 0) await run(requireBin("kyverno"), ["apply", ...policies, "--resource", file]);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

const ladder = () => validate({ root });

console.log(
  `bench: ${fixtures.length} fixtures over ${Object.keys(charts).length} charts, ${rounds} rounds each, interleaved`,
);
const ladderTimes: number[] = [];
const conventionalTimes: number[] = [];
const generateTimes: number[] = [];
for (let i = 0; i < rounds; i++) {
  ladderTimes.push(await time(ladder));
  conventionalTimes.push(await time(conventional));
  generateTimes.push(await time(() => run(process.execPath, ["bin/llmcharts.js", "generate", "--check"])));
  console.log(
    `  round ${i + 1}: ladder ${ladderTimes.at(-1)?.toFixed(2)} s, conventional ${conventionalTimes.at(-1)?.toFixed(2)} s, generate ${generateTimes.at(-1)?.toFixed(2)} s`,
  );
}
const l = median(ladderTimes);
const c = median(conventionalTimes);
console.log(`generate (fresh process, all charts) median: ${median(generateTimes).toFixed(2)} s`);
console.log(`validate ladder median: ${l.toFixed(2)} s (${((l / fixtures.length) * 1000).toFixed(0)} ms per fixture)`);
console.log(
  `conventional per-fixture checks median: ${c.toFixed(2)} s (${((c / fixtures.length) * 1000).toFixed(0)} ms per fixture)`,
);
console.log(`ladder speedup: ${(c / l).toFixed(1)}x`);
