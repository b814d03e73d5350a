import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { labels } from "../../charts-src/lib/conventions.js";
import { concreteHelpers } from "../../charts-src/lib/engine/helpers.js";
import { devicePluginConfigLabel } from "../../charts-src/lib/gpu-sharing.js";
import {
  migConfigLabel,
  type PoolTaint,
  poolGpuResource,
  poolGpuResources,
  poolPlacement,
  seedGpuPools,
} from "../../charts-src/lib/pools.js";
import type { EC2NodeClass, Named, NodePool } from "../../charts-src/lib/k8s.js";
import { nodepoolsChart } from "../../charts-src/nodepools/chart.js";
import { ofKind, type Rendered, renderChart } from "../rendered.js";

const fixture = (name: string) =>
  parse(
    readFileSync(
      fileURLToPath(new URL(`../../charts-src/nodepools/fixtures/good/${name}.yaml`, import.meta.url)),
      "utf8",
    ),
    {
      version: "1.1",
    },
  );
const release = { name: "pools", namespace: "default", chartVersion: nodepoolsChart.version };
const render = (user: unknown) => renderChart("nodepools", user, release);
const nodePool = (docs: Rendered[], name: string): Named<NodePool> => {
  const pool = ofKind<NodePool>(docs, "NodePool").find((d) => d.metadata.name === name);
  if (!pool) throw new Error(`no NodePool ${name} in ${docs.map((d) => d.metadata.name).join(", ")}`);
  return pool;
};
const h = concreteHelpers({ name: "pods", namespace: "tenant-acme", chartVersion: "0" });

/** What the scheduler checks: a toleration with operator Exists tolerates every taint of its key and effect. */
const tolerates = (tolerations: { key: string; effect: string }[], taint: PoolTaint) =>
  tolerations.some((t) => t.key === taint.key && t.effect === taint.effect);

describe("the design's seed GPU pools", () => {
  for (const seed of seedGpuPools) {
    test(`${seed.name}: the nodepools fixture seed-${seed.name}.yaml declares it as charts-src/lib/pools.ts does`, () => {
      const declared = fixture(`seed-${seed.name}`).extraGpuPools.find((p: { name: string }) => p.name === seed.name);
      const { terminationGracePeriod: _, ...rest } = declared;
      expect(rest).toEqual(seed);
    });

    test(`${seed.name}: a pod placed from the declaration tolerates every taint of the pool and selects its nodes`, () => {
      const pool = nodePool(render(fixture(`seed-${seed.name}`)), `pools-${seed.name}`);
      const nodeLabels = pool.spec.template.metadata?.labels ?? {};
      const placement = poolPlacement(h, { name: seed.name, nodeTier: "premium", taints: seed.taints });
      for (const taint of pool.spec.template.spec.taints ?? [])
        expect(tolerates(placement.tolerations as never, taint)).toBe(true);
      const terms =
        placement.affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
      for (const e of terms[0]?.matchExpressions ?? []) expect(e.values).toContain(nodeLabels[e.key]);
      expect(nodeLabels[labels.pool]).toBe(seed.name);
    });

    test(`${seed.name}: the GPU resource its pods ask for is the one its device-plugin and MIG labels make`, () => {
      const pool = nodePool(render(fixture(`seed-${seed.name}`)), `pools-${seed.name}`);
      const nodeLabels = pool.spec.template.metadata?.labels ?? {};
      const resource = poolGpuResource(h, seed);
      if (seed.gpuSharing === "mig") {
        expect(resource).toBe(`nvidia.com/mig-${seed.migProfile}`);
        expect(nodeLabels[migConfigLabel]).toBe(`all-${seed.migProfile}`);
        expect(nodeLabels[devicePluginConfigLabel]).toBe("mig");
      } else {
        expect(resource).toBe("nvidia.com/gpu");
        expect(nodeLabels[migConfigLabel]).toBe("all-disabled");
        expect(nodeLabels[devicePluginConfigLabel]).toBe(
          seed.timeSlicingReplicas ? `time-slicing-${seed.timeSlicingReplicas}` : seed.gpuSharing,
        );
      }
    });
  }

  test("resource maps hold exactly the pool's GPU resource, for requests, limits and quota keys", () => {
    const plain = (m: Record<string, unknown>) => JSON.parse(JSON.stringify(m));
    for (const seed of seedGpuPools)
      expect(plain(poolGpuResources(h, seed, "2", "requests."))).toEqual({
        [`requests.${poolGpuResource(h, seed)}`]: "2",
      });
  });

  test("a pod without the pool's own toleration does not tolerate its taints (the check above can fail)", () => {
    const seed = seedGpuPools.find((s) => s.gpuSharing === "mig");
    if (!seed) throw new Error("no MIG seed pool");
    const pool = nodePool(render(fixture(`seed-${seed.name}`)), `pools-${seed.name}`);
    const placement = poolPlacement(h, { name: seed.name, nodeTier: "premium" });
    const untolerated = (pool.spec.template.spec.taints ?? []).filter(
      (t) => !tolerates(placement.tolerations as never, t),
    );
    expect(untolerated).toEqual([{ key: "gpu", value: "mig", effect: "NoSchedule" }]);
  });
});

describe("standard pool", () => {
  test("carries its labels and taints, and limits instance sizes when asked", () => {
    const pool = nodePool(render(fixture("seed-control-standard")), "pools-standard");
    expect(pool.spec.template.metadata?.labels).toMatchObject({
      "workload-type": "control",
      [labels.pool]: "standard",
    });
    expect(pool.spec.template.spec.taints).toEqual([{ key: "workload-type", value: "control", effect: "NoSchedule" }]);
    expect(pool.spec.template.spec.requirements).toContainEqual({
      key: "karpenter.k8s.aws/instance-size",
      operator: "In",
      values: ["2xlarge", "4xlarge"],
    });
    expect(pool.spec.template.spec.terminationGracePeriod).toBe("10m");
  });

  test("by default: no taints, any size, no grace period, and m5 among the families", () => {
    const pool = nodePool(render({}), "pools-standard");
    expect(pool.spec.template.spec.taints).toEqual([]);
    expect(pool.spec.template.spec.requirements.map((r) => r.key)).not.toContain("karpenter.k8s.aws/instance-size");
    expect(pool.spec.template.spec).not.toHaveProperty("terminationGracePeriod");
    expect(pool.spec.template.spec.requirements[0]?.values).toContain("m5");
  });
});

describe("node classes", () => {
  const volumes = (user: unknown) =>
    ofKind<EC2NodeClass>(render(user), "EC2NodeClass").map((d) => d.spec?.blockDeviceMappings ?? []);

  test("AL2023 sizes the root volume", () => {
    for (const mappings of volumes({})) {
      expect(mappings).toHaveLength(1);
      expect(mappings[0]).toMatchObject({ deviceName: "/dev/xvda", rootVolume: true });
    }
  });

  test("Bottlerocket sizes the data volume /dev/xvdb and keeps the OS volume small", () => {
    const [standard, gpu] = volumes(fixture("dev-spot-bottlerocket"));
    for (const [mappings, size] of [
      [standard, "50Gi"],
      [gpu, "200Gi"],
    ] as const) {
      expect(mappings?.map((m) => m.deviceName)).toEqual(["/dev/xvda", "/dev/xvdb"]);
      expect(mappings?.[0]?.ebs?.volumeSize).toBe("8Gi");
      expect(mappings?.[1]?.ebs?.volumeSize).toBe(size);
    }
  });
});

describe("disruption", () => {
  test("scheduled budgets follow the pool's base budget", () => {
    const pool = nodePool(render(fixture("seed-h100")), "pools-h100");
    expect(pool.spec.disruption?.budgets).toEqual([
      { nodes: "10%" },
      { nodes: "0", schedule: "0 8 * * mon-fri", duration: "10h", reasons: ["Underutilized", "Empty"] },
    ]);
    expect(pool.spec.template.spec.terminationGracePeriod).toBe("2m");
  });
});

describe("the node class", () => {
  const refs = (docs: Rendered[]) =>
    Object.fromEntries(
      ofKind<NodePool>(docs, "NodePool").map((p) => [p.metadata.name, p.spec.template.spec.nodeClassRef]),
    );

  test("by default each pool refers to the chart's own EC2NodeClass for its kind of pool", () => {
    const docs = render(fixture("all-pools"));
    expect(ofKind<EC2NodeClass>(docs, "EC2NodeClass").map((c) => c.metadata.name)).toEqual([
      "pools-standard",
      "pools-gpu",
    ]);
    for (const [pool, ref] of Object.entries(refs(docs)))
      expect(ref, pool).toEqual({
        group: "karpenter.k8s.aws",
        kind: "EC2NodeClass",
        name: pool === "pools-standard" ? "pools-standard" : "pools-gpu",
      });
  });

  test("another provider's class (kwok's): every pool refers to it by name, and no EC2NodeClass is rendered", () => {
    const docs = render({ ...fixture("all-pools"), ...fixture("kwok-test-cluster") });
    expect(ofKind(docs, "EC2NodeClass")).toEqual([]);
    const all = refs(docs);
    expect(Object.keys(all).length).toBeGreaterThan(3);
    for (const ref of Object.values(all))
      expect(ref).toEqual({ group: "karpenter.kwok.sh", kind: "KWOKNodeClass", name: "default" });
  });
});
