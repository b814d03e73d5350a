/**
 * Named templates: a fragment several places share is written once, as a `define` in the chart's `_helpers.tpl`,
 * and used by `include`; why-comments reach the template. Each case checks the text the feature writes (without it
 * the text differs); Helm proves the probe still renders what concrete mode does.
 */
import { describe, expect, it } from "vitest";
import { type Helpers, renderConcrete, renderTemplates } from "../../charts-src/lib/engine/index.js";
import { type ProbeValues, probeChart, probeValues, rendersAsConcreteMode } from "./probe-chart.js";
import { defaultsOf, valuesSchema } from "../../charts-src/lib/engine/index.js";

const labels = (v: ProbeValues, h: Helpers) =>
  h.partial("labels", () => ({ "example.com/tenant": v.name, "example.com/tier": v.tier }), "Who an object is for.");
const hasPremium = (v: ProbeValues, h: Helpers) =>
  h.partial("hasPremium", () => h.includes(["premium", "both"], v.tier), "The tier runs premium.");
const env = (v: ProbeValues, h: Helpers) =>
  h.partial("env", () => [{ name: "TENANT", value: v.name }, h.when(v.enabled, { name: "ON", value: "1" })]);
const spread = (h: Helpers, workload: string) =>
  h.partial("spread", (a) => [{ topologyKey: "zone", labelSelector: { matchLabels: { app: a.workload } } }], "", {
    workload,
  });

const probe = probeChart((v, h) => [
  ...["one", "two"].map((workload) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: workload, labels: { app: workload, ...labels(v, h) } },
    spec: {
      containers: [{ name: "c", image: "busybox", env: [...env(v, h), { name: "PORT", value: `${v.port}` }] }],
      topologySpreadConstraints: spread(h, workload),
    },
  })),
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "probe" },
    data: {
      replicas: h.comment("No replicas: the autoscaler owns the count."),
      premium: h.when(hasPremium(v, h), "gpu"),
      feature: h.comment("Only with the feature on.", h.when(v.enabled, "on")),
      a: h.when(v.meshed, "1", "0"),
      b: h.comment("Why b.", h.when(v.meshed, "2")),
    },
  },
]);

const files = renderTemplates(probe);
const text = files["probe.yaml"] as string;
const helpers = files["_helpers.tpl"] as string;

describe("named templates (partials)", () => {
  it("a map's shared entries are written once, in _helpers.tpl, and included where they go", () => {
    expect(helpers).toContain('{{- define "probe.labels" -}}\nexample.com/tenant: {{ $.Values.name | toJson }}');
    expect(text.match(/\{\{- include "probe\.labels" \$ \| nindent 4 \}\}/g)).toHaveLength(2);
    expect(text).not.toContain("example.com/tenant");
  });

  it("a list's shared items are written once and included, the rest of the list after them", () => {
    expect(helpers).toContain('{{- define "probe.env" -}}\n- name: TENANT');
    expect(text).toMatch(/\{\{- include "probe\.env" \$ \| nindent 8 \}\}\n {8}- name: PORT/);
  });

  it("a named condition prints true or nothing, and is tested as `if include`", () => {
    expect(helpers).toContain('{{- if has $.Values.tier (list "premium" "both") }}true{{- end }}');
    expect(text).toContain('{{- if include "probe.hasPremium" $ }}');
  });

  it("arguments join the root context; the body reads them beside the values", () => {
    expect(text).toContain('{{- include "probe.spread" (merge (dict "workload" "one") $) | nindent 4 }}');
    expect(helpers).toContain("app: {{ $.workload | toJson }}");
  });

  it("the why of a partial is written above its define", () => {
    expect(helpers).toContain('{{- /* Who an object is for. */}}\n{{- define "probe.labels" -}}');
  });

  it("concrete mode just calls the fragment", () => {
    const values = { ...(defaultsOf(valuesSchema(probeValues)) as object), tier: "both" };
    const [one] = renderConcrete(probe, values, { name: "r", namespace: "n", chartVersion: "0.0.1" });
    expect(one?.metadata?.labels).toEqual({ app: "one", "example.com/tenant": "acme", "example.com/tier": "both" });
  });

  const refusing = (bad: (v: ProbeValues, h: Helpers) => object) => () =>
    renderTemplates(probeChart((v, h) => [{ apiVersion: "v1", kind: "List", ...bad(v, h) }]));

  it("refuses a partial that reads a variable of the range it is used in", () => {
    expect(
      refusing((v, h) => ({ items: h.each(v.items, (item) => h.partial("item", () => ({ name: item }))) })),
    ).toThrow(/partial probe\.item reads \$item1/);
  });

  it("refuses a partial whose uses render differently", () => {
    const named = (h: Helpers, text: string) => h.partial("same", () => ({ text }));
    expect(refusing((_, h) => ({ a: named(h, "x"), b: named(h, "y") }))).toThrow(
      /partial probe\.same renders differently/,
    );
  });

  it("refuses a key both in a partial and beside it", () => {
    expect(refusing((v, h) => ({ labels: { ...labels(v, h), "example.com/tier": "x" } }))).toThrow(
      /example\.com\/tier both in a partial and beside it/,
    );
  });
});

describe("why-comments", () => {
  it("reach the template where the key they explain is left out", () => {
    expect(text).toContain("data:\n  {{- /* No replicas: the autoscaler owns the count. */}}\n");
  });

  it("stand above what they explain", () => {
    expect(text).toContain('  {{- /* Only with the feature on. */}}\n  {{- if $.Values.enabled }}\n  feature: "on"');
  });

  it("go with what they explain where the guards leave it out", () => {
    expect(text).toContain(
      '  {{- if $.Values.meshed }}\n  a: "1"\n  {{- /* Why b. */}}\n  b: "2"\n  {{- else }}\n  a: "0"\n  {{- end }}',
    );
  });
});

rendersAsConcreteMode(probe);
