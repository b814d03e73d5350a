/**
 * The PromQL of Grafana dashboards held in ConfigMaps (what the Grafana sidecar loads), each query with its template
 * variables filled in as Grafana fills them before it asks Prometheus: what promtool parses (validate) and what a real
 * Prometheus answers (the runtime suite).
 */

/** What holds dashboards: a ConfigMap's data, key by key. */
export interface DashboardHolder {
  data?: Record<string, string>;
}

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

export interface Panel {
  id: number;
  title: string;
  targets?: { refId: string; expr?: string }[];
  /** A row's panels, when the row is collapsed. */
  panels?: Panel[];
}

export interface Dashboard {
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
const dashboardsOf = (cm: DashboardHolder): Dashboard[] =>
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

/** One panel query of a dashboard, its variables filled in (`expr`), or the references nothing fills (`unknown`). */
export interface DashboardQuery {
  dashboard: Dashboard;
  panel: Panel;
  refId: string;
  /** What it is to a reader: `dashboard "Tenants" panel "Chats" query A`. */
  what: string;
  /** The query as the dashboard holds it. */
  raw: string;
  expr: string;
  unknown: string[];
  /** Every value a reference could have taken (Grafana's and the dashboard's variables). */
  known: string[];
}

/** Every panel query of a ConfigMap's dashboards. */
export const dashboardQueries = (cm: DashboardHolder): DashboardQuery[] =>
  dashboardsOf(cm).flatMap((d) => {
    const values = variableValues(d);
    return panelsOf(d.panels).flatMap((p) =>
      (p.targets ?? []).flatMap((t) => {
        if (!t.expr) return [];
        const unknown: string[] = [];
        const expr = t.expr.replace(variableRef, (ref, braced?: string, plain?: string) => {
          const value = values[(braced ?? plain) as string];
          if (value === undefined) unknown.push(ref);
          return value ?? ref;
        });
        const what = `dashboard "${d.title}" panel "${p.title}" query ${t.refId}`;
        return [
          { dashboard: d, panel: p, refId: t.refId, what, raw: t.expr, expr, unknown, known: Object.keys(values) },
        ];
      }),
    );
  });
