/** A small chart for the tests of what the emitter writes: its values, and the proof that Helm renders it as concrete mode does. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Static, Type } from "@sinclair/typebox";
import { afterAll, describe, expect, it } from "vitest";
import { type ChartDefinition, defineChart, type Helpers, type Manifests } from "../../charts-src/lib/engine/index.js";
import { chartFiles, compareRenderings, writeChart } from "../../src/validate/equivalence.js";
import { helms } from "../../src/validate/helm.js";

export const probeValues = Type.Object(
  {
    name: Type.String({ default: "acme", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" }),
    note: Type.String({ default: "free: text # here" }),
    tier: Type.String({ default: "standard", enum: ["standard", "premium", "both"] }),
    enabled: Type.Boolean({ default: true }),
    meshed: Type.Boolean({ default: false }),
    secret: Type.String({ default: "" }),
    port: Type.Integer({ default: 8080 }),
    pool: Type.String({ default: "a" }),
    items: Type.Array(Type.String(), { default: [] }),
  },
  { additionalProperties: false },
);

export type ProbeValues = Static<typeof probeValues>;

/** A chart of one template file, `probe.yaml`. */
export const probeChart = (probe: (v: ProbeValues, h: Helpers) => Manifests): ChartDefinition =>
  defineChart({
    name: "probe",
    version: "0.0.1",
    appVersion: "1",
    description: "what the emitter writes",
    kubeVersion: ">=1.20.0-0",
    keywords: [],
    annotations: {},
    values: probeValues,
    templates: { probe },
    notes: () => "",
  }) as never;

/** Values that turn every condition of a probe the other way, and names YAML 1.1 would misread. */
const cases: Record<string, unknown> = {
  defaults: {},
  "everything the other way": { tier: "both", enabled: false, meshed: true, secret: "mine", pool: "c", port: 1000000 },
  "meshed and premium, names YAML would misread": {
    tier: "premium",
    meshed: true,
    pool: "b",
    name: "true",
    note: "yes",
  },
};

/** With each Helm: `helm template` of the chart equals concrete mode, for values that take every branch. */
export const rendersAsConcreteMode = (chart: ChartDefinition): void => {
  const work = mkdtempSync(join(tmpdir(), "llmcharts-probe-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, "probe");
  writeChart(chartFiles(chart), dir);
  describe.each(helms())("Helm renders it as concrete mode does, with $name", (helm) => {
    it.each(Object.entries(cases))("%s", async (_, values) => {
      expect(await compareRenderings(chart, dir, values, helm.exe, work)).toBeUndefined();
    });
  });
};
