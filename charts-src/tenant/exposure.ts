import type { Helpers } from "../lib/engine/index.js";
import type { HTTPRoute, Ingress, TraefikMiddleware } from "../lib/k8s.js";
import { names, namespaced, ports, tenantNamespace } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * How users reach OpenWebUI (and only OpenWebUI: Ollama is never exposed, its API has no authentication): an
 * Ingress by default, or a Gateway API HTTPRoute on the platform's shared Gateway. Either way traffic arrives from
 * `network.ingressNamespace`, which the NetworkPolicies admit.
 */

const mebibyte = 1024 * 1024;

/** OpenWebUI's paths that take large bodies (files, audio): Traefik limits their size there only. */
const uploadPaths = ["/api/v1/files", "/api/v1/audio"];

const uploadLimitName = "openwebui-upload-limit";

const usesTraefik = (v: TenantValues, h: Helpers) => h.eq(v.exposure.ingress.controller, "traefik");

/** ingress-nginx's dialect: the upload limit, timeouts that outlast a long answer or a websocket, no buffering. */
const nginxAnnotations = (v: TenantValues, h: Helpers): Annotations => ({
  "nginx.ingress.kubernetes.io/proxy-body-size": `${v.exposure.uploadLimitMiB}m`,
  "nginx.ingress.kubernetes.io/proxy-read-timeout": h.toJson(v.exposure.timeoutSeconds),
  "nginx.ingress.kubernetes.io/proxy-send-timeout": h.toJson(v.exposure.timeoutSeconds),
  "nginx.ingress.kubernetes.io/proxy-buffering": "off",
});

/** Traefik's: its upload-path router runs the buffering Middleware (`<namespace>-<name>@kubernetescrd`). */
const traefikUploadAnnotations = (v: TenantValues): Annotations => ({
  "traefik.ingress.kubernetes.io/router.middlewares": `${tenantNamespace(v)}-${uploadLimitName}@kubernetescrd`,
});

const rule = (v: TenantValues, paths: readonly string[]) => ({
  host: v.exposure.host,
  http: {
    paths: paths.map((path) => ({
      path,
      pathType: "Prefix" as const,
      backend: { service: { name: names.openwebui, port: { number: ports.openwebuiService } } },
    })),
  },
});

type Annotations = Record<string, string>;

const ingress = (
  v: TenantValues,
  h: Helpers,
  name: string,
  paths: readonly string[],
  dialect: Annotations,
): Ingress => {
  const i = v.exposure.ingress;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    // Always annotated (if only with {}): the controller's dialect, commonAnnotations, then the operator's own.
    metadata: {
      ...namespaced(v, h, name, "exposure", { chart: {} }),
      annotations: h.merge(dialect, v.commonAnnotations, i.annotations),
    },
    spec: {
      ingressClassName: i.className,
      tls: h.when(h.isSet(i.tlsSecretName), [{ hosts: [v.exposure.host], secretName: i.tlsSecretName }]),
      rules: [rule(v, paths)],
    },
  };
};

const openwebuiIngress = (v: TenantValues, h: Helpers): Ingress =>
  ingress(
    v,
    h,
    names.openwebui,
    ["/"],
    h.when(h.eq(v.exposure.ingress.controller, "ingress-nginx"), nginxAnnotations(v, h)),
  );

/** Traefik: the upload paths get a router of their own, the only one that buffers. */
const uploadsIngress = (v: TenantValues, h: Helpers): Ingress =>
  ingress(v, h, `${names.openwebui}-uploads`, uploadPaths, traefikUploadAnnotations(v));

const uploadLimit = (v: TenantValues, h: Helpers): TraefikMiddleware => ({
  apiVersion: "traefik.io/v1alpha1",
  kind: "Middleware",
  metadata: namespaced(v, h, uploadLimitName, "exposure"),
  spec: {
    buffering: { maxRequestBodyBytes: h.multiply(v.exposure.uploadLimitMiB, mebibyte), memRequestBodyBytes: mebibyte },
  },
});

const httpRoute = (v: TenantValues, h: Helpers): HTTPRoute => {
  const g = v.exposure.gateway;
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: namespaced(v, h, names.openwebui, "exposure"),
    spec: {
      parentRefs: [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: g.name,
          namespace: g.namespace,
          sectionName: h.when(h.isSet(g.sectionName), g.sectionName),
        },
      ],
      hostnames: [v.exposure.host],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: [{ name: names.openwebui, port: ports.openwebuiService }],
        },
      ],
    },
  };
};

export const exposureTemplate = (v: TenantValues, h: Helpers) => {
  const viaIngress = h.eq(v.exposure.type, "ingress");
  return [
    h.when(viaIngress, openwebuiIngress(v, h)),
    h.when(h.and(viaIngress, usesTraefik(v, h)), uploadsIngress(v, h)),
    h.when(h.and(viaIngress, usesTraefik(v, h)), uploadLimit(v, h)),
    h.when(h.eq(v.exposure.type, "gateway"), httpRoute(v, h)),
  ];
};
