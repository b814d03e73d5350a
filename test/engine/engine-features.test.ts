import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { afterAll, describe, expect, it } from "vitest";
import {
  defineChart,
  effectiveValues,
  renderConcrete,
  renderTemplates,
  ValuesRefused,
} from "../../charts-src/lib/engine/index.js";
import { chartFiles, compareRenderings, helmObjects, writeChart } from "../../src/validate/equivalence.js";
import { helms } from "../../src/validate/helm.js";

/** A small chart that uses every engine feature; each case renders it both ways and demands the same objects. */
const demo = defineChart({
  name: "demo",
  version: "0.0.1",
  appVersion: "1",
  description: "engine feature probe",
  kubeVersion: ">=1.20.0-0",
  keywords: [],
  annotations: {},
  values: Type.Object(
    {
      name: Type.String({ default: "demo" }),
      size: Type.Integer({ default: 3 }),
      enabled: Type.Boolean({ default: true }),
      tier: Type.String({ default: "standard" }),
      labels: Type.Record(Type.String(), Type.String(), { default: {} }),
      items: Type.Array(Type.Object({ key: Type.String(), n: Type.Integer() }), { default: [] }),
      note: Type.Optional(Type.String()),
      image: Type.String({ default: "docker.io/library/busybox" }),
      registries: Type.Array(Type.String(), { default: ["docker.io/", "ghcr.io/"] }),
      replicas: Type.Optional(Type.Integer()),
      extra: Type.Array(Type.Object({ name: Type.String() }, { additionalProperties: true }), { default: [] }),
    },
    { additionalProperties: false },
  ),
  templates: {
    probe: (v, h) => [
      h.refuse(h.eq(v.tier, "forbidden"), `at '/tier': ${v.tier} is refused; choose standard or premium`),
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: `${h.release.name}-${v.name}`,
          labels: h.merge({ fixed: "yes" }, v.labels, { "app.kubernetes.io/name": v.name }),
        },
        data: {
          size: `${v.size}`,
          braces: "{{ not a template }}",
          yes: "a key YAML 1.1 reads as a boolean",
          hash: h.shortHash(`${v.name}:${v.size}`),
          tier: h.when(h.includes(["premium", "both"], v.tier), "gpu", "cpu"),
          note: h.when(h.isSet(v.note), v.note as string),
          sharing: h.pick(h.isSet(v.replicas), `time-slicing-${v.replicas}`, v.tier),
          dockerHub: h.when(h.hasPrefix(v.image, "docker.io/"), "yes", "no"),
          celList: `${h.toJson(h.concat(["quay.io/"], v.registries))}.exists(p, i.startsWith(p))`,
          onlyValues: h.toJson(h.concat(v.registries)),
          distinct: h.toJson(h.unique(h.concat(v.registries, ["docker.io/"]))),
          message: `images only from ${h.join(v.registries, ", ")}`,
          repeated: h.duplicates(v.items, "key"),
          mirrored: h.replaceMatch(v.image, "^[^/]+", "mirror.example.com:5000"),
          labelsJson: h.toJson(v.labels),
        },
        conditionalOnly: [h.when(v.enabled, "on")],
        listed: h.each(v.items, (item) => ({ key: item.key, n: item.n, label: `${item.key}-${item.n}` })),
        mixed: ["first", ...h.each(v.items, (item) => item.key)],
      },
      h.when(h.not(v.enabled), { apiVersion: "v1", kind: "Secret", metadata: { name: "off" } }),
      ...h.each(v.items, (item) => ({
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: `sa-${item.key}` },
      })),
      ...h.each(v.extra, (e) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: e.name, labels: { fixed: "yes", ...h.entries(v.labels) } },
        ...h.entries(h.without(e, ["name"])),
      })),
    ],
  },
  notes: (v) => `installed ${v.name}\n`,
});

const work = mkdtempSync(join(tmpdir(), "llmcharts-engine-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const dir = join(work, "demo");
writeChart(chartFiles(demo as never), dir);

const cases: Record<string, unknown> = {
  defaults: {},
  "large numbers stay integers inside strings": { size: 12345678 },
  "conditions false": { enabled: false, tier: "premium" },
  "lists and maps": {
    items: [
      { key: "a", n: 1 },
      { key: "b", n: 2000000 },
    ],
    labels: { team: "x", fixed: "user" },
  },
  "optional value set": { note: "hello: world # not a comment" },
  "names YAML 1.1 would misread": { name: "on", items: [{ key: "y", n: 0 }] },
  "value-level choices, prefixes and lists inside strings": {
    replicas: 3,
    image: "ghcr.io/open-webui/open-webui",
    registries: ["registry.example.com/llm/", "123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/"],
  },
  "an empty list inside a string": { registries: [] },
  "a list's repeats left out, the first of each kept in place": {
    registries: ["ghcr.io/", "docker.io/", "ghcr.io/", "quay.io/"],
  },
  "map keys in Go's order, integer-like ones too": { labels: { "1": "one", "0a": "zero", b: "bee" } },
  "a map value's entries beside static keys, and a list item without some keys spread into an object": {
    labels: { team: "x", "example.com/cost": "on" },
    extra: [{ name: "extra-a", data: { k: "v", yes: "y" } }, { name: "extra-b" }],
  },
  "repeated keys of a list, each named once": {
    items: [
      { key: "a", n: 1 },
      { key: "b", n: 2 },
      { key: "a", n: 3 },
      { key: "b", n: 4 },
      { key: "a", n: 5 },
    ],
  },
  "refused values: both renderings refuse them with one message": { tier: "forbidden" },
};

describe.each(helms())("engine features with $name", (helm) => {
  it.each(Object.entries(cases))("%s: helm template equals concrete synthesis", async (_, values) => {
    expect(await compareRenderings(demo as never, dir, values, helm.exe, work)).toBeUndefined();
  });
});

describe("refusals", () => {
  const refused = { tier: "forbidden" };
  const message = "at '/tier': forbidden is refused; choose standard or premium";

  it("concrete mode throws ValuesRefused with the message", () => {
    const release = { name: "r", namespace: "n", chartVersion: "0.0.1" };
    expect(() => renderConcrete(demo as never, effectiveValues(demo as never, refused), release)).toThrow(
      new ValuesRefused(message),
    );
    expect(renderConcrete(demo as never, effectiveValues(demo as never, {}), release)).toHaveLength(1);
  });

  it.each(helms())("$name fails with the same message", async (helm) => {
    expect(await helmObjects(dir, refused, helm.exe, work)).toContain(message);
  });

  it("the repeated keys come out in the order of their repeats", () => {
    const release = { name: "r", namespace: "n", chartVersion: "0.0.1" };
    const items = ["c", "a", "c", "b", "a", "c"].map((key, n) => ({ key, n }));
    const [map] = renderConcrete(demo as never, effectiveValues(demo as never, { items }), release);
    expect((map as unknown as { data: Record<string, string> }).data.repeated).toBe("c, a");
  });
});

it("misusing a value in TypeScript is loud: arithmetic and spreading throw", () => {
  const bad = (body: (v: { size: number; labels: Record<string, string> }) => unknown) =>
    renderTemplates({ ...demo, templates: { probe: (v: unknown) => [body(v as never)] } } as never);
  expect(() => bad((v) => ({ n: v.size * 2 }))).toThrow(/arithmetic/);
  expect(() => bad((v) => ({ ...v.labels }))).toThrow(/keys are known only when Helm renders/);
});
