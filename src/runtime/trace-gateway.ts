/**
 * Where a tenant's OpenWebUI sends its traces in the lab: the gateway collector the platform README suggests, in the
 * monitoring namespace under the tenant chart's default trace host (`tempo.monitoring.svc`, OTLP/gRPC on 4317),
 * forwarding over OTLP/HTTP to the host's receiver, where Tempo would be. The tenant's own NetworkPolicy admits its
 * traces to that namespace only, so the receiver must be a pod there, not the host behind a Service. The pinned
 * collector build, on the standard node.
 */
import type { ConfigMap, Deployment, KubeObject, Service } from "../../charts-src/lib/k8s.js";
import { otelcolImage } from "../images/catalog.js";
import { standardNode } from "../node/lab-nodes.js";
import { monitoringNamespace } from "./monitoring-stack.js";

export const traceGateway = { name: "tempo", namespace: monitoringNamespace, port: 4317 } as const;

const meta = { name: traceGateway.name, namespace: traceGateway.namespace };
const podLabels = { "app.kubernetes.io/name": "trace-gateway" };

/** OTLP/gRPC in, batched to `endpoint` over OTLP/HTTP out: traces only. */
const config = (endpoint: string) =>
  [
    "receivers:",
    "  otlp:",
    "    protocols:",
    "      grpc:",
    `        endpoint: 0.0.0.0:${traceGateway.port}`,
    "exporters:",
    "  otlphttp:",
    `    endpoint: ${endpoint}`,
    "service:",
    "  telemetry:",
    "    metrics:",
    "      level: none",
    "  pipelines:",
    "    traces:",
    "      receivers: [otlp]",
    "      exporters: [otlphttp]",
    "",
  ].join("\n");

/** The gateway's ConfigMap, Deployment and Service, forwarding to the OTLP/HTTP base URL `endpoint`. */
export const traceGatewayObjects = (endpoint: string): KubeObject[] => {
  const configMap: ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta,
    data: { "config.yaml": config(endpoint) },
  };
  const deployment: Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta,
    spec: {
      replicas: 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: {
          nodeSelector: { "kubernetes.io/hostname": standardNode.name },
          containers: [
            {
              name: "otelcol",
              image: otelcolImage.config.ref,
              imagePullPolicy: "Never",
              args: ["--config=file:/etc/otelcol/config.yaml"],
              ports: [{ name: "otlp-grpc", containerPort: traceGateway.port }],
              readinessProbe: { tcpSocket: { port: traceGateway.port }, periodSeconds: 2 },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [{ name: "config", mountPath: "/etc/otelcol", readOnly: true }],
            },
          ],
          volumes: [{ name: "config", configMap: { name: traceGateway.name } }],
        },
      },
    },
  };
  const service: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta,
    spec: {
      selector: podLabels,
      ports: [{ name: "otlp-grpc", port: traceGateway.port, targetPort: traceGateway.port }],
    },
  };
  return [configMap, deployment, service];
};
