/**
 * The kwok nodes the install tests stand up for each NodePool carry what Karpenter would give a node of that pool:
 * the template's labels and taints, `karpenter.sh/nodepool`, one of the pool's zones each, and GPU capacity on GPU
 * pools. Derived from the real `helm template` of the nodepools chart (no cluster needed).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { NodePool } from "../../charts-src/lib/k8s.js";
import { gpuCapacity, migResource, seedGpuPools } from "../../charts-src/lib/pools.js";
import { ofKind, parseManifests } from "../../src/harness/manifests.js";
import { gpuResources, isGpuPool, nodesForNodePool } from "../../src/install/nodes.js";
import { nodepoolsSiteValues, nodepoolsValues } from "../../src/install/releases.js";
import { run } from "../../src/lib/run.js";
import { requireBin } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");

const nodePools = async (valuesFiles: string[]) => {
  const args = ["template", "pools", join(root, "generated", "nodepools"), ...valuesFiles.flatMap((f) => ["-f", f])];
  const res = await run(requireBin("helm"), args);
  expect(res.exitCode, res.stderr).toBe(0);
  return ofKind<NodePool>(parseManifests(res.stdout), "NodePool");
};

describe("kwok nodes per NodePool", () => {
  const fixture = (name: string) => join(root, "charts-src", "nodepools", "fixtures", "good", name);
  it.each([
    ["defaults", [fixture("defaults.yaml")]],
    ["all pools", [fixture("all-pools.yaml")]],
    [
      "the install scenarios\x27 seed GPU pools",
      [nodepoolsSiteValues, nodepoolsValues].map((f) => join(root, "test", "install", "values", f)),
    ],
  ])("%s: every kwok node carries its NodePool\x27s labels, taints, zone and capacity", async (_, valuesFiles) => {
    const pools = await nodePools(valuesFiles);
    expect(pools.length).toBeGreaterThan(0);
    for (const pool of pools) {
      const nodes = nodesForNodePool(pool, { zones: 2 });
      const template = pool.spec?.template;
      const zones = template?.spec.requirements.find((r) => r.key === "topology.kubernetes.io/zone")?.values;
      expect(nodes.map((n) => n.metadata.labels?.["topology.kubernetes.io/zone"])).toEqual(zones?.slice(0, 2));
      for (const node of nodes) {
        const allocatable = node.status?.allocatable ?? {};
        expect(node.metadata.annotations).toEqual({ "kwok.x-k8s.io/node": "fake" });
        expect(node.metadata.labels).toMatchObject(template?.metadata?.labels ?? {});
        expect(node.metadata.labels?.["karpenter.sh/nodepool"]).toBe(pool.metadata.name);
        expect(node.spec?.taints).toEqual(template?.spec.taints ?? []);
        expect(Number(allocatable.cpu)).toBeGreaterThan(0);
        if (isGpuPool(pool)) {
          expect(gpuResources(node.status?.allocatable ?? {})).toHaveLength(1);
          expect(node.spec?.taints).toContainEqual({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" });
        } else {
          expect(gpuResources(node.status?.allocatable ?? {})).toEqual([]);
        }
        // Every single-valued requirement the pool states holds on its node (Karpenter launches within them).
        for (const r of template?.spec.requirements ?? []) {
          if (r.operator === "In") expect(r.values, r.key).toContain(node.metadata.labels?.[r.key]);
          if (r.operator === "Gt")
            expect(Number(node.metadata.labels?.[r.key]), r.key).toBeGreaterThan(Number(r.values?.[0]));
        }
      }
    }
  });
});

describe("GPU capacity of a kwok node follows its pool's sharing labels", () => {
  it("MIG pools offer only their profile's slices, time-sliced pools replicas per GPU, others whole GPUs", () => {
    expect(gpuCapacity({ "nvidia.com/mig.config": "all-3g.40gb" }, 8)).toEqual({ [migResource("3g.40gb")]: "16" });
    expect(gpuCapacity({ "nvidia.com/mig.config": "all-1g.10gb" }, 8)).toEqual({ [migResource("1g.10gb")]: "56" });
    expect(gpuCapacity({ "nvidia.com/device-plugin.config": "time-slicing-4" }, 8)).toEqual({ "nvidia.com/gpu": "32" });
    expect(gpuCapacity({ "nvidia.com/mig.config": "all-disabled" }, 8)).toEqual({ "nvidia.com/gpu": "8" });
  });

  it("the install scenarios' nodepools values hold exactly the seed GPU pools", () => {
    const values = parse(readFileSync(join(root, "test", "install", "values", nodepoolsValues), "utf8"));
    expect(values.extraGpuPools).toEqual(seedGpuPools);
  });
});
