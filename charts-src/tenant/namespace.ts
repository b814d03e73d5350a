import { podSecurityLabels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { Namespace } from "../lib/k8s.js";
import { keptAnnotations, objectAnnotations, objectLabels, tenantNamespace } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * The tenant's Namespace: tenant, tier and cost-centre labels (the platform's policies find tenants by them) and the
 * Pod Security `restricted` labels. Helm keeps it on uninstall, so that an accidental uninstall never deletes the
 * tenant's claims and secrets with it; reinstalling the same release adopts it again.
 */
export const tenantNamespaceObject = (v: TenantValues, h: Helpers): Namespace => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: {
    name: tenantNamespace(v),
    labels: { ...objectLabels(v, h, "namespace"), ...podSecurityLabels },
    annotations: objectAnnotations(v, h, keptAnnotations),
  },
});

export const namespaceTemplate = (v: TenantValues, h: Helpers) => [tenantNamespaceObject(v, h)];
