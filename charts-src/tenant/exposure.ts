import type { Helpers } from "../lib/engine/index.js";
import type { HTTPRoute, Ingress } from "../lib/k8s.js";
import { names, namespaced, ports } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * How users reach OpenWebUI (and only OpenWebUI: Ollama is never exposed, its API has no authentication): an
 * Ingress by default, or a Gateway API HTTPRoute on the platform's shared Gateway. Either way traffic arrives from
 * `network.ingressNamespace`, which the NetworkPolicies admit.
 */

const ingress = (v: TenantValues, h: Helpers): Ingress => {
  const i = v.exposure.ingress;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: namespaced(v, h, names.openwebui, "exposure", { user: i.annotations }),
    spec: {
      ingressClassName: i.className,
      tls: h.when(h.isSet(i.tlsSecretName), [{ hosts: [v.exposure.host], secretName: i.tlsSecretName }]),
      rules: [
        {
          host: v.exposure.host,
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: names.openwebui, port: { number: ports.openwebuiService } } },
              },
            ],
          },
        },
      ],
    },
  };
};

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

export const exposureTemplate = (v: TenantValues, h: Helpers) => [
  h.when(h.eq(v.exposure.type, "ingress"), ingress(v, h)),
  h.when(h.eq(v.exposure.type, "gateway"), httpRoute(v, h)),
];
