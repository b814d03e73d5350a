import { defaultDenyPolicyName, platformNamespace, podSecurityLabels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { Namespace, NetworkPolicy, NetworkPolicyEgressRule } from "../lib/k8s.js";
import { clusterDnsEgress } from "../lib/network.js";
import { platformLabels } from "./metadata.js";
import { defaultDenyNetworkPolicySpec } from "./policies/default-deny.js";
import type { PlatformValues } from "./values.js";

/**
 * The platform's own namespace, held to the restricted Pod Security Standard like a tenant's. Kept on uninstall:
 * it may hold the only claim on the cache. Install the chart into another namespace (Helm's --create-namespace
 * would create this one without Helm's ownership labels, and the install would then refuse to adopt it).
 */
const namespace = (h: Helpers): Namespace => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: {
    name: platformNamespace,
    labels: { ...platformLabels(h, "namespace"), ...podSecurityLabels },
    annotations: { "helm.sh/resource-policy": "keep" },
  },
});

/** Nothing in the platform namespace talks to anything unless a policy of its own says so (the model pull's egress). */
const defaultDeny = (h: Helpers): NetworkPolicy => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: defaultDenyPolicyName, namespace: platformNamespace, labels: platformLabels(h, "network") },
  spec: defaultDenyNetworkPolicySpec,
});

/**
 * An exception to the namespace's default deny: the pods of one component may open connections to cluster DNS and
 * to `egress`, and to nothing else.
 */
export const platformEgress = (
  h: Helpers,
  name: string,
  component: string,
  egress: NetworkPolicyEgressRule[],
): NetworkPolicy => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: platformNamespace, labels: platformLabels(h, "network") },
  spec: {
    podSelector: { matchLabels: { "app.kubernetes.io/component": component } },
    policyTypes: ["Egress"],
    egress: [clusterDnsEgress(), ...egress],
  },
});

export const platformNamespaceResources = (_v: PlatformValues, h: Helpers) => [namespace(h), defaultDeny(h)];
