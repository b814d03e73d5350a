import { modelCacheStorageClass } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { StorageClass } from "../lib/k8s.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/**
 * The model cache's EFS class. Its `efs-ap` provisioning gives each claim its own access point under `basePath`
 * (tenants that want private scratch space); the shared cache itself is a static volume of this class onto one
 * access point (see model-cache.ts), so every reader sees the same files. Every parameter is a string, as the
 * CSI driver demands. Retain: deleting a claim never deletes models. StorageClass parameters are immutable:
 * changing the file system means deleting the class first.
 */
const modelCacheClass = (v: PlatformValues, h: Helpers): StorageClass => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: modelCacheStorageClass, labels: platformLabels(h, "model-cache") },
  provisioner: "efs.csi.aws.com",
  parameters: {
    provisioningMode: "efs-ap",
    fileSystemId: v.modelCache.fileSystemId,
    directoryPerms: "700",
    basePath: v.modelCache.basePath,
    uid: `${v.modelCache.uid}`,
    gid: `${v.modelCache.gid}`,
  },
  reclaimPolicy: "Retain",
  volumeBindingMode: "Immediate",
});

/**
 * Encrypted gp3 for tenants' block volumes. WaitForFirstConsumer: an EBS volume lives in one zone, so it is
 * created only once the scheduler (and Karpenter) picked the pod's zone.
 */
const gp3Class = (v: PlatformValues, h: Helpers): StorageClass => {
  const gp3 = v.storage.gp3;
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: {
      name: gp3.name,
      labels: platformLabels(h, "storage"),
      annotations: h.when(gp3.isDefaultClass, { "storageclass.kubernetes.io/is-default-class": "true" }),
    },
    provisioner: "ebs.csi.aws.com",
    parameters: {
      type: "gp3",
      encrypted: "true",
      kmsKeyId: h.when(h.isSet(gp3.kmsKeyId), gp3.kmsKeyId),
      iops: h.when(h.isSet(gp3.iops), `${gp3.iops}`),
      throughput: h.when(h.isSet(gp3.throughput), `${gp3.throughput}`),
      "csi.storage.k8s.io/fstype": gp3.fsType,
    },
    reclaimPolicy: gp3.reclaimPolicy,
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
};

export const storageClasses = (v: PlatformValues, h: Helpers) => [
  h.when(v.modelCache.enabled, modelCacheClass(v, h)),
  h.when(v.storage.gp3.enabled, gp3Class(v, h)),
];
