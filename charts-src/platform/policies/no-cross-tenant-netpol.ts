import { labels } from "../../lib/conventions.js";
import {
  clusterPolicy,
  enforce,
  field,
  inTenantNamespaces,
  json,
  jsonText,
  namespaceTenantContext,
  namespaceTenantVariable,
  str,
  v,
} from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";
import type { Helpers } from "../../lib/engine/index.js";
import { type PolicySettings, sharedNamespaces } from "./settings.js";

export const noCrossTenantNetpolName = "no-cross-tenant-netpol";

/** The label the API server puts on every namespace: its name. */
const namespaceNameLabel = "kubernetes.io/metadata.name";

const spec = "request.object.spec";

/**
 * Rule 5: a tenant's NetworkPolicies may open traffic only to and from its own namespaces and the shared ones
 * (DNS, monitoring, ingress). A peer's namespaceSelector must either match the policy's own tenant label or
 * name shared namespaces; `{}` (every namespace) and selectors on any other label are rejected. Peers without a
 * namespaceSelector stay in the policy's namespace, and ipBlock peers are allowed. A rule without peers admits
 * every namespace, so it is rejected too.
 */
export const noCrossTenantNetpol = (settings: PolicySettings, h: Helpers): IsolationPolicy => {
  const shared = sharedNamespaces(settings, h);
  const sharedText = h.join(shared, ", ");
  const selector = "element.namespaceSelector";
  const peersWithNamespaceSelector = `[${spec}.ingress[].from[], ${spec}.egress[].to[]][] | [?namespaceSelector != null]`;
  return clusterPolicy({
    name: noCrossTenantNetpolName,
    title: "No cross-tenant NetworkPolicy",
    subjects: ["NetworkPolicy"],
    description: `NetworkPolicies in tenant namespaces may select namespaces only by ${labels.tenant} equal to their own tenant, or by ${namespaceNameLabel} among ${sharedText}.`,
    rules: [
      {
        name: "namespace-selectors-stay-in-tenant",
        match: inTenantNamespaces(["NetworkPolicy"]),
        context: [namespaceTenantContext],
        // Without a namespaceSelector there is nothing to judge: say "skip" rather than pass silently.
        preconditions: {
          all: [{ key: v(`length(${peersWithNamespaceSelector})`), operator: "GreaterThan", value: 0 }],
        },
        validate: enforce(
          `NetworkPolicy {{ request.object.metadata.name }} in {{ request.namespace }}: every namespaceSelector must either match ${labels.tenant}: {{ ${namespaceTenantVariable} }} (matchLabels) or select ${namespaceNameLabel} In [${sharedText}]; an empty namespaceSelector selects every tenant's namespaces.`,
          {
            foreach: [
              {
                list: peersWithNamespaceSelector,
                deny: {
                  conditions: {
                    all: [
                      {
                        key: v(`${selector}.matchLabels.${field(labels.tenant)} || ''`),
                        operator: "NotEquals",
                        value: v(namespaceTenantVariable),
                        message: `namespaceSelector {{ to_string(${selector}) }} reaches beyond the tenant`,
                      },
                      {
                        key: v(`${selector}.matchLabels.${field(namespaceNameLabel)} || ''`),
                        operator: "AnyNotIn",
                        value: shared,
                      },
                      {
                        key: v(
                          `length((${selector}.matchExpressions || ${json([])})[?key == ${str(namespaceNameLabel)} && operator == 'In' && length(values) > ${json(0)} && length(values[?!contains(${jsonText(h.toJson(shared))}, @)]) == ${json(0)}])`,
                        ),
                        operator: "Equals",
                        value: 0,
                      },
                    ],
                  },
                },
              },
            ],
          },
        ),
      },
      {
        name: "rules-name-their-peers",
        match: inTenantNamespaces(["NetworkPolicy"]),
        validate: enforce(
          "NetworkPolicy {{ request.object.metadata.name }} in {{ request.namespace }}: an ingress rule without `from` or an egress rule without `to` admits every namespace, other tenants' included; list the peers (podSelector, namespaceSelector or ipBlock).",
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(
                      `add(length((${spec}.ingress || ${json([])})[?!from]), length((${spec}.egress || ${json([])})[?!to]))`,
                    ),
                    operator: "GreaterThan",
                    value: 0,
                  },
                ],
              },
            },
          },
        ),
      },
    ],
  });
};
