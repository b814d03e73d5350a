import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { gpuTaint, labels } from "../../charts-src/lib/conventions.js";
import { concreteHelpers, effectiveValues } from "../../charts-src/lib/engine/index.js";
import type { Deployment, NetworkPolicy, Pod, PodSpec, ScaledObject } from "../../charts-src/lib/k8s.js";
import { poolGpuResource, tenantGpuPools } from "../../charts-src/lib/pools.js";
import { restrictedVolumeTypes } from "../../charts-src/lib/pod-security.js";
import type { TenantValues } from "../../charts-src/tenant/values.js";
import { chartFiles } from "../../src/generate/chart-files.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";

const chart = charts.tenant;
if (!chart) throw new Error("the tenant chart is not registered");
const release = { name: "acme", namespace: "llmcharts-tenants", chartVersion: chart.version };
const good = loadFixtures(process.cwd(), "tenant").filter((f) => f.kind === "good");

const render = (values: unknown) => renderChart("tenant", values, release);

/** Every pod a rendering would create: bare Pods and Deployments' templates, by kind/name. */
const podSpecs = (objects: Rendered[]): { name: string; spec: PodSpec }[] => [
  ...ofKind<Pod>(objects, "Pod").map((p) => ({
    name: `Pod/${p.metadata.name}`,
    spec: present(p.spec, p.metadata.name),
  })),
  ...ofKind<Deployment>(objects, "Deployment").map((d) => ({
    name: `Deployment/${d.metadata.name}`,
    spec: present(d.spec?.template.spec, `the pod spec of ${d.metadata.name}`),
  })),
];

const allowedCapabilities = new Set(["NET_BIND_SERVICE"]);
const allowedSeccomp = new Set<string | undefined>(["RuntimeDefault", "Localhost"]);

/** The Pod Security Standard `restricted` (and baseline beneath it), as violations of one pod spec. */
const restrictedViolations = (pod: PodSpec): string[] => {
  const out: string[] = [];
  const podSc = pod.securityContext ?? {};
  for (const f of ["hostNetwork", "hostPID", "hostIPC"] as const) if (pod[f]) out.push(`${f} is set`);
  for (const vol of pod.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== "name");
    if (!restrictedVolumeTypes.includes(type as never)) out.push(`volume ${vol.name} is of type ${type}`);
  }
  if (podSc.runAsUser === 0) out.push("pod runs as uid 0");
  if (podSc.sysctls?.length) out.push("pod sets sysctls");
  const containers = [...(pod.initContainers ?? []), ...pod.containers, ...(pod.ephemeralContainers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged) out.push(`${at} is privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at} may escalate privileges`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push(`${at} is not required to run as non-root`);
    if (sc.runAsUser === 0) out.push(`${at} runs as uid 0`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${at} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? []) if (!allowedCapabilities.has(cap)) out.push(`${at} adds ${cap}`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (!allowedSeccomp.has(seccomp)) out.push(`${at} has seccomp profile ${seccomp}`);
    if (sc.procMount && sc.procMount !== "Default") out.push(`${at} sets procMount ${sc.procMount}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${at} uses hostPort ${p.hostPort}`);
  }
  return out;
};

const toleratesGpuTaint = (pod: PodSpec): boolean =>
  (pod.tolerations ?? []).some((t) => t.key === gpuTaint.key || (!t.key && t.operator === "Exists"));

/** True when every required node selector term holds `key In [value]` and nothing else for that key. */
const requiresNodeLabel = (pod: PodSpec, key: string, value: string): boolean => {
  const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return (
    terms.length > 0 &&
    terms.every((t) =>
      (t.matchExpressions ?? []).some(
        (e) => e.key === key && e.operator === "In" && e.values?.length === 1 && e.values[0] === value,
      ),
    )
  );
};

const deployment = (objects: Rendered[], name: string) =>
  ofKind<Deployment>(objects, "Deployment").find((d) => d.metadata.name === name);
const podOf = (d: Deployment) => present(d.spec?.template.spec, "the Deployment's pod spec");

it("there are good fixtures to check", () => {
  expect(good.length).toBeGreaterThanOrEqual(8);
});

describe.each(good)("$name", (fixture) => {
  const objects = render(fixture.values);
  const values = effectiveValues(chart, fixture.values) as TenantValues;
  const tier: string = values.tenant.tier;

  it("every pod and container meets Pod Security restricted", () => {
    const pods = podSpecs(objects);
    expect(pods.length).toBeGreaterThan(0);
    for (const { name, spec } of pods)
      expect({ name, violations: restrictedViolations(spec) }).toEqual({ name, violations: [] });
  });

  it("every container has a read-only root filesystem and its own resources", () => {
    for (const { spec } of podSpecs(objects))
      for (const c of spec.containers) {
        expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
        expect(c.resources?.limits?.memory, c.name).toBeDefined();
      }
  });

  it("premium Ollama pods only land on GPU nodes: GPU toleration, required premium affinity to their pool, its GPU resource", () => {
    const premium = deployment(objects, "ollama-premium");
    expect(premium !== undefined).toBe(tier !== "standard");
    if (!premium) return;
    const pod = podOf(premium);
    expect(pod.tolerations).toContainEqual({ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect });
    expect(requiresNodeLabel(pod, labels.nodeTier, "premium")).toBe(true);
    const pool = values.ollama.premium.pool;
    expect(requiresNodeLabel(pod, labels.pool, pool)).toBe(true);
    const resource = poolGpuResource(
      concreteHelpers({ name: "t", namespace: "", chartVersion: "" }),
      tenantGpuPools.find((p) => p.name === pool) ?? {},
    );
    expect(pod.containers[0]?.resources?.limits?.[resource]).toBe(`${values.ollama.premium.gpus}`);
  });

  it("OpenWebUI, standard Ollama and the test pod never tolerate the GPU taint and require standard nodes", () => {
    for (const { name, spec } of podSpecs(objects).filter((p) => p.name !== "Deployment/ollama-premium")) {
      expect(toleratesGpuTaint(spec), name).toBe(false);
      expect(requiresNodeLabel(spec, labels.nodeTier, "standard"), name).toBe(true);
      for (const c of spec.containers)
        expect(Object.keys(c.resources?.limits ?? {}), name).not.toContain("nvidia.com/gpu");
    }
    const standard = deployment(objects, "ollama-standard");
    expect(standard !== undefined).toBe(tier !== "premium");
    if (standard) expect(requiresNodeLabel(podOf(standard), labels.pool, "standard")).toBe(true);
  });

  it("every object carries the tenant's labels, and every namespaced one names the tenant namespace", () => {
    const namespace = `tenant-${values.tenant.name}`;
    for (const o of objects) {
      const id = `${o.kind}/${o.metadata.name}`;
      expect(o.metadata.labels?.[labels.tenant], id).toBe(values.tenant.name);
      expect(o.metadata.labels?.[labels.tier], id).toBe(tier);
      expect(o.metadata.labels?.[labels.costCentre], id).toBe(values.tenant.costCentre);
      if (o.kind === "Namespace") expect(o.metadata.name).toBe(namespace);
      else if (o.kind === "PersistentVolume")
        expect(o.metadata.name).toBe(`llmcharts-model-cache-${values.tenant.name}`);
      else expect(o.metadata.namespace, id).toBe(namespace);
    }
    const podMetas = [
      ...ofKind<Pod>(objects, "Pod").map((p) => p.metadata),
      ...ofKind<Deployment>(objects, "Deployment").map((d) => d.spec?.template.metadata),
    ];
    for (const podMeta of podMetas) {
      expect(podMeta?.labels?.[labels.tenant]).toBe(values.tenant.name);
      expect(podMeta?.labels?.[labels.costCentre]).toBe(values.tenant.costCentre);
    }
  });

  it("no NetworkPolicy admits every namespace, and no rule lacks peers", () => {
    for (const np of ofKind<NetworkPolicy>(objects, "NetworkPolicy")) {
      const peers = [...(np.spec?.ingress ?? []).map((r) => r.from), ...(np.spec?.egress ?? []).map((r) => r.to)];
      for (const list of peers) {
        expect(list?.length, np.metadata.name).toBeGreaterThan(0);
        for (const peer of list ?? []) if (peer.namespaceSelector) expect(peer.namespaceSelector).not.toEqual({});
      }
    }
  });

  it("premium wakes only on this tenant's own traffic", () => {
    const scaled = ofKind<ScaledObject>(objects, "ScaledObject")[0];
    expect(scaled !== undefined).toBe(tier !== "standard");
    if (!scaled) return;
    expect(scaled.spec.minReplicaCount).toBe(0);
    expect(objects.some((o) => o.kind === "HorizontalPodAutoscaler" && o.metadata.name === "ollama-premium")).toBe(
      false,
    );
    // The trigger reads this tenant's own wake-up proxy, for this tenant's own premium route.
    const wake = scaled.spec.triggers[0]?.metadata ?? {};
    expect(wake.url).toMatch(new RegExp(`^http://ollama-premium-wake\\.tenant-${values.tenant.name}\\.svc:`));
    expect(wake.valueLocation).toBe(`tenant-${values.tenant.name}/ollama-premium.Concurrency`);
  });
});

it("rendering twice gives the same bytes, in both modes", () => {
  expect(JSON.stringify(chartFiles(chart))).toBe(JSON.stringify(chartFiles(chart)));
  for (const f of good) expect(JSON.stringify(render(f.values))).toBe(JSON.stringify(render(f.values)));
});

it("the restricted checker itself catches a pod that breaks the profile", () => {
  const rootPod = {
    hostNetwork: true,
    volumes: [{ name: "host", hostPath: { path: "/" } }],
    containers: [{ name: "c", securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } } }],
  };
  expect(restrictedViolations(rootPod)).toEqual([
    "hostNetwork is set",
    "volume host is of type hostPath",
    "container c is privileged",
    "container c may escalate privileges",
    "container c is not required to run as non-root",
    "container c does not drop ALL capabilities",
    "container c adds SYS_ADMIN",
    "container c has seccomp profile undefined",
  ]);
});
