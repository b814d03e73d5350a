import { gpuTaint, labels, type NodeTier } from "../lib/conventions.js";
import type { Taint } from "../lib/k8s.js";

/**
 * The labels and taints a node of each pool carries: what tenant pods select on. The tenant chart and the platform's
 * policies import these, so a pod and the node meant for it can never disagree.
 */
export const poolNodeLabels = (pool: string, tier: NodeTier): Record<string, string> => ({
  [labels.pool]: pool,
  [labels.nodeTier]: tier,
  ...(tier === "premium" ? { "nvidia.com/gpu.present": "true" } : {}),
});

/** Taints of a pool's nodes: GPU nodes repel everything that does not tolerate the GPU taint. */
export const poolTaints = (tier: NodeTier): Taint[] => (tier === "premium" ? [{ ...gpuTaint }] : []);

/** Pool names the tenant chart selects on. */
export const standardPool = "standard";
export const premiumPool = "premium";
