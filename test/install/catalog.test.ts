/**
 * The instance catalog Karpenter's kwok provider launches the install suite's nodes from
 * (charts-src/lib/instance-catalog.ts): every NodePool the install renders finds an instance type in it, for each
 * capacity type it allows, as Karpenter would match them (its requirements against each offering's labels); the GPU
 * figures are the ones the charts reason with. No cluster needed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { gpuMemoryMiBByFamily } from "../../charts-src/lib/gpu-memory.js";
import { instanceCatalog, type KwokInstanceType, kwokInstanceTypes } from "../../charts-src/lib/instance-catalog.js";
import type { NodePool, NodeSelectorRequirementWithMinValues } from "../../charts-src/lib/k8s.js";
import { nodepoolsChart } from "../../charts-src/nodepools/chart.js";
import { ofKind, renderChart } from "../rendered.js";

const root = join(import.meta.dirname, "..", "..");
const values = (name: string) => parse(readFileSync(join(root, "test", "install", "values", name), "utf8"));
const release = { name: "karp", namespace: "default", chartVersion: nodepoolsChart.version };
const installPools = (override: object = {}) =>
  ofKind<NodePool>(
    renderChart("nodepools", { ...values("nodepools.yaml"), ...values("nodepools-kwok.yaml"), ...override }, release),
    "NodePool",
  );

type Offering = KwokInstanceType["offerings"][number];

/** An offering's labels: its requirements (single values), with the type's name, architecture and OS. */
const labelsOf = (t: KwokInstanceType, o: Offering): Record<string, string> => ({
  "node.kubernetes.io/instance-type": t.name,
  "kubernetes.io/arch": t.architecture,
  "kubernetes.io/os": "linux",
  ...Object.fromEntries(o.Requirements.map((r) => [r.key, r.values[0] as string])),
});

/** Whether labels satisfy a NodePool requirement, as Karpenter reads the operators. */
const satisfies = (labels: Record<string, string>, r: NodeSelectorRequirementWithMinValues): boolean => {
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return v !== undefined && values.includes(v);
    case "NotIn":
      return v === undefined || !values.includes(v);
    case "Exists":
      return v !== undefined;
    case "DoesNotExist":
      return v === undefined;
    case "Gt":
      return v !== undefined && Number(v) > Number(values[0]);
    case "Lt":
      return v !== undefined && Number(v) < Number(values[0]);
    default:
      return false;
  }
};

/** The catalog's offerings a NodePool may launch, as `type capacity-type zone`. */
const launchable = (pool: NodePool): string[] =>
  kwokInstanceTypes().flatMap((t) =>
    t.offerings
      .map((o) => labelsOf(t, o))
      .filter((labels) => pool.spec.template.spec.requirements.every((r) => satisfies(labels, r)))
      .map((l) => `${t.name} ${l["karpenter.sh/capacity-type"]} ${l["topology.kubernetes.io/zone"]}`),
  );

describe("the instance catalog", () => {
  test("every NodePool of the install finds instance types in it, for each capacity type it allows", () => {
    const pools = installPools();
    expect(pools.length).toBeGreaterThan(5);
    for (const pool of pools) {
      const capacityTypes = pool.spec.template.spec.requirements.find((r) => r.key === "karpenter.sh/capacity-type");
      for (const capacity of capacityTypes?.values ?? []) {
        const offered = launchable(pool).filter((o) => o.includes(` ${capacity} `));
        expect(offered, `${pool.metadata.name} ${capacity}`).not.toEqual([]);
      }
    }
  });

  test("a pool of a family the catalog lacks finds nothing (what Karpenter reports as no instance type)", () => {
    const [premium] = installPools({ premium: { instanceFamilies: ["p5e"] } }).filter((p) =>
      p.metadata.name.startsWith("karp-premium"),
    );
    expect(premium).toBeDefined();
    expect(launchable(premium as NodePool)).toEqual([]);
  });

  test("every offering carries the same AWS label keys; GPU types their GPU count and each GPU's memory", () => {
    const types = kwokInstanceTypes();
    const cpuKeys = (t: KwokInstanceType) =>
      (t.offerings[0]?.Requirements ?? []).map((r) => r.key).filter((k) => !k.startsWith("nvidia.com/"));
    const base = cpuKeys(types[0] as KwokInstanceType).filter(
      (k) => !k.includes("gpu-manufacturer") && !k.includes("gpu-name"),
    );
    for (const t of types) {
      for (const o of t.offerings)
        expect(
          o.Requirements.map((r) => r.key),
          t.name,
        ).toEqual(t.offerings[0]?.Requirements.map((r) => r.key));
      expect(cpuKeys(t), t.name).toEqual(expect.arrayContaining(base));
    }
    for (const t of instanceCatalog.filter((x) => x.gpus > 0)) {
      const kwok = types.find((k) => k.name === t.name) as KwokInstanceType;
      const labels = labelsOf(kwok, kwok.offerings[0] as Offering);
      const family = t.name.split(".")[0] as string;
      expect(kwok.resources["nvidia.com/gpu"], t.name).toBe(String(t.gpus));
      expect(labels["karpenter.k8s.aws/instance-gpu-count"], t.name).toBe(String(t.gpus));
      expect(labels["karpenter.k8s.aws/instance-gpu-memory"], t.name).toBe(String(gpuMemoryMiBByFamily[family]));
      expect(labels["nvidia.com/gpu.product"], t.name).toMatch(/^NVIDIA-/);
    }
  });
});
