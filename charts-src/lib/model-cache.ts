import { Type } from "@sinclair/typebox";
import { choice } from "./values-shapes.js";

/**
 * The shared model cache on EFS, as both its writer (the platform chart's pull Jobs) and its readers (every tenant's
 * Ollama) see it. One EFS access point holds one Ollama models tree (`blobs/` and `manifests/`) per tier; the
 * platform writes them through one PersistentVolume, tenants read them through read-only volumes onto the same
 * access point, each tier's Ollama only its own tree.
 */

/** Where the cache is mounted in every container that uses it; Ollama finds it through `OLLAMA_MODELS`. */
export const modelCacheMountPath = "/models";

/**
 * The directory of the cache holding a tier's catalog (`standard`, `premium`): the pull Jobs write each model into
 * its tier's, and a tier's Ollama mounts only its own (a read-only subPath), so a CPU pod never lists, or loads, a
 * model sized for GPUs, and no model is on two backends of one tenant.
 */
export const tierCatalogDir = (tier: string): string => tier;

/** The writer's PersistentVolume (cluster-scoped) and its claim in the platform namespace: the only RW mount. */
export const modelCacheWriter = {
  persistentVolume: "llmcharts-model-cache-writer",
  claim: "model-cache-writer",
} as const;

/** Each tenant's read-only PersistentVolume onto the cache: `llmcharts-model-cache-<tenant>`. */
export const tenantModelCacheVolumePrefix = "llmcharts-model-cache-";

/** Tenant names whose cache volume would take the writer's name (a tenant called `writer`). */
export const reservedTenantNames = [modelCacheWriter.persistentVolume.slice(tenantModelCacheVolumePrefix.length)];

/** The EFS CSI volume handle of an access point: `<file system>::<access point>`. */
export const efsVolumeHandle = (fileSystemId: string, accessPointId: string): string =>
  `${fileSystemId}::${accessPointId}`;

/** Annotation on each pull Job: the `name:tag` it pulls. */
export const modelAnnotation = "llmcharts.io/model";

/**
 * The Ollama image both sides of the cache run: the platform's pull Jobs write each tier's models tree with it and
 * every tenant's Ollama reads it. One version on both sides, so a tenant never meets a manifest or blob layout its
 * server cannot read, nor a pull that a newer server would have done differently.
 */
export const ollamaImage = { repository: "docker.io/ollama/ollama", tag: "0.24.0" } as const;

/** Where a lab keeps the cache when it has no EFS: one node directory, the same default on both sides. */
export const labModelCacheDir = "/var/lib/llmcharts/model-cache";

/** Where the cache lives, as both charts ask it (the pull Jobs write it, tenants read it): EFS, or a lab's node directory. */
export const modelCacheLocation = {
  source: choice(
    ["efs", "hostPath"],
    "efs (the platform's EFS access point, for EKS) or hostPath (a directory on the node, for a one-node lab).",
    "efs",
  ),
  hostPath: Type.String({
    description:
      "Directory on the node holding the cache (source hostPath): one Ollama models tree per tier, standard/ and premium/, each tier reading only its own.",
    default: labModelCacheDir,
    maxLength: 200,
    pattern: "^(/[A-Za-z0-9._-]+)+$",
  }),
};
