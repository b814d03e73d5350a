import type { Helpers } from "../lib/engine/index.js";
import type { AppProject } from "../lib/k8s.js";
import { tenantClusterObjectGlobs } from "../lib/tenant-namespace.js";
import { platformLabels } from "./metadata.js";
import { modes } from "./tenants-appset.js";
import type { PlatformValues } from "./values.js";

/**
 * The project the tenant Applications run in, when the chart is asked to create it: only the tenant chart and the
 * fleet as sources, only `tenant-*` namespaces as destinations, and of cluster-scoped objects only what a tenant
 * release owns (its Namespace and its model-cache PersistentVolume).
 */
export const tenantsProject = (v: PlatformValues, h: Helpers) => {
  const a = v.argocd;
  const m = modes(v, h);
  return [
    h.when(h.and(a.enabled, a.createProject), {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: a.project, namespace: a.namespace, labels: platformLabels(h, "tenants") },
      spec: {
        description: "llmcharts tenants: one tenant chart release per tenant, each in its own tenant-<name> namespace.",
        sourceRepos: [h.pick(m.oci, `${a.repoURL}/${a.chart}`, a.repoURL), h.when(m.fromFiles, a.fleet.repoURL)],
        destinations: [{ server: a.destinationServer, namespace: tenantClusterObjectGlobs.namespace }],
        clusterResourceWhitelist: [
          { group: "", kind: "Namespace", name: tenantClusterObjectGlobs.namespace },
          { group: "", kind: "PersistentVolume", name: tenantClusterObjectGlobs.modelCacheVolume },
        ],
      },
    } satisfies AppProject),
  ];
};
