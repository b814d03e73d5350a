import { gpuTaint, labels, type NodeTier, tierIncludes, tiers } from "../../lib/conventions.js";
import { type AdmissionObject, admissionPolicy, podRules } from "./admission.js";
import { clusterPolicy, enforce, inTenantNamespaces, tenantNamespaceSelector, v } from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";
import { cel, jmes } from "./pod-spec.js";

export const gpuOnlyPremiumName = "gpu-only-premium";
/** The native admission policy for GPU namespaces (the one for the others shares the ClusterPolicy's name). */
export const gpuPodsOnPremiumNodesName = "gpu-pods-on-premium-nodes";

const gpuNodeTier: NodeTier = "premium";
/** Tenant tiers that buy GPU time: premium and both. */
const gpuTiers = tiers.filter((tier) => tierIncludes(tier, gpuNodeTier));
const taint = `${gpuTaint.key}=${gpuTaint.value}:${gpuTaint.effect}`;
const gpuResources = { name: "gpuResources", variable: { jmesPath: jmes.gpuResources, default: [] } };
const requestsGpu = { all: [{ key: v("length(gpuResources)"), operator: "GreaterThan" as const, value: 0 }] };

/**
 * Rule 2: GPUs are what premium tenants pay for. Outside premium/both namespaces a pod may neither request a GPU
 * (whole or MIG slice) nor tolerate the GPU taint; inside them a GPU pod must tolerate the taint and require
 * premium nodes, so it never waits for a GPU on a CPU node.
 */
export const gpuOnlyPremium = (): IsolationPolicy =>
  clusterPolicy({
    name: gpuOnlyPremiumName,
    title: "GPUs only for premium tenants",
    subjects: ["Pod"],
    description: `Only namespaces whose ${labels.tier} is ${gpuTiers.join(" or ")} may run pods that request nvidia.com GPUs or MIG slices or tolerate the ${taint} taint; there, GPU pods must tolerate that taint and require ${labels.nodeTier}=${gpuNodeTier} nodes.`,
    rules: [
      {
        name: "no-gpu-outside-premium-tiers",
        match: inTenantNamespaces(["Pod"], { namespace: [{ key: labels.tier, operator: "NotIn", values: gpuTiers }] }),
        context: [gpuResources],
        validate: enforce(
          `Namespace {{ request.namespace }} is not on a GPU tier (${labels.tier} must be ${gpuTiers.join(" or ")}): remove the GPU resources {{ gpuResources }} from every container.`,
          { deny: { conditions: requestsGpu } },
        ),
      },
      {
        name: "no-gpu-toleration-outside-premium-tiers",
        match: inTenantNamespaces(["Pod"], { namespace: [{ key: labels.tier, operator: "NotIn", values: gpuTiers }] }),
        validate: enforce(
          `Namespace {{ request.namespace }} is not on a GPU tier (${labels.tier} must be ${gpuTiers.join(" or ")}): remove the tolerations of the ${taint} taint (including tolerations without a key).`,
          {
            deny: {
              conditions: {
                any: [{ key: v(`length(${jmes.gpuTaintTolerations})`), operator: "GreaterThan", value: 0 }],
              },
            },
          },
        ),
      },
      {
        name: "gpu-pods-tolerate-gpu-taint",
        match: inTenantNamespaces(["Pod"], { namespace: [{ key: labels.tier, operator: "In", values: gpuTiers }] }),
        context: [gpuResources],
        preconditions: requestsGpu,
        validate: enforce(
          `A pod requesting {{ gpuResources }} must tolerate the GPU taint: add the toleration {key: ${gpuTaint.key}, operator: Exists, effect: ${gpuTaint.effect}}.`,
          {
            deny: {
              conditions: { any: [{ key: v(`length(${jmes.exactGpuTolerations})`), operator: "Equals", value: 0 }] },
            },
          },
        ),
      },
      {
        name: "gpu-pods-require-premium-nodes",
        match: inTenantNamespaces(["Pod"], { namespace: [{ key: labels.tier, operator: "In", values: gpuTiers }] }),
        context: [gpuResources],
        preconditions: requestsGpu,
        validate: enforce(
          `A pod requesting {{ gpuResources }} must require ${gpuNodeTier} nodes: every requiredDuringSchedulingIgnoredDuringExecution node selector term needs {key: ${labels.nodeTier}, operator: In, values: [${gpuNodeTier}]}.`,
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(jmes.requiredTermCount),
                    operator: "Equals",
                    value: 0,
                    message: "the pod has no required node affinity",
                  },
                  {
                    key: v(`length(${jmes.termsOutsideNodeTier(gpuNodeTier)})`),
                    operator: "GreaterThan",
                    value: 0,
                    message: `a required node selector term does not confine the pod to ${labels.nodeTier} In [${gpuNodeTier}]`,
                  },
                ],
              },
            },
          },
        ),
      },
    ],
  });

/** Rule 2 as native admission policies: one for namespaces without GPUs, one for GPU namespaces. */
export const gpuOnlyPremiumAdmission = (): AdmissionObject[] => [
  ...admissionPolicy({
    name: gpuOnlyPremiumName,
    description: `Pods in tenant namespaces whose ${labels.tier} is not ${gpuTiers.join(" or ")} may not request GPUs or tolerate the GPU taint.`,
    resourceRules: podRules,
    namespaceSelector: tenantNamespaceSelector({ key: labels.tier, operator: "NotIn", values: gpuTiers }),
    validations: [
      {
        expression: cel.noGpuResources,
        messageExpression: `"namespace " + request.namespace + " is not on a GPU tier (${labels.tier} must be ${gpuTiers.join(" or ")}): remove nvidia.com GPU and MIG resources from pod " + object.metadata.name`,
        reason: "Forbidden",
      },
      {
        expression: `!(${cel.toleratesGpuTaint})`,
        messageExpression: `"namespace " + request.namespace + " is not on a GPU tier: pod " + object.metadata.name + " may not tolerate the ${taint} taint"`,
        reason: "Forbidden",
      },
    ],
  }),
  ...admissionPolicy({
    name: gpuPodsOnPremiumNodesName,
    description: `GPU pods in ${gpuTiers.join("/")} tenant namespaces must tolerate the GPU taint and require ${gpuNodeTier} nodes.`,
    resourceRules: podRules,
    namespaceSelector: tenantNamespaceSelector({ key: labels.tier, operator: "In", values: gpuTiers }),
    variables: [{ name: "requestsGpu", expression: `!(${cel.noGpuResources})` }],
    validations: [
      {
        expression: `!variables.requestsGpu || (${cel.exactGpuToleration})`,
        messageExpression: `"GPU pod " + object.metadata.name + " must tolerate the GPU taint {key: ${gpuTaint.key}, operator: Exists, effect: ${gpuTaint.effect}}"`,
        reason: "Invalid",
      },
      {
        expression: `!variables.requestsGpu || (${cel.requiresNodeTier(gpuNodeTier)})`,
        messageExpression: `"GPU pod " + object.metadata.name + " must require ${labels.nodeTier} In [${gpuNodeTier}] in every required node selector term"`,
        reason: "Invalid",
      },
    ],
  }),
];
