import { Type } from "@sinclair/typebox";
import { gpuTaint, labels, type NodeTier } from "./conventions.js";
import type { Cond, Helpers } from "./engine/index.js";
import type { Taint, Toleration } from "./k8s.js";
import { devicePluginConfigLabel, type GpuSharingMode, gpuSharingModes } from "./gpu-sharing.js";
import { requireNodeLabels } from "./scheduling.js";
import { choice, dnsLabel, taint } from "./values-shapes.js";

/**
 * What a pod needs to run on a node pool, declared once for both sides: the nodepools chart puts a pool's labels and
 * taints on its nodes, and a consumer (the tenant chart's Ollama, a platform Job) derives its node affinity,
 * tolerations and GPU resource name from the same declaration. Every function works on plain data and on Helm
 * values alike, so a pool declared in a values file yields the same pod settings as one declared here.
 */

/** The pools of the two node tiers, by name (the extra GPU pools add their own). */
export const standardPool = "standard";
export const premiumPool = "premium";

/** A taint as values carry it; `value` may be left out. */
export interface PoolTaint {
  key: string;
  value?: string;
  effect: NonNullable<Taint["effect"]>;
}

/** MIG layouts of an 80 GB A100 or H100 with every GPU cut into slices of one profile (NVIDIA's names). */
export const migProfiles = ["1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"] as const;
export type MigProfile = (typeof migProfiles)[number];

/**
 * The NVIDIA MIG manager (GPU operator) partitions a node's GPUs by the config its node label names; its default
 * config file names the one-profile layouts `all-<profile>`.
 */
export const migConfigLabel = "nvidia.com/mig.config";
export const migConfigName = (profile: string): string => `all-${profile}`;

/** The extended resource a pod asks for: whole or time-sliced GPUs, or (MIG, mixed strategy) one profile's slice. */
export const wholeGpuResource = "nvidia.com/gpu";
export const migResource = (profile: string): string => `nvidia.com/mig-${profile}`;

/** MIG slices of one profile an 80 GB GPU holds (NVIDIA's one-profile layouts). */
const slicesPerGpu: Record<MigProfile, number> = {
  "1g.10gb": 7,
  "2g.20gb": 3,
  "3g.40gb": 2,
  "4g.40gb": 1,
  "7g.80gb": 1,
};

/** MIG slices of `profile` on a node of `gpus` 80 GB GPUs, each cut by the MIG manager's `all-<profile>` layout. */
export const migSlices = (profile: MigProfile, gpus: number): number => gpus * slicesPerGpu[profile];

const isMigProfile = (profile: string | undefined): profile is MigProfile =>
  (migProfiles as readonly string[]).includes(profile ?? "");

/**
 * What the NVIDIA device plugin advertises on a node of a pool with `gpus` GPUs, from the labels the pool gives its nodes: MIG
 * slices of the MIG manager's layout (mixed strategy: `nvidia.com/mig-<profile>`, no whole GPUs), time-sliced GPUs
 * (`replicas` per GPU), or whole GPUs.
 */
export const gpuCapacity = (nodeLabels: Record<string, string>, gpus: number): Record<string, string> => {
  const profile = /^all-(.+)$/.exec(nodeLabels[migConfigLabel] ?? "")?.[1];
  if (isMigProfile(profile)) return { [migResource(profile)]: String(migSlices(profile, gpus)) };
  const replicas = Number(/^time-slicing-([0-9]+)$/.exec(nodeLabels[devicePluginConfigLabel] ?? "")?.[1] ?? 1);
  return { [wholeGpuResource]: String(gpus * replicas) };
};

/** Time-sliced pods per GPU that the platform ships device-plugin configs for. */
export const timeSlicingReplicaRange = { minimum: 2, maximum: 4 } as const;

/** The values that say how to reach a pool, shared by every chart that declares or targets one. */
export const poolTargetFields = {
  name: dnsLabel("Pool name; becomes part of the NodePool name and the node label llmcharts.io/pool."),
  gpuSharing: choice(
    gpuSharingModes,
    "How pods share a GPU: whole GPUs, time-slicing, or MIG partitions (configured by the platform chart).",
  ),
  migProfile: Type.Optional(
    choice(
      migProfiles,
      "MIG slice every GPU of the pool is cut into (gpuSharing mig only); pods ask for nvidia.com/mig-<profile>.",
    ),
  ),
  taints: Type.Optional(
    Type.Array(taint, {
      description:
        "Taints besides the GPU taint nvidia.com/gpu (e.g. gpu=mig:NoSchedule); pods of the pool tolerate each.",
      maxItems: 10,
    }),
  ),
};

/** A pool as its consumers see it (plain data or values). */
export interface PoolTarget {
  name: string;
  nodeTier: NodeTier;
  gpuSharing?: GpuSharingMode | string;
  migProfile?: string;
  taints?: readonly PoolTaint[];
}

/** The labels every node of a pool carries and a pod of the pool requires. */
export const poolSelectorLabels = (pool: string, nodeTier: NodeTier): Record<string, string> => ({
  [labels.pool]: pool,
  [labels.nodeTier]: nodeTier,
});

/** A pool's taints: the GPU taint on premium pools, then the pool's own. */
export const poolTaints = (h: Helpers, nodeTier: NodeTier, own: readonly PoolTaint[] = []): Taint[] => [
  ...(nodeTier === "premium" ? [{ ...gpuTaint }] : []),
  ...h.each(own, (t) => t as Taint),
];

/**
 * The tolerations a pod of the pool needs: exactly one per taint (key and effect, any value), nothing broader, so
 * that the platform's policies still recognise a GPU toleration for what it is.
 */
export const poolTolerations = (h: Helpers, nodeTier: NodeTier, own: readonly PoolTaint[] = []): Toleration[] => [
  ...(nodeTier === "premium" ? [{ key: gpuTaint.key, operator: "Exists" as const, effect: gpuTaint.effect }] : []),
  ...h.each(own, (t): Toleration => ({ key: t.key, operator: "Exists", effect: t.effect })),
];

/** The GPU resource a pod of the pool asks for: `nvidia.com/mig-<profile>` on MIG pools, else `nvidia.com/gpu`. */
export const poolGpuResource = (h: Helpers, pool: Pick<PoolTarget, "gpuSharing" | "migProfile">): string =>
  h.pick(h.eq(pool.gpuSharing, "mig"), migResource(`${pool.migProfile}`), wholeGpuResource);

/**
 * `count` of the pool's GPU resource, as a resources (or quota) map: one key per resource the pool could use, each
 * present only when it is the pool's, so the keys stay static for the template engine.
 */
export const poolGpuResources = (
  h: Helpers,
  pool: Pick<PoolTarget, "gpuSharing" | "migProfile">,
  count: string,
  prefix = "",
): Record<string, string> => {
  const mig = h.eq(pool.gpuSharing, "mig");
  return {
    [`${prefix}${wholeGpuResource}`]: h.when(h.not(mig), count),
    ...Object.fromEntries(
      migProfiles.map((p) => [`${prefix}${migResource(p)}`, h.when(h.and(mig, h.eq(pool.migProfile, p)), count)]),
    ),
  };
};

/** Node affinity and tolerations of a pod that must run on `pool`'s nodes. */
export const poolPlacement = (h: Helpers, pool: PoolTarget) => ({
  affinity: requireNodeLabels(poolSelectorLabels(pool.name, pool.nodeTier)),
  tolerations: poolTolerations(h, pool.nodeTier, pool.taints ?? []),
});

/** A GPU pool of the platform's design, as the nodepools chart declares it in `extraGpuPools`. */
export interface SeedGpuPool {
  name: string;
  purpose: string;
  instanceFamilies: string[];
  capacityTypes: ("spot" | "on-demand")[];
  gpuSharing: GpuSharingMode;
  timeSlicingReplicas?: number;
  migProfile?: MigProfile;
  gpuLimit: number;
  taints: PoolTaint[];
}

/**
 * The design's GPU pools besides premium: A100 time-sliced, A100 MIG (one pool per slice size) and H100. Each has
 * its own `gpu=<kind>` taint next to the GPU taint, so a pod lands there only when it means to. A tenant chooses
 * one of these by name; the nodepools fixtures `seed-*.yaml` declare them.
 */
export const seedGpuPools: readonly SeedGpuPool[] = [
  {
    name: "a100-shared",
    purpose: "Time-sliced A100s (4 pods per GPU) for small models side by side.",
    instanceFamilies: ["p4d"],
    capacityTypes: ["spot", "on-demand"],
    gpuSharing: "time-slicing",
    timeSlicingReplicas: 4,
    gpuLimit: 16,
    taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }],
  },
  ...(["1g.10gb", "2g.20gb", "3g.40gb"] as const).map(
    (profile): SeedGpuPool => ({
      name: `a100-mig-${profile.replace(".", "-")}`,
      purpose: `A100 80 GB cut into MIG ${profile} slices: hard memory and fault isolation per tenant.`,
      instanceFamilies: ["p4de"],
      capacityTypes: ["on-demand"],
      gpuSharing: "mig",
      migProfile: profile,
      gpuLimit: 16,
      taints: [{ key: "gpu", value: "mig", effect: "NoSchedule" }],
    }),
  ),
  {
    name: "h100",
    purpose: "Whole H100s for the largest models and fine-tuning.",
    instanceFamilies: ["p5"],
    capacityTypes: ["spot", "on-demand"],
    gpuSharing: "none",
    gpuLimit: 16,
    taints: [{ key: "gpu", value: "h100", effect: "NoSchedule" }],
  },
];

/** The GPU pools a tenant may run premium Ollama on, by name: the premium tier's own pools and the seed pools. */
export const tenantGpuPools: readonly PoolTarget[] = [
  { name: premiumPool, nodeTier: "premium", gpuSharing: "none", taints: [] },
  ...seedGpuPools.map((p): PoolTarget => ({ ...p, nodeTier: "premium" })),
];

/** True when `name` (a value) names one of `pools`; undefined when `pools` is empty (no name matches). */
const namesOneOf = (h: Helpers, name: string, pools: readonly PoolTarget[]) =>
  pools.length > 0 ? h.or(...pools.map((p) => h.eq(name, p.name))) : undefined;

/**
 * The tolerations of a pod on the pool `name` (a value) names among `pools`: the GPU taint's, then one per distinct
 * taint key and effect of the pools, present only when the named pool carries it.
 */
export const namedPoolTolerations = (h: Helpers, name: string, pools = tenantGpuPools): Toleration[] => {
  const own = [...new Map(pools.flatMap((p) => p.taints ?? []).map((t) => [`${t.key}:${t.effect}`, t])).values()];
  return [
    { key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect },
    ...own.map((t) =>
      h.when<Toleration>(
        namesOneOf(
          h,
          name,
          pools.filter((p) => (p.taints ?? []).some((pt) => pt.key === t.key && pt.effect === t.effect)),
        ) as never,
        { key: t.key, operator: "Exists", effect: t.effect },
      ),
    ),
  ];
};

/**
 * `count` of the GPU resource of the pool `name` (a value) names (and only if `onlyIf` holds), as a resources or quota map: whole GPUs, or the
 * MIG profile's slices. Every other GPU resource gets `otherwise` (a quota's "0"), or is left out when it is unset.
 */
export const namedPoolGpuResources = (
  h: Helpers,
  name: string,
  count: string,
  {
    prefix = "",
    otherwise,
    onlyIf,
    pools = tenantGpuPools,
  }: { prefix?: string; otherwise?: string; onlyIf?: Cond; pools?: readonly PoolTarget[] } = {},
): Record<string, string> => {
  const entry = (resource: string, which: readonly PoolTarget[]) => {
    const named = namesOneOf(h, name, which);
    const cond = named !== undefined && onlyIf !== undefined ? h.and(onlyIf, named) : named;
    return [`${prefix}${resource}`, cond === undefined ? otherwise : h.when(cond, count, otherwise)] as const;
  };
  return Object.fromEntries(
    [
      entry(
        wholeGpuResource,
        pools.filter((p) => p.gpuSharing !== "mig"),
      ),
      ...migProfiles.map((profile) =>
        entry(
          migResource(profile),
          pools.filter((p) => p.gpuSharing === "mig" && p.migProfile === profile),
        ),
      ),
    ].filter((e): e is readonly [string, string] => e[1] !== undefined),
  );
};
