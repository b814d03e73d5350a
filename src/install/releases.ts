/** The releases the install scenarios make: cluster-wide charts and one tenant release per values file. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** A tenant release of the install scenarios. */
export interface TenantRelease {
  release: string;
  namespace: string;
  tenant: string;
  tier: "standard" | "premium" | "both";
  valuesFile: string;
}

/** The three tenants scenario 2 installs: one per tier. */
export const installTenantValues = ["standard.yaml", "premium.yaml", "both.yaml"];
export const lifecycleValues = "lifecycle.yaml";
/** The tenant the OCI scenario installs from the registry. */
export const ociValues = "oci.yaml";

/** Namespaces other components would have created before the platform chart (monitoring, device plugin, Argo CD). */
export const prerequisiteNamespaces = ["monitoring", "nvidia-device-plugin", "argocd"];

export const nodepoolsRelease = "pools";
/** What only the operator knows of the nodepools chart (cluster, node role, zones): first in every nodepools release. */
export const nodepoolsSiteValues = "nodepools-site.yaml";
/** The cluster-wide charts' values: nodepools with the design's seed GPU pools, platform with their tiers. */
export const nodepoolsValues = "nodepools.yaml";
export const platformValues = "platform.yaml";
export const platformRelease = "platform";
/** Release namespace of the cluster-wide charts (nodepools, platform). */
export const clusterReleaseNamespace = "default";

/** A tenant release from its values file under test/install/values/: release and namespace named after the tenant. */
export const tenantOf = (root: string, valuesFile: string): TenantRelease => {
  const values = parse(readFileSync(join(root, "test", "install", "values", valuesFile), "utf8")) ?? {};
  // The chart has no default name: a values file without one would be refused at install.
  if (!values.tenant?.name) throw new Error(`test/install/values/${valuesFile}: tenant.name is not set`);
  const tenant = String(values.tenant.name);
  return {
    release: tenant,
    namespace: `tenant-${tenant}`,
    tenant,
    tier: values.tenant?.tier ?? "standard",
    valuesFile: join(root, "test", "install", "values", valuesFile),
  };
};
