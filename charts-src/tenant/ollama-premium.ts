import { priorityClasses } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import { namedPoolGpuResources, namedPoolTolerations } from "../lib/pools.js";
import { requireNodeLabels } from "../lib/scheduling.js";
import { poolNodeLabels } from "../nodepools/node-labels.js";
import { hasPremium } from "./identity.js";
import { type OllamaTier, ollamaDeployment, ollamaService } from "./ollama.js";
import type { TenantValues } from "./values.js";

/** Karpenter's per-GPU memory label (MiB), which its AWS provider sets on every GPU node. */
const gpuMemoryLabel = "karpenter.k8s.aws/instance-gpu-memory";

/**
 * Premium Ollama: large models on GPU nodes only, on the pool the tenant names (premium or a seed GPU pool): its
 * labels and GPU memory as required node affinity, its taints tolerated, its GPU resource (whole, time-sliced or a
 * MIG slice) as limits. Spot-aware stopping: a pause before SIGTERM so endpoints drop the pod first, and a grace
 * period to finish answers. KEDA scales it (see scaling.ts), to zero when the tenant is idle.
 */
export const premiumTier = (v: TenantValues, h: Helpers): OllamaTier => {
  const p = v.ollama.premium;
  return {
    workload: "ollama-premium",
    tier: "premium",
    scheduling: {
      affinity: requireNodeLabels(poolNodeLabels(p.pool, "premium"), [
        h.when(h.isSet(p.gpuMemoryAboveMiB), {
          key: gpuMemoryLabel,
          operator: "Gt",
          values: [`${p.gpuMemoryAboveMiB}`],
        }),
      ]),
      tolerations: namedPoolTolerations(h, p.pool),
      priorityClassName: priorityClasses.premium,
    },
    settings: p,
    resources: {
      requests: p.resources.requests,
      limits: {
        cpu: p.resources.limits.cpu,
        memory: p.resources.limits.memory,
        "ephemeral-storage": p.resources.limits["ephemeral-storage"],
        ...namedPoolGpuResources(h, p.pool, `${p.gpus}`),
      },
    },
    podExtras: { terminationGracePeriodSeconds: p.terminationGracePeriodSeconds },
    strategy: h.comment(
      "GPU quota is sized to the pods KEDA may run: a surge pod would need one GPU more and stall the rollout.",
      {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
      },
    ),
    // The kubelet's own sleep action: no shell or sleep binary needed in the image.
    containerExtras: { lifecycle: { preStop: { sleep: { seconds: p.preStopSleepSeconds } } } },
  };
};

export const ollamaPremiumTemplate = (v: TenantValues, h: Helpers) => [
  h.when(hasPremium(v, h), ollamaDeployment(v, h, premiumTier(v, h))),
  h.when(hasPremium(v, h), ollamaService(v, h, "ollama-premium")),
];
