import { platformNamespace } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, scratchDirs } from "../lib/pod-security.js";
import { imagePullSecretsOf, imageRef } from "../lib/workload.js";
import type {
  ConfigMap,
  Container,
  CronJob,
  NetworkPolicy,
  Role,
  RoleBinding,
  ServiceAccount,
  VolumeMount,
  VolumeSnapshot,
} from "../lib/k8s.js";
import { tenantNamespaceName, tenantObjectNames as names } from "../lib/tenant-namespace.js";
import { snapshotWeekdays, tenantSnapshotLabels, tenantSnapshotName } from "../lib/tenant-snapshots.js";
import { platformLabels } from "./metadata.js";
import { platformEgress } from "./namespace.js";
import type { PlatformValues } from "./values.js";

/**
 * Rotating daily snapshots of every listed tenant's OpenWebUI data claim, with nothing but kubectl: one CronJob per
 * weekday deletes its own snapshot of each tenant (`<claim>-<weekday>`) and takes it again, so a tenant holds at most
 * seven and the oldest is always the one replaced. The snapshot manifests are ConfigMaps (one per tenant, a key per
 * weekday), so the Jobs need no shell; their ServiceAccount may touch VolumeSnapshots only, and only in the listed
 * tenants' namespaces (a Role in each).
 *
 * Only when the platform delivers no tenant releases (argocd.enabled false): with its ApplicationSet, each tenant
 * release (of the fleet folder or of the list) rotates its own snapshots under the same names (the tenant chart's
 * `backup`, set by the ApplicationSet), and these would only race them.
 */

const component = "backup";
const serviceAccount = "tenant-snapshots";
const roleName = "llmcharts-tenant-snapshots";
const weekdays = snapshotWeekdays;
type Tenant = PlatformValues["tenants"][number];

const manifestsName = (tenant: string) => `tenant-snapshots-${tenant}`;

/** The VolumeSnapshot of a tenant's data claim taken on `day`. */
const snapshot = (v: PlatformValues, tenant: Tenant, day: string): VolumeSnapshot => ({
  apiVersion: "snapshot.storage.k8s.io/v1",
  kind: "VolumeSnapshot",
  metadata: {
    name: tenantSnapshotName(day),
    namespace: tenantNamespaceName(tenant.name),
    labels: { "app.kubernetes.io/managed-by": tenantSnapshotLabels.managedBy, [tenantSnapshotLabels.day]: day },
  },
  spec: {
    volumeSnapshotClassName: v.storage.snapshots.className,
    source: { persistentVolumeClaimName: names.openwebuiData },
  },
});

const manifests = (v: PlatformValues, h: Helpers, tenant: Tenant): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: manifestsName(tenant.name), namespace: platformNamespace, labels: platformLabels(h, component) },
  data: Object.fromEntries(weekdays.map((day) => [`${day}.json`, h.toJson(snapshot(v, tenant, day))])),
});

/** What the Jobs may do in one tenant's namespace: read, take and delete VolumeSnapshots. Nothing else. */
const tenantAccess = (h: Helpers, tenant: Tenant): [Role, RoleBinding] => {
  const metadata = {
    name: roleName,
    namespace: tenantNamespaceName(tenant.name),
    labels: platformLabels(h, component),
  };
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata,
      rules: [
        {
          apiGroups: ["snapshot.storage.k8s.io"],
          resources: ["volumesnapshots"],
          verbs: ["get", "create", "delete"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
      subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: platformNamespace }],
    },
  ];
};

/** kubectl keeps its discovery cache under HOME; the root filesystem is read-only. */
const scratch = scratchDirs([{ name: "home", mountPath: "/home/kubectl", sizeLimit: "64Mi" }]);

const kubectl = (v: PlatformValues, h: Helpers, name: string, args: string[], mounts: VolumeMount[]): Container => ({
  name,
  image: imageRef(h, v.storage.snapshots.schedule.image, v.global),
  imagePullPolicy: v.storage.snapshots.schedule.image.pullPolicy,
  command: ["kubectl"],
  args,
  env: [{ name: "HOME", value: "/home/kubectl" }],
  // Ephemeral storage: the 64Mi HOME and the container's logs.
  resources: {
    requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "64Mi" },
    limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "128Mi" },
  },
  securityContext: restrictedContainerSecurityContext(h),
  volumeMounts: [...mounts, ...scratch.mounts],
});

/** The CronJob of one weekday: replace that day's snapshot of every listed tenant. */
const rotation = (v: PlatformValues, h: Helpers, day: (typeof weekdays)[number], dayNumber: number): CronJob => {
  const s = v.storage.snapshots.schedule;
  const mounts = h.each(v.tenants, (t) => ({
    name: manifestsName(t.name),
    mountPath: `/snapshots/${t.name}`,
    readOnly: true,
  }));
  const files = h.each(v.tenants, (t) => `--filename=/snapshots/${t.name}/snapshot.json`);
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: `tenant-snapshots-${day}`, namespace: platformNamespace, labels: platformLabels(h, component) },
    spec: {
      schedule: `${s.minute} ${s.hour} * * ${dayNumber}`,
      timeZone: "Etc/UTC",
      // A run missed by over an hour (the controller down) is skipped: last week's snapshot of the day stays, and no
      // snapshot starts at a busy hour. Without a deadline, 100 missed runs stop the CronJob for good.
      startingDeadlineSeconds: 3600,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3600,
          template: {
            metadata: { labels: { "app.kubernetes.io/name": "platform", "app.kubernetes.io/component": component } },
            spec: {
              serviceAccountName: serviceAccount,
              restartPolicy: "Never",
              enableServiceLinks: false,
              securityContext: restrictedPodSecurityContext({ uid: 65532, gid: 65532, fsGroup: 65532 }),
              ...imagePullSecretsOf(h, v.global.imagePullSecrets),
              // Last week's snapshot goes first (and is waited for), then this week's is taken under its name.
              initContainers: [
                kubectl(
                  v,
                  h,
                  "delete-last-week",
                  ["delete", "--ignore-not-found", "--wait", "--timeout=20m", ...files],
                  mounts,
                ),
              ],
              containers: [kubectl(v, h, "snapshot", ["create", ...files], mounts)],
              volumes: [
                ...h.each(v.tenants, (t) => ({
                  name: manifestsName(t.name),
                  configMap: { name: manifestsName(t.name), items: [{ key: `${day}.json`, path: "snapshot.json" }] },
                })),
                ...scratch.volumes,
              ],
            },
          },
        },
      },
    },
  };
};

/** What the Jobs run as: its Roles in the tenants' namespaces are all it may do. */
const jobsServiceAccount = (h: Helpers): ServiceAccount => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: serviceAccount, namespace: platformNamespace, labels: platformLabels(h, component) },
});

/** The platform namespace denies all traffic by default: the Jobs need DNS and the API server. */
const apiServerEgress = (v: PlatformValues, h: Helpers): NetworkPolicy =>
  platformEgress(h, "tenant-snapshots-egress", component, [
    {
      to: [{ ipBlock: { cidr: v.storage.snapshots.schedule.apiServerCidr } }],
      ports: [
        { protocol: "TCP", port: 443 },
        { protocol: "TCP", port: 6443 },
      ],
    },
  ]);

/** The schedule is on: the platform rotates the listed tenants' snapshots, or hands the rotation to every tenant. */
export const snapshotScheduleOn = (v: PlatformValues, h: Helpers) =>
  h.and(v.storage.snapshots.enabled, v.storage.snapshots.schedule.enabled);

export const tenantSnapshots = (v: PlatformValues, h: Helpers) => [
  h.when(h.and(snapshotScheduleOn(v, h), h.not(v.argocd.enabled)), [
    jobsServiceAccount(h),
    apiServerEgress(v, h),
    h.each(v.tenants, (t) => [manifests(v, h, t), ...tenantAccess(h, t)]),
    weekdays.map((day, i) => rotation(v, h, day, i)),
  ]),
];
