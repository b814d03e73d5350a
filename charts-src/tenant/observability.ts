import type { Helpers } from "../lib/engine/index.js";
import type { ServiceMonitor } from "../lib/k8s.js";
import { names, namespaced, selectorLabels, tenantNamespace } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * Prometheus scraping, only where something can be scraped. Ollama serves no /metrics at all (its signals come from
 * the ingress, DCGM for GPUs, and OpenWebUI), so it gets no ServiceMonitor. Stock OpenWebUI pushes its traces and
 * metrics over OTLP (openwebui.telemetry) rather than serving Prometheus metrics, so its ServiceMonitor is opt-in,
 * for an image or sidecar that serves them; it carries the release label kube-prometheus-stack selects by.
 */
const openwebuiServiceMonitor = (v: TenantValues, h: Helpers): ServiceMonitor => {
  const m = v.openwebui.serviceMonitor;
  const meta = namespaced(v, h, names.openwebui, "openwebui");
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { ...meta, labels: { ...meta.labels, release: v.monitoring.releaseLabel } },
    spec: {
      selector: { matchLabels: selectorLabels(h, names.openwebui) },
      namespaceSelector: { matchNames: [tenantNamespace(v)] },
      endpoints: [{ port: "metrics", path: m.path, interval: m.interval }],
    },
  };
};

export const observabilityTemplate = (v: TenantValues, h: Helpers) => [
  h.when(v.openwebui.serviceMonitor.enabled, openwebuiServiceMonitor(v, h)),
];
