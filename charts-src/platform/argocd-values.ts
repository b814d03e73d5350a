import { Type } from "@sinclair/typebox";
import { choice, dnsLabel, rule, strictObject } from "../lib/values-shapes.js";
import { nested } from "../lib/workload.js";

/** Where the tenants come from: a fleet folder in git (one values file per tenant) or the `tenants` list. */
export const tenantSources = ["files", "list"] as const;

/** Revisions that move on every merge: pinned to one, a merge would roll every tenant at once. */
const movingRevisions = ["main", "master", "HEAD"];

const gitURL = "(https://|ssh://|git@)[A-Za-z0-9._~:/@-]+";

/** A chart version as `helm push` tags it: exact, so a fleet moves to a new version only when this value changes. */
const chartVersion = "^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";

const fleetValues = strictObject(
  "The fleet folder the git files generator reads (tenantsFrom: files): one tenant chart values file per tenant, the files `llmcharts validate --chart tenant --fleet` checks.",
  {
    repoURL: Type.String({
      description: "Git repository holding the fleet folder (required when tenantsFrom is files).",
      default: "",
      pattern: `^(${gitURL})?$`,
      maxLength: 300,
    }),
    revision: Type.String({
      description:
        "Branch, tag or commit of the fleet repository. A branch is fine here: a merge adds, changes or removes tenants, while the chart version stays pinned by targetRevision.",
      default: "main",
      pattern: "^[A-Za-z0-9._/-]{1,100}$",
    }),
    files: Type.String({
      description:
        "Glob of the tenants' values files in that repository; each file must set tenant.name (the Application, namespace and release are named after it).",
      default: "tenants/*/values.yaml",
      pattern: "^[A-Za-z0-9._*?{},/-]+\\.(yaml|yml|json)$",
      maxLength: 200,
    }),
    siteValues: Type.String({
      description:
        "The site layer: a values file in the same repository with what every tenant of this cluster shares (API server ranges, namespaces, image mirrors, the storage class), handed to Helm before each tenant's file, so a tenant's own file wins and need not repeat it. Never a tenant, even where the glob matches it. A fleet without the file has no site layer; empty turns it off. `llmcharts validate --fleet DIR` reads DIR/site.yaml (or --site FILE) the same way.",
      default: "tenants/site.yaml",
      pattern: "^([A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\\.(yaml|yml|json))?$",
      maxLength: 200,
    }),
  },
);

const rolloutValues = strictObject(
  "A rollout in waves (Argo CD Progressive Syncs, RollingSync): the canary tenants sync first, the rest once every canary is Healthy. Needs the ApplicationSet controller started with --enable-progressive-syncs; without it every tenant syncs at once.",
  {
    canary: Type.Array(dnsLabel("A tenant name."), {
      description: "Tenants that take every change first (by their tenant label). Empty: every tenant at once.",
      default: [],
      maxItems: 100,
      uniqueItems: true,
    }),
    maxUpdate: Type.String({
      description: "How many of the remaining tenants sync at a time after the canaries, as a percentage (10%).",
      default: "100%",
      pattern: "^([1-9][0-9]?|100)%$",
    }),
  },
);

export const argocdValues = strictObject(
  "An Argo CD ApplicationSet that turns the fleet into one Application (one tenant chart release) per tenant.",
  {
    enabled: Type.Boolean({ description: "Create the ApplicationSet (needs Argo CD).", default: false }),
    namespace: dnsLabel("Namespace Argo CD watches for ApplicationSets.", "argocd", 63),
    name: dnsLabel("ApplicationSet name.", "llmcharts-tenants", 63),
    project: dnsLabel(
      "Argo CD project of the tenant Applications (with createProject a new one, so not default, which every Argo CD has).",
      "default",
      63,
    ),
    createProject: Type.Boolean({
      description:
        "Render that AppProject: tenant chart sources only, destinations only tenant-* namespaces, and of cluster-scoped kinds only the tenant Namespaces and model-cache PersistentVolumes (needs a project other than default).",
      default: false,
    }),
    repoURL: Type.String({
      description:
        "Where the tenant chart lives: a git repository (https://, ssh://, git@) or an OCI registry path (oci://host/path, where `llmcharts publish --registry` pushed it). Required when enabled.",
      default: "",
      pattern: `^(${gitURL}|oci://[A-Za-z0-9._~:/@-]+)?$`,
      maxLength: 300,
    }),
    chart: dnsLabel(
      "Name of the tenant chart in the OCI registry (the repository is <repoURL>/<chart>).",
      "tenant",
      63,
    ),
    targetRevision: Type.String({
      description:
        "The tenant chart every tenant runs, pinned (required when enabled): a tag or commit of the git repository, or the chart version in the OCI registry. Not a branch: a merge would roll every tenant at once.",
      default: "",
      pattern: "^([A-Za-z0-9._/+-]{1,100})?$",
      not: { enum: movingRevisions },
    }),
    path: Type.String({
      description: "Path of the tenant chart in the git repository (not used with oci://).",
      default: "generated/tenant",
      pattern: "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$",
      maxLength: 200,
    }),
    tenantsFrom: choice(
      tenantSources,
      "files: a git files generator over the fleet folder (any number of tenants); list: the tenants list of these values (small fleets).",
      "files",
    ),
    fleet: fleetValues,
    rollout: rolloutValues,
    destinationServer: Type.String({
      description: "API server the tenants are deployed to.",
      default: "https://kubernetes.default.svc",
      pattern: "^https://[A-Za-z0-9.:/-]+$",
      maxLength: 200,
    }),
    automatedSync: Type.Boolean({
      description:
        "Sync tenants automatically, pruning removed objects and undoing drift (with a rollout, the ApplicationSet controller syncs instead).",
      default: true,
    }),
    preserveResourcesOnDeletion: Type.Boolean({
      description: "Keep a tenant's objects when its Application is deleted (a tenant dropped from the fleet).",
      default: true,
    }),
  },
  {
    allOf: [
      rule({ properties: { enabled: { const: true } } }, { properties: { repoURL: { minLength: 1 } } }),
      rule({ properties: { enabled: { const: true } } }, { properties: { targetRevision: { minLength: 1 } } }),
      rule(
        { properties: { repoURL: { pattern: "^oci://" } }, required: ["repoURL"] },
        { properties: { targetRevision: { pattern: chartVersion } } },
      ),
      rule(
        { properties: { enabled: { const: true }, tenantsFrom: { const: "files" } }, required: ["tenantsFrom"] },
        nested(["fleet", "repoURL"], { minLength: 1 }),
      ),
      rule(
        { properties: { createProject: { const: true } } },
        { properties: { project: { not: { const: "default" } } } },
      ),
    ],
  },
);
