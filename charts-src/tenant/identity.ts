import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import { releaseLabels } from "../lib/metadata.js";
import { podSpread, requireNodeLabels } from "../lib/scheduling.js";
import { tenantModelCacheVolumePrefix } from "../lib/model-cache.js";
import { tenantNamespaceName, tenantObjectNames, tenantPorts } from "../lib/tenant-namespace.js";
import { imagePullSecretsOf } from "../lib/workload.js";
import { premiumTiers, standardTiers, type TenantValues } from "./values.js";

/**
 * Who owns an object of a tenant release: the names, labels and metadata every template file uses.
 *
 * Everything lives in the namespace `tenant-<name>`: the prefix keeps tenants out of the platform's and the system's
 * namespaces (a tenant called "monitoring" gets `tenant-monitoring`, never `monitoring`), gives policies and IAM one
 * pattern to match, and makes the short fixed names below unique per tenant. The only cluster-scoped objects are the
 * Namespace itself and the tenant's read-only PersistentVolume onto the model cache, named after the tenant.
 */

/** The tenant's namespace. */
export const tenantNamespace = (v: TenantValues): string => tenantNamespaceName(v.tenant.name);

/** The tenant's PersistentVolume onto the shared model cache (cluster-scoped, so it carries the tenant's name). */
export const modelCacheVolume = (v: TenantValues): string => `${tenantModelCacheVolumePrefix}${v.tenant.name}`;

/** Names of the objects inside the tenant namespace. */
export const names = tenantObjectNames;

/**
 * What must outlive the release (the Namespace, the data claim): Helm keeps it on uninstall, and Argo CD, which
 * ignores Helm's policy, neither prunes nor deletes it.
 */
export const keptAnnotations = {
  "helm.sh/resource-policy": "keep",
  "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
} as const;

/** Ports the workloads listen on. */
export const ports = tenantPorts;

/** Components, the value of `app.kubernetes.io/component`: NetworkPolicies select peers by it. */
export type Component =
  | "namespace"
  | "guardrails"
  | "network"
  | "secrets"
  | "model-cache"
  | "exposure"
  | "openwebui"
  | "ollama-standard"
  | "ollama-premium"
  | "ollama-premium-wake"
  | "extra-objects"
  | "backup";

/**
 * The tenant's identity labels, on every object and every pod, for isolation policies and cost reports; then the
 * operator's commonLabels (whose keys the schema keeps apart from the chart's).
 */
export const tenantLabels = (v: TenantValues, h: Helpers): Record<string, string> =>
  h.partial(
    "tenantLabels",
    () => ({
      [labels.tenant]: v.tenant.name,
      [labels.tier]: v.tenant.tier,
      [labels.costCentre]: v.tenant.costCentre,
      ...h.entries(v.commonLabels),
    }),
    "For whom: what isolation policies and cost reports read, and the operator's commonLabels.",
  );

/** Labels of any object of the release: what it is, then who made it and for whom, once as `tenant.labels`. */
export const objectLabels = (v: TenantValues, h: Helpers, component: Component): Record<string, string> => ({
  "app.kubernetes.io/name": "tenant",
  [labels.component]: component,
  ...h.partial(
    "labels",
    () => ({ ...releaseLabels(h, "tenant"), ...tenantLabels(v, h) }),
    "Who made an object (the release, the chart) and for whom.",
  ),
});

/** What a workload's Deployment, Service, PDB and autoscalers select its pods by. */
export const selectorLabels = (h: Helpers, workload: string): Record<string, string> => ({
  "app.kubernetes.io/name": workload,
  "app.kubernetes.io/instance": h.release.name,
});

/** Node affinity to the standard (CPU) node tier, once as `tenant.standardNodes`. */
export const onStandardNodes = (h: Helpers) =>
  h.partial(
    "standardNodes",
    () => requireNodeLabels({ [labels.nodeTier]: "standard" }),
    "Standard (CPU) nodes only, whatever the tier: what runs here must answer while every GPU node is gone.",
  );

/** How a workload's pods spread over zones and nodes (see podSpread), once as `tenant.podSpread`. */
export const workloadSpread = (h: Helpers, workload: string) =>
  h.partial(
    "podSpread",
    (args) => podSpread(selectorLabels(h, args.workload)),
    "A workload's pods over zones and nodes, so that neither a zone nor a node takes every replica; ScheduleAnyway: a full zone slows a scale-up, never blocks it.",
    { workload },
  );

/**
 * Labels of a pod: selector, component and tenant identity. No chart version, so that a chart upgrade that changes
 * nothing else does not restart pods.
 */
export const podLabels = (v: TenantValues, h: Helpers, workload: string, component: Component) => ({
  ...selectorLabels(h, workload),
  [labels.component]: component,
  ...tenantLabels(v, h),
});

/**
 * Annotations of an object: the chart's own, then the operator's commonAnnotations, whose keys the schema keeps out
 * of the domains the chart's are in (helm.sh, argoproj.io, amazonaws.com); none when neither has any.
 */
export const objectAnnotations = (v: TenantValues, h: Helpers, own?: Record<string, string>) =>
  own === undefined
    ? h.when(h.isSet(v.commonAnnotations), v.commonAnnotations)
    : { ...own, ...h.entries(v.commonAnnotations) };

/**
 * Annotations of an object that takes the operator's own (an Ingress, a ServiceAccount, an extra object):
 * commonAnnotations, then those (which win where a key is in both); none when neither has any.
 */
export const withCommonAnnotations = (v: TenantValues, h: Helpers, own: Record<string, string> | undefined) =>
  h.when(h.or(h.isSet(v.commonAnnotations), h.isSet(own)), h.merge(v.commonAnnotations, own));

/** An object's own annotations: the chart's (static), or the operator's for this object (an Ingress's, say). */
export type OwnAnnotations = { chart: Record<string, string> } | { user: Record<string, string> | undefined };

/** Metadata of an object in the tenant namespace, its annotations with commonAnnotations. */
export const namespaced = (v: TenantValues, h: Helpers, name: string, component: Component, own?: OwnAnnotations) => ({
  name,
  namespace: tenantNamespace(v),
  labels: { ...objectLabels(v, h, component), "app.kubernetes.io/name": componentName(component) },
  ...(own === undefined
    ? h.partial(
        "commonAnnotations",
        () => ({ annotations: objectAnnotations(v, h) }),
        "The operator's commonAnnotations.",
      )
    : { annotations: "chart" in own ? objectAnnotations(v, h, own.chart) : withCommonAnnotations(v, h, own.user) }),
});

/** The workload objects carry the workload's name label; the others the chart's. */
const workloads: readonly Component[] = ["openwebui", "ollama-standard", "ollama-premium", "ollama-premium-wake"];
const componentName = (component: Component): string => (workloads.includes(component) ? component : "tenant");

/** True when the tenant's tier runs standard (CPU) Ollama: standard or both. */
export const hasStandard = (v: TenantValues, h: Helpers) =>
  h.partial("hasStandard", () => h.includes(standardTiers, v.tenant.tier), "The tier runs standard (CPU) Ollama.");

/** True when the tenant's tier runs premium (GPU) Ollama: premium or both. */
export const hasPremium = (v: TenantValues, h: Helpers) =>
  h.partial("hasPremium", () => h.includes(premiumTiers, v.tenant.tier), "The tier runs premium (GPU) Ollama.");

/** The image pull Secrets every pod of the tenant names: the umbrella's global ones, then the tenant's own. */
export const imagePullSecrets = (v: TenantValues, h: Helpers) =>
  imagePullSecretsOf(h, h.unique(h.concat(v.global.imagePullSecrets, v.imagePullSecrets)));
