import { labels } from "../../../charts-src/lib/conventions.js";
import { poolGpuResource, poolPlacement, seedGpuPools } from "../../../charts-src/lib/pools.js";
import { gpuOnlyPremiumName } from "../../../charts-src/platform/policies/gpu-only-premium.js";
import { plainHelpers } from "../../../charts-src/platform/policies/settings.js";
import {
  acme,
  deployment,
  globex,
  gpuToleration,
  initech,
  observability,
  ollamaContainer,
  oneGpu,
  openWebUiPod,
  pod,
  requireNodeLabel,
} from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const noGpu = "no-gpu-outside-premium-tiers";
const noToleration = "no-gpu-toleration-outside-premium-tiers";
const tolerates = "gpu-pods-tolerate-gpu-taint";
const pinned = "gpu-pods-require-premium-nodes";

const premiumNodes = requireNodeLabel(labels.nodeTier, ["premium"]);
const premiumOllama = { containers: [ollamaContainer(oneGpu)], tolerations: [gpuToleration], affinity: premiumNodes };
const standardTierPasses = { [noGpu]: "pass", [noToleration]: "pass" } as const;
const gpuTierPasses = { [tolerates]: "pass", [pinned]: "pass" } as const;

const migPool = seedGpuPools.find((p) => p.gpuSharing === "mig");
if (!migPool) throw new Error("the seed pools have no MIG pool");
const migSlice = { [poolGpuResource(plainHelpers, migPool)]: "1" };
/** Ollama asking for one MIG slice of the seed MIG pool, with the pool's own placement and tolerations. */
const migPoolOllama = {
  containers: [
    ollamaContainer({ requests: { cpu: "4", memory: "16Gi", ...migSlice }, limits: { memory: "16Gi", ...migSlice } }),
  ],
  ...poolPlacement(plainHelpers, { name: migPool.name, nodeTier: "premium", taints: migPool.taints }),
};

export const gpuOnlyPremiumSuite: PolicySuite = {
  policy: gpuOnlyPremiumName,
  cases: [
    {
      why: "standard tenant: OpenWebUI without GPUs",
      resource: openWebUiPod("acme-openwebui", acme.name),
      expect: standardTierPasses,
    },
    {
      why: "standard tenant: Ollama asking for a whole GPU",
      resource: pod("acme-ollama-gpu", acme.name, { containers: [ollamaContainer(oneGpu)] }),
      expect: { [noGpu]: "fail", [noToleration]: "pass" },
    },
    {
      why: "standard tenant: a MIG slice hidden in an init container's limits",
      resource: pod("acme-warmup-mig", acme.name, {
        initContainers: [{ ...ollamaContainer({ limits: { "nvidia.com/mig-1g.5gb": "1" } }), name: "warmup" }],
        containers: [ollamaContainer()],
      }),
      expect: { [noGpu]: "fail", [noToleration]: "pass" },
    },
    {
      why: "standard tenant: a MIG 3g.40gb slice, placed on the MIG pool as charts-src/lib/pools.ts derives it",
      resource: pod("acme-ollama-mig-pool", acme.name, migPoolOllama),
      expect: { [noGpu]: "fail", [noToleration]: "fail" },
    },
    {
      why: "premium tenant: the same MIG slice on the MIG pool",
      resource: pod("globex-ollama-mig-pool", globex.name, migPoolOllama, "ollama-premium"),
      expect: gpuTierPasses,
    },
    {
      why: "standard tenant: tolerating the GPU taint without asking for a GPU",
      resource: pod("acme-ollama-tolerates-gpu", acme.name, {
        containers: [ollamaContainer()],
        tolerations: [gpuToleration],
      }),
      expect: { [noGpu]: "pass", [noToleration]: "fail" },
    },
    {
      why: "standard tenant: a wildcard toleration also tolerates the GPU taint",
      resource: pod("acme-ollama-tolerates-all", acme.name, {
        containers: [ollamaContainer()],
        tolerations: [{ operator: "Exists" }],
      }),
      expect: { [noGpu]: "pass", [noToleration]: "fail" },
    },
    {
      why: "standard tenant: a Deployment asking for a GPU is judged through its pod template (autogen)",
      resource: deployment("acme-ollama-gpu-deploy", acme.name, premiumOllama),
      expect: { [noGpu]: "fail", [noToleration]: "fail" },
    },
    {
      why: "premium tenant: GPU Ollama with the toleration and premium node affinity",
      resource: pod("globex-ollama-gpu", globex.name, premiumOllama, "ollama-premium"),
      expect: gpuTierPasses,
    },
    {
      why: "premium tenant: the same as a Deployment (autogen)",
      resource: deployment("globex-ollama-gpu-deploy", globex.name, premiumOllama),
      expect: gpuTierPasses,
    },
    {
      why: "premium tenant: GPU pod without the GPU toleration",
      resource: pod("globex-ollama-untolerated", globex.name, { ...premiumOllama, tolerations: [] }, "ollama-premium"),
      expect: { [tolerates]: "fail", [pinned]: "pass" },
    },
    {
      why: "premium tenant: GPU pod that tolerates a different value of the GPU taint",
      resource: pod(
        "globex-ollama-wrong-value",
        globex.name,
        { ...premiumOllama, tolerations: [{ key: gpuToleration.key, operator: "Equal", value: "false" }] },
        "ollama-premium",
      ),
      expect: { [tolerates]: "fail", [pinned]: "pass" },
    },
    {
      why: "premium tenant: GPU pod without node affinity",
      resource: pod("globex-ollama-unpinned", globex.name, { ...premiumOllama, affinity: undefined }, "ollama-premium"),
      expect: { [tolerates]: "pass", [pinned]: "fail" },
    },
    {
      why: "premium tenant: a second node selector term lets the pod onto standard nodes",
      resource: pod(
        "globex-ollama-two-terms",
        globex.name,
        {
          ...premiumOllama,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: labels.nodeTier, operator: "In", values: ["premium"] }] },
                  { matchExpressions: [{ key: labels.nodeTier, operator: "In", values: ["standard"] }] },
                ],
              },
            },
          },
        },
        "ollama-premium",
      ),
      expect: { [tolerates]: "pass", [pinned]: "fail" },
    },
    {
      why: "premium tenant: pods without GPUs are not GPU pods",
      resource: openWebUiPod("globex-openwebui", globex.name),
      expect: { [tolerates]: "skip", [pinned]: "skip" },
    },
    {
      why: "tenant on both tiers: GPU Ollama done right",
      resource: pod("initech-ollama-gpu", initech.name, premiumOllama, "ollama-premium"),
      expect: gpuTierPasses,
    },
    {
      why: "tenant on both tiers: a GPU pod must still require premium nodes",
      resource: pod(
        "initech-ollama-standard-nodes",
        initech.name,
        { ...premiumOllama, affinity: requireNodeLabel(labels.nodeTier, ["standard", "premium"]) },
        "ollama-premium",
      ),
      expect: { [tolerates]: "pass", [pinned]: "fail" },
    },
    {
      why: "not a tenant namespace: left to the platform",
      resource: pod("monitoring-dcgm-probe", observability.name, { containers: [ollamaContainer(oneGpu)] }),
      expect: { [noGpu]: "skip", [noToleration]: "skip", [tolerates]: "skip", [pinned]: "skip" },
    },
  ],
};
