import type { NodeTier } from "../lib/conventions.js";
import { poolSelectorLabels } from "../lib/pools.js";

/**
 * The labels a node of each pool carries: what tenant pods select on (charts-src/lib/pools.ts), plus the label the
 * NVIDIA device plugin's default affinity needs on GPU nodes.
 */
export const poolNodeLabels = (pool: string, tier: NodeTier): Record<string, string> => ({
  ...poolSelectorLabels(pool, tier),
  ...(tier === "premium" ? { "nvidia.com/gpu.present": "true" } : {}),
});

export { premiumPool, standardPool } from "../lib/pools.js";
