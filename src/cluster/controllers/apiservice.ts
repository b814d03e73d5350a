/**
 * An extension API server running as a host process, registered with the aggregation layer: a Service without
 * selector, an EndpointSlice naming the host's address and the process's port (the API server's endpoint routing
 * dials it), and the APIService, whose caBundle is the CA of the process's serving certificate.
 */
import { hostServiceObjects } from "../host-service.js";
import type { Probe } from "../probe.js";

export interface ExtensionApi {
  /** e.g. metrics.k8s.io */
  group: string;
  version: string;
  service: { name: string; namespace: string };
}

export const apiServiceName = (api: ExtensionApi): string => `${api.version}.${api.group}`;

export const extensionApiObjects = (api: ExtensionApi, host: { ip: string; port: number }, caPem: string): object[] => {
  const { name, namespace } = api.service;
  return [
    ...hostServiceObjects({ name, namespace, port: 443, host, portName: "https" }),
    {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: apiServiceName(api) },
      spec: {
        group: api.group,
        version: api.version,
        service: { name, namespace, port: 443 },
        caBundle: Buffer.from(caPem).toString("base64"),
        // Upstream's manifests' priorities (metrics-server's and KEDA's alike).
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
};

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Ready when the APIService is Available and its group answers through the API server. Available says the aggregator
 * found the endpoint and the server answered its discovery path to a caller named in the front proxy's headers
 * (which the server believes only once it trusts the front-proxy CA); but that check skips verifying the server's
 * certificate, which every proxied request does against the caBundle: hence the request of our own.
 */
export const apiServiceServing =
  (get: (path: string) => Promise<{ status: number; body: string }>, api: ExtensionApi): Probe =>
  async () => {
    const answer = (path: string) => get(path).catch((err: Error) => ({ status: 0, body: err.message }));
    const res = await answer(`/apis/apiregistration.k8s.io/v1/apiservices/${apiServiceName(api)}`);
    if (res.status !== 200) return `HTTP ${res.status}: ${res.body.trim().slice(0, 200)}`;
    const conditions: Condition[] = JSON.parse(res.body)?.status?.conditions ?? [];
    const available = conditions.find((c) => c.type === "Available");
    if (available?.status !== "True") {
      return available ? `${available.reason}: ${available.message}` : "no Available condition yet";
    }
    const group = await answer(`/apis/${api.group}/${api.version}`);
    if (group.status === 200) return true;
    return `Available, but /apis/${api.group}/${api.version} answers HTTP ${group.status}: ${group.body.trim().slice(0, 200)}`;
  };
