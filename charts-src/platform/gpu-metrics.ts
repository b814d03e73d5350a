import type { Helpers } from "../lib/engine/index.js";
import type { PodMonitor, ServiceMonitor } from "../lib/k8s.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/**
 * A ServiceMonitor or PodMonitor for the NVIDIA DCGM exporter (the GPU operator's `nvidia-dcgm-exporter`), so that
 * `DCGM_FI_*` series reach Prometheus. The exporter labels each GPU's series with the pod using it (`namespace`,
 * `pod`); Prometheus keeps the target's own as `namespace` and renames the exporter's to `exported_namespace`,
 * which the GPU dashboard maps back to tenants.
 */
export const dcgmMonitor = (v: PlatformValues, h: Helpers) => {
  const d = v.monitoring.dcgmExporter;
  const endpoint = { port: d.port, path: "/metrics", interval: d.interval };
  const metadata = () => ({
    name: "llmcharts-dcgm-exporter",
    namespace: v.monitoring.namespace,
    labels: h.merge(platformLabels(h, "gpu-metrics"), d.labels),
  });
  const target = () => ({ selector: { matchLabels: d.selector }, namespaceSelector: { matchNames: [d.namespace] } });
  const serviceMonitor = (): ServiceMonitor => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: metadata(),
    spec: { ...target(), endpoints: [endpoint] },
  });
  const podMonitor = (): PodMonitor => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: metadata(),
    spec: { ...target(), podMetricsEndpoints: [endpoint] },
  });
  return [
    h.when(h.and(d.enabled, h.eq(d.kind, "ServiceMonitor")), serviceMonitor()),
    h.when(h.and(d.enabled, h.eq(d.kind, "PodMonitor")), podMonitor()),
  ];
};
