import type { ConfigMap, KubeObject } from "../../charts-src/lib/k8s.js";
import { ofKind } from "./documents.js";
import { objectName, type PromqlRule, type PromqlSource } from "./promql-sources.js";

/**
 * Grafana's built-in variables, as Grafana fills them in over a one-day range: a query holding them parses only once
 * they are replaced, as Grafana replaces them before it asks Prometheus.
 */
const builtIns: Record<string, string> = {
  __interval: "1m",
  __interval_ms: "60000",
  __rate_interval: "5m",
  __range: "1d",
  __range_s: "86400",
  __range_ms: "86400000",
};

interface Variable {
  type: string;
  name: string;
  query?: unknown;
  allValue?: string;
}

interface Panel {
  id: number;
  title: string;
  targets?: { refId: string; expr?: string }[];
  /** A row's panels, when the row is collapsed. */
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  title: string;
  templating?: { list?: Variable[] };
  panels?: Panel[];
}

/**
 * The value each dashboard variable stands in for: a constant's own, and for a query variable the regex Grafana sends
 * when "All" is picked (its `allValue`), so `=~"$tenant"` stays a regex matcher.
 */
const variableValues = (d: Dashboard): Record<string, string> => {
  const values: Record<string, string> = { ...builtIns };
  for (const v of d.templating?.list ?? [])
    values[v.name] = v.type === "constant" ? String(v.query) : (v.allValue ?? "example");
  return values;
};

/** `$name` and `${name}`; `$1` (a label_replace group) is no variable. */
const variableRef = /\$(?:\{([A-Za-z_]\w*)(?::\w+)?\}|([A-Za-z_]\w*))/g;

/** Grafana dashboards a ConfigMap holds: its `.json` keys whose JSON has panels (what the Grafana sidecar loads). */
const dashboardsOf = (cm: ConfigMap): Dashboard[] =>
  Object.entries(cm.data ?? {})
    .filter(([key]) => key.endsWith(".json"))
    .flatMap(([, text]) => {
      try {
        const d = JSON.parse(text) as Dashboard;
        return Array.isArray(d.panels) ? [d] : [];
      } catch {
        return [];
      }
    });

const panelsOf = (panels: Panel[] = []): Panel[] => panels.flatMap((p) => [p, ...panelsOf(p.panels)]);

/** A record name promtool accepts, unique in the file: the dashboard, panel and query it comes from. */
const recordName = (d: Dashboard, p: Panel, refId: string) =>
  `${d.uid}:panel_${p.id}:${refId}`.replace(/[^A-Za-z0-9_:]/g, "_");

/** Each dashboard of the rendering's ConfigMaps as a source: one recording rule per panel query. */
export const dashboardSources = (docs: KubeObject[], chart: string): PromqlSource[] =>
  ofKind<ConfigMap>(docs, "ConfigMap").flatMap((cm) =>
    dashboardsOf(cm).map((d): PromqlSource => {
      const values = variableValues(d);
      const problems: string[] = [];
      const rules: PromqlRule[] = [];
      for (const p of panelsOf(d.panels))
        for (const t of p.targets ?? []) {
          if (!t.expr) continue;
          const what = `dashboard "${d.title}" panel "${p.title}" query ${t.refId}`;
          const unknown: string[] = [];
          const expr = t.expr.replace(variableRef, (ref, braced?: string, plain?: string) => {
            const value = values[(braced ?? plain) as string];
            if (value === undefined) unknown.push(ref);
            return value ?? ref;
          });
          // A query with a variable nothing fills in is reported as that, not as the parse error it then causes.
          if (unknown.length > 0)
            problems.push(
              `${objectName(cm)}: ${what}: ${unknown.join(", ")} is no variable of the dashboard nor of Grafana (known: ${Object.keys(values).join(", ")}) in \`${t.expr}\`; declare it in charts-src/${chart}/dashboards.ts or fix the query`,
            );
          else rules.push({ rule: { record: recordName(d, p, t.refId), expr }, what, expr: t.expr });
        }
      return {
        object: objectName(cm),
        fix: `fix the query in charts-src/${chart}/dashboards.ts`,
        groups: [{ name: d.uid, rules }],
        problems,
      };
    }),
  );
