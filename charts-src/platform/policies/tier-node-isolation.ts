import type { KyvernoRule } from "../../lib/k8s.js";
import { labels, type NodeTier, nodeTiers, type Tier, tierMayRunOn, tiers } from "../../lib/conventions.js";
import { type AdmissionObject, admissionPolicy, podRules } from "./admission.js";
import { clusterPolicy, enforce, inTenantNamespaces, tenantNamespaceSelector, v } from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";
import type { Helpers } from "../../lib/engine/index.js";
import { cel, celList, celNamespaceLabel, jmes } from "./pod-spec.js";
import { type PolicySettings, poolsOf } from "./settings.js";

export const tierNodeIsolationName = "tier-node-isolation";

/**
 * Keeps pods of tenants whose tier lacks `nodeTier` off its nodes: they may select (by nodeSelector, or required
 * or preferred node affinity) only the other node tiers and their pools, never a pool the settings don't know.
 */
const offNodeTier = (settings: PolicySettings, h: Helpers, nodeTier: NodeTier): KyvernoRule => {
  const tenantTiers = tiers.filter((tier) => tierMayRunOn(tier, nodeTier));
  const allowedNodeTiers = nodeTiers.filter((other) => other !== nodeTier);
  const allowedPools = poolsOf(settings, h, (poolTier) => poolTier !== nodeTier);
  const allowedPoolsText = h.join(allowedPools, ", ");
  return {
    name: `${nodeTier}-nodes-only-for-${nodeTier}-tenants`,
    // NotIn also matches a namespace without a tier label: it gets every restriction.
    match: inTenantNamespaces(["Pod"], { namespace: [{ key: labels.tier, operator: "NotIn", values: tenantTiers }] }),
    context: [
      { name: "selectedNodeTiers", variable: { jmesPath: jmes.selectedValues(labels.nodeTier), default: [] } },
      { name: "selectedPools", variable: { jmesPath: jmes.selectedValues(labels.pool), default: [] } },
      {
        name: "nodeLabelOperators",
        variable: { jmesPath: jmes.operatorsOtherThanIn([labels.nodeTier, labels.pool]), default: [] },
      },
    ],
    validate: enforce(
      `Namespace {{ request.namespace }} has no ${nodeTier} tier (${labels.tier} is not ${tenantTiers.join(" or ")}): its pods may not select ${labels.nodeTier}=${nodeTier}, may select through ${labels.pool} only the pools [${allowedPoolsText}], and must use the In operator on these labels.`,
      {
        deny: {
          conditions: {
            any: [
              {
                key: v("selectedNodeTiers"),
                operator: "AnyNotIn",
                value: allowedNodeTiers,
                message: `selects ${labels.nodeTier} {{ selectedNodeTiers }}, allowed: [${allowedNodeTiers.join(", ")}]`,
              },
              {
                key: v("selectedPools"),
                operator: "AnyNotIn",
                value: allowedPools,
                message: `selects ${labels.pool} {{ selectedPools }}, allowed: [${allowedPoolsText}]`,
              },
              {
                key: v("length(nodeLabelOperators)"),
                operator: "GreaterThan",
                value: 0,
                message: "uses {{ nodeLabelOperators }} on a node tier or pool label; only In is allowed",
              },
            ],
          },
        },
      },
    ),
  };
};

/**
 * Rule 3: a tenant's pods never target node tiers its tier may not run on: a standard-only tenant's pods never target
 * premium nodes. Standard nodes are shared (every tenant's OpenWebUI runs there), so they need no rule. Tolerating the GPU taint (the only taint that tells the tiers apart) is rule 2's
 * `no-gpu-toleration-outside-premium-tiers`.
 */
export const tierNodeIsolation = (settings: PolicySettings, h: Helpers): IsolationPolicy =>
  clusterPolicy({
    name: tierNodeIsolationName,
    title: "Tier node isolation",
    subjects: ["Pod"],
    description: `Pods may select nodes through ${labels.nodeTier} or ${labels.pool} (nodeSelector, required or preferred node affinity) only within the node tiers their namespace's ${labels.tier} includes.`,
    rules: nodeTiers
      .filter((nodeTier) => tiers.some((tier) => !tierMayRunOn(tier, nodeTier)))
      .map((nodeTier) => offNodeTier(settings, h, nodeTier)),
  });

/** CEL map literal from each tenant tier to a list (CEL list text). */
const celTierMap = (of: (tier: Tier) => string): string =>
  `{${tiers.map((tier) => `${JSON.stringify(tier)}: ${of(tier)}`).join(", ")}}`;

/**
 * Rule 3 as one native admission policy: the namespace's tier label decides which node tiers and pools are open.
 * A tier that includes every node tier is not restricted, as in the ClusterPolicy.
 */
export const tierNodeIsolationAdmission = (settings: PolicySettings, h: Helpers): AdmissionObject[] => {
  const unrestrictedTiers = tiers.filter((tier) => nodeTiers.every((nodeTier) => tierMayRunOn(tier, nodeTier)));
  const allowedNodeTiers = celTierMap((tier) => celList(nodeTiers.filter((nodeTier) => tierMayRunOn(tier, nodeTier))));
  // JSON lists are CEL list literals.
  const allowedPools = celTierMap((tier) => h.toJson(poolsOf(settings, h, (nodeTier) => tierMayRunOn(tier, nodeTier))));
  const onlyAllowed = (labelKey: string, allowed: string): string =>
    `variables.unrestricted || (${cel.nodeSelectorValues(labelKey)}.all(x, x in ${allowed}) && !${cel.anyAffinityExpression(
      `e.key == ${JSON.stringify(labelKey)} && (e.operator != "In" || !has(e.values) || e.values.exists(x, !(x in ${allowed})))`,
    )})`;
  return admissionPolicy({
    name: tierNodeIsolationName,
    description: `Pods select nodes through ${labels.nodeTier} or ${labels.pool} only within the node tiers their namespace's ${labels.tier} includes.`,
    resourceRules: podRules,
    namespaceSelector: tenantNamespaceSelector(),
    variables: [
      { name: "tier", expression: celNamespaceLabel(labels.tier) },
      { name: "unrestricted", expression: `variables.tier in ${celList(unrestrictedTiers)}` },
      {
        name: "nodeTiers",
        expression: `variables.tier in ${allowedNodeTiers} ? ${allowedNodeTiers}[variables.tier] : []`,
      },
      { name: "pools", expression: `variables.tier in ${allowedPools} ? ${allowedPools}[variables.tier] : []` },
    ],
    validations: [
      {
        expression: onlyAllowed(labels.nodeTier, "variables.nodeTiers"),
        messageExpression: `"pod " + object.metadata.name + " in namespace " + request.namespace + " (tier " + variables.tier + ") may select ${labels.nodeTier} only with operator In and values in [" + variables.nodeTiers.join(", ") + "]"`,
        reason: "Forbidden",
      },
      {
        expression: onlyAllowed(labels.pool, "variables.pools"),
        messageExpression: `"pod " + object.metadata.name + " in namespace " + request.namespace + " (tier " + variables.tier + ") may select ${labels.pool} only with operator In and values in [" + variables.pools.join(", ") + "]"`,
        reason: "Forbidden",
      },
    ],
  });
};
