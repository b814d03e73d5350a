import { labels } from "../lib/conventions.js";
import { defineChart, type Helpers } from "../lib/engine/index.js";
import { devicePluginConfigLabel, timeSlicingConfigName } from "../lib/gpu-sharing.js";
import { migConfigLabel, migConfigName, poolTaints } from "../lib/pools.js";
import { ec2NodeClass } from "./nodeclass.js";
import { poolNodeLabels, premiumPool, standardPool } from "./node-labels.js";
import { nodepoolsReadme } from "./readme.js";
import { nodePool, placement, type Requirement } from "./nodepool.js";
import { type NodepoolsValues, nodepoolsValues } from "./values.js";

const nvidiaOnly: Requirement = {
  key: "karpenter.k8s.aws/instance-gpu-manufacturer",
  operator: "In",
  values: ["nvidia"],
};

const classNames = (h: Helpers) => ({ standard: `${h.release.name}-standard`, gpu: `${h.release.name}-gpu` });

const nodeClasses = (v: NodepoolsValues, h: Helpers) => [
  h.when(v.standard.enabled, ec2NodeClass(h, v, classNames(h).standard, v.standard.rootVolumeSize)),
  h.when(
    h.or(v.premium.enabled, h.isSet(v.extraGpuPools)),
    ec2NodeClass(h, v, classNames(h).gpu, v.premium.rootVolumeSize),
  ),
];

const standardNodePool = (v: NodepoolsValues, h: Helpers) => [
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
      nodeClass: classNames(h).standard,
      weight: 10,
    }),
  ),
];

/** Premium runs on two pools with the same labels and taint: spot (weight 100, tried first) and on-demand (fallback). */
const premiumNodePools = (v: NodepoolsValues, h: Helpers) => {
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
      nodeClass: classNames(h).gpu,
      weight,
    });
  return [
    h.when(h.and(p.enabled, p.spot), pool("spot", 100)),
    h.when(h.and(p.enabled, p.onDemandFallback), pool("on-demand", 10)),
  ];
};

const extraGpuNodePools = (v: NodepoolsValues, h: Helpers) =>
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
      taints: poolTaints(h, "premium", pool.taints ?? []),
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
      nodeClass: classNames(h).gpu,
      weight: 50,
      annotations: { "llmcharts.io/purpose": pool.purpose },
    }),
  );

export const nodepoolsChart = defineChart({
  name: "nodepools",
  version: "0.2.0",
  appVersion: "1.14.1",
  description:
    "Karpenter v1 NodePools and EC2NodeClasses for the LLM platform's tiers: CPU for standard, GPU spot for premium.",
  kubeVersion: ">=1.32.0-0",
  keywords: ["karpenter", "gpu", "nodepool", "llm", "ollama"],
  annotations: { "artifacthub.io/category": "integration-delivery" },
  docs: {
    installOrder: 1,
    install: { release: "pools", namespace: "karpenter", createNamespace: false },
    prerequisites: [
      "Karpenter 1.x running in the cluster (namespace `karpenter`), with the IAM role its nodes use (`nodeRole`) and subnets and security groups tagged for discovery (`karpenter.sh/discovery`).",
      "The NVIDIA device plugin is configured by the platform chart; install it before GPU pods are scheduled.",
    ],
    examples: { minimal: "premium-off-cpu-only", full: "all-pools" },
  },
  values: nodepoolsValues,
  templates: {
    nodeclasses: nodeClasses,
    "standard-nodepool": standardNodePool,
    "premium-nodepools": premiumNodePools,
    "extra-gpu-nodepools": extraGpuNodePools,
  },
  readme: nodepoolsReadme,
  notes: (v, h) =>
    `Karpenter node pools of release ${h.release.name} for cluster ${v.clusterName}.\n` +
    "Standard (CPU) pods select llmcharts.io/pool=standard; premium (GPU) pods select llmcharts.io/pool=premium and tolerate nvidia.com/gpu.\n" +
    "GPU pools hold no node until a GPU pod is pending, and drop empty nodes after the consolidateAfter delay.\n" +
    "Spot interruptions: NodePools cannot carry them; set the Karpenter controller's settings.interruptionQueue to the\n" +
    "  cluster's SQS interruption queue, or spot nodes vanish without a drain (see this chart's README).\n",
});
