/**
 * A small builder for Grafana dashboard JSON (schema version 39, Grafana 10/11): just what the platform's
 * dashboards use. Panels are laid out in rows of a 24-column grid, so no dashboard spells out coordinates.
 */

export type PanelType = "timeseries" | "stat" | "bargauge";

export interface Query {
  expr: string;
  /** Legend per series; `{{label}}` is Grafana's, not Helm's. */
  legend?: string;
  /** Evaluate once at the end of the range (stat and bar gauge panels of a whole range). */
  instant?: boolean;
}

export interface PanelSpec {
  title: string;
  description: string;
  type: PanelType;
  queries: Query[];
  /** Grafana unit id: percent, bytes, short, currencyUSD… */
  unit: string;
  /** Width in grid columns (of 24). */
  width: number;
  /** Stack the series of a time series panel. */
  stacked?: boolean;
  decimals?: number;
  max?: number;
}

export interface Variable {
  name: string;
  label: string;
  /** A PromQL label_values() query for a query variable, a value for a constant. */
  query: string;
  kind: "query" | "constant";
  multi?: boolean;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, resolved by Grafana.
const datasource = { type: "prometheus", uid: "${datasource}" };

const panelHeight = (p: PanelSpec) => (p.type === "stat" ? 4 : 8);

const target = (q: Query, i: number) => ({
  refId: String.fromCharCode(65 + i),
  datasource,
  expr: q.expr,
  legendFormat: q.legend ?? "__auto",
  instant: q.instant ?? false,
  range: !(q.instant ?? false),
});

const options = (p: PanelSpec) => {
  const last = { calcs: ["lastNotNull"], fields: "", values: false };
  switch (p.type) {
    case "stat":
      return { reduceOptions: last, colorMode: "value", graphMode: "area", justifyMode: "auto", textMode: "auto" };
    case "bargauge":
      return { reduceOptions: last, displayMode: "gradient", orientation: "horizontal", showUnfilled: true };
    default:
      return {
        legend: { displayMode: "table", placement: "bottom", showLegend: true, calcs: ["mean", "max"] },
        tooltip: { mode: "multi", sort: "desc" },
      };
  }
};

const panel = (p: PanelSpec, id: number, x: number, y: number) => ({
  id,
  type: p.type,
  title: p.title,
  description: p.description,
  datasource,
  gridPos: { h: panelHeight(p), w: p.width, x, y },
  fieldConfig: {
    defaults: {
      unit: p.unit,
      ...(p.decimals === undefined ? {} : { decimals: p.decimals }),
      ...(p.max === undefined ? {} : { min: 0, max: p.max }),
      ...(p.type === "timeseries"
        ? {
            custom: {
              drawStyle: "line",
              fillOpacity: p.stacked ? 60 : 10,
              lineWidth: 1,
              stacking: { mode: p.stacked ? "normal" : "none", group: "A" },
            },
          }
        : {}),
    },
    overrides: [],
  },
  options: options(p),
  targets: p.queries.map(target),
});

const variable = (v: Variable) =>
  v.kind === "constant"
    ? { type: "constant", name: v.name, label: v.label, query: v.query, hide: 2, skipUrlSync: true }
    : {
        type: "query",
        name: v.name,
        label: v.label,
        datasource,
        query: { query: v.query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
        definition: v.query,
        refresh: 2,
        sort: 1,
        multi: v.multi ?? false,
        includeAll: v.multi ?? false,
        allValue: ".*",
        current: {},
        hide: 0,
      };

/** A dashboard: its rows of panels top to bottom, each row left to right. */
export const dashboard = (d: {
  uid: string;
  title: string;
  description: string;
  rows: PanelSpec[][];
  variables: Variable[];
}): object => {
  let y = 0;
  let id = 0;
  const panels = d.rows.flatMap((row) => {
    let x = 0;
    const placed = row.map((p) => {
      id += 1;
      const out = panel(p, id, x, y);
      x += p.width;
      return out;
    });
    y += Math.max(...row.map(panelHeight));
    return placed;
  });
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ["llmcharts"],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: "1m",
    time: { from: "now-24h", to: "now" },
    timezone: "utc",
    annotations: { list: [] },
    templating: {
      list: [
        {
          type: "datasource",
          name: "datasource",
          label: "Data source",
          query: "prometheus",
          current: {},
          hide: 0,
          refresh: 1,
        },
        ...d.variables.map(variable),
      ],
    },
    panels,
  };
};
