import { tenantSecretPrefix } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ExtraObject } from "../lib/k8s.js";
import { objectLabels, tenantNamespace, withCommonAnnotations } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * The operator's extra manifests (a CA bundle's ConfigMap, a sidecar service's Deployment): written as given, in
 * the tenant namespace whatever they say, with the chart's labels beside their own. The values allow only namespaced
 * kinds that cannot reach another namespace; the platform's policies check them at admission like the chart's own.
 */
export const extraObjectsTemplate = (v: TenantValues, h: Helpers) => [
  ...foreignSecretPaths(v, h),
  ...h.each(
    v.extraObjects,
    (o): ExtraObject => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: {
        name: o.metadata.name,
        namespace: tenantNamespace(v),
        // Its own labels, then the chart's (and commonLabels), which win where a key is in both.
        labels: h.merge(o.metadata.labels, objectLabels(v, h, "extra-objects")),
        // commonAnnotations, then its own.
        annotations: withCommonAnnotations(v, h, o.metadata.annotations),
      },
      ...h.entries(h.without(o, ["apiVersion", "kind", "metadata"])),
    }),
  ),
];

/** What an extra ExternalSecret's body may say: each key it reads, by name. */
interface ExternalSecretBody {
  spec?: { data?: { remoteRef?: { key?: string } }[] };
}

/**
 * An extra ExternalSecret reads only under the tenant's own prefix, like the chart's: refused here, naming the key,
 * before anything is installed (the platform's Kyverno policy tenant-secret-paths refuses it again at admission, and
 * checks dataFrom too).
 */
const foreignSecretPaths = (v: TenantValues, h: Helpers) =>
  h.each(v.extraObjects, (o, i) => {
    const body = o as unknown as ExternalSecretBody;
    return h.when(
      h.and(h.eq(o.kind, "ExternalSecret"), h.isSet(body.spec)),
      h.each(body.spec?.data as { remoteRef?: { key?: string } }[], (d, j) =>
        h.refuse(
          // Go's `and` stops at the first false: a key is read only where remoteRef holds one (the CRD requires it).
          h.and(
            h.isSet(d.remoteRef),
            h.isSet(d.remoteRef?.key),
            h.not(h.hasPrefix(d.remoteRef?.key as string, tenantSecretPrefix(v.tenant.name))),
          ),
          `at '/extraObjects/${i}/spec/data/${j}/remoteRef/key': ${d.remoteRef?.key} is not under tenant ${v.tenant.name}'s prefix ${tenantSecretPrefix(v.tenant.name)}; an ExternalSecret reads only its own tenant's secrets (its role can read nothing else): name a key under that prefix`,
        ),
      ),
    );
  });
