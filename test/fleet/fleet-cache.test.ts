/**
 * The fleet cache: a run checks again only the tenant files whose entry it lacks, and says what a run without the
 * cache says, byte for byte; a change to anything an entry's verdicts depend on (the file, the site layer, the
 * platform and nodepools values, the chart, a tool pin) checks every tenant it touches again; an entry not to be
 * trusted is ignored and rebuilt.
 */
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { run } from "../../src/lib/run.js";
import { cacheRoot } from "../../src/toolchain/cache.js";
import { formatResults } from "../../src/validate/formats.js";
import { keptGenerations, validatorSources } from "../../src/validate/fleet-cache.js";
import type { CheckResult } from "../../src/validate/report.js";
import { validate } from "../../src/validate/validate.js";

const repo = process.cwd();
const fixtures = join(repo, "test", "fleet", "fixtures");
const work = mkdtempSync(join(tmpdir(), "llmcharts-fleet-cache-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The package as validate reads it, with the chart and the pins file copies of its own (so a test can change them);
 * the rest links to the repository's.
 */
const root = join(work, "package");
mkdirSync(join(root, "generated"), { recursive: true });
mkdirSync(join(root, "src", "toolchain"), { recursive: true });
mkdirSync(join(root, "tools"), { recursive: true });
cpSync(join(repo, "generated", "tenant"), join(root, "generated", "tenant"), { recursive: true });
cpSync(join(repo, "src", "toolchain", "pins.ts"), join(root, "src", "toolchain", "pins.ts"));
for (const linked of ["generated/nodepools", "policies", ...validatorSources])
  symlinkSync(join(repo, linked), join(root, linked));

/**
 * A fleet with something for every rung to say: two tenants over the site layer that pass alone, a third that
 * collides with one of them and runs a model the catalog lacks, one misspelt key and one file that is no YAML.
 */
const fleet = join(work, "tenants");
cpSync(join(fixtures, "site-layer"), fleet, { recursive: true });
cpSync(join(fleet, "rigel"), join(fleet, "rigel-again"), { recursive: true });
appendFileSync(join(fleet, "rigel-again", "values.yaml"), "ollama:\n  standard:\n    model: mistral:7b\n");
cpSync(join(fixtures, "malformed", "typo"), join(fleet, "typo"), { recursive: true });
cpSync(join(fixtures, "malformed", "broken-yaml"), join(fleet, "broken-yaml"), { recursive: true });
const tenantCount = 5;
const platform = join(work, "platform.yaml");
const nodepools = join(work, "nodepools.yaml");
cpSync(join(fixtures, "model-catalog", "platform-values.yaml"), platform);
cpSync(join(fixtures, "gpu-capacity", "nodepools-small.yaml"), nodepools);
const cache = join(work, "cache");

/** One `validate --fleet` run: its results as `--json` prints them, and how many tenants came from the cache. */
const check = async ({ cached = true } = {}) => {
  let fromCache = -1;
  const results = await validate({
    root,
    chart: "tenant",
    fleet,
    platform,
    nodepools,
    ...(cached ? { cache } : {}),
    onCache: (c) => {
      expect(c.tenants).toBe(tenantCount);
      fromCache = c.cached;
    },
  });
  return { results, json: asJson(results), fromCache };
};
const asJson = (results: CheckResult[]) => formatResults(results, "json", { summary: "-", version: "-" });

/** The newest entry of each tenant file (older ones are for files, values or pins as they were), by file. */
const newestEntries = () => {
  const newest = new Map<string, { path: string; entry: FleetEntryFile; mtime: number }>();
  for (const f of readdirSync(cache, { recursive: true })) {
    const path = join(cache, String(f));
    if (!path.endsWith(".json")) continue;
    const entry = JSON.parse(readFileSync(path, "utf8")) as FleetEntryFile;
    const tenant = entry.results.values[0]?.fixture ?? "";
    const mtime = statSync(path).mtimeMs;
    if ((newest.get(tenant)?.mtime ?? -1) < mtime) newest.set(tenant, { path, entry, mtime });
  }
  return newest;
};
interface FleetEntryFile {
  results: { values: CheckResult[] };
}

const tenant = (name: string) => join(fleet, name, "values.yaml");

describe("the fleet cache", { timeout: 600_000 }, () => {
  let full = "";

  test("a second run checks no tenant again, and reports what a run without the cache reports, byte for byte", async () => {
    const cold = await check();
    expect(cold.fromCache).toBe(0);
    // Something on every rung that can fail here: the YAML, the schema, the collision, the catalog, the GPU quotas.
    const failed = new Set(cold.results.filter((r) => !r.ok).map((r) => r.check));
    for (const c of ["yaml", "ajv", "unique tenants", "models in the catalog"]) expect(failed).toContain(c);
    expect(cold.results.filter((r) => r.fixture === tenant("rigel") && r.ok).length).toBeGreaterThan(4);
    const warm = await check();
    expect(warm.fromCache).toBe(tenantCount);
    const uncached = await check({ cached: false });
    expect(uncached.fromCache).toBe(0);
    full = uncached.json;
    expect(cold.json).toBe(full);
    expect(warm.json).toBe(full);
  });

  test("a changed tenant file is checked again, alone, and its new verdict is the one reported", async () => {
    const before = readFileSync(tenant("sirius"), "utf8");
    writeFileSync(tenant("sirius"), `${before}\nopenwebuii: {}\n`);
    try {
      const changed = await check();
      expect(changed.fromCache).toBe(tenantCount - 1);
      expect(changed.results.filter((r) => r.fixture === tenant("sirius") && !r.ok).map((r) => r.check)).toEqual([
        "ajv",
      ]);
      expect(changed.json).toBe((await check({ cached: false })).json);
    } finally {
      writeFileSync(tenant("sirius"), before);
    }
    // The file as it was: its entry is still there.
    const back = await check();
    expect(back.fromCache).toBe(tenantCount);
    expect(back.json).toBe(full);
  });

  test("a change to the site layer, the platform or nodepools values, the chart or a tool pin checks every tenant again", async () => {
    const changes: [string, () => void][] = [
      ["site layer", () => appendFileSync(join(fleet, "site.yaml"), "\n# reviewed\n")],
      ["platform values", () => appendFileSync(platform, "\n# reviewed\n")],
      ["nodepools values", () => appendFileSync(nodepools, "\n# reviewed\n")],
      ["chart", () => appendFileSync(join(root, "generated", "tenant", "README.md"), "\n")],
      ["tool pin", () => appendFileSync(join(root, "src", "toolchain", "pins.ts"), "\n// a pin moved\n")],
    ];
    for (const [what, change] of changes) {
      change();
      expect((await check()).fromCache, what).toBe(0);
    }
    // Nothing changed since: every tenant from the cache again.
    expect((await check()).fromCache).toBe(tenantCount);
  });

  test("an entry not to be trusted is ignored and rebuilt: cut short, changed on disk, or a directory in its place", async () => {
    const byTenant = newestEntries();
    const cutShort = byTenant.get(tenant("rigel"));
    const changed = byTenant.get(tenant("typo"));
    const replaced = byTenant.get(tenant("sirius"));
    if (!cutShort || !changed || !replaced) throw new Error("an entry is missing");
    writeFileSync(cutShort.path, readFileSync(cutShort.path, "utf8").slice(0, 200));
    // A verdict turned around, the file otherwise well formed: the entry's checksum no longer holds.
    const [refused] = changed.entry.results.values;
    expect(refused?.ok).toBe(false);
    changed.entry.results.values[0] = { ...(refused as CheckResult), ok: true, message: undefined };
    writeFileSync(changed.path, JSON.stringify(changed.entry));
    rmSync(replaced.path);
    mkdirSync(replaced.path);
    const rebuilt = await check();
    expect(rebuilt.fromCache).toBe(tenantCount - 3);
    expect(rebuilt.json).toBe((await check({ cached: false })).json);
    const again = await check();
    expect(again.fromCache).toBe(tenantCount);
    expect(again.json).toBe(rebuilt.json);
  });
});

describe("llmcharts validate --fleet and its cache", { timeout: 600_000 }, () => {
  // A cache of its own, with the toolchain's tools and data sets linked in.
  const home = join(work, "cli-cache");
  mkdirSync(home);
  for (const d of ["tools", "data"]) symlinkSync(join(cacheRoot(), d), join(home, d));
  const llmcharts = (args: string[]) =>
    run(
      process.execPath,
      [join(repo, "bin", "llmcharts.js"), "validate", "--fleet", join(fixtures, "site-layer"), ...args],
      {
        env: { ...process.env, LLMCHARTS_CACHE: home, NO_COLOR: "1" },
      },
    );
  const summary = (stdout: string) => stdout.trim().split("\n").at(-1);

  test("says how many tenants came from the cache, keeps it beside the toolchain, and --no-cache checks every one", async () => {
    // What earlier versions left: a folder of format 1's entries, and generations no run has used for days.
    mkdirSync(join(home, "fleet", "3f"), { recursive: true });
    writeFileSync(join(home, "fleet", "3f", `3f${"0".repeat(62)}.json`), "{}");
    const stale = Array.from({ length: keptGenerations }, (_, i) => join(home, "fleet", String(i).repeat(64)));
    stale.forEach((generation, i) => {
      mkdirSync(generation);
      const usedAt = new Date(Date.now() - (i + 1) * 86_400_000);
      utimesSync(generation, usedAt, usedAt);
    });
    const cold = await llmcharts([]);
    expect(cold.exitCode).toBe(0);
    expect(summary(cold.stdout)).toMatch(/^\d+ passed, 0 failed; 0 of 2 tenants from the cache$/);
    expect(
      readdirSync(join(home, "fleet"), { recursive: true }).filter((f) => String(f).endsWith(".json")),
    ).toHaveLength(2);
    // The run's generation and the ones used last: the oldest went, and its values schema is kept compiled.
    const generations = readdirSync(join(home, "fleet"));
    expect(generations).toHaveLength(keptGenerations);
    expect(generations).not.toContain(basename(stale.at(-1) as string));
    const current = generations.filter((g) => !stale.includes(join(home, "fleet", g)));
    expect(current).toHaveLength(1);
    expect(readdirSync(join(home, "fleet", current[0] as string)).filter((f) => f.endsWith(".cjs"))).toHaveLength(1);
    const warm = await llmcharts([]);
    expect(summary(warm.stdout)).toMatch(/; 2 of 2 tenants from the cache$/);
    const off = await llmcharts(["--no-cache"]);
    expect(summary(off.stdout)).toMatch(/; no tenant from the cache \(--no-cache\)$/);
    // The JSON document holds the verdicts alone: the same with and without the cache.
    const json = await llmcharts(["--json"]);
    const jsonOff = await llmcharts(["--json", "--no-cache"]);
    expect(json.stdout).toBe(jsonOff.stdout);
    expect(JSON.parse(json.stdout).summary).toBe(summary(cold.stdout)?.split(";")[0]);
  });
});
