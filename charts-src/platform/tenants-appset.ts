import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ApplicationSet } from "../lib/k8s.js";
import { efsVolumeHandle } from "../lib/model-cache.js";
import { tenantNamespaceName } from "../lib/tenant-namespace.js";
import { platformLabels } from "./metadata.js";
import { snapshotScheduleOn } from "./tenant-snapshots.js";
import type { PlatformValues } from "./values.js";

/**
 * Argo CD's own template syntax, evaluated by the ApplicationSet controller once per tenant, never by Helm (the
 * chart emits these strings as literals). Both generators give a tenant as `.tenant.name` (and tier, cost centre):
 * a fleet file is a tenant chart values file, and the list's elements are shaped alike.
 */
const tenantName = "{{ .tenant.name }}";
/** A field a fleet file may leave to the tenant chart's default: empty here rather than an error for the whole set. */
const optionalTenantField = (key: "tier" | "costCentre") => `{{ dig "tenant" "${key}" "" . }}`;

/**
 * Tenant chart values that say who the tenant is, set as Helm parameters in list mode: they take precedence over
 * the element's own `values`, so an override can never rename a tenant or change its tier. (A fleet file is the
 * tenant's whole values file, so there is nothing to override.)
 */
const tenantIdentityParameters = {
  "tenant.name": tenantName,
  "tenant.tier": "{{ .tenant.tier }}",
  "tenant.costCentre": "{{ .tenant.costCentre }}",
} as const;

/**
 * The tenant chart's `backup` (its own snapshot rotation) from the platform's schedule: booleans and numbers as Helm
 * parses them (`--set`), names as strings.
 */
const tenantBackupParameters = (v: PlatformValues) => {
  const s = v.storage.snapshots;
  return [
    { name: "backup.enabled", value: "true" },
    { name: "backup.snapshotClass", value: s.className, forceString: true },
    { name: "backup.hour", value: `${s.schedule.hour}` },
    { name: "backup.minute", value: `${s.schedule.minute}` },
    { name: "backup.image.repository", value: s.schedule.image.repository, forceString: true },
    { name: "backup.image.tag", value: s.schedule.image.tag, forceString: true },
  ];
};

/** The fleet file of the generated Application, read through the `values` ref source. */
const fleetValuesRef = "values";
const fleetValuesFile = `$${fleetValuesRef}/{{ .path.path }}/{{ .path.filename }}`;
/** The site layer, read through the same ref: first, so that each tenant's own file wins (Helm's later -f wins). */
const siteValuesFile = (v: PlatformValues) => `$${fleetValuesRef}/${v.argocd.fleet.siteValues}`;

/** Which generator, source kind and rollout the values choose (the AppProject reads the same). */
export const modes = (v: PlatformValues, h: Helpers) => ({
  fromFiles: h.eq(v.argocd.tenantsFrom, "files"),
  fromList: h.eq(v.argocd.tenantsFrom, "list"),
  oci: h.hasPrefix(v.argocd.repoURL, "oci://"),
  site: h.and(h.eq(v.argocd.tenantsFrom, "files"), h.isSet(v.argocd.fleet.siteValues)),
  waves: h.isSet(v.argocd.rollout.canary),
});

/** The tenant chart pinned at targetRevision: a git path, or Argo CD's native OCI source (the chart at `.`). */
const chartSource = (v: PlatformValues, h: Helpers) => {
  const a = v.argocd;
  const m = modes(v, h);
  const parameters = [
    ...Object.entries(tenantIdentityParameters).map(([name, value]) =>
      h.when(m.fromList, { name, value, forceString: true }),
    ),
    // Every tenant reads the cache this chart fills, whatever its own values say.
    h.when(v.modelCache.enabled, { name: "ollama.modelCache.source", value: v.modelCache.source, forceString: true }),
    h.when(h.and(v.modelCache.enabled, h.eq(v.modelCache.source, "efs")), {
      name: "ollama.modelCache.volumeHandle",
      value: efsVolumeHandle(v.modelCache.fileSystemId, v.modelCache.accessPointId),
      forceString: true,
    }),
    h.when(h.and(v.modelCache.enabled, h.eq(v.modelCache.source, "hostPath")), {
      name: "ollama.modelCache.hostPath",
      value: v.modelCache.hostPath,
      forceString: true,
    }),
    // Every tenant rotates its own snapshots on the platform's schedule, whichever generator found it.
    ...tenantBackupParameters(v).map((p) => h.when(snapshotScheduleOn(v, h), p)),
  ];
  return {
    repoURL: h.pick(m.oci, `${a.repoURL}/${a.chart}`, a.repoURL),
    targetRevision: a.targetRevision,
    path: h.pick(m.oci, ".", a.path),
    helm: {
      releaseName: tenantName,
      // JSON is YAML: the element's overrides, as a values file.
      values: h.when(m.fromList, "{{ toJson .values }}"),
      valueFiles: h.when(m.fromFiles, [h.when(m.site, siteValuesFile(v)), fleetValuesFile]),
      // A fleet without its site file renders without the layer (every tenant file exists: the generator found it).
      ignoreMissingValueFiles: h.when(m.site, true),
      parameters: h.when(h.or(m.fromList, v.modelCache.enabled, snapshotScheduleOn(v, h)), parameters),
    },
  };
};

/**
 * RollingSync in two steps, by the tenant label every Application carries: the canaries, then everyone else
 * (NotIn, so that no tenant is left out of the rollout and waits for a manual sync).
 */
const rolloutStrategy = (v: PlatformValues) => {
  const byTenant = (operator: "In" | "NotIn") => ({ key: labels.tenant, operator, values: v.argocd.rollout.canary });
  return {
    type: "RollingSync",
    rollingSync: {
      steps: [
        { matchExpressions: [byTenant("In")] },
        { matchExpressions: [byTenant("NotIn")], maxUpdate: v.argocd.rollout.maxUpdate },
      ],
    },
  };
};

/**
 * One Application per tenant, from the fleet folder (git files generator) or the tenants list. The tenant chart's
 * own Namespace is the only one (no CreateNamespace, no managedNamespaceMetadata): it carries the labels the
 * isolation policies require, from the same values as everything else, and is neither pruned nor deleted, so
 * dropping a tenant from the fleet removes its Application but never its namespace or data.
 */
export const tenantsApplicationSet = (v: PlatformValues, h: Helpers) => {
  const a = v.argocd;
  const m = modes(v, h);
  const repeated = h.duplicates(v.tenants, "name");
  return [
    // Two Applications (and synthetic checks, snapshot schedules) of one name: Argo CD reconciles neither.
    h.refuse(
      h.isSet(repeated),
      `at '/tenants': the tenant names ${repeated} appear more than once; give each tenant its own name (one entry per tenant)`,
    ),
    h.when(a.enabled, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: a.name, namespace: a.namespace, labels: platformLabels(h, "tenants") },
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [
          h.when(m.fromFiles, {
            git: {
              repoURL: a.fleet.repoURL,
              revision: a.fleet.revision,
              files: [{ path: a.fleet.files }, h.when(m.site, { path: a.fleet.siteValues, exclude: true })],
            },
          }),
          h.when(m.fromList, {
            list: {
              // Every key is always present (values as {} when left out): missingkey=error fails on absent ones.
              elements: h.each(v.tenants, (t) => ({
                tenant: { name: t.name, tier: t.tier, costCentre: t.costCentre },
                values: h.when(h.isSet(t.values), t.values, {}),
              })),
            },
          }),
        ],
        strategy: h.when(m.waves, rolloutStrategy(v)),
        syncPolicy: { preserveResourcesOnDeletion: a.preserveResourcesOnDeletion },
        template: {
          metadata: {
            name: tenantNamespaceName(tenantName),
            labels: {
              [labels.tenant]: tenantName,
              [labels.tier]: optionalTenantField("tier"),
              [labels.costCentre]: optionalTenantField("costCentre"),
            },
          },
          spec: {
            project: a.project,
            source: h.when(m.fromList, chartSource(v, h)),
            sources: h.when(m.fromFiles, [
              chartSource(v, h),
              { repoURL: a.fleet.repoURL, targetRevision: a.fleet.revision, ref: fleetValuesRef },
            ]),
            destination: { server: a.destinationServer, namespace: tenantNamespaceName(tenantName) },
            syncPolicy: {
              // With a rollout the ApplicationSet controller turns this off and syncs step by step; kept, so that
              // a controller without progressive syncs still syncs every tenant.
              automated: h.when(a.automatedSync, { prune: true, selfHeal: true }),
              syncOptions: ["ServerSideApply=true"],
            },
          },
        },
      },
    } satisfies ApplicationSet),
  ];
};
