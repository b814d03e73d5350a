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

const rateLimitName = "openwebui-rate-limit";

const usesTraefik = (v: TenantValues, h: Helpers) => h.eq(v.exposure.ingress.controller, "traefik");

/** ingress-nginx's dialect: the upload limit, timeouts that outlast a long answer or a websocket, no buffering. */
const nginxAnnotations = (v: TenantValues, h: Helpers): Annotations => ({
  "nginx.ingress.kubernetes.io/proxy-body-size": `${v.exposure.uploadLimitMiB}m`,
  "nginx.ingress.kubernetes.io/proxy-read-timeout": h.toJson(v.exposure.timeoutSeconds),
  "nginx.ingress.kubernetes.io/proxy-send-timeout": h.toJson(v.exposure.timeoutSeconds),
  "nginx.ingress.kubernetes.io/proxy-buffering": "off",
});

/** Traefik's: the routers of an Ingress run one of the tenant's Middlewares (`<namespace>-<name>@kubernetescrd`). */
const traefikMiddlewareAnnotations = (v: TenantValues, middleware: string): Annotations => ({
  "traefik.ingress.kubernetes.io/router.middlewares": `${tenantNamespace(v)}-${middleware}@kubernetescrd`,
});

/** The host's paths (the chart's, or a list from the values) to OpenWebUI's Service. */
const rule = (v: TenantValues, h: Helpers, paths: readonly string[]) => ({
  host: v.exposure.host,
  http: {
    paths: h.each(paths, (path) => ({
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
      ...h.partial(
        "ingress.classAndTls",
        () => ({
          ingressClassName: i.className,
          tls: h.when(h.isSet(i.tlsSecretName), [{ hosts: [v.exposure.host], secretName: i.tlsSecretName }]),
        }),
        "Every Ingress of the tenant: its controller's class, and the host's certificate where one is named.",
      ),
      rules: [rule(v, h, paths)],
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
  ingress(v, h, `${names.openwebui}-uploads`, uploadPaths, traefikMiddlewareAnnotations(v, uploadLimitName));

/** Traefik: the inference paths get routers of their own, the only ones that count requests. */
const rateLimitedIngress = (v: TenantValues, h: Helpers): Ingress =>
  ingress(
    v,
    h,
    `${names.openwebui}-rate-limited`,
    v.exposure.rateLimit.paths,
    traefikMiddlewareAnnotations(v, rateLimitName),
  );

/**
 * A budget per Authorization header (a session's token or an API key: per user, not per address, so colleagues
 * behind one NAT never share one); past it Traefik answers 429 with Retry-After. A request without the header (a
 * client authenticating by cookie) draws on one budget shared by all such requests, so it cannot evade the limit.
 */
const rateLimit = (v: TenantValues, h: Helpers): TraefikMiddleware => ({
  apiVersion: "traefik.io/v1alpha1",
  kind: "Middleware",
  metadata: namespaced(v, h, rateLimitName, "exposure"),
  spec: {
    rateLimit: {
      average: v.exposure.rateLimit.requestsPerMinute as number,
      period: "1m",
      burst: v.exposure.rateLimit.burst,
      sourceCriterion: { requestHeaderName: "Authorization" },
    },
  },
});

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
  // The schema refuses a limit anywhere else (ingress-nginx, other, a Gateway): nothing there would enforce it.
  const rateLimited = h.isSet(v.exposure.rateLimit.requestsPerMinute);
  return [
    h.when(h.eq(v.exposure.type, "ingress"), [
      openwebuiIngress(v, h),
      h.when(usesTraefik(v, h), [
        uploadsIngress(v, h),
        uploadLimit(v, h),
        h.when(rateLimited, [rateLimitedIngress(v, h), rateLimit(v, h)]),
      ]),
    ]),
    h.when(h.eq(v.exposure.type, "gateway"), httpRoute(v, h)),
  ];
};
