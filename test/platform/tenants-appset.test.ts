import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { labels, podSecurityLabels } from "../../charts-src/lib/conventions.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { renderChart } from "../rendered.js";

type Resource = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
} & Record<
  string,
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked as plain JSON
  any
>;

const render = (chart: "platform" | "tenant", user: unknown, release = "platform"): Resource[] =>
  renderChart(chart, user, {
    name: release,
    namespace: "default",
    chartVersion: charts[chart]?.version ?? "",
  }) as Resource[];
const ofKind = (docs: Resource[], kind: string) => docs.filter((d) => d.kind === kind);
const appsetOf = (argocd: object, more: object = {}) => {
  const [appset] = ofKind(render("platform", { argocd, ...more }), "ApplicationSet");
  expect(appset).toBeDefined();
  return appset as Resource;
};
const platformErrors = valuesChecker(charts.platform as never);

const chartRepo = "https://github.com/example/llm.git";
const fleetRepo = "https://github.com/example/fleet.git";
const fleet = { enabled: true, repoURL: chartRepo, targetRevision: "v1.4.2", fleet: { repoURL: fleetRepo } };
const cache = { enabled: true, fileSystemId: "fs-0a1b2c3d4e5f60718", accessPointId: "fsap-0123456789abcdef0" };
const tenantsList = [
  { name: "acme", tier: "premium", costCentre: "CC-1", values: { a: 1 } },
  { name: "globex", tier: "both", costCentre: "CC-2" },
];
const list = { ...fleet, tenantsFrom: "list" };

/** Argo CD's ApplicationSet template for one tenant, the way its goTemplate fills in `.tenant.name`. */
const forTenant = (text: string, name: string) => text.replaceAll("{{ .tenant.name }}", name);

describe("tenants ApplicationSet: a fleet folder", () => {
  it("by default reads one values file per tenant with a git files generator, and hands that file to Helm", () => {
    const appset = appsetOf(fleet);
    expect(appset.spec.generators).toEqual([
      {
        git: {
          repoURL: fleetRepo,
          revision: "main",
          files: [{ path: "tenants/*/values.yaml" }, { path: "tenants/site.yaml", exclude: true }],
        },
      },
    ]);
    const [chart, values] = appset.spec.template.spec.sources;
    expect(appset.spec.template.spec.source).toBeUndefined();
    expect(values).toEqual({ repoURL: fleetRepo, targetRevision: "main", ref: "values" });
    expect(chart.helm.valueFiles.at(-1)).toBe("$values/{{ .path.path }}/{{ .path.filename }}");
    // The file is the tenant's whole values: no inline values and no identity parameters to fight it.
    expect(chart.helm.values).toBeUndefined();
    expect(chart.helm.parameters).toBeUndefined();
  });

  it("hands Helm the site layer first and each tenant's own file last, so the tenant's file wins", () => {
    const [chart] = appsetOf(fleet).spec.template.spec.sources;
    // Helm merges -f files in order, a later one winning: Argo CD passes valueFiles in this order.
    expect(chart.helm.valueFiles).toEqual([
      "$values/tenants/site.yaml",
      "$values/{{ .path.path }}/{{ .path.filename }}",
    ]);
    // A fleet without the site file still renders; the tenant's file always exists (the generator found it).
    expect(chart.helm.ignoreMissingValueFiles).toBe(true);
  });

  it("reads the site layer from where argocd.fleet.siteValues says, and never takes it for a tenant", () => {
    const appset = appsetOf({
      ...fleet,
      fleet: { repoURL: fleetRepo, files: "fleet/*.yaml", siteValues: "fleet/site.yaml" },
    });
    expect(appset.spec.generators[0].git.files).toEqual([
      { path: "fleet/*.yaml" },
      { path: "fleet/site.yaml", exclude: true },
    ]);
    expect(appset.spec.template.spec.sources[0].helm.valueFiles[0]).toBe("$values/fleet/site.yaml");
  });

  it("has no site layer when siteValues is empty: one values file per tenant, as before", () => {
    const appset = appsetOf({ ...fleet, fleet: { repoURL: fleetRepo, siteValues: "" } });
    expect(appset.spec.generators[0].git.files).toEqual([{ path: "tenants/*/values.yaml" }]);
    const [chart] = appset.spec.template.spec.sources;
    expect(chart.helm.valueFiles).toEqual(["$values/{{ .path.path }}/{{ .path.filename }}"]);
    expect(chart.helm.ignoreMissingValueFiles).toBeUndefined();
  });

  it("refuses a site file outside the fleet repository or not a values file, naming the field", () => {
    for (const siteValues of ["../site.yaml", "/etc/site.yaml", "tenants/site.txt"])
      expect(platformErrors({ argocd: { ...fleet, fleet: { repoURL: fleetRepo, siteValues } } }).join("\n")).toContain(
        "/argocd/fleet/siteValues",
      );
  });

  it("names the Application, release and namespace after the file's tenant.name", () => {
    const spec = appsetOf(fleet).spec.template;
    expect(forTenant(spec.metadata.name, "acme")).toBe("tenant-acme");
    expect(forTenant(spec.spec.destination.namespace, "acme")).toBe("tenant-acme");
    expect(spec.spec.sources[0].helm.releaseName).toBe("{{ .tenant.name }}");
    // A file may leave tier and cost centre to the chart's defaults: dig, so that missingkey=error stops nothing.
    expect(spec.metadata.labels[labels.tier]).toBe('{{ dig "tenant" "tier" "" . }}');
  });

  it("passes the model cache to every tenant whatever its file says", () => {
    const [chart] = appsetOf(fleet, { modelCache: cache }).spec.template.spec.sources;
    expect(chart.helm.parameters).toEqual([
      { name: "ollama.modelCache.source", value: "efs", forceString: true },
      {
        name: "ollama.modelCache.volumeHandle",
        value: "fs-0a1b2c3d4e5f60718::fsap-0123456789abcdef0",
        forceString: true,
      },
    ]);
  });

  it("passes a lab's cache directory to every tenant, not an EFS handle", () => {
    const lab = { enabled: true, source: "hostPath", hostPath: "/srv/models" };
    const [chart] = appsetOf(fleet, { modelCache: lab }).spec.template.spec.sources;
    expect(chart.helm.parameters).toEqual([
      { name: "ollama.modelCache.source", value: "hostPath", forceString: true },
      { name: "ollama.modelCache.hostPath", value: "/srv/models", forceString: true },
    ]);
  });

  it("needs the fleet repository, naming the field", () => {
    const { fleet: _, ...noFleet } = fleet;
    expect(platformErrors({ argocd: noFleet }).join("\n")).toContain("/argocd/fleet/repoURL");
    expect(platformErrors({ argocd: fleet })).toEqual([]);
  });
});

describe("tenants ApplicationSet: the tenant chart pinned", () => {
  it("has no default revision, and refuses a branch that would roll every tenant on a merge", () => {
    expect(platformErrors({ argocd: { ...fleet, targetRevision: undefined } }).join("\n")).toContain(
      "/argocd/targetRevision",
    );
    for (const moving of ["main", "master", "HEAD"])
      expect(platformErrors({ argocd: { ...fleet, targetRevision: moving } }).join("\n")).toContain(
        `at '/argocd/targetRevision': "${moving}"`,
      );
  });

  it("comes from an OCI registry as Argo CD's native OCI source, at an exact chart version", () => {
    const oci = { ...fleet, repoURL: "oci://ghcr.io/example/charts", targetRevision: "0.2.1" };
    expect(platformErrors({ argocd: oci })).toEqual([]);
    const [chart] = appsetOf(oci).spec.template.spec.sources;
    expect(chart).toMatchObject({ repoURL: "oci://ghcr.io/example/charts/tenant", targetRevision: "0.2.1", path: "." });
    for (const loose of ["latest", "0.2", "0.2.x"])
      expect(platformErrors({ argocd: { ...oci, targetRevision: loose } }).join("\n")).toContain(
        "/argocd/targetRevision",
      );
  });

  it("comes from git at the chart's path", () => {
    const [chart] = appsetOf(fleet).spec.template.spec.sources;
    expect(chart).toMatchObject({ repoURL: chartRepo, targetRevision: "v1.4.2", path: "generated/tenant" });
  });
});

describe("tenants ApplicationSet: rollout in waves", () => {
  const steps = (canary: string[]) => appsetOf({ ...fleet, rollout: { canary } }).spec.strategy?.rollingSync?.steps;
  /** The steps whose matchExpressions select an Application with these labels (Argo CD's In / NotIn). */
  const stepsSelecting = (
    all: { matchExpressions: { key: string; operator: string; values: string[] }[] }[],
    l: Record<string, string>,
  ) =>
    all.flatMap((s, i) =>
      s.matchExpressions.every((e) => (e.operator === "In") === e.values.includes(l[e.key] as string)) ? [i] : [],
    );

  it("syncs every tenant at once without canaries", () => {
    expect(appsetOf(fleet).spec.strategy).toBeUndefined();
  });

  it("syncs the canaries first and then everyone else, so no tenant is left out of the rollout", () => {
    const all = steps(["acme", "globex"]);
    expect(all).toHaveLength(2);
    expect(stepsSelecting(all, { [labels.tenant]: "acme" })).toEqual([0]);
    expect(stepsSelecting(all, { [labels.tenant]: "initech" })).toEqual([1]);
    expect(appsetOf({ ...fleet, rollout: { canary: ["acme"] } }).spec.strategy.type).toBe("RollingSync");
    expect(appsetOf(fleet).spec.template.metadata.labels[labels.tenant]).toBe("{{ .tenant.name }}");
  });

  it("bounds the rest by maxUpdate, a percentage", () => {
    const all = appsetOf({ ...fleet, rollout: { canary: ["acme"], maxUpdate: "10%" } }).spec.strategy.rollingSync.steps;
    expect(all[1].maxUpdate).toBe("10%");
    expect(platformErrors({ argocd: { ...fleet, rollout: { canary: ["acme"], maxUpdate: "150%" } } }).join()).toContain(
      "/argocd/rollout/maxUpdate",
    );
  });
});

describe("tenants ApplicationSet: one way to manage the tenant namespace", () => {
  it("leaves the Namespace to the tenant chart: neither CreateNamespace nor managedNamespaceMetadata", () => {
    for (const argocd of [fleet, list]) {
      const sync = appsetOf(argocd, { tenants: tenantsList }).spec.template.spec.syncPolicy;
      expect(sync.syncOptions).toEqual(["ServerSideApply=true"]);
      expect(sync.managedNamespaceMetadata).toBeUndefined();
    }
  });

  it("the tenant chart's Namespace is the Application's destination and carries what the isolation policies need", () => {
    const destination = appsetOf(fleet).spec.template.spec.destination.namespace;
    const [ns] = ofKind(render("tenant", { tenant: { name: "acme", tier: "premium" } }, "acme"), "Namespace");
    expect(ns?.metadata.name).toBe(forTenant(destination, "acme"));
    expect(ns?.metadata.labels).toMatchObject({
      ...podSecurityLabels,
      [labels.tenant]: "acme",
      [labels.tier]: "premium",
    });
    // Argo CD neither prunes nor deletes it: a tenant dropped from the fleet keeps its namespace and data.
    expect(ns?.metadata.annotations?.["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
  });
});

describe("tenants AppProject", () => {
  const project = { ...fleet, project: "tenants", createProject: true };
  /** Go's filepath.Match for the only wildcard the project uses. */
  const matches = (glob: string, name: string) =>
    new RegExp(
      `^${glob
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*")}$`,
    ).test(name);

  it("is rendered only when asked, and never as the default project", () => {
    expect(ofKind(render("platform", { argocd: fleet }), "AppProject")).toEqual([]);
    expect(ofKind(render("platform", { argocd: project }), "AppProject")).toHaveLength(1);
    expect(platformErrors({ argocd: { ...project, project: "default" } }).join()).toContain("/argocd/project");
  });

  it("allows exactly the cluster-scoped objects a tenant release owns, and only tenant namespaces", () => {
    const [p] = ofKind(render("platform", { argocd: project }), "AppProject");
    expect(p?.spec.sourceRepos).toEqual([chartRepo, fleetRepo]);
    expect(p?.spec.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "tenant-*" }]);
    const tenant = render(
      "tenant",
      { tenant: { name: "acme" }, ollama: { modelCache: { enabled: true, volumeHandle: "fs-1::fsap-1" } } },
      "acme",
    );
    const clusterScoped = tenant.filter((o) => !o.metadata.namespace);
    expect(clusterScoped.map((o) => o.kind).sort()).toEqual(["Namespace", "PersistentVolume"]);
    for (const o of clusterScoped)
      expect(
        p?.spec.clusterResourceWhitelist.some(
          (w: { group: string; kind: string; name: string }) => w.kind === o.kind && matches(w.name, o.metadata.name),
        ),
        `${o.kind}/${o.metadata.name}`,
      ).toBe(true);
    expect(matches(p?.spec.destinations[0].namespace, "kube-system")).toBe(false);
  });
});

describe("tenants ApplicationSet: the inline list, for small fleets", () => {
  it("every element holds every key the template reads (missingkey=error), shaped like a fleet file", () => {
    const appset = appsetOf(list, { tenants: tenantsList });
    const [generator] = appset.spec.generators;
    expect(Object.keys(generator)).toEqual(["list"]);
    expect(generator.list.elements[1]).toEqual({
      tenant: { name: "globex", tier: "both", costCentre: "CC-2" },
      values: {},
    });
  });

  it("sets the identity as parameters, over the element's own values", () => {
    const spec = appsetOf(list, { tenants: tenantsList }).spec.template.spec;
    expect(spec.sources).toBeUndefined();
    expect(spec.source.helm.values).toBe("{{ toJson .values }}");
    expect(spec.source.helm.parameters.map((p: { name: string }) => p.name)).toEqual([
      "tenant.name",
      "tenant.tier",
      "tenant.costCentre",
    ]);
  });

  it("holds more than 500 tenants", () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ name: `t${i}`, tier: "standard", costCentre: "CC-1" }));
    expect(platformErrors({ argocd: list, tenants: many })).toEqual([]);
  });

  it("is left out unless enabled", () => {
    expect(ofKind(render("platform", { tenants: tenantsList }), "ApplicationSet")).toEqual([]);
  });
});
