import { type NodeTier, nodeTiers } from "../../lib/conventions.js";

/** What the isolation policies need to know about the cluster around the tenants. */
export interface PolicySettings {
  /**
   * Image prefixes tenant containers may pull from, compared with the normalised reference (a bare `busybox`
   * is `docker.io/library/busybox`, `ollama/ollama` is `docker.io/ollama/ollama`). End each with `/`, or a
   * prefix such as `docker.io/ollama` would also admit `docker.io/ollama-fake/...`.
   * @default ["docker.io/ollama/", "ghcr.io/open-webui/", "docker.io/library/", "public.ecr.aws/"]
   */
  allowedRegistries: string[];
  /**
   * Namespace Prometheus scrapes from; tenant NetworkPolicies may admit it by name.
   * @default "monitoring"
   */
  monitoringNamespace: string;
  /**
   * Namespaces of the ingress controller or Gateway that forwards traffic to tenants; tenant NetworkPolicies may
   * admit them by name.
   * @default ["ingress-nginx"]
   */
  ingressNamespaces: string[];
  /**
   * Namespace of the cluster DNS; tenant NetworkPolicies may allow egress to it by name.
   * @default "kube-system"
   */
  dnsNamespace: string;
  /**
   * The node tier every Karpenter pool serves, by pool name (the value of the pool label on its nodes). A tenant
   * pod may select a pool only when its tenant's tier includes that pool's tier; a pool missing here may not be
   * selected at all.
   * @default one pool per node tier, named after it: { standard: "standard", premium: "premium" }
   */
  poolTiers: Record<string, NodeTier>;
}

export const defaultPolicySettings: PolicySettings = {
  allowedRegistries: ["docker.io/ollama/", "ghcr.io/open-webui/", "docker.io/library/", "public.ecr.aws/"],
  monitoringNamespace: "monitoring",
  ingressNamespaces: ["ingress-nginx"],
  dnsNamespace: "kube-system",
  poolTiers: Object.fromEntries(nodeTiers.map((tier) => [tier, tier])) as Record<string, NodeTier>,
};

/** The defaults with some fields replaced. */
export const policySettings = (overrides: Partial<PolicySettings> = {}): PolicySettings => ({
  ...defaultPolicySettings,
  ...overrides,
});

/** Namespaces every tenant may reach or be reached from, by name, sorted and without repeats. */
export const sharedNamespaces = (settings: PolicySettings): string[] =>
  [...new Set([settings.dnsNamespace, settings.monitoringNamespace, ...settings.ingressNamespaces])].sort();
