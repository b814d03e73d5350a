import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import {
  type ChartDefinition,
  effectiveValues,
  renderConcrete,
  ValuesRefused,
} from "../../charts-src/lib/engine/index.js";
import { chartFiles } from "../generate/chart-files.js";
import { helmTemplate } from "./helm.js";

/** Writes a chart's generated files into `dir` (for a test's private copy). */
export const writeChart = (files: Record<string, string>, dir: string): void => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
};

export { chartFiles };

const identity = (o: Record<string, unknown>): string => {
  const m = (o.metadata ?? {}) as { name?: string; namespace?: string };
  return `${o.apiVersion}/${o.kind}/${m.namespace ?? ""}/${m.name ?? ""}`;
};

/** Manifests in canonical order, as plain JSON data. */
export const canonical = (docs: unknown[]): Record<string, unknown>[] =>
  (JSON.parse(JSON.stringify(docs)) as Record<string, unknown>[]).sort((a, b) =>
    identity(a).localeCompare(identity(b)),
  );

export const release = { name: "equiv", namespace: "equiv-ns" };

/** The objects of a rendering Helm printed, in canonical order (YAML 1.2, as the concrete side is read). */
export const renderedObjects = (printed: string): Record<string, unknown>[] =>
  canonical(
    parseAllDocuments(printed)
      .map((d) => d.toJS())
      .filter((d) => d !== null),
  );

/** `helm template` of the generated chart in `chartDir` with `values`, as canonical objects (or Helm's error). */
export const helmObjects = async (
  chartDir: string,
  values: unknown,
  helmExe: string,
  workDir: string,
): Promise<Record<string, unknown>[] | string> => {
  const valuesFile = join(workDir, `values-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
  // JSON, not YAML: Helm reads YAML 1.1, where a plain `y` or `on` is a boolean.
  writeFileSync(valuesFile, JSON.stringify(values ?? {}));
  const out = await helmTemplate(helmExe, {
    chartDir,
    valuesFile,
    release: release.name,
    namespace: release.namespace,
  });
  if (out.exitCode !== 0) return `helm template failed: ${out.stderr.trim()}`;
  return renderedObjects(out.stdout);
};

/** The first difference between Helm's objects and another rendering's (named `as`), or undefined when equal. */
export const firstDifference = (
  fromHelm: Record<string, unknown>[],
  other: unknown[],
  as: string,
): string | undefined => {
  const theirs = canonical(other);
  if (fromHelm.length !== theirs.length) {
    return `helm rendered ${fromHelm.length} objects (${fromHelm.map(identity).join(", ")}), ${as} ${theirs.length} (${theirs.map(identity).join(", ")})`;
  }
  for (const [i, h] of fromHelm.entries()) {
    const t = theirs[i];
    if (!isDeepStrictEqual(h, t))
      return `${identity(h)} differs:\nhelm: ${JSON.stringify(h)}\n${as}: ${JSON.stringify(t)}`;
  }
  return undefined;
};

/**
 * Compares Helm's rendering of `values` (its objects, or its error) with concrete synthesis, and returns a
 * description of the first difference, or undefined when they agree object for object.
 */
export const differenceFromConcrete = (
  chart: ChartDefinition,
  values: unknown,
  fromHelm: Record<string, unknown>[] | string,
): string | undefined => {
  let concrete: unknown[];
  try {
    concrete = renderConcrete(chart, effectiveValues(chart, values), { ...release, chartVersion: chart.version });
  } catch (err) {
    if (!(err instanceof ValuesRefused)) throw err;
    // Refused values are equivalent when Helm refuses them with the same message.
    if (typeof fromHelm === "string" && fromHelm.includes(err.message)) return undefined;
    return `concrete refused the values (${err.message}), helm ${typeof fromHelm === "string" ? `failed otherwise: ${fromHelm}` : "rendered them"}`;
  }
  if (typeof fromHelm === "string") return fromHelm;
  return firstDifference(fromHelm, concrete, "concrete");
};

/** Renders `values` both ways — `helm template` of the generated chart and concrete synthesis — and compares them. */
export const compareRenderings = async (
  chart: ChartDefinition,
  chartDir: string,
  values: unknown,
  helmExe: string,
  workDir: string,
): Promise<string | undefined> =>
  differenceFromConcrete(chart, values, await helmObjects(chartDir, values, helmExe, workDir));
