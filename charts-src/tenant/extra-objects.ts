import type { Helpers } from "../lib/engine/index.js";
import type { ExtraObject } from "../lib/k8s.js";
import { objectLabels, tenantNamespace, withCommonAnnotations } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * The operator's extra manifests (a CA bundle's ConfigMap, a sidecar service's Deployment): written as given, in
 * the tenant namespace whatever they say, with the chart's labels beside their own. The values allow only namespaced
 * kinds that cannot reach another namespace; the platform's policies check them at admission like the chart's own.
 */
export const extraObjectsTemplate = (v: TenantValues, h: Helpers) =>
  h.each(
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
  );
