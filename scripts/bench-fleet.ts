/**
 * `npm run bench` (fleet part): `llmcharts validate --chart tenant --fleet DIR` over generated fleets of 100, 300 and
 * 1,000 tenants (scripts/fleet.ts), and the conventional way over the 1,000 side by side in the same run: per tenant,
 * serially, `helm template` then `kubeconform -strict` of its output for the oldest and the newest supported
 * Kubernetes (the manifest checks the fleet run makes too; it also checks values, lints, renders with Helm 3, runs
 * Kyverno and the fleet invariants). Peak memory is the whole process tree's (every tool it starts, summed).
 *
 *   npx tsx scripts/bench-fleet.ts [sizes=100,300,1000]
 *
 * Prints `fleet 1000 tenants: <seconds> s, <MiB> MiB` and `fleet speedup: <ratio>x` (for the largest size).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../src/lib/run.js";
import { kubeconformSchemaLocations } from "../src/toolchain/datasets.js";
import { kubernetes } from "../src/toolchain/pins.js";
import { requireBin } from "../src/toolchain/tools.js";
import { chartDir } from "../src/validate/helm.js";
import { measure, time } from "./bench-lib.js";
import { writeFleet } from "./fleet.js";

const sizes = (process.argv[2] ?? "100,300,1000").split(",").map(Number);
const largest = Math.max(...sizes);
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-bench-fleet-"));

/** What a CI script or Argo CD's repo server does per tenant, one after another. */
const conventional = async (files: string[]) => {
  const rendering = join(work, "rendering.yaml");
  for (const file of files) {
    const out = await run(requireBin("helm"), ["template", "tenant", chartDir(root, "tenant"), "-f", file]);
    if (out.exitCode !== 0) throw new Error(`helm template ${file}: ${out.stderr}`);
    writeFileSync(rendering, out.stdout);
    for (const version of [kubernetes.oldestSupported, kubernetes.newestSupported]) {
      const kc = await run(requireBin("kubeconform"), [
        "-strict",
        "-kubernetes-version",
        version.slice(1),
        ...kubeconformSchemaLocations().flatMap((l) => ["-schema-location", l]),
        rendering,
      ]);
      if (kc.exitCode !== 0) throw new Error(`kubeconform ${file}: ${kc.stdout}`);
    }
  }
};

try {
  const fleets = new Map(sizes.map((n) => [n, join(work, `fleet-${n}`)]));
  const files = new Map([...fleets].map(([n, dir]) => [n, writeFleet(dir, n)]));
  console.log(`bench fleet: ${sizes.join(", ")} generated tenants (scripts/fleet.ts)`);
  const fleetRuns = new Map<number, { seconds: number; peakMiB: number }>();
  for (const n of sizes) {
    const r = await measure(process.execPath, [
      "bin/llmcharts.js",
      "validate",
      "--chart",
      "tenant",
      "--fleet",
      fleets.get(n) as string,
    ]);
    if (r.exitCode !== 0) throw new Error(`validate --fleet of ${n} tenants failed (exit ${r.exitCode})`);
    fleetRuns.set(n, r);
    console.log(
      `  validate --fleet, ${n} tenants: ${r.seconds.toFixed(1)} s (${((r.seconds / n) * 1000).toFixed(0)} ms per tenant), peak ${r.peakMiB.toFixed(0)} MiB`,
    );
  }
  const conventionalSeconds = await time(() => conventional(files.get(largest) as string[]));
  console.log(
    `  conventional (helm template + kubeconform x2 per tenant), ${largest} tenants: ${conventionalSeconds.toFixed(1)} s (${((conventionalSeconds / largest) * 1000).toFixed(0)} ms per tenant)`,
  );
  const big = fleetRuns.get(largest) as { seconds: number; peakMiB: number };
  console.log(`fleet ${largest} tenants: ${big.seconds.toFixed(1)} s, ${big.peakMiB.toFixed(0)} MiB`);
  console.log(`fleet speedup: ${(conventionalSeconds / big.seconds).toFixed(1)}x`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
