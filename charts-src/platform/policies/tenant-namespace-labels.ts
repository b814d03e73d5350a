import { labels, podSecurityLabels, tiers } from "../../lib/conventions.js";
import { clusterPolicy, enforce, tenantNamespaceObjects } from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";

export const tenantNamespaceLabelsName = "tenant-namespace-labels";

/**
 * Rule 1: a namespace labelled with a tenant is a tenant namespace, and every other isolation policy finds it by
 * its labels; so it must say which tier it buys and enforce the restricted Pod Security Standard.
 */
export const tenantNamespaceLabels = (): IsolationPolicy =>
  clusterPolicy({
    name: tenantNamespaceLabelsName,
    title: "Tenant namespace labels",
    subjects: ["Namespace"],
    description: `A namespace carrying ${labels.tenant} must name the tenant, set ${labels.tier} to one of ${tiers.join(", ")}, and set the restricted Pod Security labels, because the other isolation policies select tenant namespaces by these labels.`,
    rules: [
      {
        name: "require-tenant-and-tier",
        match: tenantNamespaceObjects(),
        validate: enforce(
          `Tenant namespace {{ request.object.metadata.name }}: label ${labels.tenant} must be non-empty and ${labels.tier} must be one of ${tiers.join(", ")}.`,
          { pattern: { metadata: { labels: { [labels.tenant]: "?*", [labels.tier]: tiers.join(" | ") } } } },
        ),
      },
      {
        name: "require-restricted-pod-security",
        match: tenantNamespaceObjects(),
        validate: enforce(
          `Tenant namespace {{ request.object.metadata.name }} must set ${Object.entries(podSecurityLabels)
            .map(([k, val]) => `${k}=${val}`)
            .join(", ")}.`,
          { pattern: { metadata: { labels: { ...podSecurityLabels } } } },
        ),
      },
    ],
  });
