/**
 * The real nodes of a lab cluster, labelled as Karpenter labels the nodes of the nodepools chart's pools: a standard
 * CPU node (OpenWebUI and standard Ollama land on it by the tenant chart's own affinity) and, optionally, a node of
 * the premium pool with its GPU taint and an advertised nvidia.com/gpu, where premium Ollama runs on CPU.
 */
import { gpuTaint } from "../../charts-src/lib/conventions.js";
import { poolNodeLabels, premiumPool, standardPool } from "../../charts-src/nodepools/node-labels.js";
import type { NodeSpec } from "./config.js";

const karpenterLabels = (pool: string, instanceType: string) => ({
  "karpenter.sh/nodepool": pool,
  "karpenter.sh/capacity-type": "on-demand",
  "topology.kubernetes.io/zone": "zone-a",
  "topology.kubernetes.io/region": "zone",
  "node.kubernetes.io/instance-type": instanceType,
});

export const standardNode: NodeSpec = {
  name: "llmcharts-real-0",
  suffix: "",
  labels: { ...poolNodeLabels(standardPool, "standard"), ...karpenterLabels(standardPool, "m7i.8xlarge") },
  taints: [],
  extendedResources: {},
  podCidr: "10.88.0.0/16",
  bridge: "llmcharts0",
  cgroupRoot: "/",
};

export const premiumNode: NodeSpec = {
  name: "llmcharts-real-gpu-0",
  suffix: "-gpu",
  labels: {
    ...poolNodeLabels(premiumPool, "premium"),
    ...karpenterLabels(premiumPool, "g6e.12xlarge"),
    "karpenter.k8s.aws/instance-gpu-count": "4",
    "karpenter.k8s.aws/instance-gpu-manufacturer": "nvidia",
    "karpenter.k8s.aws/instance-gpu-memory": "49152",
  },
  taints: [{ ...gpuTaint }],
  extendedResources: { "nvidia.com/gpu": "4" },
  podCidr: "10.89.0.0/16",
  bridge: "llmcharts1",
  cgroupRoot: "/llmcharts-gpu",
};

/** A standard node, and a premium one when asked. */
export const labNodes = (withPremium: boolean): NodeSpec[] =>
  withPremium ? [standardNode, premiumNode] : [standardNode];
