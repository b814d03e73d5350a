/**
 * The monitoring stack the platform README asks for before the platform (kube-prometheus-stack and
 * prometheus-blackbox-exporter), as the objects those charts make: a Prometheus and an Alertmanager for the
 * Prometheus Operator to run (the cluster's controller: it makes their StatefulSets and their configuration from the
 * platform chart's PrometheusRule and ScrapeConfig), the blackbox exporter that probes each tenant, kube-state-metrics
 * (upstream's own manifests; most platform alerts read its series) with the ServiceMonitor the stack scrapes it by,
 * and the Services the host reaches them by. Neither chart can be fetched here, so the suite writes their objects (a stand-in it
 * names); the images are the pinned builds (src/images/catalog.ts).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type {
  Alertmanager,
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  Deployment,
  KubeObject,
  Prometheus,
  Service,
  ServiceAccount,
  ServiceMonitor,
} from "../../charts-src/lib/k8s.js";
import { healthProber } from "../../charts-src/lib/tenant-namespace.js";
import { upstreamFiles } from "../cluster/controllers/upstream-files.js";
import { alertmanagerImage, blackboxExporterImage, kubeStateMetricsImage, prometheusImage } from "../images/catalog.js";
import { goTool } from "../toolchain/tools.js";

export const monitoringNamespace = "monitoring";
/** The Prometheus and Alertmanager objects' name: the operator's pods are `prometheus-<name>-0`, `alertmanager-<name>-0`. */
export const stackName = "platform";
/** The label kube-prometheus-stack selects monitoring objects by, which the platform chart's defaults carry. */
const selectedBy = { release: "kube-prometheus-stack" };
/** Where the host reaches each API: the stack's ClusterIP Services. */
export const stackPorts = { prometheus: 9090, alertmanager: 9093 } as const;

const meta = (name: string) => ({ name, namespace: monitoringNamespace });
const everyNamespace = {};
/** The exporter's chart's pod labels, which the tenant chart's network.healthProber admits by default. */
const blackboxLabels = { ...healthProber.podLabels };
const restricted = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

/** What Prometheus reads to discover targets (kube-prometheus-stack's ClusterRole for it). */
const prometheusRbac = (): KubeObject[] => {
  const sa: ServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("prometheus") };
  const role: ClusterRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "llmcharts-prometheus" },
    rules: [
      {
        apiGroups: [""],
        resources: ["nodes", "nodes/metrics", "services", "endpoints", "pods"],
        verbs: ["get", "list", "watch"],
      },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
      { nonResourceURLs: ["/metrics"], verbs: ["get"] },
    ],
  };
  const binding: ClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "llmcharts-prometheus" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "llmcharts-prometheus" },
    subjects: [{ kind: "ServiceAccount", name: "prometheus", namespace: monitoringNamespace }],
  };
  return [sa, role, binding];
};

const prometheus = (intervalSeconds: number): Prometheus => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "Prometheus",
  metadata: meta(stackName),
  spec: {
    image: prometheusImage.config.ref,
    version: `v${prometheusImage.version}`,
    imagePullPolicy: "Never",
    replicas: 1,
    serviceAccountName: "prometheus",
    scrapeInterval: `${intervalSeconds}s`,
    evaluationInterval: `${intervalSeconds}s`,
    // What the platform chart labels its objects for (monitoring.rules.labels), in every namespace.
    ruleSelector: { matchLabels: selectedBy },
    serviceMonitorSelector: { matchLabels: selectedBy },
    podMonitorSelector: { matchLabels: selectedBy },
    probeSelector: { matchLabels: selectedBy },
    scrapeConfigSelector: { matchLabels: selectedBy },
    ruleNamespaceSelector: everyNamespace,
    serviceMonitorNamespaceSelector: everyNamespace,
    podMonitorNamespaceSelector: everyNamespace,
    probeNamespaceSelector: everyNamespace,
    scrapeConfigNamespaceSelector: everyNamespace,
    alerting: {
      alertmanagers: [{ namespace: monitoringNamespace, name: "alertmanager-operated", port: "web", apiVersion: "v2" }],
    },
    resources: { requests: { cpu: "50m", memory: "200Mi" }, limits: { memory: "1Gi" } },
  },
});

const alertmanager = (): Alertmanager => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "Alertmanager",
  metadata: meta(stackName),
  spec: {
    image: alertmanagerImage.config.ref,
    version: `v${alertmanagerImage.version}`,
    imagePullPolicy: "Never",
    replicas: 1,
    resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  },
});

/** The exporter as its chart runs it: the `http_2xx` module the platform's ScrapeConfig asks for. */
const blackboxExporter = (): KubeObject[] => {
  const config: ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(healthProber.service),
    data: {
      "blackbox.yaml": [
        "modules:",
        "  http_2xx:",
        "    prober: http",
        "    timeout: 5s",
        "    http:",
        "      preferred_ip_protocol: ip4",
        "      follow_redirects: true",
        "",
      ].join("\n"),
    },
  };
  const deployment: Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { ...meta(healthProber.service), labels: blackboxLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: blackboxLabels },
      template: {
        metadata: { labels: blackboxLabels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
          containers: [
            {
              name: "blackbox-exporter",
              image: blackboxExporterImage.config.ref,
              imagePullPolicy: "Never",
              args: ["--config.file=/config/blackbox.yaml", `--web.listen-address=:${healthProber.port}`],
              ports: [{ name: "http", containerPort: healthProber.port }],
              readinessProbe: { httpGet: { path: "/-/healthy", port: "http" } },
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
              securityContext: restricted,
              volumeMounts: [{ name: "config", mountPath: "/config" }],
            },
          ],
          volumes: [{ name: "config", configMap: { name: healthProber.service } }],
        },
      },
    },
  };
  return [config, deployment, service(healthProber.service, blackboxLabels, healthProber.port)];
};

const service = (name: string, selector: Record<string, string>, port: number): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: meta(name),
  spec: { selector, ports: [{ name: "http", port, targetPort: port }] },
});

/** kube-state-metrics's Service, as upstream's manifests name it (its labels, namespace and port). */
const kubeStateMetricsService = {
  namespace: "kube-system",
  labels: { "app.kubernetes.io/name": "kube-state-metrics" },
  port: "http-metrics",
};

/** The ServiceMonitor kube-prometheus-stack scrapes kube-state-metrics by: its labels are the series' own. */
const kubeStateMetricsMonitor = (intervalSeconds: number): ServiceMonitor => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "ServiceMonitor",
  metadata: { ...meta("kube-state-metrics"), labels: selectedBy },
  spec: {
    namespaceSelector: { matchNames: [kubeStateMetricsService.namespace] },
    selector: { matchLabels: kubeStateMetricsService.labels },
    endpoints: [{ port: kubeStateMetricsService.port, honorLabels: true, interval: `${intervalSeconds}s` }],
  },
});

/**
 * kube-state-metrics as upstream's standard example runs it: its manifests from the pinned module, unchanged, and the
 * image they name, which the built image must be tagged as on the node.
 */
export const kubeStateMetrics = async (): Promise<{ files: string[]; image: [built: string, upstream: string] }> => {
  const tool = goTool("kube-state-metrics");
  const names = ["service-account", "cluster-role", "cluster-role-binding", "deployment", "service"];
  const files = await upstreamFiles(
    tool.module,
    tool.version,
    names.map((n) => `examples/standard/${n}.yaml`),
  );
  const deployment = parse(readFileSync(files[names.indexOf("deployment")] ?? "", "utf8")) as Deployment;
  const upstream = deployment.spec?.template.spec?.containers[0]?.image;
  if (!upstream) throw new Error(`${tool.module}@${tool.version}: its example Deployment names no image`);
  return { files, image: [kubeStateMetricsImage.config.ref, upstream] };
};

/** Every object of the stack, for `kubectl apply` (and delete). */
export const monitoringStack = (intervalSeconds: number): KubeObject[] => [
  ...prometheusRbac(),
  prometheus(intervalSeconds),
  alertmanager(),
  ...blackboxExporter(),
  kubeStateMetricsMonitor(intervalSeconds),
  // kube-prometheus-stack's own Services for the two APIs (the operator's `-operated` ones are headless).
  service("prometheus", { "app.kubernetes.io/name": "prometheus", prometheus: stackName }, stackPorts.prometheus),
  service(
    "alertmanager",
    { "app.kubernetes.io/name": "alertmanager", alertmanager: stackName },
    stackPorts.alertmanager,
  ),
];
