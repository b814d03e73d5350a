import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { platformNamespace, podSecurityLabels, priorityClasses } from "../../charts-src/lib/conventions.js";
import { devicePluginConfigLabel, gpuSharingModes } from "../../charts-src/lib/gpu-sharing.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import type {
  ConfigMap,
  CronJob,
  Job,
  NetworkPolicy,
  NodePool,
  PersistentVolume,
  PodMonitor,
  PriorityClass,
  PrometheusRule,
  Role,
  RoleBinding,
  ServiceMonitor,
  StorageClass,
} from "../../charts-src/lib/k8s.js";
import { charts } from "../../charts-src/index.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const release = { name: "platform", namespace: "llmcharts-system", chartVersion: platformChart.version };
const render = (user: unknown = {}) => renderChart("platform", user, release);
const platformErrors = valuesChecker(charts.platform as never);
const jobNames = (docs: Rendered[]) => ofKind<Job>(docs, "Job").map((j) => j.metadata.name);

const cache = {
  enabled: true,
  fileSystemId: "fs-0a1b2c3d4e5f60718",
  accessPointId: "fsap-0123456789abcdef0",
};
const llama = { name: "llama3.2", tag: "3b", tier: "standard", sizeGiB: 2 };
const qwen = { name: "qwen2.5", tag: "7b", tier: "standard", sizeGiB: 5 };

describe("model cache", () => {
  it("stays off until a file system is named", () => {
    const docs = render();
    for (const kind of ["Job", "PersistentVolume", "PersistentVolumeClaim"]) expect(ofKind(docs, kind)).toEqual([]);
    expect(ofKind(docs, "StorageClass").map((s) => s.metadata.name)).toEqual(["llmcharts-gp3-encrypted"]);
  });

  it("a pull Job keeps its name while the catalog around it changes, and gets a new one when its image does", () => {
    const one = jobNames(render({ modelCache: { ...cache, models: [llama] } }));
    const two = jobNames(render({ modelCache: { ...cache, models: [llama, qwen] } }));
    expect(two).toHaveLength(2);
    expect(two).toContain(one[0]);
    const newImage = jobNames(render({ modelCache: { ...cache, models: [llama], image: { tag: "0.14.0" } } }));
    expect(newImage[0]).not.toEqual(one[0]);
    expect(one[0]).toMatch(/^model-pull-[0-9a-f]{10}$/);
  });

  it("a pull Job writes its model into its tier's catalog, and moving a model to another tier makes a new Job", () => {
    const premiumLlama = { ...llama, tier: "premium" };
    const jobs = ofKind<Job>(
      render({ modelCache: { ...cache, models: [llama, { ...qwen, tier: "premium" }] } }),
      "Job",
    );
    const catalogs = jobs.map(
      (j) => j.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === "OLLAMA_MODELS")?.value,
    );
    expect(catalogs).toEqual(["/models/standard", "/models/premium"]);
    expect(jobNames(render({ modelCache: { ...cache, models: [premiumLlama] } }))).not.toEqual(
      jobNames(render({ modelCache: { ...cache, models: [llama] } })),
    );
  });

  it("a new chart version leaves the pull Jobs' immutable pod templates alone", () => {
    const at = (chartVersion: string) =>
      ofKind<Job>(renderChart("platform", { modelCache: cache }, { ...release, chartVersion }), "Job").map((j) => ({
        name: j.metadata.name,
        template: j.spec?.template,
      }));
    expect(at("9.9.9")).toEqual(at("0.0.1"));
  });

  it("pull pods run restricted, as the cache's owner, and are the only writers of the cache", () => {
    const docs = render({ modelCache: { ...cache, uid: 2000, gid: 3000 } });
    const ns = ofKind(docs, "Namespace").find((n) => n.metadata.name === platformNamespace);
    expect(ns?.metadata.labels).toMatchObject(podSecurityLabels);
    for (const job of ofKind<Job>(docs, "Job")) {
      const pod = present(job.spec?.template.spec, "a pull Job's pod spec");
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 2000, runAsGroup: 3000 });
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        const cacheMount = present(
          c.volumeMounts?.find((m) => m.name === "model-cache"),
          "the pull container's model-cache mount",
        );
        expect(cacheMount.readOnly).toBeUndefined();
      }
      expect(job.metadata.namespace).toBe(platformNamespace);
    }
    const pv = ofKind<PersistentVolume>(docs, "PersistentVolume")[0];
    expect(pv?.spec?.csi?.volumeHandle).toBe("fs-0a1b2c3d4e5f60718::fsap-0123456789abcdef0");
    expect(pv?.spec?.claimRef).toEqual({ namespace: platformNamespace, name: "model-cache-writer" });
  });

  it("the EFS class passes every parameter as a string and keeps data", () => {
    const efs = ofKind<StorageClass>(render({ modelCache: cache }), "StorageClass").find(
      (s) => s.provisioner === "efs.csi.aws.com",
    );
    expect(efs?.reclaimPolicy).toBe("Retain");
    for (const value of Object.values(efs?.parameters ?? {})) expect(typeof value).toBe("string");
    expect(efs?.parameters).toMatchObject({ provisioningMode: "efs-ap", directoryPerms: "700", uid: "10004" });
  });

  it("pulls reach only DNS and HTTPS", () => {
    const policy = ofKind<NetworkPolicy>(render({ modelCache: cache }), "NetworkPolicy").find(
      (p) => p.metadata.name === "model-pull-egress",
    );
    const ports = policy?.spec?.egress?.flatMap((e) => (e.ports ?? []).map((p) => p.port));
    expect(new Set(ports)).toEqual(new Set([53, 443]));
  });

  const proxy = { url: "http://proxy.corp.example:3128", cidr: "10.20.0.0/28", noProxy: [".svc"] };

  it("in a lab, the writer volume is the node directory and no EFS is asked for", () => {
    const docs = render({ modelCache: { enabled: true, source: "hostPath", hostPath: "/srv/models" } });
    const pv = ofKind<PersistentVolume>(docs, "PersistentVolume")[0];
    expect(pv?.spec?.hostPath).toEqual({ path: "/srv/models", type: "Directory" });
    expect(pv?.spec).not.toHaveProperty("csi");
    expect(ofKind<StorageClass>(docs, "StorageClass").map((c) => c.provisioner)).not.toContain("efs.csi.aws.com");
  });

  it("an enabled cache on EFS names its file system and access point; a lab's does not need them", () => {
    const errors = platformErrors({ modelCache: { enabled: true } }).join("\n");
    expect(errors).toContain("/modelCache/fileSystemId");
    expect(errors).toContain("/modelCache/accessPointId");
    expect(platformErrors({ modelCache: { enabled: true, source: "hostPath" } })).toEqual([]);
  });

  it("with a mirror, pulls name it (insecure only when asked) and reach only its ports", () => {
    const mirror = { registry: "models.lab.internal:5000", insecure: true };
    const docs = render({
      modelCache: { ...cache, mirror, registryPorts: [5000, 5001], registryEgress: [{ cidr: "192.0.2.2/32" }] },
    });
    const policy = ofKind<NetworkPolicy>(docs, "NetworkPolicy").find((p) => p.metadata.name === "model-pull-egress");
    expect(policy?.spec?.egress?.[1]).toEqual({
      to: [{ ipBlock: { cidr: "192.0.2.2/32" } }],
      ports: [
        { protocol: "TCP", port: 5000 },
        { protocol: "TCP", port: 5001 },
      ],
    });
    for (const job of ofKind<Job>(docs, "Job")) {
      const env = job.spec?.template.spec?.containers[0]?.env;
      expect(env).toEqual(
        expect.arrayContaining([
          { name: "MIRROR", value: mirror.registry },
          { name: "INSECURE", value: "true" },
        ]),
      );
    }
    for (const job of ofKind<Job>(render({ modelCache: { ...cache, mirror: { registry: "m.example" } } }), "Job")) {
      expect(job.spec?.template.spec?.containers[0]?.env?.map((e) => e.name)).not.toContain("INSECURE");
    }
  });

  it("refuses a mirror that is not a host[:port]", () => {
    expect(
      platformErrors({ modelCache: { ...cache, mirror: { registry: "http://models:5000" } } }).join("\n"),
    ).toContain("/modelCache/mirror/registry");
  });

  it("behind a proxy, pulls reach only DNS and the proxy, and tell Ollama about it", () => {
    const docs = render({ modelCache: { ...cache, httpsProxy: proxy } });
    const policy = ofKind<NetworkPolicy>(docs, "NetworkPolicy").find((p) => p.metadata.name === "model-pull-egress");
    expect(policy?.spec?.egress?.[1]).toEqual({
      to: [{ ipBlock: { cidr: "10.20.0.0/28" } }],
      ports: [{ protocol: "TCP", port: 3128 }],
    });
    for (const job of ofKind<Job>(docs, "Job")) {
      expect(job.spec?.template.spec?.containers[0]?.env).toEqual(
        expect.arrayContaining([
          { name: "HTTPS_PROXY", value: proxy.url },
          { name: "NO_PROXY", value: "localhost,127.0.0.1,.svc" },
        ]),
      );
    }
  });

  it("pulls have a CPU limit and run where the placement values say", () => {
    const tolerations = [{ key: "workload-type", operator: "Exists", effect: "NoSchedule" }];
    const placed = render({ modelCache: { ...cache, nodeSelector: { "workload-type": "control" }, tolerations } });
    for (const job of ofKind<Job>(placed, "Job")) {
      const pod = present(job.spec?.template.spec, "a pull Job's pod spec");
      expect(pod.containers[0]?.resources?.limits).toMatchObject({ cpu: "2", memory: "2Gi" });
      expect(pod.nodeSelector).toEqual({ "workload-type": "control" });
      expect(pod.tolerations).toEqual(tolerations);
    }
    for (const job of ofKind<Job>(render({ modelCache: cache }), "Job")) {
      const pod = present(job.spec?.template.spec, "a pull Job's pod spec");
      expect(pod).not.toHaveProperty("nodeSelector");
      expect(pod).not.toHaveProperty("tolerations");
    }
  });

  it("a change to anything in a pull's pod template renames its Job (the template is immutable)", () => {
    const base = jobNames(render({ modelCache: { ...cache, models: [llama] } }));
    for (const change of [
      { resources: { limits: { cpu: "3" } } },
      { httpsProxy: proxy },
      { nodeSelector: { "workload-type": "control" } },
      { tolerations: [{ operator: "Exists" }] },
      { mirror: { registry: "models.corp.example:5000" } },
      { mirror: { registry: "models.corp.example:5000", insecure: true } },
    ]) {
      const changed = jobNames(render({ modelCache: { ...cache, models: [llama], ...change } }));
      expect(changed, JSON.stringify(change)).not.toEqual(base);
    }
  });
});

describe("GPU sharing", () => {
  const deviceConfig = (user: unknown) =>
    ofKind<ConfigMap>(render(user), "ConfigMap").find((c) => c.metadata.name === "llmcharts-device-plugin-config");

  it("every device-plugin config a nodepools fixture's GPU node asks for exists, with the sharing it promises", () => {
    const cm = deviceConfig({});
    const nodeConfigs = loadFixtures(root, "nodepools")
      .filter((f) => f.kind === "good")
      .flatMap((f) => ofKind<NodePool>(renderChart("nodepools", f.values, release), "NodePool"))
      .map((pool) => pool.spec.template.metadata?.labels?.[devicePluginConfigLabel])
      .filter(Boolean);
    expect(new Set(nodeConfigs)).toEqual(new Set(["none", "mig", "time-slicing", "time-slicing-3", "time-slicing-4"]));
    for (const name of nodeConfigs) expect(Object.keys(cm?.data ?? {}), name).toContain(name);
    expect(cm?.data?.["time-slicing-3"]).toContain("replicas: 3");
    expect(cm?.data?.mig).toContain("migStrategy: mixed");
  });

  it("the platform's own count and MIG strategy go where the values say", () => {
    const cm = deviceConfig({ gpuSharing: { timeSlicingReplicas: 8, migStrategy: "single" } });
    expect(Object.keys(cm?.data ?? {})).toEqual(expect.arrayContaining([...gpuSharingModes]));
    expect(cm?.data?.["time-slicing"]).toContain("replicas: 8");
    expect(cm?.data?.["time-slicing-2"]).toContain("replicas: 2");
    expect(cm?.data?.mig).toContain("migStrategy: single");
    expect(cm?.metadata.annotations?.["llmcharts.io/selected-by"]).toContain(devicePluginConfigLabel);
  });
});

describe("priority classes", () => {
  it("carry the conventional names, and never become the default", () => {
    const classes = ofKind<PriorityClass>(render(), "PriorityClass");
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(Object.values(priorityClasses).sort());
    for (const c of classes) expect(c.globalDefault).toBe(false);
  });
});

describe("isolation", () => {
  it("each policy group has its own switch", () => {
    const kinds = (user: unknown) => new Set(render(user).map((d) => d.kind));
    expect(kinds({})).toContain("ClusterPolicy");
    expect(kinds({})).toContain("ValidatingAdmissionPolicy");
    const admissionOnly = kinds({ policies: { kyverno: { enabled: false } } });
    expect(admissionOnly).not.toContain("ClusterPolicy");
    expect(admissionOnly).toContain("ValidatingAdmissionPolicyBinding");
    expect(kinds({ policies: { kyverno: { enabled: false }, admission: { enabled: false } } })).not.toContain(
      "ValidatingAdmissionPolicy",
    );
  });
});

describe("observability", () => {
  it("alert labels are valid Prometheus label names and thresholds come from values", () => {
    const rule = ofKind<PrometheusRule>(
      render({ monitoring: { alerts: { quota: { percent: 77 } } } }),
      "PrometheusRule",
    )[0];
    const rules = rule?.spec.groups?.flatMap((g) => g.rules ?? []) ?? [];
    expect(rules.length).toBeGreaterThanOrEqual(6);
    for (const r of rules) {
      const ruleLabels = present(r.labels, `the labels of alert ${r.alert}`);
      for (const key of Object.keys(ruleLabels)) expect(key).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(["critical", "warning", "info"]).toContain(ruleLabels.severity);
      expect(r.annotations?.summary).toBeTruthy();
      expect(r.annotations?.description).toBeTruthy();
    }
    expect(rules.find((r) => r.alert === "LLMTenantQuotaNearlyExhausted")?.expr).toMatch(/> 77$/);
  });

  it("dashboards are JSON the Grafana sidecar discovers", () => {
    const maps = ofKind<ConfigMap>(render(), "ConfigMap").filter((c) =>
      c.metadata.name.startsWith("llmcharts-dashboard-"),
    );
    expect(maps).toHaveLength(3);
    for (const m of maps) {
      expect(m.metadata.labels?.grafana_dashboard).toBe("1");
      const [json] = Object.values(m.data ?? {});
      const dashboard = JSON.parse(present(json, `the dashboard JSON of ${m.metadata.name}`));
      expect(dashboard.panels.length).toBeGreaterThan(4);
      for (const p of dashboard.panels) expect(p.targets.length).toBeGreaterThan(0);
    }
  });
});

describe("backup", () => {
  const tenants = [
    { name: "acme", tier: "premium", costCentre: "CC-1" },
    { name: "globex", tier: "standard", costCentre: "CC-2" },
  ];
  const backup = {
    storage: { snapshots: { enabled: true, schedule: { enabled: true, hour: 1, minute: 30 } } },
    tenants,
  };

  it("one CronJob per weekday replaces that day's snapshot of every tenant's data claim", () => {
    const docs = render(backup);
    const cronJobs = ofKind<CronJob>(docs, "CronJob");
    expect(cronJobs.map((c) => c.spec?.schedule)).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => `30 1 * * ${d}`));
    const manifests = Object.fromEntries(
      ofKind<ConfigMap>(docs, "ConfigMap")
        .filter((c) => c.metadata.name.startsWith("tenant-snapshots-"))
        .map((c) => [c.metadata.name, c.data]),
    );
    for (const cronJob of cronJobs) {
      const day = cronJob.metadata.name.replace("tenant-snapshots-", "");
      const pod = present(cronJob.spec?.jobTemplate.spec?.template.spec, `the pod spec of ${cronJob.metadata.name}`);
      const initContainers = present(pod.initContainers, `the init containers of ${cronJob.metadata.name}`);
      expect(initContainers[0]?.args?.slice(0, 1)).toEqual(["delete"]);
      expect(pod.containers[0]?.args?.[0]).toBe("create");
      for (const t of tenants) {
        const volume = pod.volumes?.find((vol) => vol.name === `tenant-snapshots-${t.name}`);
        expect(volume?.configMap?.items).toEqual([{ key: `${day}.json`, path: "snapshot.json" }]);
        const manifest = manifests[`tenant-snapshots-${t.name}`]?.[`${day}.json`];
        const snapshot = JSON.parse(present(manifest, `${day}'s snapshot manifest of ${t.name}`));
        expect(snapshot).toMatchObject({
          kind: "VolumeSnapshot",
          metadata: { name: `openwebui-data-${day}`, namespace: `tenant-${t.name}` },
          spec: { volumeSnapshotClassName: "llmcharts-ebs", source: { persistentVolumeClaimName: "openwebui-data" } },
        });
        for (const c of [...initContainers, ...pod.containers])
          expect(c.args).toContain(`--filename=/snapshots/${t.name}/snapshot.json`);
      }
    }
  });

  it("the Jobs may touch VolumeSnapshots only, and only in the listed tenants' namespaces", () => {
    const docs = render(backup);
    const roles = ofKind<Role>(docs, "Role");
    expect(roles.map((r) => r.metadata.namespace)).toEqual(["tenant-acme", "tenant-globex"]);
    for (const role of roles)
      expect(role.rules).toEqual([
        { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["get", "create", "delete"] },
      ]);
    expect(ofKind(docs, "ClusterRole")).toEqual([]);
    expect(ofKind<RoleBinding>(docs, "RoleBinding").map((b) => b.subjects)).toEqual(
      roles.map(() => [{ kind: "ServiceAccount", name: "tenant-snapshots", namespace: platformNamespace }]),
    );
  });

  it("snapshots and io2 stay off by default; io2 parameters are strings", () => {
    const defaults = render();
    expect(ofKind(defaults, "VolumeSnapshotClass")).toEqual([]);
    expect(ofKind(defaults, "CronJob")).toEqual([]);
    const io2 = ofKind<StorageClass>(
      render({ storage: { io2: { enabled: true, iopsPerGB: 100 } } }),
      "StorageClass",
    ).find((s) => s.parameters?.type === "io2");
    expect(io2?.parameters).toMatchObject({ iopsPerGB: "100", allowAutoIOPSPerGBIncrease: "true", encrypted: "true" });
  });
});

describe("GPU metrics and synthetic checks", () => {
  it("the DCGM exporter is scraped through its Service, or its pods when asked", () => {
    const [sm] = ofKind<ServiceMonitor>(render(), "ServiceMonitor");
    expect(sm?.spec).toMatchObject({
      selector: { matchLabels: { app: "nvidia-dcgm-exporter" } },
      namespaceSelector: { matchNames: ["gpu-operator"] },
      endpoints: [{ port: "gpu-metrics" }],
    });
    const docs = render({ monitoring: { dcgmExporter: { kind: "PodMonitor" } } });
    expect(ofKind(docs, "ServiceMonitor")).toEqual([]);
    expect(ofKind<PodMonitor>(docs, "PodMonitor")[0]?.spec.podMetricsEndpoints).toEqual([
      { port: "gpu-metrics", path: "/metrics", interval: "30s" },
    ]);
  });
});
