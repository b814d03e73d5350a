import { priorityClasses } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type {
  Deployment,
  InterceptorRoute,
  InterceptorRouteSpec,
  Role,
  RoleBinding,
  Service,
  ServiceAccount,
} from "../lib/k8s.js";
import { identityOf, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../lib/pod-security.js";
import { httpProbe, imageRef } from "../lib/workload.js";
import {
  hasPremium,
  imagePullSecrets,
  onStandardNodes,
  workloadSpread,
  names,
  namespaced,
  podLabels,
  ports,
  selectorLabels,
  tenantNamespace,
} from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * Premium's wake-up proxy: the KEDA HTTP add-on's interceptor, run by this tenant in its own namespace. OpenWebUI
 * calls premium Ollama through it. While premium is at zero it holds inference requests until a pod is ready, and
 * its count of them is what KEDA wakes premium on (scaling.ts), so the signal is this tenant's premium requests only,
 * whatever the exposure (Ingress or Gateway); static files, standard-tier chats and uptime checks never reach it.
 *
 * It watches its own namespace only (KEDA_HTTP_WATCH_NAMESPACE, a Role, no ClusterRole), so it can route to nothing
 * but this tenant's premium Ollama; premium Ollama admits nothing but it. A shared, cluster-wide interceptor would
 * route by Host header alone and let one tenant reach another's Ollama by naming it.
 *
 * OpenWebUI lists models from every backend on each page load: `/api/tags` gets premium's catalog at once while
 * premium sleeps (a placeholder answer), and anything else but inference a clear 503, so nothing but a chat, a
 * completion or an embedding wakes the GPUs.
 */

/** Names OpenWebUI (or an operator) may reach the proxy by; the interceptor drops the port before matching. */
const wakeHosts = (v: TenantValues) => {
  const ns = tenantNamespace(v);
  return [names.premiumWake, `${names.premiumWake}.${ns}`, `${names.premiumWake}.${ns}.svc`];
};

/** Ollama's inference endpoints: the requests that are held while premium sleeps, and that wake it. */
export const inferencePaths = ["/api/chat", "/api/generate", "/api/embed", "/api/embeddings", "/v1"];

/** The route KEDA reads: its in-flight count, keyed `<namespace>/<route>` in the interceptor's /queue. */
export const inferenceRoute = names.ollamaPremium;

/** Premium Ollama's URL as OpenWebUI calls it: through the proxy. */
export const premiumOllamaUrl = `http://${names.premiumWake}:${ports.wakeProxy}`;

const interceptorRoute = (
  v: TenantValues,
  h: Helpers,
  name: string,
  spec: Pick<InterceptorRouteSpec, "rules" | "timeouts" | "coldStart">,
): InterceptorRoute => ({
  apiVersion: "http.keda.sh/v1beta1",
  kind: "InterceptorRoute",
  metadata: namespaced(v, h, name, "ollama-premium-wake"),
  spec: {
    target: { service: names.ollamaPremium, port: ports.ollama },
    // Read by the add-on's own scaler only; this tenant's KEDA trigger reads the proxy directly (scaling.ts).
    scalingMetric: { concurrency: { targetValue: v.ollama.premium.numParallel } },
    ...spec,
  },
});

const placeholder = (h: Helpers, statusCode: number, body: unknown): Pick<InterceptorRouteSpec, "coldStart"> => ({
  coldStart: {
    placeholder: {
      response: { statusCode, headers: { "Content-Type": "application/json" }, body: h.toJson(body) },
    },
  },
});

const routes = (v: TenantValues, h: Helpers) => {
  const hosts = wakeHosts(v);
  const model = v.ollama.premium.model;
  return [
    interceptorRoute(v, h, inferenceRoute, {
      rules: [{ hosts, paths: inferencePaths.map((value) => ({ value })) }],
      timeouts: { readiness: `${v.ollama.premium.wake.holdSeconds}s` },
    }),
    interceptorRoute(v, h, `${names.ollamaPremium}-catalog`, {
      rules: [{ hosts, paths: [{ value: "/api/tags" }] }],
      ...placeholder(h, 200, { models: [{ name: model, model }] }),
    }),
    interceptorRoute(v, h, `${names.ollamaPremium}-asleep`, {
      rules: [{ hosts, paths: [{ value: "/" }] }],
      ...placeholder(h, 503, {
        error: `the premium model ${model} is asleep; the next chat wakes it (allow a few minutes)`,
      }),
    }),
  ];
};

const serviceAccount = (v: TenantValues, h: Helpers): ServiceAccount => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: namespaced(v, h, names.premiumWake, "ollama-premium-wake"),
  automountServiceAccountToken: false,
});

/** What the interceptor reads: its routes, premium's Service and endpoints, in this namespace only; it writes nothing. */
const role = (v: TenantValues, h: Helpers): Role => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "Role",
  metadata: namespaced(v, h, names.premiumWake, "ollama-premium-wake"),
  rules: [
    {
      apiGroups: ["http.keda.sh"],
      resources: ["interceptorroutes", "httpscaledobjects"],
      verbs: ["get", "list", "watch"],
    },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["services"], verbs: ["get", "list", "watch"] },
  ],
});

const roleBinding = (v: TenantValues, h: Helpers): RoleBinding => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: namespaced(v, h, names.premiumWake, "ollama-premium-wake"),
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.premiumWake },
  subjects: [{ kind: "ServiceAccount", name: names.premiumWake, namespace: tenantNamespace(v) }],
});

const deployment = (v: TenantValues, h: Helpers): Deployment => {
  const w = v.ollama.premium.wake;
  const selector = selectorLabels(h, names.premiumWake);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: namespaced(v, h, names.premiumWake, "ollama-premium-wake"),
    spec: {
      replicas: w.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: podLabels(v, h, names.premiumWake, "ollama-premium-wake") },
        spec: {
          serviceAccountName: names.premiumWake,
          // It watches the API server; the token is the one its Role grants.
          automountServiceAccountToken: true,
          enableServiceLinks: false,
          ...imagePullSecrets(v, h),
          securityContext: restrictedPodSecurityContext(identityOf(w.runAs)),
          // On the standard CPU nodes, beside OpenWebUI: it must answer while every GPU node is gone.
          affinity: onStandardNodes(h),
          tolerations: [],
          priorityClassName: priorityClasses.standard,
          topologySpreadConstraints: workloadSpread(h, names.premiumWake),
          // Its own shutdown: 5 s of failing readiness, then up to 30 s for requests in flight to finish.
          terminationGracePeriodSeconds: 45,
          containers: [
            {
              name: "interceptor",
              image: imageRef(h, w.image, v.global),
              imagePullPolicy: w.image.pullPolicy,
              args: ["--zap-log-level=info"],
              ports: [
                { name: "proxy", containerPort: ports.wakeProxy, protocol: "TCP" },
                { name: "admin", containerPort: ports.wakeAdmin, protocol: "TCP" },
              ],
              env: [
                { name: "KEDA_HTTP_PROXY_PORT", value: `${ports.wakeProxy}` },
                { name: "KEDA_HTTP_ADMIN_PORT", value: `${ports.wakeAdmin}` },
                { name: "KEDA_HTTP_WATCH_NAMESPACE", value: tenantNamespace(v) },
                // Its Prometheus endpoint (port 2223) is not scraped: the count KEDA reads is on the admin port.
                { name: "OTEL_PROM_EXPORTER_ENABLED", value: "false" },
              ],
              resources: w.resources,
              securityContext: restrictedContainerSecurityContext(h),
              readinessProbe: httpProbe("/readyz", "admin", { periodSeconds: 5, failureThreshold: 3 }),
              livenessProbe: httpProbe("/livez", "admin", { periodSeconds: 20, failureThreshold: 3 }),
            },
          ],
        },
      },
    },
  };
};

const service = (v: TenantValues, h: Helpers): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: namespaced(v, h, names.premiumWake, "ollama-premium-wake"),
  spec: {
    type: "ClusterIP",
    selector: selectorLabels(h, names.premiumWake),
    ports: [
      { name: "proxy", port: ports.wakeProxy, targetPort: "proxy", protocol: "TCP" },
      // Same port as the pod's: KEDA reads each endpoint at the URL's port (scaling.ts).
      { name: "admin", port: ports.wakeAdmin, targetPort: "admin", protocol: "TCP" },
    ],
  },
});

export const premiumWakeTemplate = (v: TenantValues, h: Helpers) => [
  h.when(hasPremium(v, h), [
    serviceAccount(v, h),
    role(v, h),
    roleBinding(v, h),
    deployment(v, h),
    service(v, h),
    ...routes(v, h),
  ]),
];
