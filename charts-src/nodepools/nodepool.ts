import type { NodeTier } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { Budget, NodePool, NodeSelectorRequirementWithMinValues, Taint } from "../lib/k8s.js";
import { standardLabels } from "../lib/metadata.js";

/** A Karpenter requirement: instances launched must satisfy it. */
export type Requirement = NodeSelectorRequirementWithMinValues;

/** GPU pools launch NVIDIA instances only: the device plugin, the MIG manager and DCGM are NVIDIA's. */
export const nvidiaOnly: Requirement = {
  key: "karpenter.k8s.aws/instance-gpu-manufacturer",
  operator: "In",
  values: ["nvidia"],
};

export interface PoolSpec {
  /** Object name (may hold the release name). */
  name: string;
  tier: NodeTier;
  /** Node labels (may be a merged value). */
  nodeLabels: Record<string, string>;
  taints: Taint[];
  requirements: Requirement[];
  limits: Record<string, string>;
  disruption: {
    consolidationPolicy: string;
    consolidateAfter: string;
    budget: string;
    scheduledBudgets: readonly unknown[];
  };
  expireAfter: string;
  /** Longest a drain may take before the node is deleted anyway (optional value). */
  terminationGracePeriod: string | undefined;
  nodeClassRef: { group: string; kind: string; name: string };
  /** Higher is tried first when several pools fit a pod. */
  weight: number;
  annotations?: Record<string, string>;
}

const zoneArchOs = (zones: string[]): Requirement[] => [
  { key: "topology.kubernetes.io/zone", operator: "In", values: zones },
  { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
  { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
];

export const placement = zoneArchOs;

/** A `karpenter.sh/v1` NodePool. */
export const nodePool = (h: Helpers, p: PoolSpec): NodePool => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: {
    name: p.name,
    labels: standardLabels(h, "nodepools", `${p.tier}-pool`),
    ...(p.annotations ? { annotations: p.annotations } : {}),
  },
  spec: {
    weight: p.weight,
    template: {
      metadata: { labels: p.nodeLabels },
      spec: {
        nodeClassRef: p.nodeClassRef,
        expireAfter: p.expireAfter,
        terminationGracePeriod: h.when(h.isSet(p.terminationGracePeriod), p.terminationGracePeriod),
        taints: p.taints,
        requirements: p.requirements,
      },
    },
    disruption: {
      consolidationPolicy: p.disruption.consolidationPolicy,
      consolidateAfter: p.disruption.consolidateAfter,
      budgets: [{ nodes: p.disruption.budget }, ...h.each(p.disruption.scheduledBudgets, (b) => b as Budget)],
    },
    limits: p.limits,
  },
});
