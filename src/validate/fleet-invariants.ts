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
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

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

/**
 * Tenants that are fine alone but cannot live in one cluster: one failure per colliding pair of files, naming both
 * paths, everything they share and the field to change.
 */
export const checkUniqueness = (renderings: Rendering[]): CheckResult[] => {
  const shared = new Map<string, { first: string; second: string; things: string[]; fixes: Set<string> }>();
  for (const claim of claims) {
    const owner = new Map<string, string>();
    for (const r of renderings) {
      for (const value of new Set(claim.of(documents(r)))) {
        const first = owner.get(value);
        if (first === undefined) {
          owner.set(value, r.fixture.name);
          continue;
        }
        const key = `${first}\n${r.fixture.name}`;
        const pair = shared.get(key) ?? { first, second: r.fixture.name, things: [], fixes: new Set<string>() };
        pair.things.push(`${claim.what} ${value}`);
        pair.fixes.add(claim.fix);
        shared.set(key, pair);
      }
    }
  }
  if (shared.size === 0) return [fleetResult("*", "unique tenants")];
  return [...shared.values()].map((p) => {
    const things = p.things.length > 4 ? [...p.things.slice(0, 4), `${p.things.length - 4} more`] : p.things;
    return fleetResult(
      p.second,
      "unique tenants",
      `collides with ${p.first}: both claim ${things.join(", ")}; give each tenant its own ${[...p.fixes].join(" and ")}`,
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

/**
 * The premium tenants' GPU quotas together must fit what the GPU pools offer, one GPU resource at a time (a MIG
 * slice quota is met only by a MIG pool of that profile), or some quota can never be met. One failure per resource.
 */
export const checkGpuCapacity = (renderings: Rendering[], pools: GpuPool[], nodepoolsFile: string): CheckResult[] => {
  const quotas = renderings.map((r) => ({ path: r.fixture.name, gpus: gpuQuotas(documents(r)) }));
  const resources = [...new Set(quotas.flatMap((q) => Object.keys(q.gpus)))].sort();
  const failures = resources.flatMap((resource) => {
    const capacity = pools.reduce((a, p) => a + (p.capacity[resource] ?? 0), 0);
    const asking = quotas
      .map((q) => ({ path: q.path, n: q.gpus[resource] ?? 0 }))
      .filter((q) => q.n > 0)
      .sort((a, b) => b.n - a.n);
    const total = asking.reduce((a, q) => a + q.n, 0);
    if (total <= capacity) return [];
    const largest = asking.slice(0, 5).map((q) => `${q.path} ${q.n}`);
    const more = asking.length > 5 ? `, and ${asking.length - 5} more` : "";
    const offering = pools.filter((p) => p.capacity[resource]).map((p) => `${p.name} ${p.capacity[resource]}`);
    return [
      fleetResult(
        nodepoolsFile,
        "GPU quotas fit the pools",
        `premium tenants' quotas of ${resource} add up to ${total} (${largest.join(", ")}${more}), but the premium GPU pools offer at most ${capacity} (${offering.join(", ") || "no pool offers it"}): lower quota.gpus or raise the gpuLimit of the pools that offer ${resource} in ${nodepoolsFile}`,
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
export const checkGpuPoolsExist = (renderings: Rendering[], pools: GpuPool[], nodepoolsFile: string): CheckResult[] => {
  const declared = [...new Set(pools.map((p) => p.pool))].sort();
  const failures = renderings.flatMap((r) =>
    [...new Set(requiredGpuPools(documents(r)))]
      .filter((pool) => !declared.includes(pool))
      .map((pool) =>
        fleetResult(
          r.fixture.name,
          "GPU pools exist",
          `ollama.premium.pool ${pool} names no premium pool of ${nodepoolsFile} (it declares ${declared.join(", ") || "none"}): declare ${pool} in its extraGpuPools, or choose one of those`,
        ),
      ),
  );
  return failures.length ? failures : [fleetResult(nodepoolsFile, "GPU pools exist")];
};
