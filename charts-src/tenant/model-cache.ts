import { modelCacheStorageClass } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { PersistentVolume, PersistentVolumeClaim } from "../lib/k8s.js";
import { modelCacheVolume, names, namespaced, objectAnnotations, objectLabels, tenantNamespace } from "./identity.js";
import type { TenantValues } from "./values.js";

/** Nominal size of the cache volume: EFS is elastic, but a claim must request something. */
const cacheNominalSize = "1Gi";

/**
 * The tenant's window onto the shared model cache: a PersistentVolume (cluster-scoped, named after the tenant) on
 * the platform's EFS access point (or a node directory in a lab), read-only and retained, pre-bound to the tenant's claim so that no other
 * namespace can bind it; and that claim.
 */
export const modelCacheTemplate = (v: TenantValues, h: Helpers): [PersistentVolume, PersistentVolumeClaim] => [
  {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: modelCacheVolume(v),
      labels: objectLabels(v, h, "model-cache"),
      annotations: objectAnnotations(v, h),
    },
    spec: {
      capacity: { storage: cacheNominalSize },
      accessModes: ["ReadOnlyMany"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: modelCacheStorageClass,
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        namespace: tenantNamespace(v),
        name: names.modelCache,
      },
      csi: h.when(h.eq(v.ollama.modelCache.source, "efs"), {
        driver: "efs.csi.aws.com",
        volumeHandle: v.ollama.modelCache.volumeHandle,
        readOnly: true,
      }),
      // A one-node lab: the cache is a directory of the node (pods still mount it read-only through the claim).
      hostPath: h.when(h.eq(v.ollama.modelCache.source, "hostPath"), {
        path: v.ollama.modelCache.hostPath,
        type: "Directory",
      }),
    },
  },
  {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: namespaced(v, h, names.modelCache, "model-cache"),
    spec: {
      accessModes: ["ReadOnlyMany"],
      volumeMode: "Filesystem",
      storageClassName: modelCacheStorageClass,
      volumeName: modelCacheVolume(v),
      resources: { requests: { storage: cacheNominalSize } },
    },
  },
];
