import { wholeGpuResource } from "../../charts-src/lib/pools.js";
import { labels } from "../../charts-src/lib/conventions.js";
import type {
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

const gpuResource = wholeGpuResource;

/** GPUs a tenant's quota lets it request. */
const gpuQuota = (docs: KubeObject[]): number =>
  ofKind<ResourceQuota>(docs, "ResourceQuota")
    .map((d) => Number(d.spec?.hard?.[`requests.${gpuResource}`] ?? 0))
    .reduce((a, b) => a + b, 0);

/** The premium GPU pools of a nodepools rendering: the NodePools premium pods can land on, and their GPU limits. */
export const premiumGpuPools = (docs: KubeObject[]): { name: string; gpus: number }[] =>
  ofKind<NodePool>(docs, "NodePool")
    .map((d) => {
      const premium = d.spec.template.metadata?.labels?.[labels.nodeTier] === "premium";
      return { name: d.metadata?.name ?? "", gpus: premium ? Number(d.spec.limits?.[gpuResource] ?? 0) : 0 };
    })
    .filter((p) => p.gpus > 0);

/** The premium tenants' GPU quotas together must fit the GPU pools' limits, or some quota can never be met. */
export const checkGpuCapacity = (
  renderings: Rendering[],
  pools: { name: string; gpus: number }[],
  nodepoolsFile: string,
): CheckResult => {
  const capacity = pools.reduce((a, p) => a + p.gpus, 0);
  const quotas = renderings
    .map((r) => ({ path: r.fixture.name, gpus: gpuQuota(documents(r)) }))
    .filter((q) => q.gpus > 0)
    .sort((a, b) => b.gpus - a.gpus);
  const total = quotas.reduce((a, q) => a + q.gpus, 0);
  if (total <= capacity) return fleetResult(nodepoolsFile, "GPU quotas fit the pools");
  const largest = quotas.slice(0, 5).map((q) => `${q.path} ${q.gpus}`);
  const more = quotas.length > 5 ? `, and ${quotas.length - 5} more` : "";
  const poolList = pools.map((p) => `${p.name} ${p.gpus}`).join(", ") || "none";
  return fleetResult(
    nodepoolsFile,
    "GPU quotas fit the pools",
    `premium tenants' quota.gpus add up to ${total} (${largest.join(", ")}${more}), but the premium GPU pools hold at most ${capacity} (${poolList}): lower quota.gpus or raise premium.gpuLimit in ${nodepoolsFile}`,
  );
};
