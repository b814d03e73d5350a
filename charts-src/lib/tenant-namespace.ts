import { tenantModelCacheVolumePrefix } from "./model-cache.js";

/**
 * Where a tenant lives: every tenant release renders into the namespace `tenant-<name>`, and the platform's
 * ApplicationSet deploys each tenant there. The prefix keeps tenants out of system and platform namespaces.
 */
export const tenantNamespacePrefix = "tenant-";

/** The namespace of the tenant called `tenant` (a plain name or a template placeholder). */
export const tenantNamespaceName = (tenant: string): string => `${tenantNamespacePrefix}${tenant}`;

/** Longest tenant name: it becomes part of namespace and object names (and of cluster-scoped volume names). */
export const tenantNameMaxLength = 30;

/**
 * Names of the objects inside a tenant namespace, and the ports its workloads listen on: the tenant chart's, shared
 * because the platform reaches into tenants by them (backups of the data claim, health probes of OpenWebUI).
 */
export const tenantObjectNames = {
  openwebui: "openwebui",
  openwebuiData: "openwebui-data",
  ollamaStandard: "ollama-standard",
  ollamaPremium: "ollama-premium",
  premiumWake: "ollama-premium-wake",
  modelCache: "model-cache",
  secretsReader: "secrets-reader",
  secretStore: "aws-secrets-manager",
  quota: "tenant-quota",
  limits: "tenant-limits",
  test: "tenant-test",
} as const;

export const tenantPorts = {
  openwebui: 8080,
  openwebuiService: 80,
  ollama: 11434,
  wakeProxy: 8080,
  wakeAdmin: 9090,
} as const;

/**
 * The platform's synthetic health prober: the blackbox exporter in the monitoring namespace (the
 * prometheus-blackbox-exporter chart's Service and pod labels). The platform's health ScrapeConfig names its address;
 * each tenant admits its pods, by these labels, to OpenWebUI's port and nothing else.
 */
export const healthProber = {
  service: "prometheus-blackbox-exporter",
  port: 9115,
  podLabels: { "app.kubernetes.io/name": "prometheus-blackbox-exporter" },
} as const;

/**
 * Cluster-scoped objects of a tenant release, as Argo CD project globs: its Namespace and its read-only
 * PersistentVolume onto the model cache (`llmcharts-model-cache-<name>`).
 */
export const tenantClusterObjectGlobs = {
  namespace: `${tenantNamespacePrefix}*`,
  modelCacheVolume: `${tenantModelCacheVolumePrefix}*`,
} as const;
