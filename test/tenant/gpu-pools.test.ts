/**
 * A premium tenant chooses its GPU pool, and the pool's declaration (charts-src/lib/pools.ts) decides the rest: node
 * affinity, tolerations, the GPU resource and the quota (MIG slices included, so never unbounded).
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import { renderChart } from "../rendered.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped JSON, read here field by field.
type Obj = Record<string, any>;

const chart = charts.tenant;
if (!chart) throw new Error("the tenant chart is not registered");
const release = { name: "acme", namespace: "tenants", chartVersion: chart.version };
const render = (values: unknown): Obj[] => renderChart("tenant", values, release) as Obj[];
const premiumPod = (objects: Obj[]): Obj =>
  objects.find((o) => o.kind === "Deployment" && o.metadata.name === "ollama-premium")?.spec.template.spec;
const quota = (objects: Obj[]): Record<string, string> =>
  objects.find((o) => o.kind === "ResourceQuota")?.spec.hard ?? {};
const gpuQuota = (objects: Obj[]) =>
  Object.fromEntries(Object.entries(quota(objects)).filter(([k]) => k.startsWith("requests.nvidia.com/")));
const requirements = (pod: Obj): Obj[] =>
  pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;

const premium = (ollamaPremium: Obj = {}) =>
  render({ tenant: { name: "acme", tier: "premium" }, quota: { gpus: 2 }, ollama: { premium: ollamaPremium } });

describe("the premium pool by default", () => {
  const objects = premium();
  const pod = premiumPod(objects);

  test("pods require the premium pool's nodes with GPUs large enough for the default 70B model", () => {
    expect(requirements(pod)).toContainEqual({ key: "llmcharts.io/pool", operator: "In", values: ["premium"] });
    expect(requirements(pod)).toContainEqual({
      key: "karpenter.k8s.aws/instance-gpu-memory",
      operator: "Gt",
      values: ["45000"],
    });
  });

  test("whole GPUs are asked for and counted; every MIG profile's quota is 0, not unbounded", () => {
    expect(pod.containers[0].resources.limits).toMatchObject({ "nvidia.com/gpu": "1" });
    expect(gpuQuota(objects)).toEqual({
      "requests.nvidia.com/gpu": "2",
      "requests.nvidia.com/mig-1g.10gb": "0",
      "requests.nvidia.com/mig-2g.20gb": "0",
      "requests.nvidia.com/mig-3g.40gb": "0",
      "requests.nvidia.com/mig-4g.40gb": "0",
      "requests.nvidia.com/mig-7g.80gb": "0",
    });
  });

  test("only the GPU taint is tolerated", () => {
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
  });

  test("gpuMemoryAboveMiB 0 drops the GPU memory requirement", () => {
    const any = premiumPod(premium({ model: "llama3.1:8b", gpuMemoryAboveMiB: 0 }));
    expect(requirements(any).map((r) => r.key)).not.toContain("karpenter.k8s.aws/instance-gpu-memory");
  });
});

describe("a MIG pool", () => {
  const objects = premium({ pool: "a100-mig-3g-40gb", model: "llama3.1:8b" });
  const pod = premiumPod(objects);

  test("pods ask for one slice of the pool's profile, and no whole GPU", () => {
    const limits = pod.containers[0].resources.limits;
    expect(limits["nvidia.com/mig-3g.40gb"]).toBe("1");
    expect(limits).not.toHaveProperty("nvidia.com/gpu");
  });

  test("the quota counts the profile's slices, and whole GPUs are 0", () => {
    expect(gpuQuota(objects)).toMatchObject({
      "requests.nvidia.com/mig-3g.40gb": "2",
      "requests.nvidia.com/gpu": "0",
      "requests.nvidia.com/mig-1g.10gb": "0",
    });
  });

  test("pods require the pool's nodes and tolerate its own taint next to the GPU taint", () => {
    expect(requirements(pod)).toContainEqual({
      key: "llmcharts.io/pool",
      operator: "In",
      values: ["a100-mig-3g-40gb"],
    });
    expect(pod.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      { key: "gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
  });
});

test("a standard tenant's quota allows no GPU of any kind, whatever pool its premium values name", () => {
  const objects = render({ tenant: { name: "acme" }, ollama: { premium: { pool: "h100" } } });
  expect(Object.values(gpuQuota(objects))).toEqual(Array(6).fill("0"));
  expect(premiumPod(objects)).toBeUndefined();
});
