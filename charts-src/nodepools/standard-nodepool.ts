import type { Helpers } from "../lib/engine/index.js";
import { poolTaints } from "../lib/pools.js";
import { nodeClassRef } from "./nodeclasses.js";
import { poolNodeLabels, standardPool } from "./node-labels.js";
import { nodePool, placement } from "./nodepool.js";
import type { NodepoolsValues } from "./values.js";

export const standardNodePool = (v: NodepoolsValues, h: Helpers) => [
  h.when(
    v.standard.enabled,
    nodePool(h, {
      name: `${h.release.name}-${standardPool}`,
      tier: "standard",
      nodeLabels: h.merge(v.standard.labels, poolNodeLabels(standardPool, "standard")),
      taints: poolTaints(h, "standard", v.standard.taints),
      requirements: [
        { key: "karpenter.k8s.aws/instance-family", operator: "In", values: v.standard.instanceFamilies },
        h.when(h.isSet(v.standard.instanceSizes), {
          key: "karpenter.k8s.aws/instance-size",
          operator: "In",
          values: v.standard.instanceSizes,
        }),
        { key: "karpenter.sh/capacity-type", operator: "In", values: v.standard.capacityTypes },
        ...placement(v.zones),
      ],
      limits: { cpu: v.standard.cpuLimit, memory: v.standard.memoryLimit },
      disruption: v.standard.disruption,
      expireAfter: v.standard.expireAfter,
      terminationGracePeriod: v.standard.terminationGracePeriod,
      nodeClassRef: nodeClassRef(v, h, "standard"),
      weight: 10,
    }),
  ),
];
