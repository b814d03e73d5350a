import { defineChart } from "../lib/engine/index.js";
import { extraGpuNodePools } from "./extra-gpu-nodepools.js";
import { migNodeOverlays } from "./mig-node-overlays.js";
import { nodeClasses } from "./nodeclasses.js";
import { premiumNodePools } from "./premium-nodepools.js";
import { nodepoolsLabValues } from "./lab-values.js";
import { nodepoolsReadme, nodepoolsTroubleshooting } from "./readme.js";
import { nodepoolsRequiredValues, requiredValuesTemplate } from "./required-values.js";
import { standardNodePool } from "./standard-nodepool.js";
import { nodepoolsValues } from "./values.js";

export const nodepoolsChart = defineChart({
  name: "nodepools",
  version: "0.2.5",
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
      "With MIG pools (`extraGpuPools` with `gpuSharing: mig`): Karpenter's `NodeOverlay` feature gate on (its chart's `settings.featureGates.nodeOverlay: true`, i.e. `--feature-gates NodeOverlay=true`); the chart renders a NodeOverlay per MIG pool, without which Karpenter launches no node for a MIG pod.",
    ],
    examples: { minimal: "premium-off-cpu-only", full: "all-pools" },
    troubleshooting: nodepoolsTroubleshooting,
  },
  lintFixture: "defaults",
  values: nodepoolsValues,
  shippedValues: [nodepoolsLabValues],
  requiredValues: nodepoolsRequiredValues,
  templates: {
    "required-values": requiredValuesTemplate,
    nodeclasses: nodeClasses,
    "standard-nodepool": standardNodePool,
    "premium-nodepools": premiumNodePools,
    "extra-gpu-nodepools": extraGpuNodePools,
    "mig-node-overlays": migNodeOverlays,
  },
  readme: nodepoolsReadme,
  notes: (v, h) =>
    `Karpenter node pools of release ${h.release.name}${h.pick(h.isSet(v.clusterName), ` for cluster ${v.clusterName}`, "")}.\n` +
    "Standard (CPU) pods select llmcharts.io/pool=standard; premium (GPU) pods select llmcharts.io/pool=premium and tolerate nvidia.com/gpu.\n" +
    "GPU pools hold no node until a GPU pod is pending, and drop empty nodes after the consolidateAfter delay.\n" +
    "Spot interruptions: NodePools cannot carry them; set the Karpenter controller's settings.interruptionQueue to the\n" +
    "  cluster's SQS interruption queue, or spot nodes vanish without a drain (see this chart's README).\n",
});
