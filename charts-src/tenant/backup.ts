import { labels, priorityClasses } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ConfigMap, Container, CronJob, NetworkPolicy, Role, RoleBinding, ServiceAccount } from "../lib/k8s.js";
import { restrictedPodSecurityContext } from "../lib/pod-security.js";
import {
  kubectlScratch,
  type SnapshotWeekday,
  snapshotKubectl,
  snapshotRoleRules,
  snapshotWeekdays,
  tenantSnapshot,
  weekdayRotation,
} from "../lib/tenant-snapshots.js";
import { imagePullSecrets, names, namespaced, onStandardNodes, podLabels, tenantNamespace } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * The tenant's own backup: rotating daily snapshots of OpenWebUI's data claim, with nothing but kubectl. One CronJob
 * per weekday deletes that day's snapshot (`openwebui-data-<weekday>`) and takes it again, so the tenant holds at
 * most seven and the oldest is the one replaced. The manifests are a ConfigMap (a key per weekday), so the Jobs need
 * no shell. Their ServiceAccount may get, create and delete VolumeSnapshots in this namespace, nothing else; their
 * pods may reach the API server and DNS, nothing else. The release carries it, so a tenant of the fleet folder and one
 * of the platform's list are backed up alike. Snapshots are not the release's objects: uninstalling it leaves them.
 */

const workload = "tenant-snapshots";
const manifestsKey = (day: string) => `${day}.json`;
const manifestsDir = "/snapshots";
const snapshotFile = `--filename=${manifestsDir}/snapshot.json`;

/** The claim the snapshots are of: the chart's own, or the one the operator mounts instead. */
const dataClaim = (v: TenantValues, h: Helpers): string =>
  h.pick(
    h.isSet(v.openwebui.persistence.existingClaim),
    v.openwebui.persistence.existingClaim,
    names.openwebuiData,
  ) as string;

const snapshot = (v: TenantValues, h: Helpers, day: SnapshotWeekday) =>
  tenantSnapshot(day, {
    namespace: tenantNamespace(v),
    className: v.backup.snapshotClass,
    claim: dataClaim(v, h),
  });

/** Each weekday's manifest, written once as `tenant.backup.snapshot` (the day its argument). */
const manifests = (v: TenantValues, h: Helpers): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: namespaced(v, h, workload, "backup"),
  data: Object.fromEntries(
    snapshotWeekdays.map((day) => [
      manifestsKey(day),
      h.partial(
        "backup.snapshot",
        (a) => h.toJson(snapshot(v, h, a.day as SnapshotWeekday)),
        "The VolumeSnapshot of the data claim a weekday's CronJob takes (openwebui-data-<day>), as JSON.",
        { day },
      ),
    ]),
  ),
});

const serviceAccount = (v: TenantValues, h: Helpers): ServiceAccount => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: namespaced(v, h, workload, "backup"),
  automountServiceAccountToken: false,
});

/** What the Jobs may do: read, take and delete this namespace's VolumeSnapshots. */
const role = (v: TenantValues, h: Helpers): Role => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "Role",
  metadata: namespaced(v, h, workload, "backup"),
  rules: snapshotRoleRules,
});

const roleBinding = (v: TenantValues, h: Helpers): RoleBinding => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: namespaced(v, h, workload, "backup"),
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: workload },
  subjects: [{ kind: "ServiceAccount", name: workload, namespace: tenantNamespace(v) }],
});

/** The namespace denies all traffic and admits DNS: the Jobs also need the API server. */
const apiServerEgress = (v: TenantValues, h: Helpers): NetworkPolicy => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: namespaced(v, h, `${workload}-egress`, "backup"),
  spec: {
    podSelector: { matchLabels: { [labels.component]: "backup" } },
    policyTypes: ["Egress"],
    egress: [
      {
        to: h.each(v.network.apiServer.cidrs, (cidr) => ({ ipBlock: { cidr } })),
        ports: h.each(v.network.apiServer.ports, (port) => ({ protocol: "TCP" as const, port })),
      },
    ],
  },
});

const kubectl = (v: TenantValues, h: Helpers, name: string, args: string[]): Container =>
  snapshotKubectl(
    h,
    { values: v.backup.image, global: v.global },
    name,
    [...args, snapshotFile],
    [{ name: "manifest", mountPath: manifestsDir, readOnly: true }],
  );

/** The CronJob of one weekday: replace that day's snapshot. */
const rotationOf = (v: TenantValues, h: Helpers, day: string, dayNumber: string): CronJob =>
  weekdayRotation(
    namespaced(v, h, `${workload}-${day}`, "backup"),
    { minute: v.backup.minute, hour: v.backup.hour, dayNumber },
    {
      metadata: {
        labels: podLabels(v, h, workload, "backup"),
        // A mesh proxy would keep the Job's pod running after kubectl is done.
        annotations: { "linkerd.io/inject": "disabled" },
      },
      spec: {
        serviceAccountName: workload,
        automountServiceAccountToken: true,
        restartPolicy: "Never",
        enableServiceLinks: false,
        ...imagePullSecrets(v, h),
        securityContext: restrictedPodSecurityContext({ uid: 65532, gid: 65532, fsGroup: 65532 }),
        affinity: onStandardNodes(h),
        priorityClassName: priorityClasses.standard,
        // Last week's snapshot goes first (and is waited for), then this week's is taken under its name.
        initContainers: [
          kubectl(v, h, "delete-last-week", ["delete", "--ignore-not-found", "--wait", "--timeout=20m"]),
        ],
        containers: [kubectl(v, h, "snapshot", ["create"])],
        volumes: [
          {
            name: "manifest",
            configMap: { name: workload, items: [{ key: manifestsKey(day), path: "snapshot.json" }] },
          },
          ...kubectlScratch.volumes,
        ],
      },
    },
  );

/** Each weekday's CronJob, written once as `tenant.backup.cronJob` (the day and its number its arguments). */
const rotation = (v: TenantValues, h: Helpers, day: SnapshotWeekday, dayNumber: number) =>
  h.partial(
    "backup.cronJob",
    (a) => rotationOf(v, h, a.day, a.dayNumber),
    "A weekday's CronJob: delete that day's snapshot of last week, then take it again.",
    { day, dayNumber: `${dayNumber}` },
  );

/** Only a claim EBS can snapshot: persistence on, ReadWriteOnce. */
export const backupTemplate = (v: TenantValues, h: Helpers) => [
  h.when(
    h.and(v.backup.enabled, v.openwebui.persistence.enabled, h.eq(v.openwebui.persistence.accessMode, "ReadWriteOnce")),
    [
      serviceAccount(v, h),
      role(v, h),
      roleBinding(v, h),
      apiServerEgress(v, h),
      manifests(v, h),
      snapshotWeekdays.map((day, i) => rotation(v, h, day, i)),
    ],
  ),
];
