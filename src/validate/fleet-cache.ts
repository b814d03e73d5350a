/**
 * The fleet cache: what `validate --fleet` found for each tenant file, kept outside the repository beside the
 * toolchain (`<cache>/fleet/`), so that a run where one file changed checks that file alone. An entry holds one
 * tenant's verdicts on every rung of its own (values, Helm 4 and 3, kubeconform, promtool, Kyverno) and the facts the
 * fleet rung reads (what it claims, its GPU quotas, its models), from which the fleet rung is recomputed each run,
 * over every tenant.
 *
 * An entry is found by a hash of everything its verdicts depend on: the tenant's file (path and bytes), the site
 * layer, the platform and nodepools values when given, the chart (its generated files and the policies it is held
 * to), the code that checks it and every tool pin. Anything else (an entry that does not parse, is for another key or
 * holds a result of another file) is no entry: the tenant is checked again and the entry rewritten. Entries are
 * written to a temporary file and renamed, so a reader never sees half of one.
 *
 * Entries live in generations: one folder per set of shared key parts (`<cache>/fleet/<generation>/`), which also
 * keeps ajv's compiled values schema (src/validate/values-schema-cache.ts). A new chart, validator, pin or site layer
 * starts a new generation, and no entry of an old one can be found again: each run marks its own generation used and
 * removes all but the few used last, so the cache holds a bounded number of generations.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { cacheRoot } from "../toolchain/cache.js";
import type { TenantFacts } from "./fleet-invariants.js";
import type { CheckResult, Rung } from "./report.js";

/** Bumped whenever an entry's shape or place changes: older entries are then simply not found. */
const entryFormat = 2;

/** Where `validate --fleet` keeps its entries by default: under the toolchain cache (`LLMCHARTS_CACHE`). */
export const defaultFleetCacheDir = (): string => join(cacheRoot(), "fleet");

/**
 * The steps of a tenant's own ladder, in the order a run reports them. `byCheck` steps report check by check (each
 * Kubernetes version over every tenant), the others tenant by tenant.
 */
export const tenantSteps = ["values", "helm", "manifests", "promtool", "policies"] as const;
export type TenantStep = (typeof tenantSteps)[number];

/** The step a tenant's result belongs to. */
export const stepOf = (r: CheckResult): TenantStep => {
  if (r.check.endsWith(" template")) return "helm";
  if (r.check.startsWith("kubeconform")) return "manifests";
  return r.rung as Exclude<Rung, "chart" | "fleet">;
};

/** One tenant's cached verdicts, step by step, and its fleet facts (none when it did not render). */
export interface FleetEntry {
  results: Record<TenantStep, CheckResult[]>;
  facts?: TenantFacts;
}

/** The files under a directory (recursively), each as its path under it and its bytes, in path order. */
const filesUnder = (dir: string): { path: string; bytes: Buffer }[] => {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [{ path: "", bytes: readFileSync(dir) }];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => ({ path: relative(dir, f), bytes: readFileSync(f) }));
};

/** What every entry of a run is keyed by besides its own file, each part by name (a file's bytes, or none). */
export interface SharedKeyParts {
  /** The chart's generated files and the Kyverno policies its renderings are held to. */
  chart: string;
  /** The code that checks a tenant: the charts' typed sources (the values model ajv reads), the validator, our tools. */
  validator: string;
  /** Every tool pin: src/toolchain/pins.ts. */
  pins: string;
  site: string;
  platform: string;
  nodepools: string;
}

const digest = (parts: (string | Buffer)[]): string => {
  const h = createHash("sha256");
  for (const p of parts) {
    // Each part's length first, so no two lists of parts hash alike.
    h.update(String(Buffer.byteLength(p)));
    h.update("\0");
    h.update(p);
  }
  return h.digest("hex");
};

const treeDigest = (root: string, dirs: string[]): string =>
  digest(dirs.flatMap((d) => filesUnder(join(root, d)).flatMap((f) => [join(d, f.path), f.bytes])));

const fileDigest = (file: string | undefined): string => (file === undefined ? "none" : digest([readFileSync(file)]));

/** The validator's own code, relative to the package: a change to any of it re-checks every tenant. */
export const validatorSources = [
  "charts-src",
  "src/validate",
  "src/lib",
  "tools/helm-render",
  "tools/kyverno-apply",
  "package.json",
];

/** The shared key parts of a run over the package at `root`. */
export const sharedKeyParts = (
  root: string,
  { site, platform, nodepools }: { site?: string; platform?: string; nodepools?: string },
): SharedKeyParts => ({
  chart: treeDigest(root, ["generated/tenant", "policies"]),
  validator: treeDigest(root, validatorSources),
  pins: fileDigest(existsSync(join(root, "src/toolchain/pins.ts")) ? join(root, "src/toolchain/pins.ts") : undefined),
  site: fileDigest(site),
  platform: fileDigest(platform),
  nodepools: fileDigest(nodepools),
});

/**
 * A run's generation: the hash of its shared key parts (and the entry format), the name of the folder its entries
 * are kept in.
 */
export const generationOf = (shared: SharedKeyParts): string =>
  digest([
    String(entryFormat),
    ...Object.entries(shared)
      .sort(([a], [b]) => a.localeCompare(b))
      .flat(),
  ]);

/** One tenant's key: its file (as the run names it, and its bytes) in its run's generation. */
export const entryKey = (generation: string, name: string, file: string): string =>
  digest([generation, name, readFileSync(file)]);

const entryPath = (dir: string, key: string) => join(dir, key.slice(0, 2), `${key}.json`);

const isResult = (r: unknown, name: string): r is CheckResult => {
  const x = r as CheckResult;
  return (
    typeof x === "object" &&
    x !== null &&
    x.fixture === name &&
    x.chart === "tenant" &&
    typeof x.rung === "string" &&
    typeof x.check === "string" &&
    typeof x.ok === "boolean" &&
    (x.message === undefined || typeof x.message === "string")
  );
};

const isFacts = (f: unknown, name: string): f is TenantFacts => {
  const x = f as TenantFacts;
  return (
    typeof x === "object" &&
    x !== null &&
    x.name === name &&
    typeof x.claims === "object" &&
    x.claims !== null &&
    Object.values(x.claims).every((v) => Array.isArray(v) && v.every((s) => typeof s === "string")) &&
    typeof x.gpuQuotas === "object" &&
    x.gpuQuotas !== null &&
    Object.values(x.gpuQuotas).every((n) => typeof n === "number") &&
    Array.isArray(x.gpuPools) &&
    x.gpuPools.every((p) => typeof p === "string") &&
    Array.isArray(x.models) &&
    x.models.every((m) => typeof m?.key === "string" && typeof m.model === "string" && typeof m.tier === "string") &&
    typeof x.ollamaTag === "string"
  );
};

/**
 * The entry stored under `key` for the tenant `name`, or undefined when there is none, or none to trust: unreadable,
 * not JSON, of another format or key, or holding anything but this tenant's results, each in its own step.
 */
export const readEntry = (dir: string, key: string, name: string): FleetEntry | undefined => {
  let stored: { format?: unknown; key?: unknown; sum?: unknown; results?: Record<string, unknown>; facts?: unknown };
  try {
    stored = JSON.parse(readFileSync(entryPath(dir, key), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof stored !== "object" || stored === null || stored.format !== entryFormat || stored.key !== key)
    return undefined;
  const { results, facts } = stored;
  // A byte changed on disk that still parses (a verdict, a message) is caught by the entry's own checksum.
  if (stored.sum !== checksum(results, facts)) return undefined;
  if (typeof results !== "object" || results === null) return undefined;
  for (const step of tenantSteps) {
    const rs = results[step];
    if (!Array.isArray(rs) || !rs.every((r) => isResult(r, name) && stepOf(r) === step)) return undefined;
  }
  if (Object.keys(results).length !== tenantSteps.length) return undefined;
  if (facts !== null && !isFacts(facts, name)) return undefined;
  return { results: results as FleetEntry["results"], ...(facts ? { facts } : {}) };
};

const checksum = (results: unknown, facts: unknown): string => digest([JSON.stringify({ results, facts })]);

let written = 0;

/**
 * Stores an entry: written beside its place and renamed over it, so that no reader sees a partial one; whatever held
 * its place (a directory, say) is removed first. False when it cannot be stored (a read-only cache): the run's
 * verdicts stand, the next run checks that tenant again.
 */
export const writeEntry = (dir: string, key: string, entry: FleetEntry): boolean => {
  const path = entryPath(dir, key);
  const temporary = `${path}.${process.pid}.${++written}.tmp`;
  const facts = entry.facts ?? null;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      temporary,
      JSON.stringify({ format: entryFormat, key, sum: checksum(entry.results, facts), results: entry.results, facts }),
    );
    try {
      renameSync(temporary, path);
    } catch {
      rmSync(path, { recursive: true, force: true });
      renameSync(temporary, path);
    }
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
};

/** How many generations a cache keeps: the run's own and those used last (another branch's, another fleet's). */
export const keptGenerations = 4;

/** How many folders one run removes at most: a cache left to grow for long is emptied over a few runs. */
const removalsPerRun = 8;

/** A generation's folder, and what held format 1's entries (their keys' first two digits) before generations. */
const generationName = /^[0-9a-f]{64}$/;
const formatOneName = /^[0-9a-f]{2}$/;

/**
 * Marks `generation` (a folder of `dir`) used now, and removes the generations used longest ago beyond the
 * `keptGenerations` last used, oldest first, and format 1's folders; at most `removalsPerRun` of them. Nothing else in
 * `dir` is touched. It never fails a run: what cannot be read or removed stays, for a later run. Returns the folders
 * removed.
 */
export const pruneGenerations = (dir: string, generation: string): string[] => {
  const removed: string[] = [];
  try {
    mkdirSync(generation, { recursive: true });
    const now = new Date();
    utimesSync(generation, now, now);
    const usedAt = (name: string): number => {
      try {
        return statSync(join(dir, name)).mtimeMs;
      } catch {
        return Number.POSITIVE_INFINITY;
      }
    };
    const names = readdirSync(dir);
    const generations = names
      .filter((n) => generationName.test(n) && join(dir, n) !== generation)
      .map((n) => ({ n, at: usedAt(n) }))
      .sort((a, b) => b.at - a.at)
      .map(({ n }) => n);
    const stale = [...names.filter((n) => formatOneName.test(n)), ...generations.slice(keptGenerations - 1).reverse()];
    for (const name of stale.slice(0, removalsPerRun)) {
      try {
        rmSync(join(dir, name), { recursive: true, force: true });
        removed.push(name);
      } catch {
        // Left for a later run.
      }
    }
  } catch {
    // A cache that cannot be read or marked is pruned by a later run; this run's verdicts do not depend on it.
  }
  return removed;
};
