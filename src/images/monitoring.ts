/**
 * The monitoring stack the Prometheus Operator runs on the real node (alerts-fire): Prometheus and the operator's
 * config reloader from the pinned tools module, and Debian's Alertmanager and blackbox exporter, which the Go proxy
 * cannot build here.
 */
import { debianProgramImage, type ImageSpec, ref, staticBinaryImage } from "./spec.js";

/** The Prometheus Operator's config reloader and Prometheus: the binaries of one tools module, one image each. */
export const prometheusConfigReloaderImage = staticBinaryImage("prometheus-stack", "prometheus-config-reloader", {
  name: "prometheus-config-reloader",
  dir: "bin",
});
/** Prometheus tags its Go module v0.<major><minor, 2 digits>.<patch> for its release v<major>.<minor>.<patch>. */
const prometheusRelease = (moduleVersion: string) => {
  const [majorMinor = 0, patch = 0] = moduleVersion.split(".").slice(1).map(Number);
  return `${Math.floor(majorMinor / 100)}.${majorMinor % 100}.${patch}`;
};
const prometheusBinary = staticBinaryImage("prometheus-stack", "prometheus", { name: "prometheus", dir: "bin" });
export const prometheusImage: ImageSpec = {
  ...prometheusBinary,
  version: prometheusRelease(prometheusBinary.version),
  config: { ...prometheusBinary.config, ref: ref("prometheus", prometheusRelease(prometheusBinary.version)) },
};

/** Alertmanager: the module on the Go proxy leaves out the web UI its binary embeds. */
export const alertmanagerImage = debianProgramImage(
  "alertmanager",
  "0.25.0",
  "prometheus-alertmanager",
  "/usr/bin/prometheus-alertmanager",
);

/** The blackbox exporter, which probes each tenant's OpenWebUI for the platform's synthetic check (no Go module here). */
export const blackboxExporterImage = debianProgramImage(
  "blackbox-exporter",
  "0.23.0",
  "prometheus-blackbox-exporter",
  "/usr/bin/prometheus-blackbox-exporter",
);

/** kube-state-metrics: the cluster's objects as the series most of the platform's alerts and dashboards read. */
export const kubeStateMetricsImage = staticBinaryImage("kube-state-metrics", "kube-state-metrics", { dir: "bin" });
