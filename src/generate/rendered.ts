/**
 * What a chart's good fixtures render to, in concrete mode: the source of the README's facts about objects (which
 * CRDs a chart needs, what an uninstall keeps), so those facts follow the chart instead of being written by hand.
 */
import { type ChartDefinition, effectiveValues, renderConcrete } from "../../charts-src/lib/engine/index.js";
import type { KubeObject, Named } from "../../charts-src/lib/k8s.js";
import { crdSources } from "../toolchain/pins.js";
import { loadFixtures } from "../validate/fixtures.js";

/** A rendered object: every object a chart renders is named. */
export type RenderedObject = Named<KubeObject>;

/** Each good fixture's objects, by fixture name (`defaults` first when there is one). */
export const fixtureRenderings = (root: string, chart: ChartDefinition): Map<string, RenderedObject[]> => {
  const release = { name: "example", namespace: "default", chartVersion: chart.version };
  const good = loadFixtures(root, chart.name).filter((f) => f.kind === "good");
  return new Map(
    good.map((f) => [
      f.name.slice("good/".length),
      renderConcrete(chart, effectiveValues(chart, f.values), release) as RenderedObject[],
    ]),
  );
};

/** The pinned upstream project whose CRDs define each API group the charts use. */
const crdSourceOfGroup: Record<string, string> = {
  "karpenter.sh": "karpenter",
  "karpenter.k8s.aws": "karpenter",
  "keda.sh": "keda",
  "http.keda.sh": "keda-http-add-on",
  "external-secrets.io": "external-secrets",
  "monitoring.coreos.com": "prometheus-operator",
  "kyverno.io": "kyverno",
  "gateway.networking.k8s.io": "gateway-api",
  "argoproj.io": "argo-cd",
  "traefik.io": "traefik",
};

/** API groups served by Kubernetes itself (no CRD needed); Gateway API's is a CRD despite its name. */
const builtIn = (group: string) =>
  !(group in crdSourceOfGroup) && (group === "" || !group.includes(".") || group.endsWith(".k8s.io"));

export interface CrdNeed {
  /** The upstream project (its pin in src/toolchain/pins.ts). */
  source: string;
  module: string;
  version: string;
  kinds: string[];
  /** Rendered with the chart's defaults; otherwise only some values need it. */
  always: boolean;
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? (apiVersion.split("/")[0] as string) : "");

/** The CRDs a chart's objects need, by upstream project; an unknown API group is an error to fix here. */
export const crdNeeds = (chart: string, renderings: Map<string, RenderedObject[]>): CrdNeed[] => {
  const needs = new Map<string, CrdNeed>();
  const defaults = renderings.get("defaults") ?? [];
  for (const objects of renderings.values())
    for (const o of objects) {
      const group = groupOf(o.apiVersion);
      if (builtIn(group)) continue;
      const name = crdSourceOfGroup[group];
      const source = crdSources.find((s) => s.name === name);
      if (!source)
        throw new Error(
          `${chart}: ${o.kind} (${o.apiVersion}) is of an API group no pinned CRD source serves: map it in src/generate/rendered.ts`,
        );
      const need = needs.get(source.name) ?? {
        source: source.name,
        module: source.module,
        version: source.version,
        kinds: [],
        always: false,
      };
      if (!need.kinds.includes(o.kind)) need.kinds.push(o.kind);
      need.always ||= defaults.some((d) => groupOf(d.apiVersion) === group);
      needs.set(source.name, need);
    }
  return [...needs.values()]
    .map((n) => ({ ...n, kinds: n.kinds.sort() }))
    .sort((a, b) => Number(b.always) - Number(a.always) || a.source.localeCompare(b.source));
};

/** Objects Helm keeps on uninstall (`helm.sh/resource-policy: keep`), as the chart's defaults render them. */
export const keptOnUninstall = (renderings: Map<string, RenderedObject[]>): RenderedObject[] =>
  (renderings.get("defaults") ?? []).filter((o) => o.metadata.annotations?.["helm.sh/resource-policy"] === "keep");
