import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import { devicePluginConfigLabel, timeSlicingConfigName } from "../lib/gpu-sharing.js";
import { migConfigLabel, migConfigName, poolTaints } from "../lib/pools.js";
import { nodeClassRef } from "./nodeclasses.js";
import { poolNodeLabels } from "./node-labels.js";
import { nodePool, nvidiaOnly, placement } from "./nodepool.js";
import type { NodepoolsValues } from "./values.js";

export const extraGpuNodePools = (v: NodepoolsValues, h: Helpers) =>
  h.each(v.extraGpuPools, (pool) =>
    nodePool(h, {
      name: `${h.release.name}-${pool.name}`,
      tier: "premium",
      // The sharing labels pick the platform's device-plugin config and the MIG manager's layout; see lib/gpu-sharing.ts.
      nodeLabels: h.merge(pool.labels, poolNodeLabels(pool.name, "premium"), {
        [labels.gpuSharing]: pool.gpuSharing,
        [devicePluginConfigLabel]: h.pick(
          h.isSet(pool.timeSlicingReplicas),
          timeSlicingConfigName(`${pool.timeSlicingReplicas}`),
          pool.gpuSharing,
        ),
        // MIG-capable GPUs of the other pools stay whole: the MIG manager's all-disabled layout.
        [migConfigLabel]: h.pick(h.eq(pool.gpuSharing, "mig"), migConfigName(`${pool.migProfile}`), "all-disabled"),
      }),
      taints: poolTaints(h, "premium", pool.taints),
      requirements: [
        { key: "karpenter.k8s.aws/instance-family", operator: "In", values: pool.instanceFamilies },
        { key: "karpenter.sh/capacity-type", operator: "In", values: pool.capacityTypes },
        nvidiaOnly,
        ...placement(v.zones),
      ],
      limits: { "nvidia.com/gpu": `${pool.gpuLimit}` },
      disruption: v.premium.disruption,
      expireAfter: v.premium.expireAfter,
      terminationGracePeriod: pool.terminationGracePeriod,
      nodeClassRef: nodeClassRef(v, h, "gpu"),
      weight: 50,
      annotations: { "llmcharts.io/purpose": pool.purpose },
    }),
  );
