import { labels, tenantDefaultDenyPolicyName } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from "../lib/k8s.js";
import { type Component, hasPremium, hasStandard, namespaced, ports } from "./identity.js";
import { controlPlanePorts, meshed, meshPorts } from "./mesh.js";
import type { TenantValues } from "./values.js";

/**
 * The tenant's NetworkPolicies: everything denied both ways, then only what the app needs. Peers are pods of this
 * namespace (by component), shared namespaces named explicitly (DNS, ingress, monitoring, KEDA) or IP ranges; no policy
 * ever selects namespaces by an empty selector, so no other tenant is ever admitted.
 */

/** The label every namespace carries with its own name (set by the API server). */
const namespaceName = "kubernetes.io/metadata.name";
const dnsNamespace = "kube-system";

const component = (c: Component) => ({ podSelector: { matchLabels: { [labels.component]: c } } });
const namespaceNamed = (name: string) => ({ namespaceSelector: { matchLabels: { [namespaceName]: name } } });
const tcp = (port: number): NetworkPolicyPort => ({ protocol: "TCP", port });
const https = 443;

/** Peers for a list of CIDRs; the whole internet (0.0.0.0/0) never includes the cluster's own ranges. */
const ipBlocks = (v: TenantValues, h: Helpers, cidrs: readonly string[]) =>
  h.each(cidrs, (cidr) => ({
    ipBlock: { cidr, except: h.when(h.eq(cidr, "0.0.0.0/0"), v.network.privateCidrs) },
  }));

const policy = (v: TenantValues, h: Helpers, name: string, spec: NetworkPolicySpec): NetworkPolicy => {
  const { name: _, ...shared } = namespaced(v, h, name, "network");
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name,
      ...h.partial("network.metadata", () => shared, "Where every NetworkPolicy lives, and its labels."),
    },
    spec,
  };
};

/** Every pod, nothing in, nothing out. */
const defaultDeny = (v: TenantValues, h: Helpers) =>
  policy(v, h, tenantDefaultDenyPolicyName, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

/** Name lookups to the cluster DNS, for every pod but Ollama (which calls nobody), unless its mesh proxy must. */
const allowDns = (v: TenantValues, h: Helpers) =>
  policy(v, h, "allow-dns", {
    podSelector: h.when(
      meshed(v),
      {},
      {
        matchExpressions: [{ key: labels.component, operator: "NotIn", values: ["ollama-standard", "ollama-premium"] }],
      },
    ),
    policyTypes: ["Egress"],
    egress: [
      {
        to: [namespaceNamed(dnsNamespace)],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ],
  });

/**
 * OpenWebUI: users through the ingress (and OpenWebUI-labelled pods such as the helm test) and the platform's health
 * prober; out to its own Ollama, the data layer, and the optional OIDC provider, OpenAI-compatible upstream and OTLP
 * collector.
 */
const openwebui = (v: TenantValues, h: Helpers) => {
  const o = v.openwebui;
  return policy(v, h, "openwebui", {
    podSelector: component("openwebui").podSelector,
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      { from: [namespaceNamed(v.network.ingressNamespace)], ports: meshPorts(v, h, ports.openwebui) },
      { from: [component("openwebui")], ports: meshPorts(v, h, ports.openwebui) },
      h.when(o.serviceMonitor.enabled, {
        from: [namespaceNamed(v.network.monitoringNamespace)],
        ports: [tcp(o.serviceMonitor.port)],
      }),
      // The platform's synthetic health check (/health): only the prober's pods, only OpenWebUI's own port.
      h.when(v.network.healthProber.enabled, {
        from: [
          {
            ...namespaceNamed(v.network.monitoringNamespace),
            podSelector: { matchLabels: v.network.healthProber.podLabels },
          },
        ],
        ports: [tcp(ports.openwebui)],
      }),
    ],
    egress: [
      { to: [component("openwebui")], ports: meshPorts(v, h, ports.openwebui) },
      h.when(hasStandard(v, h), { to: [component("ollama-standard")], ports: meshPorts(v, h, ports.ollama) }),
      h.when(hasPremium(v, h), { to: [component("ollama-premium-wake")], ports: [tcp(ports.wakeProxy)] }),
      h.when(h.and(h.eq(o.database.type, "postgres"), h.isSet(o.database.cidrs)), {
        to: ipBlocks(v, h, o.database.cidrs),
        ports: [tcp(o.database.port)],
      }),
      h.when(h.and(o.redis.enabled, h.isSet(o.redis.cidrs)), {
        to: ipBlocks(v, h, o.redis.cidrs),
        ports: [tcp(o.redis.port)],
      }),
      h.when(h.and(o.oidc.enabled, h.isSet(o.oidc.cidrs)), { to: ipBlocks(v, h, o.oidc.cidrs), ports: [tcp(https)] }),
      h.when(h.and(o.openai.enabled, h.isSet(o.openai.cidrs)), {
        to: ipBlocks(v, h, o.openai.cidrs),
        ports: [tcp(https)],
      }),
      h.when(o.telemetry.enabled, {
        to: [namespaceNamed(v.network.monitoringNamespace)],
        ports: [tcp(o.telemetry.port), h.when(o.telemetry.metrics.enabled, tcp(o.telemetry.metrics.port))],
      }),
    ],
  });
};

/**
 * Ollama calls nobody: models come from the read-only cache. Standard answers OpenWebUI (and pods labelled like it);
 * premium answers only its wake-up proxy, which is how OpenWebUI reaches it. It serves no metrics, so monitoring is
 * not admitted either.
 */
const ollama = (v: TenantValues, h: Helpers, c: "ollama-standard" | "ollama-premium") =>
  policy(v, h, c, {
    podSelector: component(c).podSelector,
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      {
        from: [component(c === "ollama-premium" ? "ollama-premium-wake" : "openwebui")],
        ports: meshPorts(v, h, ports.ollama),
      },
    ],
  });

/**
 * Premium's wake-up proxy: requests from OpenWebUI, KEDA's operator reading its count, out to premium Ollama and to
 * the API server (its routes and premium's endpoints).
 */
const premiumWake = (v: TenantValues, h: Helpers) =>
  policy(v, h, "ollama-premium-wake", {
    podSelector: component("ollama-premium-wake").podSelector,
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      { from: [component("openwebui")], ports: [tcp(ports.wakeProxy)] },
      { from: [namespaceNamed(v.network.kedaNamespace)], ports: [tcp(ports.wakeAdmin)] },
    ],
    egress: [
      { to: [component("ollama-premium")], ports: meshPorts(v, h, ports.ollama) },
      {
        to: h.each(v.network.apiServer.cidrs, (cidr) => ({ ipBlock: { cidr } })),
        ports: h.each(v.network.apiServer.ports, (port) => tcp(port)),
      },
    ],
  });

/** Every meshed pod's proxy to Linkerd's control plane: its certificate, service discovery and policy. */
const allowMeshControlPlane = (v: TenantValues, h: Helpers) =>
  policy(v, h, "allow-mesh-control-plane", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [{ to: [namespaceNamed(v.mesh.linkerd.namespace)], ports: controlPlanePorts.map(tcp) }],
  });

/**
 * The operator's extra destinations for OpenWebUI (web search, MCP tools, S3, SMTP): one policy per rule, named for
 * what it is for, beside the chart's. A 0.0.0.0/0 range excludes the private ranges, as the chart's own do.
 */
const extraEgress = (v: TenantValues, h: Helpers) => [
  h.refuse(
    h.isSet(h.duplicates(v.network.extraEgress, "name")),
    `at '/network/extraEgress': rule names ${h.duplicates(v.network.extraEgress, "name")} repeat; each rule is a NetworkPolicy extra-egress-<name>, so give each its own name`,
  ),
  ...h.each(v.network.extraEgress, (r) =>
    policy(v, h, `extra-egress-${r.name}`, {
      podSelector: component("openwebui").podSelector,
      policyTypes: ["Egress"],
      egress: [
        {
          // A namespace peer goes as given (the values name the namespace); an IP range gets the private ranges cut out.
          to: h.each(r.to, (peer) =>
            h.when(
              h.isSet(peer.ipBlock),
              {
                ipBlock: {
                  cidr: peer.ipBlock?.cidr as string,
                  except: h.when(h.eq(peer.ipBlock?.cidr, "0.0.0.0/0"), v.network.privateCidrs),
                },
              },
              peer as NetworkPolicyPeer,
            ),
          ),
          ports: h.each(r.ports, (p) => p as NetworkPolicyPort),
        },
      ],
    }),
  ),
];

export const networkPoliciesTemplate = (v: TenantValues, h: Helpers) => [
  defaultDeny(v, h),
  allowDns(v, h),
  openwebui(v, h),
  h.when(hasStandard(v, h), ollama(v, h, "ollama-standard")),
  h.when(hasPremium(v, h), ollama(v, h, "ollama-premium")),
  h.when(hasPremium(v, h), premiumWake(v, h)),
  h.when(meshed(v), allowMeshControlPlane(v, h)),
  ...extraEgress(v, h),
];
