// Times `llmcharts publish` of the three charts: package + sign + verify + push to a real OCI registry (the pinned
// distribution registry on a loopback port), each round into a fresh repository path so every push is a real one.
//   npx tsx scripts/bench-release.ts [rounds=5]
// Also times `llmcharts package` alone (unsigned). Ends with `package+sign+push median: <seconds> s`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedHelmEnv, packageCharts } from "../src/release/package.js";
import { publishCharts } from "../src/release/publish.js";
import { startRegistry } from "../src/cluster/registry.js";
import { makeThrowawayKey } from "../src/release/throwaway-key.js";

const rounds = Number(process.argv[2] ?? 5);
const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "llmcharts-bench-release-"));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};

const key = await makeThrowawayKey("llmcharts bench");
const registry = await startRegistry({ dir: join(work, "registry") });
try {
  const helmEnv = isolatedHelmEnv(join(work, "helm"));
  const sign = { key: key.email, gnupgHome: key.gnupgHome, keys: key.keys };
  const packageTimes: number[] = [];
  const publishTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    packageTimes.push(await timed(() => packageCharts({ root, outDir: join(work, `dist-${i}`) })));
    publishTimes.push(
      await timed(() => publishCharts({ root, registry: `${registry.url}/round-${i}`, sign, helmEnv })),
    );
    console.log(
      `  round ${i + 1}: package ${packageTimes.at(-1)?.toFixed(2)} s, package+sign+push ${publishTimes.at(-1)?.toFixed(2)} s`,
    );
  }
  console.log(`package (3 charts, unsigned) median: ${median(packageTimes).toFixed(2)} s`);
  console.log(`package+sign+push median: ${median(publishTimes).toFixed(2)} s`);
} finally {
  await registry.stop();
  await key.remove();
  rmSync(work, { recursive: true, force: true });
}
