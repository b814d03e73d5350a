/**
 * The EC2 instance types the nodepools chart's pools may launch, as a small catalog: a few sizes of each family the
 * chart selects (m, c and r for the standard pool; g5, g6, g6e, p4d, p4de and p5 for the GPU pools), with what
 * Karpenter's AWS provider labels them (`karpenter.k8s.aws/*`) and what the NVIDIA GPU feature discovery labels a GPU
 * node with once the device plugin runs (`nvidia.com/gpu.*`). Figures are AWS's (us-east-1 on-demand prices, Linux);
 * spot prices are a typical fraction of them. `kwokInstanceTypes` turns it into the instance-types file of
 * Karpenter's kwok provider, so that the install suite's nodes are launched by Karpenter from the chart's NodePools.
 */
import { gpuMemoryMiBByFamily } from "./gpu-memory.js";

export interface InstanceType {
  /** e.g. m7i.2xlarge: the family, a dot, the size. */
  name: string;
  vcpu: number;
  memoryGiB: number;
  /** NVIDIA GPUs (0 on CPU types). */
  gpus: number;
  /** On-demand price, USD per hour. */
  onDemandPrice: number;
  /** AWS offers it as spot capacity in these zones (a subset of the catalog's zones; empty: on-demand only). */
  spotZones: readonly string[];
}

/** The zones the catalog offers capacity in (a kwok lab's nodepools zones). */
export const catalogZones = ["us-east-1a", "us-east-1b", "us-east-1c"] as const;
const everyZone = catalogZones;
/** Spot GPUs are short in us-east-1c (as spot capacity often is in one zone): a premium pod there falls back. */
export const gpuSpotZones = ["us-east-1a", "us-east-1b"] as const;

/** The GPU of each GPU family, as the GPU feature discovery names it. */
const gpuOfFamily: Record<string, { product: string; name: string; family: string }> = {
  g5: { product: "NVIDIA-A10G", name: "a10g", family: "ampere" },
  g6: { product: "NVIDIA-L4", name: "l4", family: "ada-lovelace" },
  g6e: { product: "NVIDIA-L40S", name: "l40s", family: "ada-lovelace" },
  p4d: { product: "NVIDIA-A100-SXM4-40GB", name: "a100", family: "ampere" },
  p4de: { product: "NVIDIA-A100-SXM4-80GB", name: "a100", family: "ampere" },
  p5: { product: "NVIDIA-H100-80GB-HBM3", name: "h100", family: "hopper" },
};

/** Spot costs about this fraction of on-demand for these families (AWS's spot advisor range). */
const spotFraction = 0.35;

export const instanceCatalog: readonly InstanceType[] = [
  { name: "m7i.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 0, onDemandPrice: 0.4032, spotZones: everyZone },
  { name: "m7i.4xlarge", vcpu: 16, memoryGiB: 64, gpus: 0, onDemandPrice: 0.8064, spotZones: everyZone },
  { name: "m6i.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 0, onDemandPrice: 0.384, spotZones: everyZone },
  { name: "m6i.4xlarge", vcpu: 16, memoryGiB: 64, gpus: 0, onDemandPrice: 0.768, spotZones: everyZone },
  { name: "m5.2xlarge", vcpu: 8, memoryGiB: 32, gpus: 0, onDemandPrice: 0.384, spotZones: everyZone },
  { name: "m5.4xlarge", vcpu: 16, memoryGiB: 64, gpus: 0, onDemandPrice: 0.768, spotZones: everyZone },
  { name: "c7i.4xlarge", vcpu: 16, memoryGiB: 32, gpus: 0, onDemandPrice: 0.714, spotZones: everyZone },
  { name: "c6i.4xlarge", vcpu: 16, memoryGiB: 32, gpus: 0, onDemandPrice: 0.68, spotZones: everyZone },
  { name: "r7i.4xlarge", vcpu: 16, memoryGiB: 128, gpus: 0, onDemandPrice: 1.0584, spotZones: everyZone },
  { name: "r6i.4xlarge", vcpu: 16, memoryGiB: 128, gpus: 0, onDemandPrice: 1.008, spotZones: everyZone },
  { name: "g5.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, onDemandPrice: 1.006, spotZones: gpuSpotZones },
  { name: "g5.12xlarge", vcpu: 48, memoryGiB: 192, gpus: 4, onDemandPrice: 5.672, spotZones: gpuSpotZones },
  { name: "g6.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, onDemandPrice: 0.8048, spotZones: gpuSpotZones },
  { name: "g6.12xlarge", vcpu: 48, memoryGiB: 192, gpus: 4, onDemandPrice: 4.6016, spotZones: gpuSpotZones },
  { name: "g6e.xlarge", vcpu: 4, memoryGiB: 32, gpus: 1, onDemandPrice: 1.861, spotZones: gpuSpotZones },
  { name: "g6e.12xlarge", vcpu: 48, memoryGiB: 384, gpus: 4, onDemandPrice: 10.493, spotZones: gpuSpotZones },
  { name: "p4d.24xlarge", vcpu: 96, memoryGiB: 1152, gpus: 8, onDemandPrice: 32.7726, spotZones: ["us-east-1a"] },
  // p4de is sold on-demand (and through capacity blocks) only.
  { name: "p4de.24xlarge", vcpu: 96, memoryGiB: 1152, gpus: 8, onDemandPrice: 40.9657, spotZones: [] },
  { name: "p5.48xlarge", vcpu: 192, memoryGiB: 2048, gpus: 8, onDemandPrice: 98.32, spotZones: ["us-east-1a"] },
];

/** A requirement of Karpenter's: here always `In` one value, which the kwok provider copies onto the node. */
interface Requirement {
  key: string;
  operator: "In";
  values: string[];
}

/** One entry of the kwok provider's instance-types file (its `InstanceTypeOptions`). */
export interface KwokInstanceType {
  name: string;
  architecture: "amd64";
  operatingSystems: ["linux"];
  resources: Record<string, string>;
  offerings: { Price: number; Available: boolean; Requirements: Requirement[] }[];
}

const familyOf = (name: string): string => name.slice(0, name.indexOf("."));
const sizeOf = (name: string): string => name.slice(name.indexOf(".") + 1);

/** The catalog's types of these families (e.g. p4de.24xlarge and p5.48xlarge for p4de and p5). */
export const instanceTypesOf = (
  families: readonly string[],
  catalog: readonly InstanceType[] = instanceCatalog,
): InstanceType[] => catalog.filter((t) => families.includes(familyOf(t.name)));

/** The labels AWS's provider (and, on GPU types, the GPU feature discovery) puts on a node of this type. */
export const instanceLabels = (t: InstanceType): Record<string, string> => {
  const family = familyOf(t.name);
  const gpu = gpuOfFamily[family];
  const gpuMemory = gpuMemoryMiBByFamily[family];
  if (t.gpus > 0 && (!gpu || gpuMemory === undefined)) throw new Error(`${t.name}: no GPU known for ${family}`);
  return {
    "topology.kubernetes.io/region": "us-east-1",
    "karpenter.k8s.aws/instance-family": family,
    "karpenter.k8s.aws/instance-size": sizeOf(t.name),
    "karpenter.k8s.aws/instance-category": family.slice(0, 1),
    "karpenter.k8s.aws/instance-generation": /^[a-z]+([0-9]+)/.exec(family)?.[1] ?? "",
    "karpenter.k8s.aws/instance-cpu": String(t.vcpu),
    "karpenter.k8s.aws/instance-memory": String(t.memoryGiB * 1024),
    // Every type carries the same GPU keys, so a GPU requirement evaluates the same way against each.
    "karpenter.k8s.aws/instance-gpu-count": String(t.gpus),
    "karpenter.k8s.aws/instance-gpu-memory": String(t.gpus > 0 ? gpuMemory : 0),
    ...(t.gpus > 0 && gpu
      ? {
          "karpenter.k8s.aws/instance-gpu-manufacturer": "nvidia",
          "karpenter.k8s.aws/instance-gpu-name": gpu.name,
          "nvidia.com/gpu.product": gpu.product,
          "nvidia.com/gpu.family": gpu.family,
          "nvidia.com/gpu.count": String(t.gpus),
          "nvidia.com/gpu.memory": String(gpuMemory),
        }
      : {}),
  };
};

/** What the kubelet reports, before Karpenter's overhead: vCPUs, memory, pods, scratch disk, and the GPUs. */
const resourcesOf = (t: InstanceType): Record<string, string> => ({
  cpu: String(t.vcpu),
  memory: `${t.memoryGiB}Gi`,
  pods: "110",
  "ephemeral-storage": t.gpus > 0 ? "300Gi" : "100Gi",
  ...(t.gpus > 0 ? { "nvidia.com/gpu": String(t.gpus) } : {}),
});

/**
 * The kwok provider's instance-types file: per type, an on-demand offering in every zone and a spot one in each of
 * its spot zones, each offering carrying the type's labels as single-value `In` requirements (which the provider
 * matches against the NodePools' requirements and copies onto the node).
 */
export const kwokInstanceTypes = (catalog: readonly InstanceType[] = instanceCatalog): KwokInstanceType[] =>
  catalog.map((t) => {
    const labels = Object.entries(instanceLabels(t)).map(
      ([key, value]): Requirement => ({
        key,
        operator: "In",
        values: [value],
      }),
    );
    const offering = (capacityType: "spot" | "on-demand", zone: string) => ({
      Price: Math.round((capacityType === "spot" ? t.onDemandPrice * spotFraction : t.onDemandPrice) * 1e4) / 1e4,
      Available: true,
      Requirements: [
        { key: "karpenter.sh/capacity-type", operator: "In" as const, values: [capacityType] },
        { key: "topology.kubernetes.io/zone", operator: "In" as const, values: [zone] },
        ...labels,
      ],
    });
    return {
      name: t.name,
      architecture: "amd64",
      operatingSystems: ["linux"],
      resources: resourcesOf(t),
      offerings: [
        ...catalogZones.map((zone) => offering("on-demand", zone)),
        ...t.spotZones.map((zone) => offering("spot", zone)),
      ],
    };
  });
