/**
 * The tenants' models held against the platform's model catalog: every model a tenant's Ollama needs (each tier's
 * chat model, the embedding model of document search) must be pulled into the catalog of the tier that reads it, or
 * that Ollama never becomes Ready, or document search fails.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { charts } from "../../charts-src/index.js";
import {
  type ChartDefinition,
  defaultsOf,
  effectiveValues,
  mergeValues,
  valuesSchema,
} from "../../charts-src/lib/engine/index.js";
import type { PlatformValues } from "../../charts-src/platform/values.js";
import { type NodeTier, tierIncludes } from "../../charts-src/lib/conventions.js";
import type { TenantValues } from "../../charts-src/tenant/values.js";
import { UsageError } from "../lib/usage-error.js";
import type { TenantFacts } from "./fleet-invariants.js";
import type { CheckResult } from "./report.js";
import { valuesChecker } from "./rung-values.js";

export type Catalog = PlatformValues["modelCache"]["models"];

/** What a platform values file says about the cache: its catalog, and the Ollama image its pull Jobs run. */
export interface PlatformCache {
  models: Catalog;
  image: PlatformValues["modelCache"]["image"];
}

/** A model the tenant needs, the tier whose catalog must hold it, and the value that names it. */
export interface TenantModel {
  /** The values key, dotted: `ollama.standard.model`. */
  key: string;
  /** As the value gives it: `name` or `name:tag`. */
  model: string;
  tier: NodeTier;
}

/** The tier whose Ollama computes the tenant's embeddings. */
export const embeddingTier = (v: TenantValues): NodeTier =>
  tierIncludes(v.tenant.tier, "standard") ? "standard" : "premium";

/**
 * Every model a tenant with these (effective) values needs from the shared cache: each tier's chat model in that
 * tier's catalog, and the embedding model in the catalog of the tier that answers document search (standard when the
 * tenant has it, as the tenant chart's `RAG_OLLAMA_BASE_URL` says, else premium). Read from the values here, not in
 * the chart (chart sources never branch on a value); test/platform/model-catalog.test.ts proves they are the models
 * the rendered pods use.
 */
export const tenantModels = (v: TenantValues): TenantModel[] => [
  ...(tierIncludes(v.tenant.tier, "standard")
    ? [{ key: "ollama.standard.model", model: v.ollama.standard.model, tier: "standard" as const }]
    : []),
  ...(tierIncludes(v.tenant.tier, "premium")
    ? [{ key: "ollama.premium.model", model: v.ollama.premium.model, tier: "premium" as const }]
    : []),
  { key: "openwebui.rag.embeddingModel", model: v.openwebui.rag.embeddingModel, tier: embeddingTier(v) },
];

/** A model reference as Ollama resolves it: a name without a tag means `:latest`. */
export const modelReference = (model: string): string => (/:[^/]*$/.test(model) ? model : `${model}:latest`);

const platformChart = charts.platform as ChartDefinition;
const tenantChart = charts.tenant as ChartDefinition;

export const catalogCheck = "models in the catalog";

let tenantDefaults: unknown;

/**
 * The models a tenant with these values (its file, over the site layer) needs, and the Ollama tag it runs: read from
 * its effective values, the chart's defaults derived once for a whole fleet.
 */
export const tenantModelsOf = (user: unknown): { models: TenantModel[]; ollamaTag: string } => {
  tenantDefaults ??= defaultsOf(valuesSchema(tenantChart.values));
  const values = mergeValues(tenantDefaults, user ?? {}) as TenantValues;
  return { models: tenantModels(values), ollamaTag: values.ollama.image.tag };
};

/** The platform values file's cache (its own values, or the chart's defaults); a file the chart refuses is bad input. */
export const platformCache = (file: string): PlatformCache => {
  let user: unknown;
  try {
    user = parse(readFileSync(file, "utf8"), { version: "1.1" }) ?? {};
  } catch (err) {
    throw new UsageError(`--platform ${file}: cannot read it as YAML (${(err as Error).message}); fix that file`);
  }
  const errors = valuesChecker(platformChart)(user);
  if (errors.length > 0)
    throw new UsageError(`--platform ${file}: the platform chart refuses it: ${errors.join("; ")}; fix that file`);
  const { models, image } = (effectiveValues(platformChart, user) as PlatformValues).modelCache;
  return { models, image };
};

const pointer = (key: string) => `/${key.replaceAll(".", "/")}`;

/**
 * Why the catalog does not serve `m`, or undefined when its tier's catalog lists it: the key, the model, what the
 * catalog holds instead and the fix.
 */
export const catalogGap = (catalog: Catalog, m: TenantModel, platformFile: string): string | undefined => {
  const reference = modelReference(m.model);
  const tiers = catalog.filter((c) => `${c.name}:${c.tag}` === reference).map((c) => c.tier);
  if (tiers.includes(m.tier)) return undefined;
  const [name, tag] = [reference.slice(0, reference.lastIndexOf(":")), reference.slice(reference.lastIndexOf(":") + 1)];
  const where =
    tiers.length > 0
      ? `modelCache.models lists it for ${tiers.join(", ")} only, and each tier's Ollama reads only its own`
      : "modelCache.models";
  const offered = catalog.filter((c) => c.tier === m.tier).map((c) => `${c.name}:${c.tag}`);
  return `at '${pointer(m.key)}': ${m.model} is not in the ${m.tier} catalog of ${platformFile} (${where}): add { name: ${name}, tag: ${tag}, tier: ${m.tier} } there, or set ${m.key} to a model it lists for ${m.tier} (${offered.join(", ") || "none"})`;
};

/**
 * Every tenant's models against the catalog: one failure per missing model, on the tenant's file, naming the key
 * (at its JSON pointer, so CI annotations land on its line) and the model.
 */
export const checkModelCatalog = (tenants: TenantFacts[], catalog: Catalog, platformFile: string): CheckResult[] => {
  const failures = tenants.flatMap((t) =>
    t.models.flatMap((m) => {
      const gap = catalogGap(catalog, m, platformFile);
      return gap
        ? [
            {
              chart: "tenant",
              fixture: t.name,
              rung: "fleet" as const,
              check: catalogCheck,
              ok: false,
              message: gap,
            },
          ]
        : [];
    }),
  );
  return failures.length
    ? failures
    : [{ chart: "tenant", fixture: platformFile, rung: "fleet", check: catalogCheck, ok: true }];
};

export const ollamaVersionCheck = "one Ollama version";

/** An image tag's version, without the digest that may pin its content. */
const version = (tag: string) => tag.split("@")[0] ?? tag;

/**
 * Every tenant's Ollama is the version the platform's pull Jobs fill the cache with (the registry may differ: a
 * mirror is the same image): one failure per tenant that runs another, on its file, naming `ollama.image.tag`.
 */
export const checkOllamaVersion = (
  tenants: TenantFacts[],
  image: PlatformCache["image"],
  platformFile: string,
): CheckResult[] => {
  const writer = version(image.tag);
  const failures = tenants.flatMap((t): CheckResult[] => {
    const reader = version(t.ollamaTag);
    if (reader === writer) return [];
    const message = `at '/ollama/image/tag': Ollama ${reader} reads a cache that the platform's pull Jobs write with Ollama ${writer} (modelCache.image.tag of ${platformFile}): run one version on both sides, so that the cache is written as the tenants read it`;
    return [{ chart: "tenant", fixture: t.name, rung: "fleet", check: ollamaVersionCheck, ok: false, message }];
  });
  return failures.length
    ? failures
    : [{ chart: "tenant", fixture: platformFile, rung: "fleet", check: ollamaVersionCheck, ok: true }];
};
