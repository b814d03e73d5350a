/**
 * `npm run bench` (fleet part): `llmcharts validate --chart tenant --fleet DIR` over generated fleets of 100, 300,
 * 1,000 and 10,000 tenants (scripts/fleet.ts), and the conventional way over the 1,000 side by side in the same run:
 * per tenant, serially, `helm template` then `kubeconform -strict` of its output for the oldest and the newest
 * supported Kubernetes (the manifest checks the fleet run makes too; it also checks values, lints, renders with Helm 3,
 * runs Kyverno and the fleet invariants). Peak memory is the whole process tree's (every tool it starts, summed).
 *
 *   [BENCH_ROUNDS=3] npx tsx scripts/bench-fleet.ts [sizes=100,300,1000,10000]
 *   [BENCH_BASELINE=CHECKOUT] npx tsx scripts/bench-fleet.ts --one-changed [size=1000]    # the incremental part alone
 *
 * Every full run is `--no-cache`. The compared size (the largest up to 1,000) runs BENCH_ROUNDS times, interleaved
 * with as many shares of the conventional way; it prints `fleet <n> tenants: <seconds> s, <MiB> MiB` (median time,
 * highest peak) and `fleet speedup: <ratio>x`. A larger size (10,000) runs once, alone: the conventional way would
 * take over an hour there. It prints the same line and its seconds per tenant against the compared size's (1.0x is
 * linear). Then, with a fleet cache of its own (empty at first), on the compared fleet: one run to fill it, one tenant
 * file changed, and the run that follows, which must take every other tenant from the cache:
 * `fleet one changed tenant: <s> s` (the median of BENCH_ROUNDS rounds; with BENCH_BASELINE=<another checkout>, that
 * checkout's CLI beside it). It draws the seconds and MiB by size, ours beside the conventional way, in `$BENCH_PLOTS`
 * (default bench-plots/): fleet-seconds.svg and fleet-mib.svg. The conventional way at a smaller size is its first N
 * tenants of the compared fleet (serial per tenant, so its time after N tenants is what N tenants take).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../src/lib/run.js";
import { kubeconformSchemaLocations } from "../src/toolchain/datasets.js";
import { parse, stringify } from "yaml";
import { cacheRoot } from "../src/toolchain/cache.js";
import { kubernetes } from "../src/toolchain/pins.js";
import { requireBin } from "../src/toolchain/tools.js";
import { chartDir } from "../src/validate/helm.js";
import { measure, median, sampleChildren, time } from "./bench-lib.js";
import { type FleetFigure, fleetPlots, writePlots } from "./bench-plots.js";
import { writeFleet } from "./fleet.js";

const oneChangedOnly = process.argv[2] === "--one-changed";
const sizes = (oneChangedOnly ? (process.argv[3] ?? "1000") : (process.argv[2] ?? "100,300,1000,10000"))
  .split(",")
  .map(Number);
/** The size the conventional way runs beside: the largest up to 1,000 (it takes about half a second a tenant). */
const compared = Math.max(...sizes.filter((n) => n <= 1000), Math.min(...sizes));
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-bench-fleet-"));

/** After each tenant of the conventional way: its seconds so far and the peak MiB of the tools it ran so far. */
const conventionalSoFar: { seconds: number; peakMiB: number }[] = [];

/** What a CI script or Argo CD's repo server does per tenant, one after another. */
const conventional = async (files: string[]) => {
  const rendering = join(work, "rendering.yaml");
  const memory = sampleChildren();
  try {
    for (const file of files) {
      const start = performance.now();
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
      const before = conventionalSoFar.at(-1) ?? { seconds: 0, peakMiB: 0 };
      conventionalSoFar.push({
        seconds: before.seconds + (performance.now() - start) / 1000,
        peakMiB: Math.max(before.peakMiB, memory.peakMiB()),
      });
    }
  } finally {
    memory.stop();
  }
};

/** One `validate --fleet` run, timed, with the peak memory of its whole process tree. */
const validateFleet = async (dir: string, n: number) => {
  const r = await measure(process.execPath, [
    "bin/llmcharts.js",
    "validate",
    "--chart",
    "tenant",
    "--fleet",
    dir,
    "--no-cache",
  ]);
  if (r.exitCode !== 0) throw new Error(`validate --fleet of ${n} tenants failed (exit ${r.exitCode})`);
  console.log(
    `  validate --fleet, ${n} tenants: ${r.seconds.toFixed(1)} s (${((r.seconds / n) * 1000).toFixed(0)} ms per tenant), peak ${r.peakMiB.toFixed(0)} MiB`,
  );
  return r;
};

/**
 * A pull request that changes one tenant: a run fills a fleet cache of its own (the toolchain linked in), one file's
 * cost centre changes, and the next run is timed. It must say that every other tenant came from the cache. Done
 * BENCH_ROUNDS times, another tenant each round; the median is the figure. With BENCH_BASELINE (another checkout of
 * this repository, the code before a change, say), its CLI runs beside this one's, each with a cache of its own, in
 * turns (the order swapped each round), so both see the same load: `baseline one changed tenant: <s> s`.
 */
const oneChangedTenant = async (dir: string, files: string[]) => {
  const baseline = process.env.BENCH_BASELINE;
  const checkouts = [
    { name: "this checkout", root, home: join(work, "cache") },
    ...(baseline ? [{ name: `baseline ${baseline}`, root: baseline, home: join(work, "cache-baseline") }] : []),
  ];
  const fleetRun = (checkout: (typeof checkouts)[number]) =>
    run(
      process.execPath,
      [join(checkout.root, "bin", "llmcharts.js"), "validate", "--chart", "tenant", "--fleet", dir],
      { env: { ...process.env, LLMCHARTS_CACHE: checkout.home, NO_COLOR: "1" } },
    );
  const summary = (out: { stdout: string }) => out.stdout.trim().split("\n").at(-1) ?? "";
  for (const checkout of checkouts) {
    mkdirSync(checkout.home, { recursive: true });
    for (const d of ["tools", "data"]) symlinkSync(join(cacheRoot(), d), join(checkout.home, d));
    const out = await fleetRun(checkout);
    console.log(`  validate --fleet, ${files.length} tenants, filling the cache of ${checkout.name}: ${summary(out)}`);
  }
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
  const seconds = checkouts.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const changed = files[(Math.floor(files.length / 2) + round) % files.length] as string;
    const values = parse(readFileSync(changed, "utf8"), { version: "1.1" }) as { tenant: { costCentre: string } };
    values.tenant.costCentre = `${values.tenant.costCentre}-moved`;
    writeFileSync(changed, stringify(values, { version: "1.1" }));
    const order = checkouts.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const checkout = checkouts[i] as (typeof checkouts)[number];
      let out: Awaited<ReturnType<typeof fleetRun>> = { stdout: "", stderr: "", exitCode: 1 };
      const s = await time(async () => {
        out = await fleetRun(checkout);
      });
      const expected = `${files.length - 1} of ${files.length} tenants from the cache`;
      if (out.exitCode !== 0 || !summary(out).endsWith(expected))
        throw new Error(`${checkout.name}: the run after one change should pass with ${expected}: ${summary(out)}`);
      console.log(`  round ${round + 1}, ${checkout.name}, after ${changed} changed: ${s.toFixed(1)} s`);
      seconds[i]?.push(s);
    }
  }
  console.log(`fleet one changed tenant: ${median(seconds[0] as number[]).toFixed(1)} s`);
  if (seconds[1]) console.log(`baseline one changed tenant: ${median(seconds[1]).toFixed(1)} s`);
};

/** Each size's `validate --fleet`, the compared size beside the conventional way: the speedup and the plots. */
const fullRuns = async (fleets: Map<number, string>, files: Map<number, string[]>) => {
  const fleetFigures: FleetFigure[] = [];
  for (const n of sizes.filter((n) => n < compared)) {
    const r = await validateFleet(fleets.get(n) as string, n);
    fleetFigures.push({ tenants: n, seconds: r.seconds, peakMiB: r.peakMiB });
  }
  // The compared fleet several times, each run beside a share of the conventional way's tenants: a host whose speed
  // drifts over the minutes the conventional way takes then weighs on both sides alike. The fleet's time is the
  // median of its runs; the conventional way's, the sum of its shares (every tenant once).
  const all = files.get(compared) as string[];
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
  const share = Math.ceil(all.length / rounds);
  const fleetRuns: { seconds: number; peakMiB: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    fleetRuns.push(await validateFleet(fleets.get(compared) as string, compared));
    await conventional(all.slice(i * share, (i + 1) * share));
  }
  const conventionalSeconds = conventionalSoFar.at(-1)?.seconds ?? 0;
  console.log(
    `  conventional (helm template + kubeconform x2 per tenant), ${compared} tenants: ${conventionalSeconds.toFixed(1)} s (${((conventionalSeconds / compared) * 1000).toFixed(0)} ms per tenant)`,
  );
  const seconds = median(fleetRuns.map((r) => r.seconds));
  const peakMiB = Math.max(...fleetRuns.map((r) => r.peakMiB));
  console.log(`fleet ${compared} tenants: ${seconds.toFixed(1)} s, ${peakMiB.toFixed(0)} MiB`);
  fleetFigures.push({ tenants: compared, seconds, peakMiB });
  for (const n of sizes.filter((n) => n > compared)) {
    const r = await validateFleet(fleets.get(n) as string, n);
    const perTenant = r.seconds / n / (seconds / compared);
    console.log(
      `fleet ${n} tenants: ${r.seconds.toFixed(1)} s, ${r.peakMiB.toFixed(0)} MiB (${perTenant.toFixed(2)}x the seconds per tenant of ${compared})`,
    );
    fleetFigures.push({ tenants: n, seconds: r.seconds, peakMiB: r.peakMiB });
  }
  const conventionalFigures = sizes
    .filter((n) => n <= compared)
    .map((n) => ({ tenants: n, ...(conventionalSoFar[n - 1] ?? { seconds: 0, peakMiB: 0 }) }));
  const plots = writePlots(process.env.BENCH_PLOTS ?? "bench-plots", fleetPlots(fleetFigures, conventionalFigures));
  console.log(`  plots: ${plots.join(", ")}`);
  console.log(`fleet speedup: ${(conventionalSeconds / seconds).toFixed(1)}x`);
};

try {
  const fleets = new Map(sizes.map((n) => [n, join(work, `fleet-${n}`)]));
  const files = new Map([...fleets].map(([n, dir]) => [n, writeFleet(dir, n)]));
  console.log(`bench fleet: ${sizes.join(", ")} generated tenants (scripts/fleet.ts)`);
  if (!oneChangedOnly) await fullRuns(fleets, files);
  await oneChangedTenant(fleets.get(compared) as string, files.get(compared) as string[]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
