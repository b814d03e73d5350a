import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { instanceCatalog, instanceLabels } from "../../charts-src/lib/instance-catalog.js";
import type { Named, NodeOverlay, NodePool } from "../../charts-src/lib/k8s.js";
import { nodepoolsChart } from "../../charts-src/nodepools/chart.js";
import { ofKind, renderChart } from "../rendered.js";

const fixture = (name: string) =>
  parse(
    readFileSync(
      fileURLToPath(new URL(`../../charts-src/nodepools/fixtures/good/${name}.yaml`, import.meta.url)),
      "utf8",
    ),
    { version: "1.1" },
  );
const release = { name: "pools", namespace: "default", chartVersion: nodepoolsChart.version };
const render = (user: unknown) => renderChart("nodepools", user, release);
const overlays = (user: unknown) => ofKind<NodeOverlay>(render(user), "NodeOverlay");

/**
 * What NVIDIA's one-profile MIG layouts make of an 8-GPU node of 80 GB A100s or H100s (7, 3 and 2 slices per GPU),
 * written out here rather than read from charts-src/lib/pools.ts, so that a wrong count there fails this test.
 */
const slicesOnEightGpus: Record<string, number> = { "1g.10gb": 56, "2g.20gb": 24, "3g.40gb": 16 };

const migPools = [
  { fixture: "seed-a100-mig-1g-10gb", pool: "a100-mig-1g-10gb", profile: "1g.10gb", family: "p4de" },
  { fixture: "seed-a100-mig-2g-20gb", pool: "a100-mig-2g-20gb", profile: "2g.20gb", family: "p4de" },
  { fixture: "seed-a100-mig-3g-40gb", pool: "a100-mig-3g-40gb", profile: "3g.40gb", family: "p4de" },
  { fixture: "h100-mig", pool: "h100-mig", profile: "1g.10gb", family: "p5" },
] as const;

/** Whether a node of these labels satisfies an overlay's requirements (all In, as the chart writes them). */
const selects = (overlay: Named<NodeOverlay>, labels: Record<string, string>) =>
  overlay.spec.requirements.every((r) => r.operator === "In" && (r.values ?? []).includes(labels[r.key] ?? ""));

describe("a MIG pool's NodeOverlay tells Karpenter the slices its nodes will have", () => {
  for (const mig of migPools) {
    test(`${mig.pool}: ${slicesOnEightGpus[mig.profile]} nvidia.com/mig-${mig.profile} on the pool's 8-GPU ${mig.family} nodes, nothing else`, () => {
      const docs = render(fixture(mig.fixture));
      const [overlay, ...more] = ofKind<NodeOverlay>(docs, "NodeOverlay");
      expect(more).toEqual([]);
      expect(overlay?.metadata.name).toBe(`pools-${mig.pool}`);
      expect(overlay?.spec.capacity).toEqual({
        [`nvidia.com/mig-${mig.profile}`]: String(slicesOnEightGpus[mig.profile]),
      });
      expect(overlay?.spec.requirements).toEqual([
        { key: "karpenter.sh/nodepool", operator: "In", values: [`pools-${mig.pool}`] },
        { key: "node.kubernetes.io/instance-type", operator: "In", values: ["p4de.24xlarge", "p5.48xlarge"] },
      ]);
      // The NodePool it names is the chart's own, and launches only instance types the overlay applies to.
      const pool = ofKind<NodePool>(docs, "NodePool").find((p) => p.metadata.name === `pools-${mig.pool}`);
      const families = pool?.spec.template.spec.requirements.find(
        (r) => r.key === "karpenter.k8s.aws/instance-family",
      )?.values;
      expect(families).toEqual([mig.family]);
      const launched = instanceCatalog.filter((t) => t.name.startsWith(`${mig.family}.`));
      expect(launched.length).toBeGreaterThan(0);
      for (const t of launched)
        expect(
          selects(overlay as Named<NodeOverlay>, {
            ...instanceLabels(t),
            "node.kubernetes.io/instance-type": t.name,
            "karpenter.sh/nodepool": `pools-${mig.pool}`,
          }),
        ).toBe(true);
    });
  }

  test("whole-GPU and time-sliced pools get none: their nodes report nvidia.com/gpu themselves", () => {
    expect(overlays(fixture("seed-a100-shared"))).toEqual([]);
    expect(overlays(fixture("seed-h100"))).toEqual([]);
    expect(overlays({})).toEqual([]);
  });

  test("every MIG pool of a release gets its own, only that pool's nodes selected", () => {
    const all = parse(
      readFileSync(fileURLToPath(new URL("../install/values/nodepools.yaml", import.meta.url)), "utf8"),
    ) as { extraGpuPools: { name: string; gpuSharing: string; migProfile?: string }[] };
    const rendered = overlays(all);
    const mig = all.extraGpuPools.filter((p) => p.gpuSharing === "mig");
    expect(rendered.map((o) => o.metadata.name)).toEqual(mig.map((p) => `pools-${p.name}`));
    for (const [i, o] of rendered.entries()) expect(o.spec.requirements[0]?.values).toEqual([`pools-${mig[i]?.name}`]);
  });

  test("nodeOverlays.enabled false renders none (a Karpenter without the NodeOverlay API)", () => {
    expect(overlays({ ...fixture("seed-a100-mig-1g-10gb"), nodeOverlays: { enabled: false } })).toEqual([]);
  });
});
