/**
 * Scenario 6, a real Argo CD: the platform release points its tenants ApplicationSet at a local git repository (the
 * generated tenant chart, tagged, and a fleet folder of three tenants); the pinned Argo CD's ApplicationSet
 * controller, application controller and repo server, running against the cluster, turn the folder into three
 * Applications that sync and turn Healthy on the kwok nodes, in two waves (RollingSync: the canary tenant first, the
 * others once it is Healthy). A hard refresh renders every tenant again and nothing changes (no perpetual diff:
 * Synced, no new sync). A commit removing a tenant from the folder deletes its Application with its resources, but
 * not its data claim nor its Namespace, which the tenant chart marks Delete=false; the other tenants stay Synced.
 * Backups (argocd-backup.ts): every fleet tenant rotates its own snapshots, an operator's run of a CronJob replaces
 * the day's snapshot, and the snapshot outlives the tenant's removal.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Named, PersistentVolumeClaim, ResourceQuota } from "../../../charts-src/lib/k8s.js";
import { pidAlive } from "../../cluster/processes.js";
import { type ArgoApplication, ArgoCd, argocdNamespace } from "../argocd.js";
import type { InstallContext, InstallScenario } from "../context.js";
import { FleetRepo } from "../fleet-repo.js";
import { checkFleetRotations, fleetSnapshotValues, takeSnapshotNow } from "./argocd-backup.js";
import type { Kube } from "../../harness/kube.js";
import type { Recorder } from "../../harness/recorder.js";
import { clusterReleaseNamespace, platformRelease, platformValues } from "../releases.js";
import { installStandIns } from "../standin-names.js";
import { provisionLiveClaims, publishControllerStatus } from "../standins.js";
import { sleep, until } from "../../lib/wait.js";

const applications = (kube: Kube) => kube.list<ArgoApplication>("applications.argoproj.io", argocdNamespace);

/** One line per Application: its sync and health, and what is not Healthy or Synced in it. */
const describe = (apps: Named<ArgoApplication>[]): string =>
  apps
    .map((a) => {
      const s = a.status;
      const unwell = (s?.resources ?? [])
        .filter((x) => (x.health && x.health.status !== "Healthy") || x.status !== "Synced")
        .map(
          (x) =>
            `${x.kind}/${x.name} ${x.status}/${x.health?.status ?? "-"}${x.health?.message ? ` (${x.health.message})` : ""}`,
        );
      const conditions = (s?.conditions ?? []).map((c) => `${c.type}: ${c.message}`);
      const op = s?.operationState ? `op ${s.operationState.phase}: ${s.operationState.message ?? ""}` : "";
      return `${a.metadata.name}: ${s?.sync?.status ?? "-"}/${s?.health?.status ?? "-"} ${[...unwell, ...conditions, op].filter(Boolean).join("; ")}`;
    })
    .join("\n");

const syncedHealthy = (a: Named<ArgoApplication>) =>
  a.status?.sync?.status === "Synced" && a.status?.health?.status === "Healthy";

/** Polls until `done` holds for the Applications, doing each round what absent controllers would (stand-ins). */
const waitApps = async (
  kube: Kube,
  namespaces: string[],
  done: (apps: Named<ArgoApplication>[]) => boolean,
  timeoutMs: number,
  standIns: Set<string>,
): Promise<{ ok: boolean; apps: Named<ArgoApplication>[] }> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const v of await provisionLiveClaims(kube, namespaces)) standIns.add(`PersistentVolume/${v}`);
    for (const o of await publishControllerStatus(kube, namespaces)) standIns.add(o);
    const apps = await applications(kube);
    if (done(apps)) return { ok: true, apps };
    if (Date.now() > deadline) return { ok: false, apps };
    await sleep(1000);
  }
};

const annotate = (kube: Kube, kind: string, name: string, annotation: string) =>
  kube.kubectl(["annotate", kind, name, "-n", argocdNamespace, "--overwrite", annotation]);

/** What the phases of the scenario share: the cluster, the running Argo CD, the repository, the stand-ins made. */
interface Fleet {
  kube: Kube;
  argo: ArgoCd;
  r: Recorder;
  repo: FleetRepo;
  namespaces: string[];
  standIns: Set<string>;
}

const wait = (f: Fleet, done: (apps: Named<ArgoApplication>[]) => boolean, timeoutMs: number) =>
  waitApps(f.kube, f.namespaces, done, timeoutMs, f.standIns);

/** The tenant of the first wave. */
const canaryOf = (repo: FleetRepo): string => repo.tenants[0] as string;

/** The platform release, upgraded to read the repository: the tenant chart at its tag, the fleet on main. */
const pointPlatformAt = async (ctx: InstallContext, r: Recorder, repo: FleetRepo): Promise<boolean> => {
  // The first tenant is the canary (RollingSync: it syncs first, the rest once it is Healthy). A removed tenant's
  // resources are deleted, so what keeps its claim and Namespace is the tenant chart's own marks, not the
  // ApplicationSet's blanket preserveResourcesOnDeletion.
  const fleetValues = join(ctx.opts.workDir, "platform-argocd-fleet.yaml");
  writeFileSync(
    fleetValues,
    stringify({
      argocd: {
        repoURL: repo.url,
        targetRevision: repo.chartTag,
        fleet: { repoURL: repo.url, revision: "main" },
        rollout: { canary: [canaryOf(repo)], maxUpdate: "50%" },
        preserveResourcesOnDeletion: false,
      },
      // Snapshots on a schedule: the ApplicationSet hands every fleet tenant its own rotation.
      ...fleetSnapshotValues,
    }),
  );
  const upgraded = await r.step("platform upgraded: its ApplicationSet reads the local fleet repository", () =>
    ctx.need().helm.upgrade({
      release: platformRelease,
      chartDir: ctx.chartDir("platform"),
      namespace: clusterReleaseNamespace,
      valuesFiles: [ctx.valuesFile(platformValues), fleetValues],
      // The platform schema takes only https:// and ssh:// repositories (no plaintext git in production); this
      // repository is a file:// URL, which Argo CD reads as upstream's own end-to-end tests do. The templates
      // render any URL alike, so only this upgrade skips the schema.
      chartArgs: ["--skip-schema-validation"],
    }),
  );
  return upgraded !== undefined;
};

/** One Application per fleet file, each Synced and Healthy; returns them (none when they did not get there). */
const syncFleet = async (f: Fleet): Promise<Named<ArgoApplication>[]> => {
  const { r, argo } = f;
  const expected = f.namespaces.slice().sort();
  const names = (apps: Named<ArgoApplication>[]) => apps.map((a) => a.metadata.name).sort();
  const t0 = Date.now();
  const first = await wait(f, (apps) => names(apps).join() === expected.join() && apps.every(syncedHealthy), 240_000);
  r.check(
    `the ApplicationSet made one Application per fleet file: ${expected.join(", ")}`,
    names(first.apps).join() === expected.join(),
    names(first.apps).join(", ") || "no Application",
  );
  r.check(
    "every Application Synced and Healthy",
    first.ok,
    `${describe(first.apps)}\n--- application controller ---\n${argo.logTail("argocd-application-controller")}`,
  );
  r.note(`synced and Healthy ${((Date.now() - t0) / 1000).toFixed(1)}s after Argo CD started`);
  r.note(`stand-ins for absent controllers: ${[...f.standIns].sort().join(", ") || "none"}`);
  const kinds = new Set([...f.standIns].map((o) => o.split("/")[0]));
  if (kinds.has("PersistentVolume")) r.standIn(installStandIns.provisioner);
  if (kinds.has("Ingress")) r.standIn(installStandIns.ingress);
  if (kinds.has("ScaledObject")) r.standIn(installStandIns.kedaFleetStatus);
  if (!first.ok) return [];
  await checkWaves(f, first.apps);
  await checkSiteLayer(f);
  r.check(
    "each tenant synced from the chart's tag and the fleet's main commit",
    first.apps.every((a) => a.status?.sync?.revisions?.length === 2),
    first.apps.map((a) => `${a.metadata.name}: ${a.status?.sync?.revisions?.join(", ")}`).join("; "),
  );
  return first.apps;
};

/** What the fleet's site layer (tenants/site.yaml) sets, and the one key a tenant's own file sets over it. */
const siteLayer = {
  storageClass: "llmcharts-gp3-encrypted",
  pods: "30",
  override: { tenant: "fleet-alpha", pods: "35" },
};

/**
 * The site layer as Argo CD handed it to Helm, read back from the cluster: every tenant has the site's storage class
 * and pod quota, which no tenant file sets, except where its own file sets the quota (it comes after the site's).
 */
const checkSiteLayer = async (f: Fleet): Promise<void> => {
  const found = await Promise.all(
    f.repo.tenants.map(async (t) => {
      const ns = `tenant-${t}`;
      const claim = await f.kube.get<PersistentVolumeClaim>("pvc", "openwebui-data", ns);
      const quota = await f.kube.get<ResourceQuota>("resourcequota", "tenant-quota", ns);
      return { t, storageClass: claim?.spec?.storageClassName, pods: quota?.spec?.hard?.pods };
    }),
  );
  const { storageClass, pods, override } = siteLayer;
  f.r.check(
    `site layer: every tenant's data claim on the site's StorageClass ${storageClass}, which no tenant file sets`,
    found.every((x) => x.storageClass === storageClass),
    found.map((x) => `${x.t}: ${x.storageClass}`).join(", "),
  );
  f.r.check(
    `site layer first, tenant file last: quota pods ${pods} from the site, ${override.pods} where ${override.tenant}'s own file sets it`,
    found.every((x) => x.pods === (x.t === override.tenant ? override.pods : pods)),
    found.map((x) => `${x.t}: ${x.pods}`).join(", "),
  );
};

interface RolloutStatus {
  apiVersion: string;
  kind: string;
  status?: { applicationStatus?: { application: string; status: string; step: string }[] };
}

/**
 * The RollingSync steps as the ApplicationSet controller recorded them (the canary alone in step 1), and their order:
 * no other tenant's sync started before the canary's had finished.
 */
const checkWaves = async (f: Fleet, apps: Named<ArgoApplication>[]): Promise<void> => {
  const [appset] = await f.kube.list<RolloutStatus>("applicationsets.argoproj.io", argocdNamespace);
  const steps = appset?.status?.applicationStatus ?? [];
  const canary = `tenant-${canaryOf(f.repo)}`;
  const stepOf = (app: string) => steps.find((s) => s.application === app)?.step;
  f.r.check(
    `RollingSync: ${canary} synced in step 1, the other tenants in step 2, every one Healthy`,
    steps.length === f.namespaces.length &&
      f.namespaces.every((app) => stepOf(app) === (app === canary ? "1" : "2")) &&
      steps.every((s) => s.status === "Healthy"),
    JSON.stringify(steps),
  );
  const op = (a?: Named<ArgoApplication>) => a?.status?.operationState;
  const canaryDone = Date.parse(op(apps.find((a) => a.metadata.name === canary))?.finishedAt ?? "");
  const others = apps.filter((a) => a.metadata.name !== canary);
  f.r.check(
    "RollingSync: the other tenants started syncing only once the canary's sync had finished",
    others.length > 0 && others.every((a) => Date.parse(op(a)?.startedAt ?? "") >= canaryDone),
    apps.map((a) => `${a.metadata.name} ${op(a)?.startedAt} → ${op(a)?.finishedAt}`).join("; "),
  );
};

/**
 * The Applications once the rollout has stopped syncing: the ApplicationSet controller records every step's
 * Applications Healthy (it syncs each step's Applications itself, so before that one of its syncs may still land), and
 * no Application has an operation requested or running. Throws, with the fleet's state, after `timeoutMs`.
 */
const rolloutFinished = async (kube: Kube, timeoutMs = 120_000): Promise<Named<ArgoApplication>[]> => {
  let apps: Named<ArgoApplication>[] = [];
  await until(
    "the rollout finished: every step's Applications Healthy in the ApplicationSet, no operation pending or running",
    async () => {
      const [appset] = await kube.list<RolloutStatus>("applicationsets.argoproj.io", argocdNamespace);
      const steps = appset?.status?.applicationStatus ?? [];
      apps = await applications(kube);
      return (
        steps.length === apps.length &&
        steps.every((s) => s.status === "Healthy") &&
        apps.every((a) => a.operation === undefined && a.status?.operationState?.phase !== "Running")
      );
    },
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${describe(apps)}`);
  });
  return apps;
};

/**
 * A second render: a hard refresh makes the controller render every tenant again (no manifest cache) and compare; a
 * perpetual diff would show as OutOfSync, or as a new sync by self-heal.
 */
const renderAgain = async (f: Fleet, synced: Named<ArgoApplication>[]): Promise<void> => {
  const { kube, r } = f;
  const syncs = (a: Named<ArgoApplication>) => a.status?.history?.length ?? 0;
  // The rollout's own syncs may still land after every Application first turned Synced: count from a finished one.
  const quiet = await rolloutFinished(kube);
  const before = new Map(quiet.map((a) => [a.metadata.name, a.status]));
  for (const a of synced)
    await annotate(kube, "applications.argoproj.io", a.metadata.name, "argocd.argoproj.io/refresh=hard");
  const second = await wait(
    f,
    (apps) =>
      apps.every(
        (a) =>
          !a.metadata.annotations?.["argocd.argoproj.io/refresh"] &&
          a.status?.reconciledAt !== before.get(a.metadata.name)?.reconciledAt,
      ),
    90_000,
  );
  r.check("a hard refresh rendered every tenant again", second.ok, describe(second.apps));
  // Self-heal acts on the comparison the refresh just recorded: a diff there shows as OutOfSync, as an operation
  // requested, or as a sync started after the one before the refresh.
  const settled = second.apps;
  const untouched = (a: Named<ArgoApplication>) => {
    const was = before.get(a.metadata.name);
    return (
      a.operation === undefined &&
      syncs(a) === (was?.history?.length ?? -1) &&
      a.status?.operationState?.startedAt === was?.operationState?.startedAt
    );
  };
  r.check(
    "after the second render every Application is still Synced and Healthy, with no new sync (no perpetual diff)",
    settled.every((a) => syncedHealthy(a) && untouched(a)),
    `${describe(settled)}\nsyncs: ${settled.map((a) => `${a.metadata.name} ${syncs(a)} (before ${before.get(a.metadata.name)?.history?.length})`).join(", ")}`,
  );
};

/**
 * A tenant leaves the fleet: a commit removes its folder and the ApplicationSet is told to read the repository again
 * (what a push webhook does). Its Application goes with its workloads; its Namespace and data claim stay.
 */
const removeTenant = async (f: Fleet, snapshot: string | undefined): Promise<void> => {
  const { kube, r, repo } = f;
  const gone = leavingTenant(repo);
  const ns = `tenant-${gone}`;
  const commit = await repo.removeTenant(gone);
  r.note(`commit ${commit.slice(0, 12)} removes tenants/${gone}`);
  const [appset] = await kube.list<Named>("applicationsets.argoproj.io", argocdNamespace);
  const refresh = "argocd.argoproj.io/application-set-refresh=true";
  await annotate(kube, "applicationsets.argoproj.io", appset?.metadata.name ?? "", refresh);
  const removed = await wait(
    f,
    (apps) => !apps.some((a) => a.metadata.name === ns) && apps.every(syncedHealthy),
    120_000,
  );
  r.check(
    `the ApplicationSet deleted ${ns}'s Application; the others stay Synced and Healthy`,
    removed.ok,
    `${describe(removed.apps)}\n--- applicationset controller ---\n${f.argo.logTail("argocd-applicationset-controller")}`,
  );
  const deployments = await kube.list<Named>("deployments", ns).catch(() => []);
  r.check(
    `${ns}: its workloads were deleted with the Application (the deletion cascaded)`,
    deployments.length === 0,
    deployments.map((d) => d.metadata.name).join(", "),
  );
  const namespace = await kube.get<Named>("namespace", ns).catch(() => undefined);
  r.check(
    `${ns}: the Namespace stays (Delete=false)`,
    namespace !== undefined && !namespace.metadata.deletionTimestamp,
    namespace ? `deletionTimestamp ${namespace.metadata.deletionTimestamp}` : "gone",
  );
  const claim = await kube.exists("persistentvolumeclaim", "openwebui-data", ns);
  r.check(`${ns}: the data claim openwebui-data stays (Delete=false)`, claim);
  if (snapshot === undefined) return;
  const cronJobs = await kube.list<Named>("cronjobs", ns);
  const kept = await kube.exists("volumesnapshot", snapshot, ns);
  r.check(
    `${ns}: its snapshot ${snapshot} stays (no object of the release), its snapshot CronJobs went with the Application`,
    kept && cronJobs.length === 0,
    `snapshot ${kept ? "kept" : "gone"}; CronJobs: ${cronJobs.map((c) => c.metadata.name).join(", ") || "none"}`,
  );
};

/** The tenant the scenario removes from the folder: the last. */
const leavingTenant = (repo: FleetRepo): string => repo.tenants[repo.tenants.length - 1] as string;

export const argocd: InstallScenario = {
  id: "6",
  title:
    "Argo CD: the platform's ApplicationSet turns a fleet folder into Synced, Healthy tenants; no perpetual diff; a removed tenant keeps its claim and Namespace",
  // Argo CD's start, three tenants synced, a second render, a removal (each wait bounded).
  timeoutMs: 600_000,
  run: async (ctx, r, made) => {
    const { kube } = ctx.need();
    if (!ctx.embedded) {
      // A second Argo CD would fight the cluster's own over the Applications of its argocd namespace.
      r.note("external cluster: Argo CD is run only beside the embedded cluster");
      r.check("nothing to run", true);
      return;
    }
    if (!r.check("the platform release is installed (scenario 2)", made.platform === true)) return;
    const repo = await FleetRepo.create(
      join(ctx.opts.workDir, "argocd-fleet"),
      ctx.chartDir("tenant"),
      join(ctx.opts.root, "test", "install", "fleet", "tenants"),
    );
    r.note(`git repository ${repo.url}: generated/tenant at tag ${repo.chartTag}, tenants/{${repo.tenants.join(",")}}`);
    if (!(await pointPlatformAt(ctx, r, repo))) return;

    const argo = new ArgoCd(kube);
    const f: Fleet = { kube, argo, r, repo, namespaces: repo.tenants.map((t) => `tenant-${t}`), standIns: new Set() };
    try {
      const t0 = Date.now();
      const pids = await r.step("Argo CD repo server, application controller and ApplicationSet controller up", () =>
        argo.start(),
      );
      if (!pids) return;
      const list = Object.entries(pids).map(([n, p]) => `${n} ${p}`);
      r.note(`Argo CD up in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${list.join(", ")}`);
      const synced = await syncFleet(f);
      if (synced.length === 0) return;
      await renderAgain(f, synced);
      await checkFleetRotations(kube, r, repo.tenants);
      // In the tenant that leaves next: its snapshot must outlive its Application.
      const snapshot = await r.step("a fleet tenant's snapshot taken now by its CronJob's Job", () =>
        takeSnapshotNow(kube, r, leavingTenant(repo)),
      );
      await removeTenant(f, snapshot);
    } finally {
      const survivors = await argo.stop();
      r.check(
        "every Argo CD process stopped by PID and its directory removed",
        survivors.length === 0 && Object.values(argo.pids).every((pid) => !pidAlive(pid)) && !existsSync(argo.workDir),
        survivors.join(", ") || argo.workDir,
      );
    }
  },
};
