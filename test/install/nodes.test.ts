/**
 * The kwok nodes the install tests stand up for each NodePool carry what Karpenter would give a node of that pool:
 * the template's labels and taints, `karpenter.sh/nodepool`, one of the pool's zones each, and GPU capacity on GPU
 * pools. Derived from the real `helm template` of the nodepools chart (no cluster needed).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isGpuPool, nodesForNodePool } from "../../src/install/nodes.js";
import type { NodePool } from "../../charts-src/lib/k8s.js";
import { ofKind, parseManifests } from "../../src/install/manifests.js";
import { run } from "../../src/lib/run.js";
import { requireBin } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");

const nodePools = async (fixture?: string) => {
  const args = ["template", "pools", join(root, "generated", "nodepools")];
  if (fixture) args.push("-f", join(root, "charts-src", "nodepools", "fixtures", "good", fixture));
  const res = await run(requireBin("helm"), args);
  expect(res.exitCode, res.stderr).toBe(0);
  return ofKind<NodePool>(parseManifests(res.stdout), "NodePool");
};

describe("kwok nodes per NodePool", () => {
  it.each([
    ["defaults", undefined],
    ["all pools", "all-pools.yaml"],
  ])("%s: every kwok node carries its NodePool's labels, taints, zone and capacity", async (_, fixture) => {
    const pools = await nodePools(fixture);
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
          expect(Number(allocatable["nvidia.com/gpu"])).toBeGreaterThan(0);
          expect(node.spec?.taints).toContainEqual({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" });
        } else {
          expect(allocatable["nvidia.com/gpu"]).toBeUndefined();
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
