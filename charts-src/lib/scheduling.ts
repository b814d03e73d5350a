import { gpuTaint, type NodeTier, priorityClasses } from "./conventions.js";
import type { Affinity, NodeSelectorRequirement, PodSpec, Toleration, TopologySpreadConstraint } from "./k8s.js";

/**
 * Where a tier's pods may run, declared once: required node affinity to the labels of the tier's nodes, the GPU
 * toleration only for the premium tier, the tier's PriorityClass, and spreading across zones.
 */

/** A node label requirement with the In operator (the only one the platform's isolation policies accept). */
const labelIn = (key: string, value: string): NodeSelectorRequirement => ({ key, operator: "In", values: [value] });

/**
 * Required node affinity to nodes carrying every one of `nodeLabels`, and meeting every `also` requirement (one
 * term, so all must hold).
 */
export const requireNodeLabels = (
  nodeLabels: Record<string, string>,
  also: NodeSelectorRequirement[] = [],
): Affinity => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            ...Object.entries(nodeLabels)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([key, value]) => labelIn(key, value)),
            ...also,
          ],
        },
      ],
    },
  },
});

/** The toleration that lets a pod onto GPU nodes: exactly the GPU taint, nothing broader. */
export const gpuToleration = (): Toleration => ({ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect });

/** Affinity, tolerations and priority of a pod that runs on `nodeTier` nodes carrying `nodeLabels`. */
export const tierScheduling = (
  nodeTier: NodeTier,
  nodeLabels: Record<string, string>,
): Required<Pick<PodSpec, "affinity" | "tolerations" | "priorityClassName">> => ({
  affinity: requireNodeLabels(nodeLabels),
  tolerations: nodeTier === "premium" ? [gpuToleration()] : [],
  priorityClassName: priorityClasses[nodeTier],
});

/**
 * Spread a workload's pods across availability zones and across nodes, so that neither a zone outage nor one node's
 * loss takes every replica. `ScheduleAnyway`, so that a zone or node without capacity slows a scale-up instead of
 * blocking it (a one-node lab still runs every replica); `pod-template-hash` keeps a rolling update from counting old
 * and new pods together.
 */
export const podSpread = (selector: Record<string, string>): TopologySpreadConstraint[] =>
  ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: selector },
    matchLabelKeys: ["pod-template-hash"],
  }));
