import type { Helpers } from "../lib/engine/index.js";
import type { PrometheusProbe } from "../lib/k8s.js";
import { tenantNamespaceName, tenantObjectNames as names, tenantPorts as ports } from "../lib/tenant-namespace.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/** The label every synthetic check's series carries, so the alert finds them and only them. */
export const syntheticCheckLabel = "llmcharts_check";
export const openwebuiHealthCheck = "openwebui-health";

/** OpenWebUI's health endpoint of a tenant, through its Service (the tenant chart's names). */
const openwebuiHealthUrl = (tenant: string): string =>
  `http://${names.openwebui}.${tenantNamespaceName(tenant)}.svc:${ports.openwebuiService}/health`;

/**
 * One Prometheus Operator Probe per tenant of the tenants list: the blackbox exporter, in the monitoring namespace,
 * asks each tenant's OpenWebUI for /health, and `probe_success` (labelled with the tenant) feeds the
 * LLMTenantHealthCheckFailing alert.
 */
export const syntheticChecks = (v: PlatformValues, h: Helpers) => {
  const s = v.monitoring.syntheticChecks;
  return [
    h.when(
      s.enabled,
      h.each(
        v.tenants,
        (t): PrometheusProbe => ({
          apiVersion: "monitoring.coreos.com/v1",
          kind: "Probe",
          metadata: {
            name: `openwebui-health-${t.name}`,
            namespace: v.monitoring.namespace,
            labels: h.merge(platformLabels(h, "synthetic-checks"), v.monitoring.rules.labels),
          },
          spec: {
            prober: { url: s.proberUrl },
            module: s.module,
            interval: s.interval,
            targets: {
              staticConfig: {
                static: [openwebuiHealthUrl(t.name)],
                labels: { tenant: t.name, [syntheticCheckLabel]: openwebuiHealthCheck },
              },
            },
          },
        }),
      ),
    ),
  ];
};
