/**
 * The equivalence proof, a third way: each chart as a cdk8s construct (`llmcharts/cdk8s`), synthesized by cdk8s,
 * equals `helm template` of the generated chart with the same values, object for object, for every good fixture.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type Chart } from "cdk8s";
import type { Construct } from "constructs";
import { NodepoolsChart, PlatformChart, type ReleaseProps, TenantChart } from "llmcharts/cdk8s";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { chartFiles, firstDifference, helmObjects, release, writeChart } from "../../src/validate/equivalence.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { helms } from "../../src/validate/helm.js";

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-cdk8s-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type ChartConstruct = new (scope: Construct, id: string, values?: never, release?: ReleaseProps) => Chart;
const constructs: Record<string, ChartConstruct> = {
  nodepools: NodepoolsChart,
  platform: PlatformChart,
  tenant: TenantChart,
};

/** The objects cdk8s synthesizes for one chart construct in an app of its own. */
const synthesized = (construct: ChartConstruct, values: unknown): unknown[] => {
  const app = new App();
  const chart = new construct(app, release.name, values as never, { namespace: release.namespace });
  return chart.toJson();
};

const [helm] = helms();

describe.each(Object.values(charts))("$name as a cdk8s Chart equals helm template", (chart) => {
  const dir = join(work, chart.name);
  writeChart(chartFiles(chart), dir);
  const construct = constructs[chart.name] as ChartConstruct;

  it.each(loadFixtures(root, chart.name).filter((f) => f.kind === "good"))("fixture $name", async ({ values }) => {
    const fromHelm = await helmObjects(dir, values, (helm as { exe: string }).exe, work);
    if (typeof fromHelm === "string") throw new Error(fromHelm);
    expect(firstDifference(fromHelm, synthesized(construct, values), "cdk8s")).toBeUndefined();
  });
});

describe("llmcharts/cdk8s", () => {
  it("refuses values the chart's schema refuses, naming the field", () => {
    expect(() => new TenantChart(new App(), "acme", { tenant: { name: "Acme!" } })).toThrow(
      /tenant values for acme: at '\/tenant\/name': "Acme!" must match pattern/,
    );
  });

  it("takes a tenant's values as the README shows", () => {
    const objects = new TenantChart(new App(), "acme", {
      tenant: { name: "acme", tier: "standard" },
      exposure: { host: "chat.acme.example.com" },
      secrets: { roleArn: "arn:aws:iam::123456789012:role/llmcharts-tenant-acme" },
      ollama: { modelCache: { volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" } },
    }).toJson();
    expect(objects.find((o) => o.kind === "Namespace")?.metadata.name).toBe("tenant-acme");
  });
});
