import { platformNamespace } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import { restrictedPodSecurityContext } from "../lib/pod-security.js";
import { imagePullSecretsOf } from "../lib/workload.js";
import type {
  ConfigMap,
  Container,
  CronJob,
  NetworkPolicy,
  Role,
  RoleBinding,
  ServiceAccount,
  VolumeMount,
} from "../lib/k8s.js";
import { tenantNamespaceName, tenantObjectNames as names } from "../lib/tenant-namespace.js";
import {
  kubectlScratch,
  snapshotKubectl,
  snapshotRoleRules,
  snapshotWeekdays,
  tenantSnapshot,
  weekdayRotation,
} from "../lib/tenant-snapshots.js";
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

const manifests = (v: PlatformValues, h: Helpers, tenant: Tenant): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: manifestsName(tenant.name), namespace: platformNamespace, labels: platformLabels(h, component) },
  data: Object.fromEntries(
    weekdays.map((day) => [
      `${day}.json`,
      h.toJson(
        tenantSnapshot(day, {
          namespace: tenantNamespaceName(tenant.name),
          className: v.storage.snapshots.className,
          claim: names.openwebuiData,
        }),
      ),
    ]),
  ),
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
      rules: snapshotRoleRules,
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

const kubectl = (v: PlatformValues, h: Helpers, name: string, args: string[], mounts: VolumeMount[]): Container =>
  snapshotKubectl(h, { values: v.storage.snapshots.schedule.image, global: v.global }, name, args, mounts);

/** The CronJob of one weekday: replace that day's snapshot of every listed tenant. */
const rotation = (v: PlatformValues, h: Helpers, day: (typeof weekdays)[number], dayNumber: number): CronJob => {
  const s = v.storage.snapshots.schedule;
  const mounts = h.each(v.tenants, (t) => ({
    name: manifestsName(t.name),
    mountPath: `/snapshots/${t.name}`,
    readOnly: true,
  }));
  const files = h.each(v.tenants, (t) => `--filename=/snapshots/${t.name}/snapshot.json`);
  return weekdayRotation(
    { name: `tenant-snapshots-${day}`, namespace: platformNamespace, labels: platformLabels(h, component) },
    { minute: s.minute, hour: s.hour, dayNumber },
    {
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
          ...kubectlScratch.volumes,
        ],
      },
    },
  );
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
