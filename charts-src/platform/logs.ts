import { defaultDenyPolicyName } from "../lib/conventions.js";
import { logsComponent, logsNamespace, tenantAttribute } from "../lib/log-pipeline.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ConfigMap, DaemonSet, EnvVar, Namespace, NetworkPolicy } from "../lib/k8s.js";
import { clusterDnsEgress } from "../lib/network.js";
import { tenantNamespacePrefix } from "../lib/tenant-namespace.js";
import { imagePullSecretsOf, imageRef } from "../lib/workload.js";
import { chartName, platformLabels } from "./metadata.js";
import { defaultDenyNetworkPolicySpec } from "./policies/default-deny.js";
import type { PlatformValues } from "./values.js";

/**
 * Where the collector sees the node's pod logs (the kubelet's podLogsDir, whatever it is on the node, mounted here):
 * <namespace>_<pod>_<uid>/<container>/<restart>.log.
 */
const podLogsDir = "/var/log/pods";
const configDir = "/etc/otelcol";

/**
 * The collector's configuration, the same for every release: what differs (the destination, its headers) comes in
 * through the environment. Only tenant namespaces' files are read, so no other namespace's lines ever leave the node;
 * the container parser reads the CRI format and sets k8s.namespace.name, k8s.pod.name and k8s.container.name from
 * the file's path, and the resource processor turns the namespace into the tenant label. An unreachable destination
 * is retried for five minutes with the lines queued in memory, then they are dropped: nothing waits on it.
 */
export const collectorConfig = `receivers:
  file_log:
    include:
      - ${podLogsDir}/${tenantNamespacePrefix}*_*_*/*/*.log
    include_file_path: true
    # Lines written before the collector started on the node are not sent (it keeps no checkpoint).
    start_at: end
    operators:
      - type: container
processors:
  resource:
    attributes:
      - key: k8s.namespace.name
        pattern: ^${tenantNamespacePrefix}(?P<${tenantAttribute}>[a-z0-9-]+)$
        action: extract
  batch: {}
exporters:
  otlp_http:
    endpoint: \${env:LOGS_ENDPOINT}
    retry_on_failure:
      enabled: true
      max_elapsed_time: 5m
    sending_queue:
      enabled: true
      queue_size: 1000
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [file_log]
      processors: [resource, batch]
      exporters: [otlp_http]
`;

/**
 * The configuration's fingerprint (FNV-1a, 32 bits), computed here since the text is fixed: a pod annotation, so that
 * a chart version that changes the configuration rolls the collectors, and one that does not leaves them be.
 */
const configHash = [...collectorConfig]
  .reduce((hash, c) => Math.imul(hash ^ (c.codePointAt(0) ?? 0), 0x01000193) >>> 0, 0x811c9dc5)
  .toString(16)
  .padStart(8, "0");

/** A header's environment variable suffix: its name with dashes as underscores (the collector's env names allow no dash). */
const headerVar = (h: Helpers, name: string) => h.replaceMatch(name, "-", "_");

/**
 * Each header as two variables: its value, from the Secret, and a configuration document naming the header and
 * referring to that value, which the collector merges over its file (`--config=env:…`). The value is never written
 * into the pod spec or the ConfigMap.
 */
const headerEnv = (v: PlatformValues, h: Helpers): EnvVar[] => [
  ...h.each(v.logs.headers, (header) => ({
    name: `LOGS_HEADER_${headerVar(h, header.name)}`,
    valueFrom: { secretKeyRef: { name: v.logs.headersSecret, key: header.secretKey } },
  })),
  ...h.each(v.logs.headers, (header) => ({
    name: `LOGS_HEADER_CONFIG_${headerVar(h, header.name)}`,
    value: `{"exporters": {"otlp_http": {"headers": {"${header.name}": "\${env:LOGS_HEADER_${headerVar(h, header.name)}}"}}}}`,
  })),
];

const namespace = (h: Helpers): Namespace => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: {
    name: logsNamespace,
    labels: {
      ...platformLabels(h, "namespace"),
      "pod-security.kubernetes.io/enforce": h.comment(
        "the collector's hostPath volume is beyond baseline; nothing else runs here",
        "privileged",
      ),
    },
  },
});

const config = (h: Helpers): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: `${logsComponent}-config`, namespace: logsNamespace, labels: platformLabels(h, logsComponent) },
  data: { "config.yaml": collectorConfig },
});

/** Nothing reaches the collector; it reaches cluster DNS and the destination, and nothing else. */
const networkPolicies = (v: PlatformValues, h: Helpers): NetworkPolicy[] => [
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: defaultDenyPolicyName, namespace: logsNamespace, labels: platformLabels(h, "network") },
    spec: defaultDenyNetworkPolicySpec,
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `${logsComponent}-egress`, namespace: logsNamespace, labels: platformLabels(h, "network") },
    spec: {
      podSelector: { matchLabels: { "app.kubernetes.io/component": logsComponent } },
      policyTypes: ["Ingress", "Egress"],
      egress: [
        clusterDnsEgress(),
        { to: [{ ipBlock: { cidr: v.logs.egress.cidr } }], ports: [{ protocol: "TCP", port: v.logs.egress.port }] },
      ],
    },
  },
];

const daemonSet = (v: PlatformValues, h: Helpers): DaemonSet => {
  const l = v.logs;
  const selector = {
    "app.kubernetes.io/name": chartName,
    "app.kubernetes.io/instance": h.release.name,
    "app.kubernetes.io/component": logsComponent,
  };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: logsComponent, namespace: logsNamespace, labels: platformLabels(h, logsComponent) },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: {
          labels: selector,
          annotations: { "llmcharts.io/config-hash": configHash },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: h.comment(
            "root: the kubelet writes the log files as root, mode 0640; with no capability, root reads what it owns and no more",
            { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } },
          ),
          nodeSelector: h.when(h.isSet(l.nodeSelector), l.nodeSelector),
          tolerations: h.when(h.isSet(l.tolerations), l.tolerations),
          ...imagePullSecretsOf(h, v.global.imagePullSecrets),
          containers: [
            {
              name: "collector",
              image: imageRef(h, l.image, v.global),
              imagePullPolicy: l.image.pullPolicy,
              args: [
                `--config=file:${configDir}/config.yaml`,
                ...h.each(l.headers, (header) => `--config=env:LOGS_HEADER_CONFIG_${headerVar(h, header.name)}`),
              ],
              env: h.comment("each header: its value from the Secret, and a document naming it, merged over the file", [
                { name: "LOGS_ENDPOINT", value: l.endpoint },
                ...headerEnv(v, h),
              ]),
              terminationMessagePolicy: "FallbackToLogsOnError",
              resources: {
                requests: {
                  cpu: l.resources.requests.cpu,
                  memory: l.resources.requests.memory,
                  "ephemeral-storage": "16Mi",
                },
                limits: { cpu: l.resources.limits.cpu, memory: l.resources.limits.memory, "ephemeral-storage": "64Mi" },
              },
              securityContext: {
                runAsNonRoot: false,
                runAsUser: 0,
                privileged: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [
                { name: "config", mountPath: configDir, readOnly: true },
                { name: "pod-logs", mountPath: podLogsDir, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: `${logsComponent}-config` } },
            { name: "pod-logs", hostPath: { path: l.podLogsDir, type: "Directory" } },
          ],
        },
      },
    },
  };
};

/** The log pipeline, when enabled: its namespace, configuration, network policies and the collector on every node. */
export const logPipeline = (v: PlatformValues, h: Helpers) => [
  h.when(v.logs.enabled, [namespace(h), config(h), ...networkPolicies(v, h), daemonSet(v, h)]),
];
