import { gpuResourcePattern, labels } from "../../charts-src/lib/conventions.js";
import { gpuCapacity, wholeGpuResource } from "../../charts-src/lib/pools.js";
import type {
  Deployment,
  ExternalSecret,
  HTTPRoute,
  Ingress,
  KubeObject,
  NodePool,
  ResourceQuota,
} from "../../charts-src/lib/k8s.js";
import { documents, ofKind, tenantOf } from "./documents.js";
import { type TenantModel, tenantModelsOf } from "./model-catalog.js";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/**
 * What the fleet rung needs to know of one tenant, read once from its rendering and values: small enough to keep in
 * the fleet cache, so that a run where one file changed holds every tenant against every other without rendering
 * the others again.
 */
export interface TenantFacts {
  /** The tenant's file, by which every result names it. */
  name: string;
  /** Each claim's values (by `claims[].what`), in the order the rendering holds them. */
  claims: Record<string, string[]>;
  /** The GPUs of each kind its quota lets it request. */
  gpuQuotas: Record<string, number>;
  /** The premium pools its GPU workloads require by name. */
  gpuPools: string[];
  /** The models its Ollama needs from the shared cache. */
  models: TenantModel[];
  /** Its Ollama's image tag (`ollama.image.tag`). */
  ollamaTag: string;
}

/** What two tenants of one cluster may not share, each read from the tenant's own rendering. */
const claims: { what: string; fix: string; of: (docs: KubeObject[]) => string[] }[] = [
  { what: "tenant name", fix: "tenant.name", of: (docs) => [tenantOf(docs) ?? ""].filter(Boolean) },
  {
    what: "namespace",
    fix: "tenant.name",
    of: (docs) => docs.filter((d) => d.kind === "Namespace").map((d) => d.metadata?.name ?? ""),
  },
  {
    // Helm refuses to install a release over an object another release owns.
    what: "cluster-scoped object",
    fix: "tenant.name",
    of: (docs) =>
      docs.filter((d) => d.kind !== "Namespace" && !d.metadata?.namespace).map((d) => `${d.kind}/${d.metadata?.name}`),
  },
  { what: "host", fix: "exposure.host", of: (docs) => hostsOf(docs) },
  { what: "secret path", fix: "tenant.name", of: (docs) => secretKeysOf(docs) },
  {
    what: "IAM role",
    fix: "secrets.roleArn",
    of: (docs) =>
      docs
        .filter((d) => d.kind === "ServiceAccount")
        .map((d) => d.metadata?.annotations?.["eks.amazonaws.com/role-arn"] ?? "")
        .filter(Boolean),
  },
];

const hostsOf = (docs: KubeObject[]): string[] => [
  ...ofKind<Ingress>(docs, "Ingress").flatMap((d) => (d.spec?.rules ?? []).map((r) => r.host ?? "").filter(Boolean)),
  ...ofKind<HTTPRoute>(docs, "HTTPRoute").flatMap((d) => d.spec.hostnames ?? []),
];

const secretKeysOf = (docs: KubeObject[]): string[] =>
  ofKind<ExternalSecret>(docs, "ExternalSecret")
    .flatMap((d) => [
      ...(d.spec?.data ?? []).map((x) => x.remoteRef?.key),
      ...(d.spec?.dataFrom ?? []).map((x) => x.extract?.key),
    ])
    .filter((k): k is string => Boolean(k));

const fleetResult = (fixture: string, check: string, message?: string): CheckResult => ({
  chart: "tenant",
  fixture,
  rung: "fleet",
  check,
  ok: message === undefined,
  ...(message ? { message } : {}),
});

/** Two tenant files that cannot live in one cluster: what they both claim, and the fields that would set them apart. */
export interface Collision {
  first: string;
  second: string;
  things: string[];
  fixes: string[];
}

/** Every pair of tenant files that claim the same thing, in the order the files were read. */
export const collisions = (tenants: TenantFacts[]): Collision[] => {
  const shared = new Map<string, { first: string; second: string; things: string[]; fixes: Set<string> }>();
  for (const claim of claims) {
    const owner = new Map<string, string>();
    for (const t of tenants) {
      for (const value of new Set(t.claims[claim.what] ?? [])) {
        const first = owner.get(value);
        if (first === undefined) {
          owner.set(value, t.name);
          continue;
        }
        const key = `${first}\n${t.name}`;
        const pair = shared.get(key) ?? { first, second: t.name, things: [], fixes: new Set<string>() };
        pair.things.push(`${claim.what} ${value}`);
        pair.fixes.add(claim.fix);
        shared.set(key, pair);
      }
    }
  }
  return [...shared.values()].map((p) => ({ ...p, fixes: [...p.fixes] }));
};

/**
 * Tenants that are fine alone but cannot live in one cluster: one failure per colliding pair of files, naming both
 * paths, everything they share and the field to change.
 */
export const checkUniqueness = (tenants: TenantFacts[], found = collisions(tenants)): CheckResult[] => {
  if (found.length === 0) return [fleetResult("*", "unique tenants")];
  return found.map((p) => {
    const things = p.things.length > 4 ? [...p.things.slice(0, 4), `${p.things.length - 4} more`] : p.things;
    return fleetResult(
      p.second,
      "unique tenants",
      `collides with ${p.first}: both claim ${things.join(", ")}; give each tenant its own ${p.fixes.join(" and ")}`,
    );
  });
};

/** The GPUs of each kind (`nvidia.com/gpu`, `nvidia.com/mig-<profile>`) a tenant's quota lets it request. */
const gpuQuotas = (docs: KubeObject[]): Record<string, number> => {
  const quotas: Record<string, number> = {};
  for (const d of ofKind<ResourceQuota>(docs, "ResourceQuota"))
    for (const [key, value] of Object.entries(d.spec?.hard ?? {})) {
      const resource = key.replace(/^requests\./, "");
      if (key !== resource && gpuResourcePattern.test(resource))
        quotas[resource] = (quotas[resource] ?? 0) + Number(value);
    }
  return quotas;
};

/** A premium GPU pool of a nodepools rendering: what its nodes offer together at the pool's GPU limit. */
export interface GpuPool {
  name: string;
  /** The pool's name (the `llmcharts.io/pool` label of its nodes), which tenant pods select. */
  pool: string;
  capacity: Record<string, number>;
}

/**
 * The premium GPU pools of a nodepools rendering, each with the GPU resources its nodes advertise at the pool's
 * limit: whole GPUs, time-sliced GPUs (replicas each) or MIG slices, as the device plugin counts them.
 */
export const premiumGpuPools = (docs: KubeObject[]): GpuPool[] =>
  ofKind<NodePool>(docs, "NodePool")
    .filter((d) => d.spec.template.metadata?.labels?.[labels.nodeTier] === "premium")
    .map((d) => {
      const gpus = Number(d.spec.limits?.[wholeGpuResource] ?? 0);
      const advertised = gpuCapacity(d.spec.template.metadata?.labels ?? {}, gpus);
      return {
        name: d.metadata?.name ?? "",
        pool: d.spec.template.metadata?.labels?.[labels.pool] ?? "",
        capacity: Object.fromEntries(Object.entries(advertised).map(([k, v]) => [k, Number(v)])),
      };
    })
    .filter((p) => Object.values(p.capacity).some((n) => n > 0));

/** One GPU resource across the fleet: what the premium pools offer of it, and what each tenant's quota asks. */
export interface GpuDemand {
  resource: string;
  /** What all premium pools offer together. */
  capacity: number;
  /** The pools that offer some, with how much. */
  pools: { name: string; capacity: number }[];
  /** The tenants whose quota asks for some, largest first. */
  asking: { path: string; n: number }[];
  /** What the quotas ask together. */
  total: number;
}

/** Each GPU resource some tenant's quota asks for, in name order, held against the pools' capacity. */
export const gpuDemand = (tenants: TenantFacts[], pools: GpuPool[]): GpuDemand[] => {
  const quotas = tenants.map((t) => ({ path: t.name, gpus: t.gpuQuotas }));
  const resources = [...new Set(quotas.flatMap((q) => Object.keys(q.gpus)))].sort();
  return resources.map((resource) => {
    const asking = quotas
      .map((q) => ({ path: q.path, n: q.gpus[resource] ?? 0 }))
      .filter((q) => q.n > 0)
      .sort((a, b) => b.n - a.n);
    return {
      resource,
      capacity: pools.reduce((a, p) => a + (p.capacity[resource] ?? 0), 0),
      pools: pools
        .filter((p) => p.capacity[resource])
        .map((p) => ({ name: p.name, capacity: p.capacity[resource] ?? 0 })),
      asking,
      total: asking.reduce((a, q) => a + q.n, 0),
    };
  });
};

/**
 * The premium tenants' GPU quotas together must fit what the GPU pools offer, one GPU resource at a time (a MIG
 * slice quota is met only by a MIG pool of that profile), or some quota can never be met. One failure per resource.
 */
export const checkGpuCapacity = (
  tenants: TenantFacts[],
  pools: GpuPool[],
  nodepoolsFile: string,
  demand = gpuDemand(tenants, pools),
): CheckResult[] => {
  const failures = demand.flatMap(({ resource, capacity, asking, total, pools: offering }) => {
    if (total <= capacity) return [];
    const largest = asking.slice(0, 5).map((q) => `${q.path} ${q.n}`);
    const more = asking.length > 5 ? `, and ${asking.length - 5} more` : "";
    const offers = offering.map((p) => `${p.name} ${p.capacity}`);
    return [
      fleetResult(
        nodepoolsFile,
        "GPU quotas fit the pools",
        `premium tenants' quotas of ${resource} add up to ${total} (${largest.join(", ")}${more}), but the premium GPU pools offer at most ${capacity} (${offers.join(", ") || "no pool offers it"}): lower quota.gpus or raise the gpuLimit of the pools that offer ${resource} in ${nodepoolsFile}`,
      ),
    ];
  });
  return failures.length ? failures : [fleetResult(nodepoolsFile, "GPU quotas fit the pools")];
};

/** The pools the GPU workloads of a tenant's rendering require by name (their `llmcharts.io/pool` node affinity). */
const requiredGpuPools = (docs: KubeObject[]): string[] =>
  ofKind<Deployment>(docs, "Deployment").flatMap((d) => {
    const terms = d.spec?.template.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const required = (terms?.nodeSelectorTerms ?? []).flatMap((t) => t.matchExpressions ?? []);
    const premium = required.some((r) => r.key === labels.nodeTier && r.values?.includes("premium"));
    return premium
      ? required.filter((r) => r.key === labels.pool && r.operator === "In").flatMap((r) => r.values ?? [])
      : [];
  });

/**
 * Every premium tenant's pool exists in the cluster: a pool the tenant chart knows (a seed pool) that the nodepools
 * values do not declare never gets a node, and the tenant's GPU pods wait Pending for ever. One failure per tenant.
 */
export const checkGpuPoolsExist = (tenants: TenantFacts[], pools: GpuPool[], nodepoolsFile: string): CheckResult[] => {
  const declared = [...new Set(pools.map((p) => p.pool))].sort();
  const failures = tenants.flatMap((t) =>
    t.gpuPools
      .filter((pool) => !declared.includes(pool))
      .map((pool) =>
        fleetResult(
          t.name,
          "GPU pools exist",
          `ollama.premium.pool ${pool} names no premium pool of ${nodepoolsFile} (it declares ${declared.join(", ") || "none"}): declare ${pool} in its extraGpuPools, or choose one of those`,
        ),
      ),
  );
  return failures.length ? failures : [fleetResult(nodepoolsFile, "GPU pools exist")];
};

/** A tenant's facts, from its rendering and its (merged) values. */
export const tenantFacts = (r: Rendering): TenantFacts => {
  const docs = documents(r);
  const { models, ollamaTag } = tenantModelsOf(r.fixture.values);
  return {
    name: r.fixture.name,
    claims: Object.fromEntries(claims.map((c) => [c.what, c.of(docs)])),
    gpuQuotas: gpuQuotas(docs),
    gpuPools: [...new Set(requiredGpuPools(docs))],
    models,
    ollamaTag,
  };
};
