import type { Helpers } from "../lib/engine/index.js";
import { gpuResource } from "../lib/workload.js";
import { premiumPool } from "../nodepools/node-labels.js";
import { hasPremium } from "./identity.js";
import { type OllamaTier, ollamaDeployment, ollamaService } from "./ollama.js";
import type { TenantValues } from "./values.js";

/**
 * Premium Ollama: large models on GPU nodes only (the GPU toleration and required premium affinity come with the
 * tier's scheduling), whole GPUs as limits, and spot-aware stopping: a pause before SIGTERM so endpoints drop the pod
 * first, and a grace period to finish answers. KEDA scales it (see scaling.ts), to zero when the tenant is idle.
 */
export const premiumTier = (v: TenantValues): OllamaTier => {
  const p = v.ollama.premium;
  return {
    workload: "ollama-premium",
    nodeTier: "premium",
    pool: premiumPool,
    settings: p,
    resources: {
      requests: p.resources.requests,
      limits: { cpu: p.resources.limits.cpu, memory: p.resources.limits.memory, [gpuResource]: `${p.gpus}` },
    },
    podExtras: { terminationGracePeriodSeconds: p.terminationGracePeriodSeconds },
    // GPU quota is sized to the pods KEDA may run: a surge pod would need one GPU more and stall the rollout.
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    // The kubelet's own sleep action: no shell or sleep binary needed in the image.
    containerExtras: { lifecycle: { preStop: { sleep: { seconds: p.preStopSleepSeconds } } } },
  };
};

export const ollamaPremiumTemplate = (v: TenantValues, h: Helpers) => [
  h.when(hasPremium(v, h), ollamaDeployment(v, h, premiumTier(v))),
  h.when(hasPremium(v, h), ollamaService(v, h, "ollama-premium")),
];
