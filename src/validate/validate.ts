import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { charts } from "../../charts-src/index.js";
import { seconds } from "../lib/run.js";
import { UsageError } from "../lib/usage-error.js";
import { MissingToolError } from "../toolchain/tools.js";
import { documents } from "./documents.js";
import { kubernetesSchemaVersions } from "../toolchain/pins.js";
import {
  entryKey,
  type FleetEntry,
  generationOf,
  pruneGenerations,
  readEntry,
  sharedKeyParts,
  stepOf,
  type TenantStep,
  tenantSteps,
  writeEntry,
} from "./fleet-cache.js";
import {
  checkGpuCapacity,
  checkGpuPoolsExist,
  checkUniqueness,
  collisions,
  gpuDemand,
  premiumGpuPools,
  type TenantFacts,
  tenantFacts,
} from "./fleet-invariants.js";
import type { FleetFigures } from "./fleet-report.js";
import { type Fixture, fleetFiles, loadFixtures, userFixture } from "./fixtures.js";
import { checkModelCatalog, checkOllamaVersion, type PlatformCache, platformCache } from "./model-catalog.js";
import { chartDir } from "./helm.js";
import { renderers, renderMany } from "./helm-render.js";
import type { CheckResult, Rung } from "./report.js";
import { checkCharts } from "./rung-chart.js";
import { checkManifests } from "./rung-manifests.js";
import { checkPolicies } from "./rung-policies.js";
import { checkPromql } from "./rung-promtool.js";
import { checkValues } from "./rung-values.js";
import { type Rendering, renderFixtures } from "./renderings.js";
import { checkSite, defaultSiteFile, overSite, siteFileOf } from "./site-layer.js";

export interface ValidateOptions {
  root: string;
  /** Only this chart; all when absent. */
  chart?: string;
  /** The user's values files; every fixture of every chart when empty (and no fleet). */
  valuesFiles?: string[];
  /** A folder of tenant values files (searched recursively), checked one by one and as one fleet. */
  fleet?: string;
  /**
   * The fleet's site layer, merged under every tenant's file as Argo CD hands both to Helm; without it, the fleet
   * folder's own site.yaml when there is one.
   */
  site?: string;
  /** The cluster's nodepools values file: the premium tenants' GPU quotas must fit its GPU pools. */
  nodepools?: string;
  /** The cluster's platform values file: every tenant model must be in its model catalog, in the tier that reads it. */
  platform?: string;
  log?: (line: string) => void;
  /** Called with what the fleet rung found besides its verdicts (the collisions, the GPU demand), when it runs. */
  onFleet?: (figures: FleetFigures) => void;
  /**
   * With `fleet`: the fleet cache's directory (src/validate/fleet-cache.ts). A tenant file whose entry it holds is
   * not checked again, only held against the others; every other one is checked and its entry stored. Without it,
   * every tenant is checked.
   */
  cache?: string;
  /** With `fleet`: called with how many tenant files the run checked, and how many of them came from the cache. */
  onCache?: (figures: { tenants: number; cached: number }) => void;
}

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const start = Date.now();
  const value = await work();
  return { value, ms: Date.now() - start };
};

/**
 * A rung whose tool is not installed: one result saying so, with the command that installs it; what the other rungs
 * found is still reported. Any other error stops the run.
 */
const notRun = (names: string[], rung: Rung, err: unknown): CheckResult[] => {
  if (!(err instanceof MissingToolError)) throw err;
  return [{ chart: names.join(","), fixture: "-", rung, check: "not run", ok: false, message: err.message }];
};

/** Runs a rung's work, timed; a missing tool becomes that rung's `not run` result. */
const rung = (names: string[], r: Rung, work: () => Promise<CheckResult[]>) =>
  timed(() => work().catch((err) => notRun(names, r, err)));

/**
 * The validation ladder (rungs 1–4), batched: ajv in-process beside Helm, one lint per chart and Helm, every values
 * file rendered by one Helm process per chart and version, then one kubeconform run per Kubernetes version and a few
 * shared Kyverno runs over all renderings. Users' files (`-f`, `--fleet`) are also checked together, as tenants of one
 * cluster.
 */
export const validate = async ({
  root,
  chart,
  valuesFiles = [],
  fleet,
  site,
  nodepools,
  platform,
  log = () => {},
  onFleet = () => {},
  cache,
  onCache = () => {},
}: ValidateOptions): Promise<CheckResult[]> => {
  const names = chartsToValidate(chart, valuesFiles, fleet);
  if (site !== undefined && !fleet)
    throw new UsageError("--site is the layer under a fleet's tenant files: give the fleet too (--fleet DIR)");
  const siteFile = fleet ? siteFileOf(fleet, site) : undefined;
  const userFiles = [...valuesFiles, ...(fleet ? fleetFiles(fleet, siteFile) : [])];
  if (nodepools && (userFiles.length === 0 || !names.includes("tenant")))
    throw new UsageError("--nodepools holds the GPU pools tenants share: give the tenants too (--fleet DIR or -f)");
  if (platform && (userFiles.length === 0 || !names.includes("tenant")))
    throw new UsageError("--platform holds the model catalog tenants read: give the tenants too (--fleet DIR or -f)");
  // A platform file the chart refuses is bad input too.
  const catalog = platform ? platformCache(platform) : undefined;
  const work = mkdtempSync(join(tmpdir(), "llmcharts-validate-"));
  try {
    // A nodepools file the chart refuses is bad input: say so before any work.
    const gpuPools = nodepools ? await nodepoolsGpuPools(root, nodepools, work) : undefined;
    // A fleet's tenant files whose entries the cache holds are not read again: only held against the others.
    const cached = new Map<string, FleetEntry>();
    const keys = new Map<string, string>();
    // This run's generation of the cache: its entries and its compiled values schema.
    let generation: string | undefined;
    if (fleet && cache) {
      const generationName = generationOf(sharedKeyParts(root, { site: siteFile, platform, nodepools }));
      generation = join(cache, generationName);
      const removed = pruneGenerations(cache, generation);
      if (removed.length > 0) log(`fleet cache ${cache}: removed ${removed.length} generations no run used lately`);
      for (const path of userFiles) {
        const key = entryKey(generationName, path, path);
        keys.set(path, key);
        const entry = readEntry(generation, key, path);
        if (entry) cached.set(path, entry);
      }
    }
    let fixtures: Fixture[] = names.flatMap((n) =>
      userFiles.length === 0
        ? loadFixtures(root, n)
        : userFiles.filter((path) => !cached.has(path)).map((path) => userFixture(n, path)),
    );
    const results: CheckResult[] = [];
    if (siteFile) {
      // Every tenant starts from the site layer: a bad one is reported once, on its own file, and nothing else is
      // checked (each tenant would only repeat its error).
      const { layer, result } = checkSite(charts.tenant as NonNullable<(typeof charts)[string]>, siteFile, generation);
      results.push(result);
      if (!layer) {
        log(`site layer ${siteFile}: refused; no tenant checked until it is fixed`);
        return results;
      }
      log(`site layer ${siteFile}: under each of the ${userFiles.length} tenant files`);
      fixtures = overSite(fixtures, layer, join(work, "site-layered"));
    } else if (fleet) log(`no site layer (${join(fleet, defaultSiteFile)}, or --site FILE)`);
    // What each rung found of these files: a fleet's is then merged with what the cache held, file by file.
    const ladder: CheckResult[] = [];
    const tally = (label: string, rs: CheckResult[], ms: number) => {
      const failed = rs.filter((r) => !r.ok).length;
      log(`${label}: ${rs.length - failed} passed, ${failed} failed (${seconds(ms)})`);
    };
    const step = (label: string, rs: CheckResult[], ms: number) => {
      ladder.push(...rs);
      tally(label, rs, ms);
    };
    log(
      `validating ${names.join(", ")}: ${fixtures.length} values files${cached.size > 0 ? ` (${cached.size} more from the fleet cache, ${cache})` : ""}`,
    );
    // What no values file can change (the chart lint, the policies' own test suites) is proven by validate without
    // values files; with users' files (a fleet of a thousand tenants) it would be the same work again, every run.
    const chartChecks = userFiles.length === 0;
    // The chart lint does not depend on the renderings, nor Helm on ajv: each runs as soon as it can. Helm renders every
    // readable file while ajv checks them.
    const lint = chartChecks ? rung(names, "chart", async () => checkCharts(root, names)) : undefined;
    let policyCheck: ReturnType<typeof checkPolicies> | undefined;
    let policyError: unknown;
    try {
      policyCheck = checkPolicies(root, { withSuites: chartChecks });
    } catch (err) {
      policyError = err;
    }
    const readable = fixtures.filter((f) => !f.unreadable);
    const every = Math.max(20, Math.ceil((readable.length * 2) / 10));
    const rendering = timed(() =>
      readable.length === 0
        ? Promise.resolve({ renderings: [] as Rendering[], results: [] as CheckResult[] })
        : renderFixtures(root, readable, join(work, "renderings"), (done) => {
            if (done % every === 0) log(`  helm template: ${done}/${readable.length * 2}`);
          }).catch((err) => ({ renderings: [] as Rendering[], results: notRun(names, "manifests", err) })),
    );
    const values = await timed(() => valuesRung(names, fixtures, generation));
    step("rung 1 values (ajv)", values.value, values.ms);
    const rendered = await rendering;
    const { results: renderResults, renderings } = withoutRefused(rendered.value, values.value, fixtures);
    // kubeconform, then Kyverno: each keeps both cores busy on its own, and side by side they would hold both tools'
    // memory at once (over a GiB for a fleet of a thousand tenants). Kyverno's inputs are written while kubeconform runs.
    const manifests = rung(names, "manifests", async () => (renderings.length ? checkManifests(renderings) : []));
    let applyPolicies: (() => Promise<CheckResult[]>) | undefined;
    try {
      applyPolicies = policyCheck?.prepare(renderings);
    } catch (err) {
      policyError = err;
    }
    const policies = () =>
      rung(names, "policies", async () => {
        if (!policyCheck || !applyPolicies) throw policyError;
        const applied = await applyPolicies();
        return [...applied, ...(await policyCheck.suites)];
      });
    // A few renderings (a fleet whose other files came from the cache) hold little memory: both tools at once, then.
    const policiesBeside = renderings.length <= 20 ? policies() : undefined;
    const m = await manifests;
    // Light work (a few promtool runs over distinct files): between the two tools that keep both cores busy.
    const promql = await rung(names, "promtool", async () =>
      checkPromql(root, renderings, join(work, "promtool"), { withTests: chartChecks && names.includes("platform") }),
    );
    const p = await (policiesBeside ?? policies());
    const linted = await lint;
    if (linted) step("rung 2 chart (helm lint, ct lint)", linted.value, linted.ms);
    else
      log(
        "rung 2 chart (helm lint, ct lint), the policies' test suites and the alerts' unit tests: no values file changes them; `llmcharts validate` without files runs them",
      );
    step("helm template (Helm 4 and 3)", renderResults, rendered.ms);
    step("rung 3 manifests (kubeconform)", m.value, m.ms);
    step("promtool (alerts' and dashboards' PromQL, the alerts' unit tests)", promql.value, promql.ms);
    step("rung 4 policies (kyverno)", p.value, p.ms);
    const fresh = new Map(
      renderings.filter((r) => r.fixture.chart === "tenant").map((r) => [r.fixture.name, tenantFacts(r)] as const),
    );
    let tenants = [...fresh.values()];
    if (fleet) {
      const entries = fleetEntries(fixtures, ladder, fresh);
      results.push(...fleetLadder(userFiles, new Map([...cached, ...entries.byFile]), entries.runWide));
      // A tenant checked whole is stored; a run where some rung could not run (a tool missing) stores nothing.
      if (cache && entries.runWide.length === 0) {
        const unstored = [...entries.byFile].filter(
          ([file, entry]) => !writeEntry(generation as string, keys.get(file) as string, entry),
        );
        if (unstored.length > 0)
          log(`fleet cache ${cache}: could not store ${unstored.length} entries; they are checked again next run`);
      }
      tenants = userFiles.flatMap((file) => cached.get(file)?.facts ?? fresh.get(file) ?? []);
      onCache({ tenants: userFiles.length, cached: cached.size });
    } else results.push(...ladder);
    // A fleet view needs a fleet: several tenants, or one held against the GPU pools or the model catalog.
    if (userFiles.length > 0 && (tenants.length > 1 || ((nodepools || platform) && tenants.length > 0))) {
      const fleetChecks = await timed(async () =>
        fleetRung(tenants, { nodepools, gpuPools, platform, cache: catalog }, log, onFleet),
      );
      tally(`fleet (${tenants.length} tenants together)`, fleetChecks.value, fleetChecks.ms);
      results.push(...fleetChecks.value);
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

/** The charts a run checks: the fleet's tenant chart, the one named, the ones the files fit, or every chart. */
const chartsToValidate = (chart: string | undefined, valuesFiles: string[], fleet: string | undefined): string[] => {
  if (fleet && chart && chart !== "tenant")
    throw new UsageError(`--fleet holds tenant values files: use --chart tenant, not --chart ${chart}`);
  const names = fleet
    ? ["tenant"]
    : chart
      ? [chart]
      : valuesFiles.length > 0
        ? [...new Set(valuesFiles.map(chartOfValues))]
        : Object.keys(charts);
  for (const n of names)
    if (!charts[n]) throw new UsageError(`unknown chart "${n}"; charts: ${Object.keys(charts).join(", ")}`);
  return names;
};

/** Rung 1: every values file against its chart's schema (ajv, in-process; its compiled schema kept in `compiledIn`). */
const valuesRung = async (names: string[], fixtures: Fixture[], compiledIn?: string): Promise<CheckResult[]> => {
  const values: CheckResult[] = [];
  for (const n of names) {
    const mine = fixtures.filter((f) => f.chart === n);
    // Compiling a schema takes seconds: not for a fleet whose every file came from the cache.
    if (mine.length > 0)
      values.push(...(await checkValues(charts[n] as NonNullable<(typeof charts)[string]>, mine, { compiledIn })));
  }
  return values;
};

/**
 * Helm's results and renderings without the values files rung 1 refused: those are reported there once (Helm would
 * only say it again) and the later rungs do not see their rendering. Bad fixtures stay: Helm must refuse them too.
 */
const withoutRefused = (
  rendered: { results: CheckResult[]; renderings: Rendering[] },
  values: CheckResult[],
  fixtures: Fixture[],
) => {
  const key = (chart: string, name: string) => `${chart}\n${name}`;
  const refused = new Set(values.filter((r) => !r.ok).map((r) => key(r.chart, r.fixture)));
  for (const f of fixtures) if (f.kind === "bad") refused.delete(key(f.chart, f.name));
  return {
    results: rendered.results.filter((r) => !refused.has(key(r.chart, r.fixture))),
    renderings: rendered.renderings.filter((r) => !refused.has(key(r.fixture.chart, r.fixture.name))),
  };
};

/**
 * What this run found of each fleet file it checked, as cache entries: each file's results, step by step, and its
 * facts; and the results of no one file (a rung that could not run), by step.
 */
const fleetEntries = (fixtures: Fixture[], ladder: CheckResult[], facts: Map<string, TenantFacts>) => {
  const byFile = new Map<string, FleetEntry>(
    fixtures.map((f) => {
      const results = Object.fromEntries(tenantSteps.map((s) => [s, [] as CheckResult[]])) as FleetEntry["results"];
      const mine = facts.get(f.name);
      return [f.name, { results, ...(mine ? { facts: mine } : {}) }];
    }),
  );
  const runWide: CheckResult[] = [];
  for (const r of ladder) {
    const entry = byFile.get(r.fixture);
    if (entry) entry.results[stepOf(r)].push(r);
    else runWide.push(r);
  }
  return { byFile, runWide };
};

/**
 * A fleet's results on each tenant's own rungs, the same whichever came from the cache: step by step, file by file in
 * path order (kubeconform version by version, as it runs), each step ending with what no one file was named in.
 */
const fleetLadder = (files: string[], entries: Map<string, FleetEntry>, runWide: CheckResult[]): CheckResult[] => {
  const ofStep = (step: TenantStep) => files.flatMap((f) => entries.get(f)?.results[step] ?? []);
  return tenantSteps.flatMap((step) => {
    const rs = ofStep(step);
    const checks = kubernetesSchemaVersions.map((v) => `kubeconform ${v}`);
    const ordered =
      step === "manifests"
        ? [...checks.flatMap((c) => rs.filter((r) => r.check === c)), ...rs.filter((r) => !checks.includes(r.check))]
        : rs;
    return [...ordered, ...runWide.filter((r) => stepOf(r) === step)];
  });
};

/** What the tenants share in their cluster, each file with what was read from it. */
interface Cluster {
  nodepools?: string;
  gpuPools?: Awaited<ReturnType<typeof nodepoolsGpuPools>>;
  platform?: string;
  cache?: PlatformCache;
}

/**
 * The fleet rung: tenants that collide, (with the nodepools values) GPU quotas against the pools and (with the
 * platform values) the tenants' models against the model catalog and their Ollama against the pull Jobs'.
 */
const fleetRung = (
  tenants: TenantFacts[],
  cluster: Cluster,
  log: (line: string) => void,
  onFleet: (figures: FleetFigures) => void,
): CheckResult[] => {
  const { nodepools, gpuPools, platform, cache } = cluster;
  const found = collisions(tenants);
  const checks = checkUniqueness(tenants, found);
  const gpu = nodepools && gpuPools ? gpuDemand(tenants, gpuPools) : undefined;
  if (nodepools && gpuPools && gpu)
    checks.push(
      ...checkGpuPoolsExist(tenants, gpuPools, nodepools),
      ...checkGpuCapacity(tenants, gpuPools, nodepools, gpu),
    );
  else log("  GPU quotas not held against the GPU pools: give the cluster's nodepools values with --nodepools");
  if (platform && cache)
    checks.push(
      ...checkModelCatalog(tenants, cache.models, platform),
      ...checkOllamaVersion(tenants, cache.image, platform),
    );
  else log("  tenants' models not held against the model catalog: give the cluster's platform values with --platform");
  onFleet({ collisions: found, ...(gpu ? { gpu } : {}) });
  return checks;
};

/** The premium GPU pools a nodepools values file creates, read from Helm 4's rendering of it. */
const nodepoolsGpuPools = async (root: string, file: string, work: string) => {
  const [helm4] = renderers();
  const [outcome] = await renderMany(
    (helm4 as { exe: string }).exe,
    chartDir(root, "nodepools"),
    [file],
    join(work, "nodepools"),
  );
  if (!outcome?.file)
    throw new UsageError(
      `--nodepools ${file}: the nodepools chart refuses it: ${outcome?.error?.trim()}; fix that file`,
    );
  const fixture = userFixture("nodepools", file);
  return premiumGpuPools(documents({ fixture, file: outcome.file, objects: outcome.objects }));
};

const readValues = (path: string): unknown => {
  if (!existsSync(path)) throw new UsageError(`-f ${path}: no such file`);
  try {
    return parse(readFileSync(path, "utf8"), { version: "1.1" }) ?? {};
  } catch {
    return {};
  }
};

/** The chart a values file is for, when --chart is not given: the one its top-level keys fit best. */
export const chartOfValues = (path: string): string => {
  const values = readValues(path);
  const keys = values && typeof values === "object" ? Object.keys(values) : [];
  const fit = Object.values(charts)
    .map((c) => ({ name: c.name, score: keys.filter((k) => k in c.values.properties).length }))
    .sort((a, b) => b.score - a.score);
  const [best, next] = fit;
  if (!best || best.score === 0 || best.score === next?.score)
    throw new UsageError(
      `-f ${path}: cannot tell which chart it is for (top-level keys: ${keys.join(", ") || "none"}); pass --chart ${Object.keys(charts).join("|")}`,
    );
  return best.name;
};
