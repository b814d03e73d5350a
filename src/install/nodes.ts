/**
 * kwok nodes standing in for the nodes Karpenter would launch for each NodePool: the NodePool template's labels and
 * taints, the labels Karpenter derives from the pool's requirements and the instance type it picks (zone, capacity
 * type, instance type and family, `karpenter.sh/nodepool`), and the instance type's capacity (cpu, memory, pods, and
 * `nvidia.com/gpu` on GPU pools). The kwok controller makes them Ready and runs the pods bound to them.
 */
import { gpuResourcePattern } from "../../charts-src/lib/conventions.js";
import { gpuMemoryMiBByFamily } from "../../charts-src/lib/gpu-memory.js";
import { gpuCapacity } from "../../charts-src/lib/pools.js";
import { kwokNodeSelector } from "../cluster/index.js";
import type { Named, Node, NodePool, NodeSelectorRequirementWithMinValues } from "../../charts-src/lib/k8s.js";
import type { Kube } from "../harness/kube.js";

/** A few EC2 instance types per family, at the size the tests use: what Karpenter would report as capacity. */
interface InstanceShape {
  size: string;
  cpu: number;
  memoryGi: number;
  gpus: number;
  gpuMemoryMiB?: number;
}

const shapes: Record<string, InstanceShape> = {
  m7i: { size: "8xlarge", cpu: 32, memoryGi: 128, gpus: 0 },
  m6i: { size: "8xlarge", cpu: 32, memoryGi: 128, gpus: 0 },
  m5: { size: "8xlarge", cpu: 32, memoryGi: 128, gpus: 0 },
  c7i: { size: "8xlarge", cpu: 32, memoryGi: 64, gpus: 0 },
  c6i: { size: "8xlarge", cpu: 32, memoryGi: 64, gpus: 0 },
  r7i: { size: "8xlarge", cpu: 32, memoryGi: 256, gpus: 0 },
  r6i: { size: "8xlarge", cpu: 32, memoryGi: 256, gpus: 0 },
  g5: { size: "12xlarge", cpu: 48, memoryGi: 192, gpus: 4, gpuMemoryMiB: gpuMemoryMiBByFamily.g5 },
  g6: { size: "12xlarge", cpu: 48, memoryGi: 192, gpus: 4, gpuMemoryMiB: gpuMemoryMiBByFamily.g6 },
  g6e: { size: "12xlarge", cpu: 48, memoryGi: 384, gpus: 4, gpuMemoryMiB: gpuMemoryMiBByFamily.g6e },
  p4d: { size: "24xlarge", cpu: 96, memoryGi: 1152, gpus: 8, gpuMemoryMiB: gpuMemoryMiBByFamily.p4d },
  p4de: { size: "24xlarge", cpu: 96, memoryGi: 1152, gpus: 8, gpuMemoryMiB: gpuMemoryMiBByFamily.p4de },
  p5: { size: "48xlarge", cpu: 192, memoryGi: 2048, gpus: 8, gpuMemoryMiB: gpuMemoryMiBByFamily.p5 },
};
const defaultCpuShape: InstanceShape = { size: "8xlarge", cpu: 32, memoryGi: 128, gpus: 0 };
const defaultGpuShape: InstanceShape = { size: "12xlarge", cpu: 48, memoryGi: 192, gpus: 4, gpuMemoryMiB: 24576 };

type Requirement = NodeSelectorRequirementWithMinValues;

const zoneKey = "topology.kubernetes.io/zone";
const defaultZones = ["zone-a", "zone-b"];

/** Whether a NodePool launches GPU nodes: it taints them with nvidia.com/gpu, labels them so, or asks for NVIDIA. */
export const isGpuPool = (pool: NodePool): boolean => {
  const t = pool.spec?.template;
  const taints = t?.spec.taints ?? [];
  const labels = t?.metadata?.labels ?? {};
  const reqs = t?.spec.requirements ?? [];
  return (
    taints.some((x) => x.key === "nvidia.com/gpu") ||
    labels["nvidia.com/gpu.present"] === "true" ||
    reqs.some((r) => r.key === "karpenter.k8s.aws/instance-gpu-manufacturer" && r.values?.includes("nvidia"))
  );
};

/** The label value Karpenter would set for a requirement on the node it launches, if any. */
const requirementValue = (r: Requirement): string | undefined => {
  if (r.operator === "In") return r.values?.[0];
  if (r.operator === "Gt") return String(Number(r.values?.[0] ?? 0) + 1);
  if (r.operator === "Lt") return String(Math.max(0, Number(r.values?.[0] ?? 1) - 1));
  return undefined;
};

/** The GPU resources a node offers, by name. */
export const gpuResources = (capacity: Record<string, string | number> = {}): string[] =>
  Object.keys(capacity).filter((k) => gpuResourcePattern.test(k) && Number(capacity[k]) > 0);

export interface NodeOptions {
  /** Zones per pool (the pool's own zone requirement, first ones first). */
  zones?: number;
  /** Nodes per zone and pool. */
  perZone?: number;
}

/** The kwok Node objects for one NodePool. */
export const nodesForNodePool = (pool: Named<NodePool>, opts: NodeOptions = {}): Named<Node>[] => {
  const poolName = pool.metadata.name;
  const template = pool.spec?.template;
  const reqs = template?.spec.requirements ?? [];
  const gpu = isGpuPool(pool);
  const req = (key: string) => reqs.find((r) => r.key === key);

  const families = req("karpenter.k8s.aws/instance-family")?.values ?? [];
  // Karpenter launches the type the pending pods need: on GPU pools the family with the most GPU memory fits them all.
  const known = families.filter((f) => shapes[f]);
  const family =
    (gpu ? known.sort((a, b) => (shapes[b]?.gpuMemoryMiB ?? 0) - (shapes[a]?.gpuMemoryMiB ?? 0)) : known)[0] ??
    families[0];
  const shape = (family && shapes[family]) || (gpu ? defaultGpuShape : defaultCpuShape);
  const instanceType =
    req("node.kubernetes.io/instance-type")?.values?.[0] ?? `${family ?? (gpu ? "g6" : "m7i")}.${shape.size}`;
  const zoneReq = req(zoneKey);
  const zones = (zoneReq?.operator === "In" && zoneReq.values?.length ? zoneReq.values : defaultZones).slice(
    0,
    opts.zones ?? 2,
  );

  // Labels Karpenter sets from single-valued requirements (the first allowed value, as a launch would pick).
  const fromRequirements: Record<string, string> = {};
  for (const r of reqs) {
    const v = requirementValue(r);
    if (v !== undefined) fromRequirements[r.key] = v;
  }
  const capacity: Record<string, string> = {
    cpu: String(shape.cpu),
    memory: `${shape.memoryGi}Gi`,
    pods: "110",
    "ephemeral-storage": "100Gi",
    ...(gpu ? gpuCapacity(template.metadata?.labels ?? {}, shape.gpus || 1) : {}),
  };
  const nodes: Named<Node>[] = [];
  for (const zone of zones) {
    for (let i = 0; i < (opts.perZone ?? 1); i++) {
      const name = `kwok-${poolName}-${zone}-${i}`.slice(0, 63).replace(/-+$/, "");
      nodes.push({
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name,
          annotations: { [kwokNodeSelector.split("=")[0] as string]: kwokNodeSelector.split("=")[1] as string },
          labels: {
            ...fromRequirements,
            ...(template?.metadata?.labels ?? {}),
            "karpenter.sh/nodepool": poolName,
            "karpenter.sh/registered": "true",
            "karpenter.sh/initialized": "true",
            "karpenter.sh/capacity-type": fromRequirements["karpenter.sh/capacity-type"] ?? "on-demand",
            "node.kubernetes.io/instance-type": instanceType,
            "karpenter.k8s.aws/instance-family": instanceType.split(".")[0] as string,
            ...(gpu
              ? {
                  "karpenter.k8s.aws/instance-gpu-count": String(shape.gpus || 1),
                  "karpenter.k8s.aws/instance-gpu-manufacturer": "nvidia",
                  ...(shape.gpuMemoryMiB !== undefined &&
                  fromRequirements["karpenter.k8s.aws/instance-gpu-memory"] === undefined
                    ? { "karpenter.k8s.aws/instance-gpu-memory": String(shape.gpuMemoryMiB) }
                    : {}),
                }
              : {}),
            [zoneKey]: zone,
            "topology.kubernetes.io/region": zone.replace(/[a-z]$/, ""),
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": fromRequirements["kubernetes.io/os"] ?? "linux",
            "kubernetes.io/arch": fromRequirements["kubernetes.io/arch"] ?? "amd64",
            type: "kwok",
          },
        },
        spec: {
          // Karpenter's startup taints are gone by the time a node is initialized; the pool's taints stay.
          taints: template?.spec.taints ?? [],
        },
        status: { capacity, allocatable: capacity },
      });
    }
  }
  return nodes;
};

export interface PoolNodes {
  pool: string;
  gpu: boolean;
  nodes: string[];
}

/** Creates kwok nodes for each NodePool (from the rendered nodepools chart) and waits until they are Ready. */
export const createPoolNodes = async (
  kube: Kube,
  pools: Named<NodePool>[],
  opts: NodeOptions = {},
): Promise<PoolNodes[]> => {
  if (pools.length === 0) throw new Error("no Karpenter NodePool in the rendering: nothing to make nodes for");
  const result: PoolNodes[] = [];
  const all: Named<Node>[] = [];
  for (const pool of pools) {
    const nodes = nodesForNodePool(pool, opts);
    all.push(...nodes);
    result.push({ pool: pool.metadata.name, gpu: isGpuPool(pool), nodes: nodes.map((n) => n.metadata.name) });
  }
  // Created with their status, as a kubelet registers its node: capacity and allocatable come with it.
  await kube.create(all);
  await kube.kubectl(["wait", "--for=condition=Ready", "--timeout=60s", ...all.map((n) => `node/${n.metadata.name}`)]);
  return result;
};
