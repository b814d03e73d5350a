import type {
  Affinity,
  ClusterSecretStore,
  Container,
  Deployment,
  ExternalSecret,
  Named,
  NodeSelectorRequirement,
  Namespace,
  NetworkPolicy,
  Pod,
  PodSecurityContext,
  PodSpec,
  PushSecret,
  ResourceRequirements,
  SecretStore,
  SecurityContext,
  Service,
  ServiceSpec,
  Toleration,
} from "../../../charts-src/lib/k8s.js";
import type { PolicyCase } from "./types.js";
import { gpuTaint, labels, podSecurityLabels, type Tier } from "../../../charts-src/lib/conventions.js";
import { defaultPolicySettings } from "../../../charts-src/platform/policies/settings.js";

/**
 * The little world the policy cases live in: three customers on the three tiers and the shared namespaces, with
 * workloads shaped like the tenant chart's (non-root, read-only root filesystem, pinned images).
 */

/** A resource a policy case feeds to Kyverno: any of the API types the policies match on, with its name. */
export type K8sObject = Named<
  | ClusterSecretStore
  | Deployment
  | ExternalSecret
  | Namespace
  | NetworkPolicy
  | Pod
  | PushSecret
  | SecretStore
  | Service
>;

export type Labels = Record<string, string>;

/** A namespace as `kyverno test` sees it: a name and its labels. */
export interface NamespaceLabels {
  name: string;
  labels: Labels;
}

const tenantNamespace = (tenant: string, tier: Tier): NamespaceLabels => ({
  name: `tenant-${tenant}`,
  labels: {
    "kubernetes.io/metadata.name": `tenant-${tenant}`,
    [labels.tenant]: tenant,
    [labels.tier]: tier,
    ...podSecurityLabels,
  },
});

/** Acme buys CPU inference only, Globex GPU inference only, Initech both. */
export const acme = tenantNamespace("acme", "standard");
export const globex = tenantNamespace("globex", "premium");
export const initech = tenantNamespace("initech", "both");
/** A second standard tenant, for cases that need one more namespace. */
export const hooli = tenantNamespace("hooli", "standard");
/** A namespace that is not a tenant's: the policies leave it alone. */
export const observability: NamespaceLabels = {
  name: defaultPolicySettings.sharedNamespaces.monitoring,
  labels: { "kubernetes.io/metadata.name": defaultPolicySettings.sharedNamespaces.monitoring },
};

export const namespaces = [acme, globex, initech, hooli, observability];

/** The tenant a namespace belongs to ("" for shared namespaces). */
export const tenantOf = (namespace: string): string =>
  namespaces.find((ns) => ns.name === namespace)?.labels[labels.tenant] ?? "";

export const namespaceObject = (ns: NamespaceLabels, drop: string[] = []): K8sObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: {
    name: ns.name,
    labels: Object.fromEntries(Object.entries(ns.labels).filter(([key]) => !drop.includes(key))),
  },
});

const restrictedContainer: SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export const ollamaImage = "docker.io/ollama/ollama:0.6.8";
export const openWebUiImage = "ghcr.io/open-webui/open-webui:v0.6.5";

export const ollamaContainer = (resources: ResourceRequirements = {}): Container => ({
  name: "ollama",
  image: ollamaImage,
  ports: [{ name: "http", containerPort: 11434 }],
  env: [
    { name: "HOME", value: "/home/ollama" },
    { name: "OLLAMA_MODELS", value: "/models" },
  ],
  resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { memory: "8Gi" }, ...resources },
  securityContext: restrictedContainer,
});

export const openWebUiContainer = (): Container => ({
  name: "open-webui",
  image: openWebUiImage,
  ports: [{ name: "http", containerPort: 8080 }],
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
  securityContext: restrictedContainer,
});

/** A helper container (init step, sidecar) with no ports of its own. */
export const toolContainer = (name: string, image: string): Container => ({
  name,
  image,
  resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  securityContext: restrictedContainer,
});

/** One whole GPU, as premium Ollama asks for it. */
export const oneGpu = {
  requests: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" },
  limits: { memory: "16Gi", "nvidia.com/gpu": "1" },
};

export const gpuToleration: Toleration = { key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect };

/** Required node affinity on one node label. */
export const requireNodeLabel = (
  key: string,
  values: string[],
  operator: NodeSelectorRequirement["operator"] = "In",
): Affinity => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }] }],
    },
  },
});

/** Preferred node affinity on one node label. */
export const preferNodeLabel = (key: string, values: string[]): Affinity => ({
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 50, preference: { matchExpressions: [{ key, operator: "In", values }] } },
    ],
  },
});

const podSecurity: PodSecurityContext = {
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: "RuntimeDefault" },
};

const podLabels = (namespace: string, component: string): Labels => ({
  [labels.tenant]: tenantOf(namespace),
  [labels.component]: component,
});

export const pod = (name: string, namespace: string, spec: PodSpec, component = "ollama-standard"): K8sObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels: podLabels(namespace, component) },
  spec: { securityContext: podSecurity, ...spec },
});

/** A tenant's OpenWebUI pod, as the tenant chart runs it; `spec` adds to its pod spec. */
export const openWebUiPod = (name: string, namespace: string, spec: Partial<PodSpec> = {}): K8sObject =>
  pod(name, namespace, { containers: [openWebUiContainer()], ...spec }, "openwebui");

/** A Deployment: Kyverno's autogen rules judge its pod template. */
export const deployment = (
  name: string,
  namespace: string,
  spec: PodSpec,
  component = "ollama-premium",
): K8sObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace, labels: podLabels(namespace, component) },
  spec: {
    replicas: 1,
    selector: { matchLabels: { [labels.component]: component } },
    template: {
      metadata: { labels: podLabels(namespace, component) },
      spec: { securityContext: podSecurity, ...spec },
    },
  },
});

/** A tenant's Services as the load-balancer rule (of a ClusterPolicy or an admission policy) must judge them. */
export const loadBalancerCases = (rule: string): PolicyCase[] => [
  {
    why: "OpenWebUI's Service inside the cluster",
    resource: openWebUiService("acme-openwebui-svc", acme.name, "ClusterIP"),
    expect: { [rule]: "pass" },
  },
  {
    why: "a cloud load balancer bought by a tenant",
    resource: openWebUiService("acme-openwebui-lb", acme.name, "LoadBalancer"),
    expect: { [rule]: "fail" },
  },
];

/** The tenant's OpenWebUI Service, of the given type. */
const openWebUiService = (name: string, namespace: string, type: ServiceSpec["type"]): K8sObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace },
  spec: {
    type,
    selector: { [labels.component]: "openwebui" },
    ports: [{ name: "http", port: 80, targetPort: "http" }],
  },
});
