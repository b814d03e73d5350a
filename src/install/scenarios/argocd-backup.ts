/**
 * Scenario 6's backup checks (issue 23): a tenant that came from the fleet folder is backed up like one of the list.
 * The platform's ApplicationSet hands every tenant the tenant chart's `backup`, so each fleet tenant's release has its
 * seven CronJobs; an operator's `kubectl create job --from=cronjob/…` starts the day's Job, which the API server admits
 * in the tenant's namespace (quota, Pod Security, the platform's admission policies). No container runs on a kwok
 * node, so the test runs the Job's own kubectl commands, from its own pod spec, with a token of its own ServiceAccount
 * (the Role is what lets them through). There is no snapshot controller: the VolumeSnapshot is created under the
 * rotation's name, replacing last week's, and never becomes ready to use.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { ConfigMap, CronJob, Named, Pod, VolumeSnapshot } from "../../../charts-src/lib/k8s.js";
import { labels } from "../../../charts-src/lib/conventions.js";
import { snapshotWeekdays, tenantSnapshotName } from "../../../charts-src/lib/tenant-snapshots.js";
import { Kube } from "../../harness/kube.js";
import type { Recorder } from "../../harness/recorder.js";
import { until } from "../../lib/wait.js";
import { installStandIns } from "../standin-names.js";

/** What the platform release sets for the fleet: snapshots on a schedule (its VolumeSnapshotClass too). */
export const fleetSnapshotValues = { storage: { snapshots: { enabled: true, schedule: { enabled: true } } } };

const serviceAccount = "tenant-snapshots";
const cronJobOf = (day: string) => `tenant-snapshots-${day}`;
/** The test's mark on last week's snapshot: the new one, taken by the Job, has none. */
const lastWeekLabel = "llmcharts.io/test-last-week";

/** A kubeconfig that authenticates as the Job's ServiceAccount, with a token the API server issued for it. */
const asServiceAccount = async (kube: Kube, namespace: string, dir: string): Promise<Kube> => {
  const admin = JSON.parse(await kube.kubectl(["config", "view", "--raw", "--minify", "-o", "json"])) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
  };
  const token = (await kube.kubectl(["create", "token", serviceAccount, "-n", namespace, "--duration=10m"])).trim();
  const file = join(dir, `${namespace}.kubeconfig`);
  writeFileSync(
    file,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: admin.clusters,
      users: [{ name: serviceAccount, user: { token } }],
      contexts: [{ name: "job", context: { cluster: admin.clusters[0]?.name, user: serviceAccount, namespace } }],
      "current-context": "job",
    }),
  );
  return new Kube(file);
};

/**
 * Runs a pod's kubectl containers in order (init containers first, as the kubelet would) against the cluster as
 * `job`: its command's own arguments, with each file it reads from a ConfigMap volume written to `dir`.
 */
const runPodAsKubelet = async (kube: Kube, job: Kube, pod: Named<Pod>, dir: string): Promise<string[]> => {
  const ns = pod.metadata.namespace as string;
  const files = new Map<string, string>();
  for (const volume of pod.spec?.volumes ?? []) {
    const source = volume.configMap;
    if (!source) continue;
    const map = await kube.get<ConfigMap>("configmap", source.name as string, ns);
    for (const mount of pod.spec?.containers[0]?.volumeMounts?.filter((m) => m.name === volume.name) ?? [])
      for (const item of source.items ?? []) {
        const local = join(dir, `${volume.name}-${item.path}`);
        writeFileSync(local, map.data?.[item.key] ?? "");
        files.set(`${mount.mountPath}/${item.path}`, local);
      }
  }
  const outputs: string[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    if (c.command?.[0] !== "kubectl") throw new Error(`container ${c.name} runs ${c.command?.join(" ")}, not kubectl`);
    const args = (c.args ?? []).map((a) => {
      const [flag, path] = a.split("=");
      return flag === "--filename" && path && files.has(path) ? `--filename=${files.get(path)}` : a;
    });
    outputs.push(`${c.name}: ${(await job.kubectl(args)).trim()}`);
  }
  return outputs;
};

/** Every fleet tenant's release has its rotation: seven CronJobs, one per weekday. */
export const checkFleetRotations = async (kube: Kube, r: Recorder, tenants: string[]): Promise<void> => {
  const found = await Promise.all(
    tenants.map(async (t) => {
      const jobs = await kube.list<CronJob>("cronjobs", `tenant-${t}`, "app.kubernetes.io/component=backup");
      return { t, names: jobs.map((j) => j.metadata.name).sort() };
    }),
  );
  const expected = snapshotWeekdays.map(cronJobOf).sort();
  r.check(
    `every fleet tenant rotates its own snapshots: ${expected.length} CronJobs tenant-snapshots-<weekday> in its namespace, set by the platform's ApplicationSet`,
    found.every((f) => f.names.join() === expected.join()),
    found.map((f) => `${f.t}: ${f.names.join(", ") || "none"}`).join("; "),
  );
};

/**
 * An operator's manual run of today's CronJob in one fleet tenant: last week's snapshot of the day (made here by the
 * test) is replaced by a new one under the same name, taken by the Job's own commands as its ServiceAccount, which may
 * touch no other tenant's snapshots. Returns the snapshot's name (the scenario checks it outlives the tenant's removal).
 */
export const takeSnapshotNow = async (kube: Kube, r: Recorder, tenant: string): Promise<string | undefined> => {
  const ns = `tenant-${tenant}`;
  const day = snapshotWeekdays[new Date().getUTCDay()] as string;
  const name = tenantSnapshotName(day);
  const dir = mkdtempSync(join(tmpdir(), "llmcharts-backup-"));
  try {
    // Last week's snapshot of the day, as the rotation left it: the day's own manifest, marked (no controller acts on it).
    const manifests = await kube.get<ConfigMap>("configmap", "tenant-snapshots", ns);
    const manifest = JSON.parse(manifests.data?.[`${day}.json`] ?? "{}") as Named<VolumeSnapshot>;
    const marked = { ...manifest.metadata.labels, [lastWeekLabel]: "true" };
    await kube.create([{ ...manifest, metadata: { ...manifest.metadata, labels: marked } }]);
    const before = await kube.get<VolumeSnapshot>("volumesnapshot", name, ns);

    const jobName = `${cronJobOf(day)}-now`;
    await kube.kubectl(["create", "job", `--from=cronjob/${cronJobOf(day)}`, jobName, "-n", ns]);
    let pod: Named<Pod> | undefined;
    await until(
      `the Job ${jobName}'s pod admitted and bound to a node`,
      async () => {
        [pod] = await kube.list<Pod>("pods", ns, `job-name=${jobName}`);
        return pod?.spec?.nodeName !== undefined;
      },
      60_000,
    );
    const admitted = pod as Named<Pod>;
    r.check(
      `${ns}: kubectl create job --from=cronjob/${cronJobOf(day)} starts a Job whose pod the API server admits (quota, Pod Security, admission policies) and the scheduler binds`,
      admitted.spec?.nodeName !== undefined,
      admitted.spec?.nodeName,
    );
    r.standIn(installStandIns.snapshotJob);
    const job = await asServiceAccount(kube, ns, dir);
    const outputs = await runPodAsKubelet(kube, job, admitted, dir);
    r.note(`the Job's commands as ${ns}/${serviceAccount}: ${outputs.join("; ")}`);

    const after = await kube.get<VolumeSnapshot>("volumesnapshot", name, ns);
    const snapshots = await kube.list<VolumeSnapshot>("volumesnapshots", ns);
    r.check(
      `${ns}: the Job replaced last week's ${name} with a new snapshot of the same name (the oldest replaced), of the data claim, with the platform's class`,
      after.metadata.uid !== before.metadata.uid &&
        after.metadata.labels?.[lastWeekLabel] === undefined &&
        after.spec?.source.persistentVolumeClaimName === "openwebui-data" &&
        after.spec?.volumeSnapshotClassName === "llmcharts-ebs",
      `uid ${before.metadata.uid} → ${after.metadata.uid}; ${JSON.stringify(after.spec)}`,
    );
    r.check(
      `${ns}: at most seven snapshots, one per weekday (${snapshots.length} here)`,
      snapshots.length <= 7 &&
        snapshots.every((s) => snapshotWeekdays.some((d) => s.metadata.name === tenantSnapshotName(d))),
      snapshots.map((s) => s.metadata.name).join(", "),
    );
    // No snapshot controller runs here: the object is the rotation's proof, not an EBS snapshot.
    r.check(
      `${ns}: ${name} is not ready to use (no snapshot controller here: the object is created, never taken)`,
      (after as { status?: { readyToUse?: boolean } }).status?.readyToUse !== true,
    );
    const others = (await kube.list<Named>("namespaces", undefined, labels.tenant))
      .map((n) => n.metadata.name)
      .filter((n) => n !== ns);
    const reach = await Promise.all(
      others.map(async (other) => {
        const res = await job.raw(["auth", "can-i", "delete", "volumesnapshots.snapshot.storage.k8s.io", "-n", other]);
        return `${other}: ${res.stdout.trim()}`;
      }),
    );
    const secrets = await job.raw(["auth", "can-i", "get", "secrets", "-n", ns]);
    r.check(
      `${ns}'s snapshot Jobs may touch no other tenant's snapshots, nor its own Secrets`,
      others.length > 0 && reach.every((x) => x.endsWith(": no")) && secrets.stdout.trim() === "no",
      `${reach.join(", ")}; secrets in ${ns}: ${secrets.stdout.trim()}`,
    );
    return name;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
