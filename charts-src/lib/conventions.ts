/**
 * Names every chart and every policy agree on: the labels tenant pods select on, the taint that keeps
 * non-GPU work off GPU nodes, the labels a tenant namespace carries and the secret path a tenant may read.
 * Declared once here; the nodepools chart puts them on nodes, the tenant chart selects on them, the
 * platform's policies enforce them.
 */

/** Label prefix owned by the platform. */
export const labelDomain = "llmcharts.io";

export const labels = {
  /** On every object of a tenant release and on the tenant namespace: the customer's name. */
  tenant: `${labelDomain}/tenant`,
  /** On the tenant namespace and its pods: standard, premium or both. */
  tier: `${labelDomain}/tier`,
  /** On every object: the cost centre billed for it. */
  costCentre: `${labelDomain}/cost-centre`,
  /** On nodes (through the NodePool template): which pool a node belongs to. */
  pool: `${labelDomain}/pool`,
  /** On nodes: which tier's workloads the node serves (standard or premium). */
  nodeTier: `${labelDomain}/node-tier`,
  /** On GPU nodes: how pods share a GPU (none, time-slicing, mig); the platform's device plugin config keys on it. */
  gpuSharing: `${labelDomain}/gpu-sharing`,
  /** On pods: which component of the tenant release they run (openwebui, ollama-standard, ollama-premium). */
  component: "app.kubernetes.io/component",
} as const;

export const tiers = ["standard", "premium", "both"] as const;
export type Tier = (typeof tiers)[number];

/** Node tiers: every node pool serves exactly one. */
export const nodeTiers = ["standard", "premium"] as const;
export type NodeTier = (typeof nodeTiers)[number];

/** True when a tenant tier may run workloads on the given node tier. */
export const tierIncludes = (tier: Tier, nodeTier: NodeTier): boolean => tier === "both" || tier === nodeTier;

/**
 * True when a tenant tier's pods may run on (select) a node tier. Standard (CPU) nodes are shared ground: every
 * tenant's OpenWebUI runs there, premium-only tenants included. Only premium (GPU) nodes are reserved to a tier.
 */
export const tierMayRunOn = (tier: Tier, nodeTier: NodeTier): boolean =>
  nodeTier === "standard" || tierIncludes(tier, nodeTier);

/** The taint on every GPU node; only premium Ollama tolerates it. */
export const gpuTaint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;

/** Extended resources that request a GPU or a slice of one. */
export const gpuResourcePattern = /^nvidia\.com\/(gpu|mig-.+)$/;

/** Pod Security Standards level every tenant namespace enforces. */
export const podSecurityLabels = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
} as const;

/** AWS Secrets Manager path under which a tenant's secrets live; a tenant may reference nothing else. */
export const tenantSecretPrefix = (tenant: string): string => `llmcharts/tenants/${tenant}/`;

/** Name of the default-deny NetworkPolicy the platform's Kyverno policy generates (and keeps) in every tenant namespace. */
export const defaultDenyPolicyName = "default-deny-all";

/**
 * Name of the tenant release's own default-deny NetworkPolicy. Distinct from the generated one, so Helm and Kyverno
 * never own the same object (whichever created it first would make the other fail); two deny-all policies deny the
 * same, and a tenant without the platform is still closed by default.
 */
export const tenantDefaultDenyPolicyName = "tenant-default-deny";

/** Namespace that holds the platform's shared pieces (model cache Jobs). */
export const platformNamespace = "llmcharts-platform";

/** PriorityClasses the platform chart creates and tenant workloads use. */
export const priorityClasses = {
  platformCritical: "llmcharts-platform-critical",
  premium: "llmcharts-premium",
  standard: "llmcharts-standard",
} as const;

/** StorageClass of the shared, read-mostly model cache on EFS. */
export const modelCacheStorageClass = "llmcharts-model-cache";
