import type { Static, TObject } from "@sinclair/typebox";
import type { KubeObject } from "../k8s.js";
import { TemplateEmitter } from "./emit-template.js";
import { concreteHelpers, type Helpers, type ReleaseInfo, type Test, templateHelpers } from "./helpers.js";
import { concreteDocuments } from "./render-concrete.js";
import { Token, TokenRegistry, tokenProxy } from "./tokens.js";
import { defaultsOf, type JsonSchema, mergeValues, valuesSchema } from "./values-model.js";

/** What a template yields: resources, and lists of them (what `each` or a list-valued `when` yields at the top). */
export type Manifests = readonly (KubeObject | Manifests)[];

/** One template file: the resources it holds, as a function of the values. */
export type TemplateFn<V> = (values: V, h: Helpers) => Manifests;

/** What the generated README says beyond the values: how to install the chart, and which fixtures show it. */
export interface ChartDocs {
  /** Place in the install order of the platform's charts (1 is installed first). */
  installOrder: number;
  /** Release name and namespace the README's commands use. */
  install: { release: string; namespace: string; createNamespace: boolean };
  /** Controllers, namespaces or services that must exist first (the CRDs are found from the rendered objects). */
  prerequisites: string[];
  /** Good fixtures (names without `.yaml`) shown as the minimal and the full example: proven like every fixture. */
  examples: { minimal: string; full: string };
  /** The README's Troubleshooting section: the first failures an operator meets with this chart. */
  troubleshooting?: TroubleshootingEntry[];
}

/** One failure of the README's Troubleshooting section. */
export interface TroubleshootingEntry {
  /** What goes wrong, as the section's heading ("Pods stay Pending"). */
  failure: string;
  /** What the operator sees. */
  symptom: string;
  /** Shell commands that show the cause, one a line. */
  commands: string[];
  /** What to change. */
  fix: string;
}

/** A values file's worth of values: any part of the chart's values; the chart's defaults fill in the rest. */
export type PartialValues<V> = V extends readonly unknown[]
  ? V
  : V extends object
    ? { [K in keyof V]?: PartialValues<V[K]> }
    : V;

/** Values for one kind of cluster, shipped in the chart beside values.yaml (`values-<name>.yaml`). */
export interface ShippedValues<V> {
  /** The file is `values-<name>.yaml`. */
  name: string;
  /** What the file is for and how to use it: the comment at its top, one line per element. */
  header: string[];
  values: PartialValues<V>;
}

/**
 * A value only the operator knows (a cluster's name, a tenant's): no default would work, so none looks as if it
 * does; while it is unset the chart refuses to render, naming it and the fix.
 */
export interface RequiredValue {
  /** The value's JSON pointer, as Helm names values (`/tenant/name`). */
  pointer: string;
  /** When it counts as missing: `h.not(h.isSet(v.x))`, and only where something reads it. */
  unset: Test;
  /** What to set it to. */
  fix: string;
}

/** How a missing value is named, by the values check and by the chart's refusal alike. */
export const missingValueLine = (r: Pick<RequiredValue, "pointer" | "fix">): string =>
  `at '${r.pointer}': not set; ${r.fix}`;

/**
 * The chart's refusal of its required values left unset: one `fail` naming each of them on its own line (a chart
 * stops at its first `fail`, so one refusal lists them all). A template's only item.
 */
export const refuseMissingValues = (h: Helpers, required: RequiredValue[]): Manifests =>
  h.refuse(
    h.or(...required.map((r) => r.unset)),
    `values only you know are not set:${required.map((r) => h.pick(r.unset, `\n- ${missingValueLine(r)}`, "")).join("")}`,
  );

/** The required values left unset in a user's (merged) values: what the values check adds to the schema's. */
export const missingValues = (chart: ChartDefinition, values: unknown): string[] => {
  const h = concreteHelpers({ name: "values", namespace: "default", chartVersion: chart.version });
  try {
    return (chart.requiredValues?.(values as never, h) ?? []).filter((r) => r.unset).map(missingValueLine);
  } catch {
    // Values the schema refuses may lack a branch the check reads (a map set to null): the schema names those.
    return [];
  }
};

/** A chart, declared once: metadata, values model, and one function per template file. */
export interface ChartDefinition<M extends TObject = TObject> {
  name: string;
  /** Semver; bump it whenever the rendered output changes (`generate` refuses otherwise). */
  version: string;
  appVersion: string;
  description: string;
  /** Kubernetes versions the chart supports, as a Helm `kubeVersion` constraint. */
  kubeVersion: string;
  keywords: string[];
  /** Artifact Hub annotations set by hand (`artifacthub.io/category`); the rest are derived by `generate`. */
  annotations: Record<string, string>;
  /** The README's install, prerequisites and examples; charts without it get the values table only. */
  docs?: ChartDocs;
  /**
   * A good fixture (name without `.yaml`) holding only what no default can know (a host, an IAM role), for charts
   * that refuse their bare defaults: shipped as `ci/<name>-values.yaml`, which `helm lint` and `ct lint` lint with.
   */
  lintFixture?: string;
  values: M;
  /** Values files shipped in the chart for other kinds of cluster (the one-node lab's `values-lab.yaml`). */
  shippedValues?: ShippedValues<Static<M>>[];
  /**
   * What only the operator knows, with no default: the values check names each one left unset, and a template of the
   * chart (`refuseMissingValues`) refuses to render without them.
   */
  requiredValues?: (values: Static<M>, h: Helpers) => RequiredValue[];
  /** Template file name (without `.yaml`) → resources. */
  templates: Record<string, TemplateFn<Static<M>>>;
  /** Markdown sections of the README after the parameter table (operations, upgrade notes); static text. */
  readme?: string;
  /** NOTES.txt shown after install; values read inside it become `{{ … }}`. */
  notes: (values: Static<M>, h: Helpers) => string;
}

export const defineChart = <M extends TObject>(chart: ChartDefinition<M>): ChartDefinition<M> => chart;

/** The chart's values after Helm's coalescing of the user's file over the chart's defaults. */
export const effectiveValues = (chart: ChartDefinition, user: unknown): unknown =>
  mergeValues(defaultsOf(valuesSchema(chart.values)), user ?? {});

/** Concrete mode: the manifests the chart yields for these (already merged) values. */
export const renderConcrete = (chart: ChartDefinition, values: unknown, release: ReleaseInfo): KubeObject[] => {
  const h = concreteHelpers(release);
  return Object.keys(chart.templates)
    .sort()
    .flatMap((file) => concreteDocuments((chart.templates[file] as TemplateFn<unknown>)(structuredClone(values), h)));
};

/** Template mode: every template file of the chart, and NOTES.txt, as Helm templates. */
export const renderTemplates = (chart: ChartDefinition): Record<string, string> => {
  const registry = new TokenRegistry();
  const values = tokenProxy("$.Values", valuesSchema(chart.values) as JsonSchema as never, registry);
  const h = templateHelpers(registry, chart.name);
  const emitter = new TemplateEmitter(registry);
  // Names the source a reader edits instead: each template file is built by charts-src/<chart>/<file>.ts.
  const header = (source: string) => `{{- /* Generated from ${source}: edit it there. */}}\n`;
  const files: Record<string, string> = {};
  for (const file of Object.keys(chart.templates).sort()) {
    const docs = (chart.templates[file] as TemplateFn<unknown>)(values, h);
    files[`${file}.yaml`] = header(`charts-src/${chart.name}/${file}.ts`) + emitter.documents(docs);
  }
  const notes = chart.notes(values as never, h);
  files["NOTES.txt"] = registry
    .split(notes)
    .map((p) => (p instanceof Token ? `{{ ${p.expr} }}` : p))
    .join("");
  if (registry.defines.size > 0)
    files["_llmcharts.tpl"] = `${header("charts-src/lib/engine")}${[...registry.defines.values()].join("\n")}\n`;
  for (const m of registry.includedInExpressions) emitter.define(m);
  if (registry.partials.size > 0) {
    const byName = [...registry.partials.keys()].sort().map((name) => registry.partials.get(name));
    files["_helpers.tpl"] = `${header(`charts-src/${chart.name} (its h.partial fragments)`)}${byName.join("\n\n")}\n`;
  }
  return files;
};
