import { stringify } from "yaml";
import type { KubeObject, PrometheusRule } from "../../charts-src/lib/k8s.js";
import { dashboardSources } from "./dashboard-queries.js";
import { ofKind } from "./documents.js";

/** One rule of a rules file promtool checks, and what a failure of it names. */
export interface PromqlRule {
  /** The rule as written for promtool: `alert`/`record`, `expr`, and the rest of an alert. */
  rule: Record<string, unknown>;
  /** What it is to a reader: `alert "LLMGPUPodPendingTooLong"`, `panel "Tenants" query A`. */
  what: string;
  /** The expression as the chart ships it (a dashboard's with its template variables). */
  expr: string;
}

/**
 * PromQL of one object of a rendering, as rule groups promtool can check: a PrometheusRule's own groups, or a
 * dashboard's queries as recording rules (promtool has no command that only parses an expression).
 */
export interface PromqlSource {
  /** The object, as failures name it: `PrometheusRule monitoring/llmcharts-platform`. */
  object: string;
  /** Where to fix what promtool refuses. */
  fix: string;
  groups: { name: string; rules: PromqlRule[] }[];
  /** What stops a query from being checked at all (a template variable with no value), as full messages. */
  problems: string[];
}

export const objectName = (o: KubeObject): string =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

type Rule = Record<string, unknown> & { alert?: string; record?: string; expr?: unknown };

/** A PrometheusRule's `spec` is a rules file already (the Prometheus Operator's own description of it). */
const prometheusRuleSource = (o: PrometheusRule, chart: string): PromqlSource => ({
  object: objectName(o),
  fix: `fix that rule in charts-src/${chart}/prometheus-rules.ts`,
  groups: (o.spec?.groups ?? []).map((g) => ({
    name: g.name,
    rules: ((g.rules ?? []) as Rule[]).map((rule) => ({
      rule,
      what: rule.alert !== undefined ? `alert "${rule.alert}"` : `record "${rule.record}"`,
      expr: String(rule.expr),
    })),
  })),
  problems: [],
});

/** Every object of a rendering that holds PromQL: PrometheusRules and Grafana dashboards. */
export const promqlSources = (docs: KubeObject[], chart: string): PromqlSource[] => [
  ...ofKind<PrometheusRule>(docs, "PrometheusRule").map((o) => prometheusRuleSource(o, chart)),
  ...dashboardSources(docs, chart),
];

/** The rules file promtool reads for a source. */
export const rulesFileText = (s: PromqlSource): string =>
  stringify({ groups: s.groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => r.rule) })) }, { lineWidth: 0 });
