import type { NetworkPolicyPeer, NetworkPolicySpec } from "../../../charts-src/lib/k8s.js";
import { labels } from "../../../charts-src/lib/conventions.js";
import { noCrossTenantNetpolName } from "../../../charts-src/platform/policies/no-cross-tenant-netpol.js";
import { defaultPolicySettings } from "../../../charts-src/platform/policies/settings.js";
import { acme, globex, type K8sObject, observability } from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const stayInTenant = "namespace-selectors-stay-in-tenant";
const namePeers = "rules-name-their-peers";
const bothPass = { [stayInTenant]: "pass", [namePeers]: "pass" } as const;
/** Policies without any namespaceSelector: the selector rule has nothing to judge. */
const noSelectors = { [stayInTenant]: "skip", [namePeers]: "pass" } as const;

const {
  dns: dnsNamespace,
  ingress: ingressNamespaces,
  monitoring: monitoringNamespace,
} = defaultPolicySettings.sharedNamespaces;

const byName = (...names: string[]) => ({
  matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names }],
});

const netpol = (name: string, namespace: string, spec: NetworkPolicySpec): K8sObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});

const ollamaPods = { matchLabels: { [labels.component]: "ollama-standard" } };
const webuiPods = { matchLabels: { [labels.component]: "openwebui" } };

const ingressFrom = (name: string, namespace: string, from: NetworkPolicyPeer[]) =>
  netpol(name, namespace, {
    podSelector: webuiPods,
    policyTypes: ["Ingress"],
    ingress: [{ from, ports: [{ port: 8080 }] }],
  });

export const noCrossTenantNetpolSuite: PolicySuite = {
  policy: noCrossTenantNetpolName,
  cases: [
    {
      why: "ingress from the ingress controller's namespace, by name",
      resource: ingressFrom("acme-allow-ingress", acme.name, [{ namespaceSelector: byName(...ingressNamespaces) }]),
      expect: bothPass,
    },
    {
      why: "DNS egress to kube-system, by the name label in matchLabels",
      resource: netpol("acme-allow-dns", acme.name, {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dnsNamespace } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      }),
      expect: bothPass,
    },
    {
      why: "Prometheus scraping from the monitoring namespace",
      resource: netpol("acme-allow-prometheus", acme.name, {
        podSelector: ollamaPods,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: byName(monitoringNamespace) }], ports: [{ port: 11434 }] }],
      }),
      expect: bothPass,
    },
    {
      why: "OpenWebUI to Ollama across the tenant's own namespaces",
      resource: netpol("acme-webui-to-ollama", acme.name, {
        podSelector: webuiPods,
        policyTypes: ["Egress"],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { [labels.tenant]: "acme" } }, podSelector: ollamaPods }] },
        ],
      }),
      expect: bothPass,
    },
    {
      why: "peers in the policy's own namespace and outside the cluster: no namespaceSelector to judge",
      resource: netpol("acme-webui-egress", acme.name, {
        podSelector: webuiPods,
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: ollamaPods }] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }] },
        ],
      }),
      expect: noSelectors,
    },
    {
      why: "another tenant's namespaces",
      resource: ingressFrom("acme-allow-globex", acme.name, [
        { namespaceSelector: { matchLabels: { [labels.tenant]: "globex" } } },
      ]),
      expect: { [stayInTenant]: "fail", [namePeers]: "pass" },
    },
    {
      why: "an empty namespaceSelector: every namespace",
      resource: ingressFrom("acme-allow-all-namespaces", acme.name, [{ namespaceSelector: {} }]),
      expect: { [stayInTenant]: "fail", [namePeers]: "pass" },
    },
    {
      why: "every namespace of a tier: other tenants' too",
      resource: ingressFrom("acme-allow-standard-tier", acme.name, [
        { namespaceSelector: { matchLabels: { [labels.tier]: "standard" } } },
      ]),
      expect: { [stayInTenant]: "fail", [namePeers]: "pass" },
    },
    {
      why: "a name list that smuggles another tenant's namespace in next to kube-system",
      resource: ingressFrom("acme-allow-by-names", acme.name, [
        { namespaceSelector: byName(dnsNamespace, globex.name) },
      ]),
      expect: { [stayInTenant]: "fail", [namePeers]: "pass" },
    },
    {
      why: "an egress rule without peers reaches every namespace",
      resource: netpol("acme-egress-anywhere", acme.name, {
        podSelector: webuiPods,
        policyTypes: ["Egress"],
        egress: [{ ports: [{ port: 443 }] }],
      }),
      expect: { [stayInTenant]: "skip", [namePeers]: "fail" },
    },
    {
      why: "an ingress rule with an empty peer list admits every namespace",
      resource: netpol("acme-ingress-anyone", acme.name, {
        podSelector: webuiPods,
        policyTypes: ["Ingress"],
        ingress: [{ from: [] }],
      }),
      expect: { [stayInTenant]: "skip", [namePeers]: "fail" },
    },
    {
      why: "premium tenant selecting its own namespaces",
      resource: ingressFrom("globex-allow-own", globex.name, [
        { namespaceSelector: { matchLabels: { [labels.tenant]: "globex" } } },
      ]),
      expect: bothPass,
    },
    {
      why: "premium tenant reaching into a standard tenant",
      resource: ingressFrom("globex-allow-acme", globex.name, [
        { namespaceSelector: { matchLabels: { [labels.tenant]: "acme" } } },
      ]),
      expect: { [stayInTenant]: "fail", [namePeers]: "pass" },
    },
    {
      why: "not a tenant namespace: left to the platform",
      resource: ingressFrom("monitoring-scrape-all", observability.name, [{ namespaceSelector: {} }]),
      expect: { [stayInTenant]: "skip", [namePeers]: "skip" },
    },
  ],
};
