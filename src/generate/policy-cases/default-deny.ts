import type { NetworkPolicySpec } from "../../../charts-src/lib/k8s.js";
import { defaultDenyPolicyName, labels } from "../../../charts-src/lib/conventions.js";
import { defaultDenyName, defaultDenyNetworkPolicySpec } from "../../../charts-src/platform/policies/default-deny.js";
import { acme, globex, hooli, initech, type K8sObject, namespaceObject, observability } from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const stayClosed = "default-deny-stays-closed";

const networkPolicy = (namespace: string, spec: NetworkPolicySpec, name = defaultDenyPolicyName): K8sObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});

export const defaultDenySuite: PolicySuite = {
  policy: defaultDenyName,
  generates: [
    {
      why: "a new tenant namespace gets the default-deny NetworkPolicy",
      rule: "generate-default-deny",
      trigger: namespaceObject(acme),
      generated: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: {
          name: defaultDenyPolicyName,
          namespace: acme.name,
          labels: { [labels.tenant]: "acme", "app.kubernetes.io/managed-by": "kyverno" },
        },
        spec: defaultDenyNetworkPolicySpec,
      },
    },
  ],
  cases: [
    {
      why: "a shared namespace gets nothing",
      resource: namespaceObject(observability),
      expect: { "generate-default-deny": "skip" },
    },
    {
      why: "the default-deny policy as generated",
      resource: networkPolicy(acme.name, defaultDenyNetworkPolicySpec),
      expect: { [stayClosed]: "pass" },
    },
    {
      why: "an edit that opens all ingress",
      resource: networkPolicy(globex.name, { ...defaultDenyNetworkPolicySpec, ingress: [{}] }),
      expect: { [stayClosed]: "fail" },
    },
    {
      why: "an edit that stops denying egress",
      resource: networkPolicy(initech.name, { ...defaultDenyNetworkPolicySpec, policyTypes: ["Ingress"] }),
      expect: { [stayClosed]: "fail" },
    },
    {
      why: "an edit that narrows the policy to some pods",
      resource: networkPolicy(hooli.name, {
        ...defaultDenyNetworkPolicySpec,
        podSelector: { matchLabels: { [labels.component]: "ollama-standard" } },
      }),
      expect: { [stayClosed]: "fail" },
    },
    {
      why: "the tenant's own allow policies are another rule's business",
      resource: networkPolicy(
        acme.name,
        { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] },
        "allow-same-namespace",
      ),
      expect: { [stayClosed]: "skip" },
    },
  ],
};
