import { labels, podSecurityLabels } from "../../../charts-src/lib/conventions.js";
import { tenantNamespaceLabelsName } from "../../../charts-src/platform/policies/tenant-namespace-labels.js";
import { acme, globex, initech, namespaceObject, observability } from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const tierRule = "require-tenant-and-tier";
const podSecurityRule = "require-restricted-pod-security";

export const tenantNamespaceLabelsSuite: PolicySuite = {
  policy: tenantNamespaceLabelsName,
  cases: [
    ...[acme, globex, initech].map((ns) => ({
      why: `${ns.labels[labels.tier]} tenant namespace with every label`,
      resource: namespaceObject(ns),
      expect: { [tierRule]: "pass", [podSecurityRule]: "pass" } as const,
    })),
    {
      why: "a tier that does not exist",
      resource: namespaceObject({
        name: "tenant-gringotts",
        labels: { ...acme.labels, [labels.tenant]: "gringotts", [labels.tier]: "gold" },
      }),
      expect: { [tierRule]: "fail", [podSecurityRule]: "pass" },
    },
    {
      why: "no tier label at all",
      resource: namespaceObject(
        { name: "tenant-pied-piper", labels: { ...acme.labels, [labels.tenant]: "pied-piper" } },
        [labels.tier],
      ),
      expect: { [tierRule]: "fail", [podSecurityRule]: "pass" },
    },
    {
      why: "an empty tenant label still makes a tenant namespace, and is rejected",
      resource: namespaceObject({ name: "tenant-blank", labels: { ...acme.labels, [labels.tenant]: "" } }),
      expect: { [tierRule]: "fail", [podSecurityRule]: "pass" },
    },
    {
      why: "Pod Security enforcing baseline instead of restricted",
      resource: namespaceObject({
        name: "tenant-umbrella",
        labels: { ...acme.labels, [labels.tenant]: "umbrella", "pod-security.kubernetes.io/enforce": "baseline" },
      }),
      expect: { [tierRule]: "pass", [podSecurityRule]: "fail" },
    },
    {
      why: "Pod Security labels missing",
      resource: namespaceObject(
        { name: "tenant-stark", labels: { ...globex.labels, [labels.tenant]: "stark" } },
        Object.keys(podSecurityLabels),
      ),
      expect: { [tierRule]: "pass", [podSecurityRule]: "fail" },
    },
    {
      why: "a shared namespace without a tenant label is not a tenant namespace",
      resource: namespaceObject(observability),
      expect: { [tierRule]: "skip", [podSecurityRule]: "skip" },
    },
  ],
};
