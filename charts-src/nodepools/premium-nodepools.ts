import type { Helpers } from "../lib/engine/index.js";
import { poolTaints } from "../lib/pools.js";
import { nodeClassRef } from "./nodeclasses.js";
import { poolNodeLabels, premiumPool } from "./node-labels.js";
import { nodePool, nvidiaOnly, placement } from "./nodepool.js";
import type { NodepoolsValues } from "./values.js";

/** Premium runs on two pools with the same labels and taint: spot (weight 100, tried first) and on-demand (fallback). */
export const premiumNodePools = (v: NodepoolsValues, h: Helpers) => {
  const p = v.premium;
  const pool = (capacity: "spot" | "on-demand", weight: number) =>
    nodePool(h, {
      name: `${h.release.name}-${premiumPool}-${capacity}`,
      tier: "premium",
      nodeLabels: h.merge(p.labels, poolNodeLabels(premiumPool, "premium")),
      taints: poolTaints(h, "premium", p.taints),
      requirements: [
        { key: "karpenter.k8s.aws/instance-family", operator: "In", values: p.instanceFamilies },
        { key: "karpenter.sh/capacity-type", operator: "In", values: [capacity] },
        nvidiaOnly,
        h.when(h.isSet(p.gpuMemoryAboveMiB), {
          key: "karpenter.k8s.aws/instance-gpu-memory",
          operator: "Gt",
          values: [`${p.gpuMemoryAboveMiB}`],
        }),
        ...placement(v.zones),
      ],
      limits: { cpu: p.cpuLimit, memory: p.memoryLimit, "nvidia.com/gpu": `${p.gpuLimit}` },
      disruption: p.disruption,
      expireAfter: p.expireAfter,
      terminationGracePeriod: p.terminationGracePeriod,
      nodeClassRef: nodeClassRef(v, h, "gpu"),
      weight,
    });
  return [
    h.when(h.and(p.enabled, p.spot), pool("spot", 100)),
    h.when(h.and(p.enabled, p.onDemandFallback), pool("on-demand", 10)),
  ];
};
