import { modelCacheStorageClass } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { StorageClass, VolumeSnapshotClass } from "../lib/k8s.js";
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
 * An encrypted EBS class. WaitForFirstConsumer: an EBS volume lives in one zone, so it is created only once the
 * scheduler (and Karpenter) picked the pod's zone. Every parameter is a string, as the CSI driver demands.
 */
const ebsClass = (
  h: Helpers,
  c: { name: string; kmsKeyId?: string; fsType: string; reclaimPolicy: string },
  parameters: Record<string, unknown>,
  annotations?: Record<string, string>,
): StorageClass => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: c.name, labels: platformLabels(h, "storage"), annotations },
  provisioner: "ebs.csi.aws.com",
  parameters: {
    ...parameters,
    encrypted: "true",
    kmsKeyId: h.when(h.isSet(c.kmsKeyId), c.kmsKeyId),
    "csi.storage.k8s.io/fstype": c.fsType,
  },
  reclaimPolicy: c.reclaimPolicy as StorageClass["reclaimPolicy"],
  volumeBindingMode: "WaitForFirstConsumer",
  allowVolumeExpansion: true,
});

/** Encrypted gp3 for tenants' block volumes. */
const gp3Class = (v: PlatformValues, h: Helpers): StorageClass => {
  const gp3 = v.storage.gp3;
  return ebsClass(
    h,
    gp3,
    {
      type: "gp3",
      iops: h.when(h.isSet(gp3.iops), `${gp3.iops}`),
      throughput: h.when(h.isSet(gp3.throughput), `${gp3.throughput}`),
    },
    h.when(gp3.isDefaultClass, { "storageclass.kubernetes.io/is-default-class": "true" }),
  );
};

/** Encrypted io2 for latency-sensitive volumes: IOPS grow with the volume. */
const io2Class = (v: PlatformValues, h: Helpers) => {
  const io2 = v.storage.io2;
  return ebsClass(h, io2, {
    type: "io2",
    iopsPerGB: `${io2.iopsPerGB}`,
    allowAutoIOPSPerGBIncrease: h.pick(io2.allowAutoIOPSPerGBIncrease, "true", "false"),
  });
};

/** Snapshots of EBS volumes (gp3 and io2 claims; EFS has no CSI snapshots: back it up with AWS Backup). */
const ebsSnapshotClass = (v: PlatformValues, h: Helpers): VolumeSnapshotClass => ({
  apiVersion: "snapshot.storage.k8s.io/v1",
  kind: "VolumeSnapshotClass",
  metadata: { name: v.storage.snapshots.className, labels: platformLabels(h, "backup") },
  driver: "ebs.csi.aws.com",
  deletionPolicy: v.storage.snapshots.deletionPolicy,
});

export const storageClasses = (v: PlatformValues, h: Helpers) => [
  // A lab's cache is a node directory: no EFS, so no EFS class.
  h.when(h.and(v.modelCache.enabled, h.eq(v.modelCache.source, "efs")), modelCacheClass(v, h)),
  h.when(v.storage.gp3.enabled, gp3Class(v, h)),
  h.when(v.storage.io2.enabled, io2Class(v, h)),
  h.when(v.storage.snapshots.enabled, ebsSnapshotClass(v, h)),
];
