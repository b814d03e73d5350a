import type { Helpers } from "../lib/engine/index.js";
import type { NetworkPolicyPort } from "../lib/k8s.js";
import { podMetadata } from "../lib/pod-overrides.js";
import type { PodOverrides } from "../lib/pod-overrides.js";
import type { TenantValues } from "./values.js";

/**
 * The Linkerd mesh, as the tenant's pods and NetworkPolicies see it. Between two meshed pods the client's proxy
 * connects to the server proxy's inbound port, not to the application's, so every rule that admits an application
 * port between meshed peers admits the inbound port too; every proxy reaches the control plane (identity,
 * destination, policy) through the cluster DNS, Ollama's included.
 */

/** The proxy's inbound port, which meshed clients connect to instead of the application's. */
export const proxyInboundPort = 4143;

/** The control plane's gRPC ports every proxy calls: identity, destination, policy. */
export const controlPlanePorts = [8080, 8086, 8090] as const;

/** True when the tenant's pods are meshed. */
export const meshed = (v: TenantValues) => v.mesh.linkerd.enabled;

/** The annotations that inject a proxy sized by the values (Linkerd's own names), once as `tenant.mesh.annotations`. */
const injectAnnotations = (v: TenantValues, h: Helpers): Record<string, string> =>
  h.partial(
    "mesh.annotations",
    () => proxyAnnotations(v),
    "The annotations that inject Linkerd's proxy, sized by the values.",
  );

const proxyAnnotations = (v: TenantValues): Record<string, string> => {
  const r = v.mesh.linkerd.proxyResources;
  return {
    "linkerd.io/inject": "enabled",
    "config.linkerd.io/proxy-cpu-request": r.requests.cpu,
    "config.linkerd.io/proxy-memory-request": r.requests.memory,
    "config.linkerd.io/proxy-ephemeral-storage-request": `${r.requests["ephemeral-storage"]}`,
    "config.linkerd.io/proxy-cpu-limit": r.limits.cpu,
    "config.linkerd.io/proxy-memory-limit": r.limits.memory,
    "config.linkerd.io/proxy-ephemeral-storage-limit": `${r.limits["ephemeral-storage"]}`,
  };
};

/** A meshed workload's pod metadata: the operator's annotations, then the injection ones (which win). */
export const meshedPodMetadata = (
  v: TenantValues,
  h: Helpers,
  chartLabels: Record<string, string>,
  o: PodOverrides,
) => {
  const plain = podMetadata(h, chartLabels, o);
  return {
    labels: plain.labels,
    annotations: h.when(meshed(v), h.merge(o.podAnnotations, injectAnnotations(v, h)), plain.annotations),
  };
};

/** TCP ports of a rule between meshed peers: the application's, and the proxy's inbound port when meshed. */
export const meshPorts = (v: TenantValues, h: Helpers, port: number): NetworkPolicyPort[] => [
  { protocol: "TCP", port },
  ...h.partial(
    "mesh.inboundPort",
    () => [h.when(meshed(v), { protocol: "TCP" as const, port: proxyInboundPort })],
    "Meshed clients connect to the server's proxy, on its inbound port.",
  ),
];
