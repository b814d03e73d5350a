import { Type } from "@sinclair/typebox";
import { snapshotDefaults } from "../lib/tenant-snapshots.js";
import { dnsLabel, strictObject } from "../lib/values-shapes.js";
import { imageValues } from "../lib/workload.js";

/** The tenant's own snapshot rotation (backup.ts): the platform's ApplicationSet sets these for every tenant. */
export const backupValues = strictObject(
  "Daily snapshots of OpenWebUI's data claim, kept a week: one CronJob per weekday replaces that day's snapshot (openwebui-data-<weekday>), so the tenant holds at most seven. Needs the external-snapshotter CRDs and controller and an EBS claim (ReadWriteOnce; EFS has no CSI snapshots: back it up with AWS Backup); without persistence there is nothing to snapshot and nothing is rendered. The platform's ApplicationSet sets this for every tenant it delivers when its storage.snapshots.schedule is on.",
  {
    enabled: Type.Boolean({ description: "Render the snapshot CronJobs.", default: false }),
    snapshotClass: dnsLabel(
      "VolumeSnapshotClass to snapshot with (the platform's storage.snapshots.className).",
      snapshotDefaults.className,
      63,
    ),
    hour: Type.Integer({
      description: "Hour of the day (UTC) the snapshot is taken.",
      default: 2,
      minimum: 0,
      maximum: 23,
    }),
    minute: Type.Integer({ description: "Minute of that hour.", default: 0, minimum: 0, maximum: 59 }),
    image: imageValues(
      "The kubectl image the CronJobs run (its registry must be among the platform's allowed registries).",
      snapshotDefaults.image.repository,
      snapshotDefaults.image.tag,
    ),
  },
);
