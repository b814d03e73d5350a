/**
 * `llmcharts/cdk8s`: each chart as a cdk8s `Chart` construct, so a cdk8s app composes our charts with its own
 * objects: `new TenantChart(app, "acme", { tenant: { name: "acme" }, exposure: { host: … }, … })`. The construct holds the chart's concrete
 * rendering (the same function that writes the Helm templates, run on data), one `ApiObject` per object; the
 * values are checked against the chart's schema first, with the same messages as `llmcharts validate`.
 * test/cdk8s proves that its synthesis equals `helm template` of the generated chart with the same values.
 */
import type { Static, TObject } from "@sinclair/typebox";
import { ApiObject, Chart, JsonPatch } from "cdk8s";
import type { Construct } from "constructs";
import { type ChartDefinition, effectiveValues, renderConcrete } from "../../charts-src/lib/engine/index.js";
import type { KubeObject } from "../../charts-src/lib/k8s.js";
import { nodepoolsChart } from "../../charts-src/nodepools/chart.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { tenantChart } from "../../charts-src/tenant/chart.js";
import { valuesChecker } from "../validate/rung-values.js";

/** A values file's worth of values: any part of the chart's values; the chart's defaults fill in the rest. */
export type ValuesOf<V> = V extends readonly unknown[] ? V : V extends object ? { [K in keyof V]?: ValuesOf<V[K]> } : V;

/** What Helm would know at install time. */
export interface ReleaseProps {
  /**
   * The release name (`.Release.Name`).
   * @default the construct's id
   */
  releaseName?: string;
  /**
   * The release namespace (`.Release.Namespace`). Objects carry a namespace only where the chart sets one, as with
   * `helm template`; this is not cdk8s's chart-wide namespace.
   * @default "default"
   */
  namespace?: string;
}

/** One of our charts as a cdk8s Chart: its concrete rendering for `values`. */
export class LlmChart<M extends TObject> extends Chart {
  /** The objects, as plain data, in the order the chart's template files hold them. */
  readonly objects: readonly KubeObject[];

  constructor(
    scope: Construct,
    id: string,
    definition: ChartDefinition<M>,
    values: ValuesOf<Static<M>> = {} as ValuesOf<Static<M>>,
    release: ReleaseProps = {},
  ) {
    super(scope, id);
    const chart = definition as unknown as ChartDefinition;
    const errors = valuesChecker(chart)(values);
    if (errors.length > 0) throw new Error(`${chart.name} values for ${id}: ${errors.join("; ")}`);
    this.objects = renderConcrete(chart, effectiveValues(chart, values), {
      name: release.releaseName ?? id,
      namespace: release.namespace ?? "default",
      chartVersion: chart.version,
    });
    for (const o of this.objects) {
      const api = new ApiObject(this, objectId(o), o);
      // cdk8s drops empty maps and lists from metadata (`annotations: {}`); Helm keeps them, and so do we.
      for (const [key, value] of Object.entries(o.metadata ?? {}))
        if (isEmptyCollection(value)) api.addJsonPatch(JsonPatch.add(`/metadata/${key}`, value));
    }
  }
}

const isEmptyCollection = (v: unknown): boolean =>
  Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0;

/** A construct id per object: unique within a release, as its kind, namespace and name are. */
const objectId = (o: KubeObject): string =>
  [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join("-").replaceAll("/", "-");

/** The construct class of one chart: `new (scope, id, values?, release?)`. */
const chartConstruct = <M extends TObject>(definition: ChartDefinition<M>) =>
  class extends LlmChart<M> {
    constructor(scope: Construct, id: string, values?: ValuesOf<Static<M>>, release?: ReleaseProps) {
      super(scope, id, definition, values, release);
    }
  };

/** The tenant chart: one customer's namespace, guardrails, OpenWebUI and Ollama. */
export const TenantChart = chartConstruct(tenantChart);

/** The platform chart: once per cluster (priorities, storage, model cache, policies, monitoring). */
export const PlatformChart = chartConstruct(platformChart);

/** The nodepools chart: the Karpenter NodePools and EC2NodeClasses of the standard and premium tiers. */
export const NodepoolsChart = chartConstruct(nodepoolsChart);
