/**
 * Chart.yaml's metadata for Artifact Hub and Helm users, derived rather than written by hand: the images from the
 * values' pinned `image` defaults, the changes from CHANGELOG.md, prerelease from the version, security updates from
 * the changes' kinds.
 */
import { stringify } from "yaml";
import { type ChartDefinition, defaultsOf, valuesSchema } from "../../charts-src/lib/engine/index.js";
import type { VersionEntry } from "./changelog.js";
import { project } from "./project.js";

export interface ChartImage {
  /** The values path of the image, e.g. `ollama.image`. */
  name: string;
  image: string;
}

/** Every `{ repository, tag }` default in the values: the images the chart runs unless told otherwise. */
export const chartImages = (chart: ChartDefinition): ChartImage[] => {
  const found: ChartImage[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return;
    const v = value as Record<string, unknown>;
    if (typeof v.repository === "string" && typeof v.tag === "string")
      found.push({ name: path.join("."), image: `${v.repository}:${v.tag}` });
    for (const [key, child] of Object.entries(v)) walk(child, [...path, key]);
  };
  walk(defaultsOf(valuesSchema(chart.values)), []);
  return found;
};

const yamlList = (items: object[]): string => stringify(items, { lineWidth: 0 });

/** The `annotations` of Chart.yaml: the chart's own (its category) and the derived ones. */
export const chartAnnotations = (chart: ChartDefinition, entry: VersionEntry | undefined): Record<string, string> => {
  const images = chartImages(chart);
  return {
    ...chart.annotations,
    "artifacthub.io/license": project.license,
    "artifacthub.io/prerelease": String(chart.version.includes("-")),
    "artifacthub.io/containsSecurityUpdates": String(entry?.changes.some((c) => c.kind === "security") ?? false),
    ...(entry ? { "artifacthub.io/changes": yamlList(entry.changes) } : {}),
    ...(images.length > 0 ? { "artifacthub.io/images": yamlList(images) } : {}),
    "artifacthub.io/links": yamlList([
      { name: "source", url: project.source(chart.name) },
      { name: "changelog", url: project.changelog },
      { name: "documentation", url: project.readme(chart.name) },
    ]),
  };
};
