/**
 * The platform release of the lab: generated/platform with its lab values (test/runtime/values/lab-platform.yaml),
 * its model cache in the node's directory and filled from the lab's model registry by the chart's own pull Jobs.
 */
import { chownSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tierCatalogDir } from "../../charts-src/lib/model-cache.js";
import { defaultAppUids } from "../../charts-src/lib/pod-security.js";
import { runValuesFile } from "../harness/tenants.js";
import type { RuntimeContext } from "./context.js";
import type { LabModelRegistry } from "./model-registry.js";

/** The pull Jobs' identity (the chart's default modelCache.uid and gid): the cache directory is theirs to write. */
const cacheOwner = defaultAppUids.modelPull;

export interface CatalogModel {
  name: string;
  tag: string;
  tier: "standard" | "premium";
}

/** The catalog the lab starts with: the tiny model in both tiers (the tenants' chat and embedding model). */
export const labCatalog: readonly CatalogModel[] = [
  { name: "llmcharts-tiny", tag: "0.1", tier: "standard" },
  { name: "llmcharts-tiny", tag: "0.1", tier: "premium" },
];

/** What only the run knows: the cache's directory, the registry's name and the host's address and ports. */
const runValues = (ctx: RuntimeContext, registry: LabModelRegistry, catalog: readonly CatalogModel[]) => ({
  modelCache: {
    hostPath: ctx.modelCacheDir,
    mirror: { registry: registry.inCluster },
    registryEgress: [{ cidr: `${registry.hostAddress}/32` }],
    registryPorts: registry.ports,
    models: catalog.map((m) => ({ ...m, sizeGiB: 1 })),
  },
});

/**
 * Installs the platform (or upgrades it to `catalog`). Before the first install, as an operator would: the cache's
 * node directory made, owned by the pull Jobs' uid, and the registry's Service applied.
 */
export const applyLabPlatform = async (
  ctx: RuntimeContext,
  catalog: readonly CatalogModel[] = labCatalog,
  verb: "install" | "upgrade" = "upgrade",
  /** More top-level values of this run (e.g. `logs` for logs-shipped); a later call without them turns them off. */
  extra: Record<string, unknown> = {},
): Promise<void> => {
  const registry = await ctx.models();
  if (verb === "install") {
    mkdirSync(ctx.modelCacheDir, { recursive: true });
    chownSync(ctx.modelCacheDir, cacheOwner, cacheOwner);
    await ctx.k.apply(registry.clusterObjects());
  }
  ctx.platformCatalog = catalog;
  await ctx.h[verb]({
    release: "platform",
    chartDir: ctx.chartDir("platform"),
    namespace: "tenants",
    valuesFiles: [
      join(ctx.opts.root, "test", "runtime", "values", "lab-platform.yaml"),
      runValuesFile(ctx, "platform", { ...runValues(ctx, registry, catalog), ...extra }),
    ],
  });
};

/** A catalog model as `name:tag`, the name tenants and the pull Job's annotation use. */
export const modelRef = (m: CatalogModel): string => `${m.name}:${m.tag}`;

/** Where a model's manifest lies in its tier's catalog, under the name a tenant asks for (Ollama's own layout). */
export const catalogManifest = (ctx: RuntimeContext, m: CatalogModel): string =>
  join(ctx.modelCacheDir, tierCatalogDir(m.tier), "manifests", "registry.ollama.ai", "library", m.name, m.tag);
