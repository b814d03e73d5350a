/**
 * Issue 23: a tenant of the fleet folder is backed up like a tenant of the inline list. The platform's ApplicationSet
 * hands every tenant it delivers the tenant chart's `backup`, and the tenant release rotates its own snapshots.
 */
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import type {
  ApplicationSet,
  ConfigMap,
  CronJob,
  NetworkPolicy,
  Role,
  RoleBinding,
  ServiceAccount,
} from "../../charts-src/lib/k8s.js";
import { defaultPolicySettings } from "../../charts-src/platform/policies/settings.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";

const render = (chart: "platform" | "tenant", user: unknown, release = "platform"): Rendered[] =>
  renderChart(chart, user, { name: release, namespace: "default", chartVersion: charts[chart]?.version ?? "" });
const platformErrors = valuesChecker(charts.platform as never);

const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const argocd = {
  enabled: true,
  repoURL: "https://github.com/example/llm.git",
  targetRevision: "v1.4.2",
  fleet: { repoURL: "https://github.com/example/fleet.git" },
};
const schedule = { storage: { snapshots: { enabled: true, schedule: { enabled: true, hour: 1, minute: 30 } } } };

type Parameter = { name: string; value: string; forceString?: boolean };

/** The Helm parameters the ApplicationSet gives every tenant's chart source. */
const parametersOf = (platform: Rendered[]): Parameter[] => {
  const [appset] = ofKind<ApplicationSet>(platform, "ApplicationSet");
  const spec = present(appset, "the ApplicationSet").spec.template.spec as {
    source?: { helm?: { parameters?: Parameter[] } };
    sources?: { helm?: { parameters?: Parameter[] } }[];
  };
  return (spec.source ?? spec.sources?.[0])?.helm?.parameters ?? [];
};

/** Parameters as values, the way Helm's --set reads them (Argo CD's forceString is --set-string). */
const asValues = (parameters: Parameter[]): Record<string, unknown> => {
  const values: Record<string, unknown> = {};
  const helmTyped = (text: string): unknown => {
    if (text === "true" || text === "false") return text === "true";
    return /^[0-9]+$/.test(text) ? Number(text) : text;
  };
  for (const p of parameters) {
    const path = p.name.split(".");
    let at = values;
    for (const key of path.slice(0, -1)) {
      at[key] = at[key] ?? {};
      at = at[key] as Record<string, unknown>;
    }
    at[path.at(-1) as string] = p.forceString ? p.value : helmTyped(p.value);
  }
  return values;
};

/** A fleet file: the tenant's own values, nothing about backups. */
const fleetFile = { tenant: { name: "initech", tier: "standard", costCentre: "CC-9" } };

/** The tenant as the ApplicationSet delivers it: its fleet file, then the platform's parameters over it. */
const delivered = (platformValues: object, file: object = fleetFile) => {
  const parameters = asValues(parametersOf(render("platform", platformValues)));
  const withBackup = { ...file, ...parameters };
  return render("tenant", withBackup, "initech");
};

const cronJobs = (docs: Rendered[]) => ofKind<CronJob>(docs, "CronJob");

describe("a tenant of the fleet folder is backed up like one of the list", () => {
  it("the ApplicationSet sets the tenant chart's backup on every tenant it delivers, from the platform's schedule", () => {
    const fromFiles = parametersOf(render("platform", { argocd, ...schedule }));
    expect(fromFiles).toEqual([
      { name: "backup.enabled", value: "true" },
      { name: "backup.snapshotClass", value: "llmcharts-ebs", forceString: true },
      { name: "backup.hour", value: "1" },
      { name: "backup.minute", value: "30" },
      { name: "backup.image.repository", value: "registry.k8s.io/kubectl", forceString: true },
      { name: "backup.image.tag", value: "v1.35.8", forceString: true },
    ]);
    // The list's tenants get the same, after their identity.
    const list = { argocd: { ...argocd, tenantsFrom: "list" }, tenants: [{ name: "acme", costCentre: "CC-1" }] };
    const fromList = parametersOf(render("platform", { ...list, ...schedule }));
    expect(fromList.filter((p) => p.name.startsWith("backup."))).toEqual(fromFiles);
    // No schedule, no backup: a fleet tenant's chart source has no parameters at all.
    expect(parametersOf(render("platform", { argocd }))).toEqual([]);
  });

  it("a fleet tenant's release replaces one snapshot of its data claim each weekday, keeping seven", () => {
    const docs = delivered({ argocd, ...schedule });
    const jobs = cronJobs(docs);
    expect(jobs.map((c) => c.metadata.name)).toEqual(weekdays.map((d) => `tenant-snapshots-${d}`));
    expect(jobs.map((c) => c.spec?.schedule)).toEqual(weekdays.map((_, i) => `30 1 * * ${i}`));
    const [manifests] = ofKind<ConfigMap>(docs, "ConfigMap").filter((c) => c.metadata.name === "tenant-snapshots");
    for (const [i, job] of jobs.entries()) {
      const day = weekdays[i] as string;
      expect(job.metadata.namespace).toBe("tenant-initech");
      expect(job.spec?.startingDeadlineSeconds).toBe(3600);
      const pod = present(job.spec?.jobTemplate.spec?.template.spec, `the pod of ${job.metadata.name}`);
      // Last week's snapshot of the day goes first, then it is taken again under the same name.
      const [remove] = present(pod.initContainers, "the init containers");
      expect(remove?.args).toEqual([
        "delete",
        "--ignore-not-found",
        "--wait",
        "--timeout=20m",
        "--filename=/snapshots/snapshot.json",
      ]);
      expect(pod.containers[0]?.args).toEqual(["create", "--filename=/snapshots/snapshot.json"]);
      expect(pod.volumes?.find((v) => v.name === "manifest")?.configMap?.items).toEqual([
        { key: `${day}.json`, path: "snapshot.json" },
      ]);
      const snapshot = JSON.parse(present(manifests?.data?.[`${day}.json`], `${day}'s manifest`));
      expect(snapshot).toMatchObject({
        kind: "VolumeSnapshot",
        // The names the platform's own CronJobs gave them: an upgrade continues the same week.
        metadata: { name: `openwebui-data-${day}`, namespace: "tenant-initech" },
        spec: { volumeSnapshotClassName: "llmcharts-ebs", source: { persistentVolumeClaimName: "openwebui-data" } },
      });
    }
  });

  it("the platform then renders no CronJob of its own, and no Role in any tenant's namespace: nothing races the tenants'", () => {
    const list = { argocd: { ...argocd, tenantsFrom: "list" }, tenants: [{ name: "acme", costCentre: "CC-1" }] };
    for (const values of [
      { argocd, ...schedule },
      { ...list, ...schedule },
    ]) {
      const docs = render("platform", values);
      expect(cronJobs(docs)).toEqual([]);
      expect(ofKind(docs, "Role")).toEqual([]);
    }
    // Without Argo CD the platform delivers no tenant: its own CronJobs snapshot the listed ones, as before.
    const alone = render("platform", { ...schedule, tenants: [{ name: "acme", costCentre: "CC-1" }] });
    expect(cronJobs(alone).map((c) => c.metadata.name)).toEqual(weekdays.map((d) => `tenant-snapshots-${d}`));
  });

  it("a fleet platform needs no tenants list for the schedule; without Argo CD an empty list is refused", () => {
    expect(platformErrors({ argocd, ...schedule })).toEqual([]);
    expect(platformErrors(schedule).join("\n")).toMatch(/tenants.*fewer than 1 items/);
  });

  it("the Jobs may get, create and delete VolumeSnapshots in the tenant's own namespace, and reach only the API server", () => {
    const docs = delivered({ argocd, ...schedule });
    const [role] = ofKind<Role>(docs, "Role").filter((r) => r.metadata.name === "tenant-snapshots");
    expect(role?.metadata.namespace).toBe("tenant-initech");
    expect(role?.rules).toEqual([
      { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["get", "create", "delete"] },
    ]);
    expect(ofKind(docs, "ClusterRole")).toEqual([]);
    const [binding] = ofKind<RoleBinding>(docs, "RoleBinding").filter((b) => b.metadata.name === "tenant-snapshots");
    expect(binding?.subjects).toEqual([
      { kind: "ServiceAccount", name: "tenant-snapshots", namespace: "tenant-initech" },
    ]);
    const [account] = ofKind<ServiceAccount>(docs, "ServiceAccount").filter(
      (s) => s.metadata.name === "tenant-snapshots",
    );
    expect(account?.automountServiceAccountToken).toBe(false);
    const pod = present(cronJobs(docs)[0]?.spec?.jobTemplate.spec?.template, "the Job's pod");
    expect(pod.spec?.serviceAccountName).toBe("tenant-snapshots");
    const [egress] = ofKind<NetworkPolicy>(docs, "NetworkPolicy").filter(
      (p) => p.metadata.name === "tenant-snapshots-egress",
    );
    expect(egress?.spec?.podSelector?.matchLabels).toEqual({ "app.kubernetes.io/component": "backup" });
    expect(pod.metadata?.labels?.["app.kubernetes.io/component"]).toBe("backup");
    expect(egress?.spec?.egress).toEqual([
      {
        to: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((cidr) => ({ ipBlock: { cidr } })),
        ports: [443, 6443].map((port) => ({ protocol: "TCP", port })),
      },
    ]);
  });

  it("the Jobs' image comes from a registry the platform's policies admit by default", () => {
    const docs = delivered({ argocd, ...schedule });
    const pod = present(cronJobs(docs)[0]?.spec?.jobTemplate.spec?.template.spec, "the Job's pod");
    for (const c of [...(pod.initContainers ?? []), ...pod.containers])
      expect(defaultPolicySettings.allowedRegistries.some((prefix) => c.image?.startsWith(prefix))).toBe(true);
  });

  it("snapshots the claim OpenWebUI mounts, and renders nothing where there is no EBS claim to snapshot", () => {
    const restored = delivered(
      { argocd, ...schedule },
      {
        ...fleetFile,
        openwebui: { persistence: { existingClaim: "openwebui-restored" } },
      },
    );
    const [manifests] = ofKind<ConfigMap>(restored, "ConfigMap").filter((c) => c.metadata.name === "tenant-snapshots");
    const monday = JSON.parse(present(manifests?.data?.["mon.json"], "Monday's manifest"));
    expect(monday.metadata.name).toBe("openwebui-data-mon");
    expect(monday.spec.source.persistentVolumeClaimName).toBe("openwebui-restored");
    for (const persistence of [{ enabled: false }, { accessMode: "ReadWriteMany", storageClass: "efs" }]) {
      const docs = delivered({ argocd, ...schedule }, { ...fleetFile, openwebui: { persistence } });
      expect(cronJobs(docs)).toEqual([]);
    }
  });

  it("a tenant's backup stays off by default", () => {
    expect(cronJobs(render("tenant", fleetFile, "initech"))).toEqual([]);
  });
});
