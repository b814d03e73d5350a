import { gpuMemoryMiBByFamily, migSliceMemoryMiB, modelGpuMemoryMiB } from "../lib/gpu-memory.js";
import { seedGpuPools, tenantGpuPools } from "../lib/pools.js";
import { rule } from "../lib/values-shapes.js";

/**
 * Schema rules (on `ollama.premium`) that keep a known model off GPUs that cannot hold it, so the mistake is refused
 * at install instead of surfacing as a pod that never loads its model:
 * - on whole or time-sliced GPUs, `gpus` GPUs of more than `gpuMemoryAboveMiB` each must hold the model;
 * - on a MIG pool a pod gets one slice (CUDA uses one MIG device per process), which must hold the model;
 * - a seed pool's GPUs must be able to meet `gpuMemoryAboveMiB` at all.
 */

export const maxGpusPerPod = 8;

const migPools = tenantGpuPools.filter((p) => p.gpuSharing === "mig");
const migPoolNames = migPools.map((p) => p.name);

/** Models of the same need, so that one rule covers them all. */
const modelsByNeed = (): [number, string[]][] => {
  const groups = new Map<number, string[]>();
  for (const [model, need] of Object.entries(modelGpuMemoryMiB)) groups.set(need, [...(groups.get(need) ?? []), model]);
  return [...groups.entries()];
};

const wholeGpuFit = (): object[] =>
  modelsByNeed().flatMap(([need, models]) =>
    Array.from({ length: maxGpusPerPod }, (_, i) => i + 1).map((gpus) =>
      rule(
        {
          properties: { model: { enum: models }, gpus: { const: gpus }, pool: { not: { enum: migPoolNames } } },
          required: ["model", "gpus", "pool"],
        },
        { properties: { gpuMemoryAboveMiB: { minimum: Math.floor(need / gpus) } } },
      ),
    ),
  );

const migFit = (): object[] => [
  rule({ properties: { pool: { enum: migPoolNames } }, required: ["pool"] }, { properties: { gpus: { const: 1 } } }),
  ...migPools.flatMap((pool) => {
    const tooLarge = Object.entries(modelGpuMemoryMiB)
      .filter(([, need]) => need > migSliceMemoryMiB(`${pool.migProfile}`))
      .map(([model]) => model);
    return tooLarge.length === 0
      ? []
      : [
          rule(
            { properties: { pool: { const: pool.name } }, required: ["pool"] },
            { properties: { model: { not: { enum: tooLarge } } } },
          ),
        ];
  }),
];

const seedPoolReach = (): object[] =>
  seedGpuPools.map((pool) => {
    const smallest = Math.min(...pool.instanceFamilies.map((f) => gpuMemoryMiBByFamily[f] ?? 0));
    return rule(
      { properties: { pool: { const: pool.name } }, required: ["pool"] },
      { properties: { gpuMemoryAboveMiB: { maximum: smallest - 1 } } },
    );
  });

export const gpuFitRules = (): object[] => [...wholeGpuFit(), ...migFit(), ...seedPoolReach()];
