/**
 * The shared model cache on EFS, as both its writer (the platform chart's pull Jobs) and its readers (every tenant's
 * Ollama) see it. One EFS access point holds Ollama's `models/` tree (`blobs/` and `manifests/`); the platform
 * writes it through one PersistentVolume, tenants read it through read-only volumes onto the same access point.
 */

/** Where the cache is mounted in every container that uses it; Ollama finds it through `OLLAMA_MODELS`. */
export const modelCacheMountPath = "/models";

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
