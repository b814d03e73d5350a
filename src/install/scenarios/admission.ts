/**
 * Scenario 3: what the API server itself refuses in tenant namespaces (the platform's ValidatingAdmissionPolicies,
 * Pod Security `restricted`, the tenant's ResourceQuota), each probed with a server-side dry-run create next to a
 * control that is admitted, and each refusal's message checked.
 */
import type { Affinity, Container, Pod, PodSpec, ResourceQuota, Toleration } from "../../../charts-src/lib/k8s.js";
import { labels } from "../../../charts-src/lib/conventions.js";
import { poolGpuResource, poolPlacement, seedGpuPools } from "../../../charts-src/lib/pools.js";
import { concreteHelpers } from "../../../charts-src/lib/engine/index.js";
import { type Kube, toList } from "../../harness/kube.js";
import type { Recorder } from "../../harness/recorder.js";
import type { InstallScenario } from "../context.js";

/** The probe's one container, with the requests and limits the cases change always present. */
type ProbeContainer = Container & { resources: { requests: Record<string, string>; limits: Record<string, string> } };

/** A pod that passes Pod Security `restricted` and the platform's image rules; cases change one thing. */
const probePod = (
  name: string,
  namespace: string,
  change: (spec: PodSpec, container: ProbeContainer) => void = () => {},
): Pod => {
  const container: ProbeContainer = {
    name: "probe",
    image: "docker.io/library/busybox:1.37.0",
    command: ["sleep", "3600"],
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
  };
  const spec: PodSpec = {
    securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
    containers: [container],
  };
  change(spec, container);
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace }, spec };
};

/** Pool declarations read as plain data. */
const plainHelpers = concreteHelpers({ name: "install", namespace: "", chartVersion: "" });

/** The seed A100 MIG pool with the largest slices, which the install's nodepools values declare. */
const migPool = seedGpuPools.filter((p) => p.gpuSharing === "mig").at(-1);

/** A pod asking for one MIG slice, placed on the MIG pool as charts-src/lib/pools.ts derives it from the pool. */
const migPod = (name: string, namespace: string, placed = true) =>
  probePod(name, namespace, (s, c) => {
    if (!migPool) throw new Error("the seed pools have no MIG pool");
    const slice = poolGpuResource(plainHelpers, migPool);
    c.resources.requests[slice] = "1";
    c.resources.limits[slice] = "1";
    if (placed) {
      Object.assign(
        s,
        poolPlacement(plainHelpers, { name: migPool.name, nodeTier: "premium", taints: migPool.taints }),
      );
    }
  });

const gpuToleration: Toleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
const premiumAffinity: Affinity = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: "llmcharts.io/node-tier", operator: "In", values: ["premium"] }] },
      ],
    },
  },
};

/** Server-side dry-run creates: admission (Pod Security, policies, quota) runs in full, nothing is stored. */
const admissionProbe = (kube: Kube, r: Recorder) => {
  const tryCreate = (pod: object) => kube.raw(["create", "--dry-run=server", "-o", "name", "-f", "-"], toList([pod]));
  return {
    expectAdmitted: async (name: string, pod: object) => {
      const res = await tryCreate(pod);
      r.check(name, res.exitCode === 0, res.stderr.trim() || res.stdout.trim());
    },
    expectRefused: async (name: string, pod: object, message: RegExp) => {
      const res = await tryCreate(pod);
      const text = res.stderr.trim();
      r.check(name, res.exitCode !== 0 && message.test(text), res.exitCode === 0 ? "admitted" : text);
      return text;
    },
  };
};

type Probe = ReturnType<typeof admissionProbe>;

/** A standard tenant: GPUs, MIG slices, the GPU taint, premium nodes, over quota and privilege are refused. */
const standardTenantRefuses = async (kube: Kube, r: Recorder, { expectAdmitted, expectRefused }: Probe, ns: string) => {
  await expectAdmitted(`${ns}: a compliant pod is admitted (control)`, probePod("probe-ok", ns));
  await expectRefused(
    `${ns}: a pod requesting a GPU is refused`,
    probePod("probe-gpu", ns, (_, c) => {
      c.resources.requests["nvidia.com/gpu"] = "1";
      c.resources.limits["nvidia.com/gpu"] = "1";
    }),
    /gpu-only-premium\.llmcharts\.io.*is not on a GPU tier.*remove nvidia\.com GPU/s,
  );
  await expectRefused(
    // Not placed on the MIG pool: placed there, tier-node-isolation refuses it too, and the API server may name
    // either policy first.
    `${ns}: a pod requesting a MIG slice is refused`,
    migPod("probe-mig", ns, false),
    /gpu-only-premium\.llmcharts\.io.*is not on a GPU tier.*remove nvidia\.com GPU and MIG resources/s,
  );
  await expectRefused(
    `${ns}: a pod tolerating the GPU taint is refused`,
    probePod("probe-toleration", ns, (s) => {
      s.tolerations = [gpuToleration];
    }),
    /gpu-only-premium\.llmcharts\.io.*may not tolerate the nvidia\.com\/gpu=true:NoSchedule taint/s,
  );
  await expectRefused(
    `${ns}: a pod selecting premium nodes is refused`,
    probePod("probe-tier", ns, (s) => {
      s.affinity = premiumAffinity;
    }),
    /tier-node-isolation\.llmcharts\.io.*may select llmcharts\.io\/node-tier only/s,
  );
  const quota = await kube.get<ResourceQuota>("resourcequota", "tenant-quota", ns);
  const hardCpu = String(quota.spec?.hard?.["requests.cpu"]);
  await expectRefused(
    `${ns}: a pod over the ResourceQuota (requests.cpu ${hardCpu}) is refused`,
    probePod("probe-quota", ns, (_, c) => {
      c.resources = {
        requests: { cpu: "200", memory: "64Mi" },
        limits: { cpu: "200", memory: "64Mi" },
      };
    }),
    /exceeded quota: tenant-quota.*requests\.cpu=200/s,
  );
  const privileged = (name: string, namespace: string) =>
    probePod(name, namespace, (_, c) => {
      c.securityContext = { privileged: true };
    });
  const text = await expectRefused(
    `${ns}: a privileged pod is refused`,
    privileged("probe-privileged", ns),
    /privileged/,
  );
  r.note(
    `privileged pod in ${ns} refused by ${/PodSecurity/.test(text) ? "Pod Security admission (restricted), before the ValidatingAdmissionPolicy" : "the ValidatingAdmissionPolicy"}`,
  );
  // Defence in depth: the policy alone, in a tenant namespace whose Pod Security labels were removed.
  const loose = "tenant-probe-no-psa";
  if (!(await kube.exists("namespace", loose))) {
    await kube.create([
      {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: loose,
          labels: { "llmcharts.io/tenant": "probe-no-psa", "llmcharts.io/tier": "standard" },
        },
      },
    ]);
  }
  await expectRefused(
    `${loose} (tenant labels, no Pod Security): a privileged pod is refused by the platform policy alone`,
    privileged("probe-privileged", loose),
    /tenant-pod-hardening\.llmcharts\.io.*privileged containers are not allowed/s,
  );
  await kube.raw(["delete", "namespace", loose, "--wait=false"]);
};

/** A premium-capable tenant: GPU pods admitted only on premium nodes and within the GPU quota. */
const gpuTenantRefuses = async (kube: Kube, { expectAdmitted, expectRefused }: Probe, ns: string) => {
  const gpuPod = (name: string, gpus: string, affinity = true) =>
    probePod(name, ns, (s, c) => {
      c.resources.requests["nvidia.com/gpu"] = gpus;
      c.resources.limits["nvidia.com/gpu"] = gpus;
      s.tolerations = [gpuToleration];
      if (affinity) s.affinity = premiumAffinity;
    });
  await expectAdmitted(
    `${ns}: a GPU pod tolerating the taint on premium nodes is admitted (control)`,
    gpuPod("probe-gpu-ok", "1"),
  );
  await expectRefused(
    `${ns}: a GPU pod without premium node affinity is refused`,
    gpuPod("probe-gpu-anywhere", "1", false),
    /gpu-pods-on-premium-nodes\.llmcharts\.io.*must require llmcharts\.io\/node-tier In \[premium\]/s,
  );
  const quota = await kube.get<ResourceQuota>("resourcequota", "tenant-quota", ns);
  const gpus = Number(quota.spec?.hard?.["requests.nvidia.com/gpu"] ?? 0);
  await expectRefused(
    `${ns}: a pod over the GPU quota (${gpus}) is refused`,
    gpuPod("probe-gpu-quota", String(gpus + 1)),
    /exceeded quota: tenant-quota.*nvidia\.com\/gpu/s,
  );
};

/** A premium tenant on the MIG pool: its Ollama and MIG pods on that pool, whole GPUs refused. */
const migTenantPlaced = async (kube: Kube, r: Recorder, { expectRefused }: Probe, ns: string) => {
  // The chart's own premium Ollama (scaled to one pod by scenario 2) runs where its pool value says.
  const ollama = await kube.raw([
    "get",
    "pods",
    "-n",
    ns,
    "-l",
    "app.kubernetes.io/name=ollama-premium",
    "-o",
    "jsonpath={.items[*].spec.nodeName}",
  ]);
  const nodes = ollama.stdout.trim().split(/\s+/).filter(Boolean);
  const pools = await Promise.all(nodes.map(async (n) => (await kube.get("node", n)).metadata.labels?.[labels.pool]));
  r.check(
    `${ns}: the chart's premium Ollama runs on pool ${migPool?.name}, as ollama.premium.pool says`,
    pools.length > 0 && pools.every((p) => p === migPool?.name),
    nodes.map((n, i) => `${n} (${pools[i]})`).join(", ") || "no ollama-premium pod",
  );
  await expectRefused(
    `${ns}: a whole GPU is refused to a tenant whose pool hands out MIG slices (quota 0)`,
    probePod("probe-whole-gpu-on-mig-tenant", ns, (s, c) => {
      c.resources.requests["nvidia.com/gpu"] = "1";
      c.resources.limits["nvidia.com/gpu"] = "1";
      s.tolerations = [gpuToleration];
      s.affinity = premiumAffinity;
    }),
    /exceeded quota: tenant-quota.*nvidia\.com\/gpu/s,
  );
  // Placed from the pool's declaration, a MIG pod is admitted and lands on the MIG pool's nodes.
  const mig = migPod("probe-mig-pool", ns);
  if (await r.step(`${ns}: a MIG pod placed from the MIG pool's declaration is created`, () => kube.create([mig]))) {
    await kube.raw(["wait", "--for=condition=PodScheduled", "--timeout=60s", "-n", ns, "pod/probe-mig-pool"]);
    const placed = await kube.get<Pod>("pod", "probe-mig-pool", ns);
    const nodeName = String(placed.spec?.nodeName ?? "");
    const pool = nodeName ? (await kube.get("node", nodeName)).metadata.labels?.[labels.pool] : undefined;
    r.check(
      `${ns}: the MIG pod runs on a node of pool ${migPool?.name}`,
      pool === migPool?.name,
      `${nodeName} (${pool})`,
    );
    await kube.raw(["delete", "pod", "probe-mig-pool", "-n", ns, "--wait=false"]);
  }
};

export const admission: InstallScenario = {
  id: "3",
  title: "admission and quota: GPU pods and tolerations outside premium, quota, privilege refused",
  run: async (ctx, r, made) => {
    const { kube } = ctx.need();
    const probe = admissionProbe(kube, r);
    const tenant = (tier: string, what: string) => {
      const t = made.tenants?.find((x) => x.tier === tier);
      r.check(`${what} is installed`, t !== undefined, t?.namespace ?? "scenario 2 did not install it");
      return t?.namespace;
    };
    const standard = tenant("standard", "a standard tenant");
    if (standard) await standardTenantRefuses(kube, r, probe, standard);
    // Whole GPUs on the premium pool (tier both, default pool); MIG slices on the MIG pool (the premium-only tenant).
    const gpu = tenant("both", "a premium-capable tenant");
    if (gpu) await gpuTenantRefuses(kube, probe, gpu);
    const mig = tenant("premium", "a premium tenant on the MIG pool");
    if (mig) await migTenantPlaced(kube, r, probe, mig);
  },
};
