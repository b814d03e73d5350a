import { labels } from "../../../charts-src/lib/conventions.js";
import { admissionPolicyName } from "../../../charts-src/platform/policies/admission.js";
import {
  gpuOnlyPremiumName,
  gpuPodsOnPremiumNodesName,
} from "../../../charts-src/platform/policies/gpu-only-premium.js";
import {
  tenantNoLoadBalancersName,
  tenantPodHardeningName,
} from "../../../charts-src/platform/policies/tenant-pod-hardening.js";
import { tierNodeIsolationName } from "../../../charts-src/platform/policies/tier-node-isolation.js";
import {
  acme,
  globex,
  gpuToleration,
  initech,
  observability,
  ollamaContainer,
  oneGpu,
  openWebUiContainer,
  openWebUiPod,
  loadBalancerCases,
  pod,
  preferNodeLabel,
  requireNodeLabel,
  toolContainer,
} from "./fixtures.js";
import type { Expected, PolicyCase } from "./types.js";

export const gpuOnlyPremium = admissionPolicyName(gpuOnlyPremiumName);
export const gpuPinned = admissionPolicyName(gpuPodsOnPremiumNodesName);
export const tierIsolation = admissionPolicyName(tierNodeIsolationName);
export const hardening = admissionPolicyName(tenantPodHardeningName);
const noLoadBalancers = admissionPolicyName(tenantNoLoadBalancersName);

const premiumOllama = {
  containers: [ollamaContainer(oneGpu)],
  tolerations: [gpuToleration],
  affinity: requireNodeLabel(labels.nodeTier, ["premium"]),
};

/**
 * Results of the Pod policies in a namespace without GPUs: the GPU-namespace policy's binding must not select it;
 * the others pass unless overridden.
 */
export const standardPod = (over: Record<string, Expected> = {}): Record<string, Expected> => ({
  [gpuOnlyPremium]: "pass",
  [gpuPinned]: "skip",
  [tierIsolation]: "pass",
  [hardening]: "pass",
  ...over,
});
/** The same in a namespace with GPUs, where the no-GPU policy's binding must not select the pod. */
export const premiumPod = (over: Record<string, Expected> = {}): Record<string, Expected> => ({
  [gpuOnlyPremium]: "skip",
  [gpuPinned]: "pass",
  [tierIsolation]: "pass",
  [hardening]: "pass",
  ...over,
});

/** The same rules, enforced by the API server alone: Pods and Services only (no autogen for native policies). */
export const admissionCases: PolicyCase[] = [
  {
    why: "standard tenant: OpenWebUI as the tenant chart runs it",
    resource: openWebUiPod("acme-openwebui", acme.name),
    expect: standardPod(),
  },
  {
    why: "standard tenant: Ollama pinned to standard nodes, short image name",
    resource: pod("acme-ollama", acme.name, {
      containers: [{ ...ollamaContainer(), image: "ollama/ollama:0.6.8" }],
      affinity: requireNodeLabel(labels.nodeTier, ["standard"]),
    }),
    expect: standardPod(),
  },
  {
    why: "standard tenant: asking for a GPU",
    resource: pod("acme-ollama-gpu", acme.name, { containers: [ollamaContainer(oneGpu)] }),
    expect: standardPod({ [gpuOnlyPremium]: "fail" }),
  },
  {
    why: "standard tenant: a MIG slice in an init container",
    resource: pod("acme-warmup-mig", acme.name, {
      initContainers: [{ ...ollamaContainer({ limits: { "nvidia.com/mig-2g.10gb": "1" } }), name: "warmup" }],
      containers: [ollamaContainer()],
    }),
    expect: standardPod({ [gpuOnlyPremium]: "fail" }),
  },
  {
    why: "standard tenant: a wildcard toleration",
    resource: pod("acme-tolerates-all", acme.name, {
      containers: [ollamaContainer()],
      tolerations: [{ operator: "Exists" }],
    }),
    expect: standardPod({ [gpuOnlyPremium]: "fail" }),
  },
  {
    why: "standard tenant: preferring premium nodes",
    resource: pod("acme-prefers-premium", acme.name, {
      containers: [ollamaContainer()],
      affinity: preferNodeLabel(labels.nodeTier, ["premium"]),
    }),
    expect: standardPod({ [tierIsolation]: "fail" }),
  },
  {
    why: "standard tenant: the premium pool by nodeSelector",
    resource: pod("acme-premium-pool", acme.name, {
      containers: [ollamaContainer()],
      nodeSelector: { [labels.pool]: "premium" },
    }),
    expect: standardPod({ [tierIsolation]: "fail" }),
  },
  {
    why: "standard tenant: host network",
    resource: pod("acme-host-network", acme.name, { containers: [ollamaContainer()], hostNetwork: true }),
    expect: standardPod({ [hardening]: "fail" }),
  },
  {
    why: "standard tenant: hostPath volume",
    resource: pod("acme-host-path", acme.name, {
      containers: [ollamaContainer()],
      volumes: [{ name: "models", hostPath: { path: "/var/lib/models" } }],
    }),
    expect: standardPod({ [hardening]: "fail" }),
  },
  {
    why: "standard tenant: privileged init container",
    resource: pod("acme-privileged-init", acme.name, {
      initContainers: [{ ...toolContainer("tune", "busybox:1.36"), securityContext: { privileged: true } }],
      containers: [ollamaContainer()],
    }),
    expect: standardPod({ [hardening]: "fail" }),
  },
  {
    why: "standard tenant: an unvetted registry",
    resource: pod("acme-quay-image", acme.name, {
      containers: [{ ...openWebUiContainer(), image: "quay.io/cryptominer/xmrig:latest" }],
    }),
    expect: standardPod({ [hardening]: "fail" }),
  },
  {
    why: "premium tenant: GPU Ollama done right",
    resource: pod("globex-ollama-gpu", globex.name, premiumOllama, "ollama-premium"),
    expect: premiumPod(),
  },
  {
    why: "premium tenant: GPU pod without the toleration",
    resource: pod("globex-untolerated", globex.name, { ...premiumOllama, tolerations: undefined }, "ollama-premium"),
    expect: premiumPod({ [gpuPinned]: "fail" }),
  },
  {
    why: "premium tenant: GPU pod without node affinity",
    resource: pod("globex-unpinned", globex.name, { ...premiumOllama, affinity: undefined }, "ollama-premium"),
    expect: premiumPod({ [gpuPinned]: "fail" }),
  },
  {
    why: "premium tenant: OpenWebUI on the standard pool, where every tenant's front end runs",
    resource: openWebUiPod("globex-standard-pool", globex.name, { nodeSelector: { [labels.pool]: "standard" } }),
    expect: premiumPod({ [tierIsolation]: "pass" }),
  },
  {
    why: "tenant on both tiers: either node tier",
    resource: pod("initech-any-tier", initech.name, {
      containers: [ollamaContainer()],
      affinity: requireNodeLabel(labels.nodeTier, ["standard", "premium"]),
    }),
    expect: premiumPod(),
  },
  {
    why: "tenant on both tiers: any pool, any operator",
    resource: pod("initech-any-pool", initech.name, {
      containers: [ollamaContainer()],
      nodeSelector: { [labels.pool]: "h100" },
      affinity: requireNodeLabel(labels.nodeTier, ["standard"], "NotIn"),
    }),
    expect: premiumPod(),
  },
  ...loadBalancerCases(noLoadBalancers),
  {
    why: "not a tenant namespace: no binding matches",
    resource: pod("monitoring-node-exporter", observability.name, {
      containers: [{ ...openWebUiContainer(), image: "quay.io/prometheus/node-exporter:v1.8.2" }],
      hostNetwork: true,
      nodeSelector: { [labels.nodeTier]: "premium" },
    }),
    expect: { [gpuOnlyPremium]: "skip", [gpuPinned]: "skip", [tierIsolation]: "skip", [hardening]: "skip" },
  },
];
