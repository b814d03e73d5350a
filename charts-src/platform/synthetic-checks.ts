import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { RelabelConfig, ScrapeConfig } from "../lib/k8s.js";
import { tenantNamespacePrefix, tenantObjectNames as names } from "../lib/tenant-namespace.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/** The label every synthetic check's series carries, so the alert finds them and only them. */
export const syntheticCheckLabel = "llmcharts_check";
export const openwebuiHealthCheck = "openwebui-health";

/** OpenWebUI's health endpoint, the path the exporter asks each tenant's Service for. */
export const openwebuiHealthPath = "/health";

/** The Service port the probe goes through: the tenant chart's `http` port of its OpenWebUI Service. */
const openwebuiServicePort = "http";

/** How Prometheus's Kubernetes discovery names a Service label: every character outside [a-zA-Z0-9_] becomes `_`. */
export const serviceLabelMeta = (label: string): string =>
  `__meta_kubernetes_service_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;

/**
 * The tenant chart's OpenWebUI Service, as a label selector the API server applies: the tenant chart's contract
 * (component `openwebui`, and the tenant's name under `llmcharts.io/tenant`), whoever deployed the tenant.
 */
export const openwebuiServiceSelector = `${labels.component}=${names.openwebui},${labels.tenant}`;

/**
 * What becomes of each discovered Service port, in order: only the tenant chart's OpenWebUI Service in its own
 * tenant's namespace, on its `http` port, is kept; its address becomes the exporter's target, the tenant's name its
 * label, and the exporter the address Prometheus scrapes.
 */
const relabelings = (proberUrl: string): RelabelConfig[] => [
  {
    sourceLabels: ["__meta_kubernetes_service_name", "__meta_kubernetes_service_port_name"],
    regex: `${names.openwebui};${openwebuiServicePort}`,
    action: "keep",
  },
  // A Service labelled with another tenant's name than its namespace's is no tenant's: dropped.
  {
    sourceLabels: [serviceLabelMeta(labels.tenant)],
    targetLabel: "__tmp_tenant_namespace",
    replacement: `${tenantNamespacePrefix}$1`,
  },
  { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "__tmp_tenant_namespace", action: "keepequal" },
  // Through the Service (`openwebui.tenant-<name>.svc:80`): a tenant with no ready pod fails, it does not vanish.
  { sourceLabels: ["__address__"], targetLabel: "__param_target", replacement: `http://$1${openwebuiHealthPath}` },
  { sourceLabels: ["__param_target"], targetLabel: "instance" },
  { sourceLabels: [serviceLabelMeta(labels.tenant)], targetLabel: "tenant" },
  { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
  { targetLabel: syntheticCheckLabel, replacement: openwebuiHealthCheck },
  { targetLabel: "__address__", replacement: proberUrl },
];

/**
 * One Prometheus Operator ScrapeConfig that finds every tenant at run time, inline or from the fleet folder: Prometheus
 * discovers each tenant's OpenWebUI Service by the tenant chart's labels, and the blackbox exporter, in the monitoring
 * namespace, asks it for /health. `probe_success` (labelled with the tenant) feeds the LLMTenantHealthCheckFailing
 * alert.
 */
const openwebuiHealthScrape = (v: PlatformValues, h: Helpers): ScrapeConfig => {
  const s = v.monitoring.syntheticChecks;
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "ScrapeConfig",
    metadata: {
      name: openwebuiHealthCheck,
      namespace: v.monitoring.namespace,
      labels: h.merge(platformLabels(h, "synthetic-checks"), v.monitoring.rules.labels),
    },
    spec: {
      jobName: openwebuiHealthCheck,
      scrapeInterval: s.interval,
      metricsPath: "/probe",
      params: { module: [s.module] },
      kubernetesSDConfigs: [{ role: "Service", selectors: [{ role: "Service", label: openwebuiServiceSelector }] }],
      relabelings: relabelings(s.proberUrl),
    },
  };
};

export const syntheticChecks = (v: PlatformValues, h: Helpers) => [
  h.when(v.monitoring.syntheticChecks.enabled, openwebuiHealthScrape(v, h)),
];
