import type { Helpers } from "./engine/index.js";
import type {
  Container,
  CronJob,
  ObjectMeta,
  PodTemplateSpec,
  PolicyRule,
  VolumeMount,
  VolumeSnapshot,
} from "./k8s.js";
import { restrictedContainerSecurityContext, scratchDirs } from "./pod-security.js";
import { tenantObjectNames } from "./tenant-namespace.js";
import type { GlobalValues } from "./values-shapes.js";
import { type ImageValues, imageRef } from "./workload.js";

/**
 * The daily snapshots of a tenant's OpenWebUI data claim, as both charts name them: the tenant release rotates its
 * own (the platform's ApplicationSet switches that on for every tenant it delivers), and the platform rotates the
 * listed tenants' when it delivers none. One name per weekday, so that either keeps the other's week.
 */
export const snapshotWeekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type SnapshotWeekday = (typeof snapshotWeekdays)[number];

/** The snapshot of the data claim taken on `day` (the same whichever chart took it, and whatever the claim). */
export const tenantSnapshotName = (day: string): string => `${tenantObjectNames.openwebuiData}-${day}`;

/** Which rotation made a VolumeSnapshot (its managed-by label), and its weekday's label. */
export const tenantSnapshotLabels = { managedBy: "llmcharts-tenant-snapshots", day: "llmcharts.io/snapshot-day" };

/** The VolumeSnapshotClass the platform creates, and the kubectl image the rotation runs (nothing but kubectl). */
export const snapshotDefaults = {
  className: "llmcharts-ebs",
  image: { repository: "registry.k8s.io/kubectl", tag: "v1.35.8" },
} as const;

/** The VolumeSnapshot of a tenant's data claim taken on `day`, in the tenant's namespace. */
export const tenantSnapshot = (
  day: string,
  at: { namespace: string; className: string; claim: string },
): VolumeSnapshot => ({
  apiVersion: "snapshot.storage.k8s.io/v1",
  kind: "VolumeSnapshot",
  metadata: {
    name: tenantSnapshotName(day),
    namespace: at.namespace,
    labels: { "app.kubernetes.io/managed-by": tenantSnapshotLabels.managedBy, [tenantSnapshotLabels.day]: day },
  },
  spec: { volumeSnapshotClassName: at.className, source: { persistentVolumeClaimName: at.claim } },
});

/** All a rotation may do in a tenant's namespace: read, take and delete VolumeSnapshots. */
export const snapshotRoleRules: PolicyRule[] = [
  { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["get", "create", "delete"] },
];

/** kubectl keeps its discovery cache under HOME; the root filesystem is read-only. */
export const kubectlScratch = scratchDirs([{ name: "home", mountPath: "/home/kubectl", sizeLimit: "64Mi" }]);

/** A rotation's kubectl container: `kubectl <args>` over the snapshot manifests mounted at `mounts`. */
export const snapshotKubectl = (
  h: Helpers,
  image: { values: ImageValues; global: GlobalValues },
  name: string,
  args: string[],
  mounts: VolumeMount[],
): Container => ({
  name,
  image: imageRef(h, image.values, image.global),
  imagePullPolicy: image.values.pullPolicy,
  command: ["kubectl"],
  args,
  env: [{ name: "HOME", value: "/home/kubectl" }],
  // Ephemeral storage: the 64Mi HOME and the container's logs.
  resources: {
    requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "64Mi" },
    limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "128Mi" },
  },
  securityContext: restrictedContainerSecurityContext(h),
  volumeMounts: [...mounts, ...kubectlScratch.mounts],
});

/** The CronJob of one weekday (0 is Sunday) at `hour`:`minute` UTC, running `pod` once. */
export const weekdayRotation = (
  metadata: ObjectMeta,
  at: { minute: number; hour: number; dayNumber: number | string },
  pod: PodTemplateSpec,
): CronJob => ({
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata,
  spec: {
    schedule: `${at.minute} ${at.hour} * * ${at.dayNumber}`,
    timeZone: "Etc/UTC",
    // A run missed by over an hour (the controller down) is skipped: last week's snapshot of the day stays, and no
    // snapshot starts at a busy hour. Without a deadline, 100 missed runs stop the CronJob for good.
    startingDeadlineSeconds: 3600,
    concurrencyPolicy: "Forbid",
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 3,
    jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600, template: pod } },
  },
});
