import { tenantObjectNames } from "./tenant-namespace.js";

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
