import { type Static, Type } from "@sinclair/typebox";
import { type NodeTier, nodeTiers } from "../../lib/conventions.js";
import { concreteHelpers, type Helpers } from "../../lib/engine/index.js";
import { dnsLabel, strictObject } from "../../lib/values-shapes.js";

/**
 * What the isolation policies need to know about the cluster around the tenants, declared once as values: the
 * platform chart takes them from its values file (so they are Helm values in its templates), the `kyverno test`
 * suites under policies/ from plain data. Policy code reads them only through the helpers (`h.join`, `h.toJson`,
 * `h.concat`, `h.each`), so both renderings agree.
 */

/** An image prefix: a registry host (with a dot, or localhost) and optional path, ending in `/`. */
const registryPrefix = Type.String({
  description:
    "An image prefix such as docker.io/ollama/ or <account>.dkr.ecr.<region>.amazonaws.com/docker-hub/: a registry host, an optional path, and a final /.",
  pattern:
    "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+|localhost)(:[0-9]{1,5})?/([a-z0-9]+([._-][a-z0-9]+)*/)*$",
  maxLength: 200,
});

const namespaceList = (description: string, def: string[]) =>
  Type.Array(dnsLabel("A namespace.", undefined, 63), { description, default: def, maxItems: 20, uniqueItems: true });

const poolList = (nodeTier: NodeTier) =>
  Type.Array(dnsLabel("A pool name.", undefined, 63), {
    description: `Pools (values of the node label llmcharts.io/pool) whose nodes serve the ${nodeTier} tier.`,
    default: [nodeTier],
    maxItems: 50,
    uniqueItems: true,
  });

/**
 * Where the tenant chart's default images come from: Ollama, OpenWebUI, the test's busybox, the wake-up proxy, the
 * backup's kubectl (registry.k8s.io holds only the Kubernetes project's own images).
 */
const defaultRegistries = [
  "docker.io/ollama/",
  "ghcr.io/open-webui/",
  "docker.io/library/",
  "ghcr.io/kedacore/",
  "public.ecr.aws/",
  "registry.k8s.io/",
];

export const policySettingsFields = {
  allowedRegistries: Type.Array(registryPrefix, {
    description:
      "Image prefixes tenant containers may pull from, compared with the normalised reference (busybox is docker.io/library/busybox). End each with / so that docker.io/ollama/ does not also admit docker.io/ollama-fake/. Add an ECR pull-through prefix here.",
    default: defaultRegistries,
    minItems: 1,
    maxItems: 50,
    uniqueItems: true,
  }),
  sharedNamespaces: strictObject(
    "Namespaces, by name, that tenant NetworkPolicies may admit traffic from or send it to.",
    {
      dns: dnsLabel("Namespace of the cluster DNS (egress on port 53).", "kube-system", 63),
      monitoring: dnsLabel("Namespace Prometheus scrapes from (and the synthetic probe runs in).", "monitoring", 63),
      ingress: namespaceList(
        "Namespaces of the ingress controller or the Gateway data plane that forwards traffic to tenants.",
        ["ingress-nginx"],
      ),
      mesh: namespaceList("Namespaces of a service mesh's control plane (e.g. linkerd); empty without a mesh.", []),
      keda: dnsLabel(
        "Namespace of KEDA's operator, which reads each premium tenant's wake-up proxy (ingress on its port 9090).",
        "keda",
        63,
      ),
    },
  ),
  pools: strictObject(
    "The node tier every Karpenter pool serves. Pods of a tenant whose tier lacks premium may select (by llmcharts.io/pool) only the standard pools listed here; premium and both tenants may select any pool, GPU pods always on premium nodes.",
    Object.fromEntries(nodeTiers.map((tier) => [tier, poolList(tier)])) as Record<
      NodeTier,
      ReturnType<typeof poolList>
    >,
  ),
};

export const policySettingsModel = Type.Object(policySettingsFields);
export type PolicySettings = Static<typeof policySettingsModel>;

export const defaultPolicySettings: PolicySettings = {
  allowedRegistries: defaultRegistries,
  sharedNamespaces: {
    dns: "kube-system",
    monitoring: "monitoring",
    ingress: ["ingress-nginx"],
    mesh: [],
    keda: "keda",
  },
  pools: Object.fromEntries(nodeTiers.map((tier) => [tier, [tier]])) as Record<NodeTier, string[]>,
};

/** The defaults with some fields replaced. */
export const policySettings = (overrides: Partial<PolicySettings> = {}): PolicySettings => ({
  ...defaultPolicySettings,
  ...overrides,
});

/** Helpers for settings that are plain data (the policy suites, tests): every answer at once. */
export const plainHelpers: Helpers = concreteHelpers({ name: "policies", namespace: "", chartVersion: "" });

/** Namespaces every tenant may reach or be reached from, by name. */
export const sharedNamespaces = (settings: PolicySettings, h: Helpers): string[] => {
  const s = settings.sharedNamespaces;
  return h.concat([s.dns, s.monitoring, s.keda], s.ingress, s.mesh);
};

/** The pools of the node tiers `allowed` accepts. */
export const poolsOf = (settings: PolicySettings, h: Helpers, allowed: (nodeTier: NodeTier) => boolean): string[] =>
  h.concat(...nodeTiers.filter(allowed).map((tier) => settings.pools[tier]));
