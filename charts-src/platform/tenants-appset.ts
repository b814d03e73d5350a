import { labels, podSecurityLabels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ApplicationSet } from "../lib/k8s.js";
import { efsVolumeHandle } from "../lib/model-cache.js";
import { tenantNamespaceName } from "../lib/tenant-namespace.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/**
 * Argo CD's own template syntax: `{{ .name }}` is evaluated by the ApplicationSet controller, once per tenant,
 * never by Helm (the chart emits these strings as literals).
 */
const param = (key: "name" | "tier" | "costCentre") => `{{ .${key} }}`;

/**
 * Tenant chart values that say who the tenant is, set as Helm parameters: they take precedence over the
 * tenant's own `values`, so an override can never rename a tenant or change its tier.
 */
export const tenantIdentityParameters = {
  "tenant.name": param("name"),
  "tenant.tier": param("tier"),
  "tenant.costCentre": param("costCentre"),
} as const;

/**
 * One Application per tenant from a list generator. Each gets its own namespace, created by Argo CD with the
 * tenant, tier and Pod Security labels the isolation policies require. Applications carry no deletion finalizer:
 * dropping a tenant from the list removes its Application but never its namespace or data.
 */
export const tenantsApplicationSet = (v: PlatformValues, h: Helpers) => {
  const a = v.argocd;
  const tenantLabels = {
    [labels.tenant]: param("name"),
    [labels.tier]: param("tier"),
    [labels.costCentre]: param("costCentre"),
  };
  return [
    h.when(a.enabled, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: a.name, namespace: a.namespace, labels: platformLabels(h, "tenants") },
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [
          {
            list: {
              // Every key is always present (values as {} when left out): missingkey=error fails on absent ones.
              elements: h.each(v.tenants, (t) => ({
                name: t.name,
                tier: t.tier,
                costCentre: t.costCentre,
                values: h.when(h.isSet(t.values), t.values, {}),
              })),
            },
          },
        ],
        syncPolicy: { preserveResourcesOnDeletion: a.preserveResourcesOnDeletion },
        template: {
          metadata: {
            name: tenantNamespaceName(param("name")),
            labels: tenantLabels,
          },
          spec: {
            project: a.project,
            source: {
              repoURL: a.repoURL,
              targetRevision: a.targetRevision,
              path: a.path,
              helm: {
                releaseName: param("name"),
                // JSON is YAML: the tenant's overrides, as a values file.
                values: "{{ toJson .values }}",
                parameters: [
                  ...Object.entries(tenantIdentityParameters).map(([name, value]) => ({
                    name,
                    value,
                    forceString: true,
                  })),
                  // Every tenant reads the cache this chart fills, whatever its own values say.
                  h.when(v.modelCache.enabled, {
                    name: "ollama.modelCache.volumeHandle",
                    value: efsVolumeHandle(v.modelCache.fileSystemId, v.modelCache.accessPointId),
                    forceString: true,
                  }),
                ],
              },
            },
            destination: { server: a.destinationServer, namespace: tenantNamespaceName(param("name")) },
            syncPolicy: {
              automated: h.when(a.automatedSync, { prune: true, selfHeal: true }),
              syncOptions: ["CreateNamespace=true", "ServerSideApply=true"],
              managedNamespaceMetadata: { labels: { ...tenantLabels, ...podSecurityLabels } },
            },
          },
        },
      },
    } satisfies ApplicationSet),
  ];
};
