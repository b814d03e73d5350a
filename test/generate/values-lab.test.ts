/**
 * Each chart ships `values-lab.yaml`, written from its typed source: the chart's schema accepts it, every rung of
 * `validate -f` passes it, and on the lab it renders only Kubernetes' own kinds (a one-node lab has no CRDs of other
 * projects), into namespaces the chart itself makes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { effectiveValues, renderConcrete } from "../../charts-src/lib/engine/index.js";
import { chartFiles } from "../../src/generate/chart-files.js";
import { run } from "../../src/lib/run.js";
import { valuesChecker } from "../../src/validate/rung-values.js";

const root = join(import.meta.dirname, "..", "..");
const chartOf = (name: string) => charts[name] as NonNullable<(typeof charts)[string]>;
const labFileOf = (name: string): string => chartFiles(chartOf(name), root)["values-lab.yaml"] as string;

/** API groups every cluster serves: a lab needs no other project's CRDs for these. */
const builtInGroups = [
  "v1",
  "apps/v1",
  "autoscaling/v2",
  "batch/v1",
  "policy/v1",
  "networking.k8s.io/v1",
  "scheduling.k8s.io/v1",
  "admissionregistration.k8s.io/v1",
];

describe("values-lab.yaml shipped in each chart", () => {
  for (const chart of Object.keys(charts)) {
    it(`${chart}: ships values-lab.yaml from its typed source, with the schema line, and the schema accepts it`, () => {
      const text = labFileOf(chart);
      expect(text).toMatch(/^# yaml-language-server: \$schema=values\.schema\.json\n/);
      expect(text).toContain('"Lab: one node, no cloud services"');
      const values = parse(text, { version: "1.1" });
      expect(values).toEqual(chartOf(chart).shippedValues?.find((v) => v.name === "lab")?.values);
      expect(valuesChecker(chartOf(chart))(values)).toEqual([]);
      expect(readFileSync(join(root, "generated", chart, "values-lab.yaml"), "utf8")).toBe(text);
    });

    it(`${chart}: validate -f values-lab.yaml passes every rung`, { timeout: 120_000 }, async () => {
      const file = join(root, "generated", chart, "values-lab.yaml");
      const res = await run(process.execPath, [
        join(root, "bin", "llmcharts.js"),
        "validate",
        "--chart",
        chart,
        "-f",
        file,
      ]);
      expect(res.exitCode, res.stdout + res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    });
  }

  for (const chart of ["platform", "tenant"]) {
    it(`${chart}: the lab values render only Kubernetes' own kinds, in namespaces the chart makes`, () => {
      const values = effectiveValues(chartOf(chart), parse(labFileOf(chart), { version: "1.1" }));
      const objects = renderConcrete(chartOf(chart), values, {
        name: "lab",
        namespace: "tenants",
        chartVersion: chartOf(chart).version,
      });
      expect(objects.length).toBeGreaterThan(0);
      const foreign = objects.filter((o) => !builtInGroups.includes(o.apiVersion));
      expect(foreign.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([]);
      const made = objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata?.name);
      const elsewhere = objects.filter((o) => o.metadata?.namespace && !made.includes(o.metadata?.namespace));
      expect(elsewhere.map((o) => `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual([]);
    });
  }
});
