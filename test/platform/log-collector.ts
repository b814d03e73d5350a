/**
 * The platform's log collector as a host process, configured exactly as the chart renders it: its config.yaml from the
 * ConfigMap, its container's arguments and environment, with only what a node provides stood in (the kubelet's
 * /var/log/pods, the Secret's header values). Shared by test/platform/logs.test.ts and scripts/bench-logs.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigMap, Container, DaemonSet } from "../../charts-src/lib/k8s.js";
import { logsNamespace } from "../../charts-src/lib/log-pipeline.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";

export const release = { name: "platform", namespace: "default", chartVersion: platformChart.version };

/** What an operator shipping to Loki writes (the good fixture logs-to-loki, in short). */
export const toLoki = {
  logs: {
    enabled: true,
    endpoint: "http://loki-gateway.loki.svc.cluster.local/otlp",
    headersSecret: "loki-push",
    headers: [{ name: "X-Scope-OrgID", secretKey: "org-id" }],
    egress: { cidr: "10.0.0.0/16", port: 8080 },
  },
};

export const collector = (docs: Rendered[]): DaemonSet =>
  present(ofKind<DaemonSet>(docs, "DaemonSet")[0], "the log collector DaemonSet");
export const podSpec = (docs: Rendered[]) => present(collector(docs).spec?.template.spec, "the collector's pod spec");
export const container = (docs: Rendered[]): Container =>
  present(podSpec(docs).containers[0], "the collector container");
export const configText = (docs: Rendered[]): string =>
  present(
    ofKind<ConfigMap>(docs, "ConfigMap").find((c) => c.metadata.namespace === logsNamespace)?.data?.["config.yaml"],
    "the collector's config.yaml",
  );

/** How to start the pinned collector (`otelcol`) as the chart's DaemonSet would, on this host. */
export interface HostCollector {
  args: string[];
  env: Record<string, string>;
}

/**
 * The chart rendered with `toLoki`'s values and the given endpoint; its configuration written to `dir`/config.yaml,
 * reading `pods` where the node's /var/log/pods would be, and each header's Secret value given as `secretValue`.
 */
export const hostCollector = (
  dir: string,
  pods: string,
  endpoint: string,
  secretValue = "org-of-acme",
): HostCollector => {
  const rendered = renderChart("platform", { logs: { ...toLoki.logs, endpoint } }, release);
  const config = join(dir, "config.yaml");
  writeFileSync(config, configText(rendered).replaceAll("/var/log/pods/", `${pods}/`));
  const c = container(rendered);
  return {
    args: (c.args ?? []).map((a) => a.replace("file:/etc/otelcol/config.yaml", `file:${config}`)),
    env: Object.fromEntries(
      (c.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef ? secretValue : (e.value ?? "")]),
    ),
  };
};

/**
 * A pod's log file as the kubelet lays it out, <namespace>_<pod>_<uid>/<container>/<restart>.log, created empty (the
 * collector starts at a file's end).
 */
export const podLogFile = (pods: string, namespace: string, pod: string, uid: string, name: string): string => {
  const file = join(pods, `${namespace}_${pod}_${uid}`, name, "0.log");
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, "");
  return file;
};

/** One line in the CRI format the kubelet writes: time, stream, full-line tag, text. */
export const criLine = (text: string, stream: "stdout" | "stderr" = "stdout"): string =>
  `${new Date().toISOString()} ${stream} F ${text}\n`;
