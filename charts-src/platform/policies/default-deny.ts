import { defaultDenyPolicyName, labels } from "../../lib/conventions.js";
import type { NetworkPolicySpec } from "../../lib/k8s.js";
import { clusterPolicy, enforce, field, inTenantNamespaces, json, tenantNamespaceObjects, v } from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";

export const defaultDenyName = "default-deny";

const policyTypes: NetworkPolicySpec["policyTypes"] = ["Ingress", "Egress"];

/** The NetworkPolicy every tenant namespace starts from: selects every pod, allows nothing either way. */
export const defaultDenyNetworkPolicySpec: NetworkPolicySpec = { podSelector: {}, policyTypes };

/**
 * Rule 4: every tenant namespace holds the default-deny NetworkPolicy. Kyverno creates it with the namespace (and
 * in namespaces that existed before the policy) and restores it when edited or deleted; a tenant's own
 * NetworkPolicies then add the traffic they need. A second rule keeps it closed, so that an edit fails at once
 * instead of being reverted later.
 */
export const defaultDeny = (): IsolationPolicy =>
  clusterPolicy({
    name: defaultDenyName,
    title: "Default-deny NetworkPolicy in tenant namespaces",
    subjects: ["Namespace", "NetworkPolicy"],
    description: `Generates the NetworkPolicy ${defaultDenyPolicyName} (all pods, no ingress, no egress) in every namespace carrying ${labels.tenant}, keeps it in sync, and rejects edits that would open it.`,
    rules: [
      {
        name: "generate-default-deny",
        match: tenantNamespaceObjects(),
        generate: {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          name: defaultDenyPolicyName,
          namespace: "{{ request.object.metadata.name }}",
          synchronize: true,
          generateExisting: true,
          data: {
            metadata: {
              labels: {
                [labels.tenant]: `{{ request.object.metadata.labels.${field(labels.tenant)} }}`,
                "app.kubernetes.io/managed-by": "kyverno",
              },
            },
            spec: defaultDenyNetworkPolicySpec,
          },
        },
      },
      {
        name: "default-deny-stays-closed",
        match: inTenantNamespaces(["NetworkPolicy"], { names: [defaultDenyPolicyName] }),
        validate: enforce(
          `NetworkPolicy ${defaultDenyPolicyName} must keep podSelector {}, policyTypes [${policyTypes.join(", ")}] and no ingress or egress rules; add what a workload needs in a NetworkPolicy of its own.`,
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(
                      `add(length(keys(request.object.spec.podSelector.matchLabels || ${json({})})), length(request.object.spec.podSelector.matchExpressions || ${json([])}))`,
                    ),
                    operator: "GreaterThan",
                    value: 0,
                    message: "its podSelector picks only some pods",
                  },
                  {
                    key: policyTypes,
                    operator: "AnyNotIn",
                    value: v(`request.object.spec.policyTypes || ${json([])}`),
                    message: "policyTypes is {{ request.object.spec.policyTypes }}",
                  },
                  {
                    key: v(
                      `add(length(request.object.spec.ingress || ${json([])}), length(request.object.spec.egress || ${json([])}))`,
                    ),
                    operator: "GreaterThan",
                    value: 0,
                    message: "it has ingress or egress rules",
                  },
                ],
              },
            },
          },
        ),
      },
    ],
  });
