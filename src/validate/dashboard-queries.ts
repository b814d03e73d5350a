import type { ConfigMap, KubeObject } from "../../charts-src/lib/k8s.js";
import { type Dashboard, dashboardQueries, type Panel } from "../lib/dashboard-queries.js";
import { ofKind } from "./documents.js";
import { objectName, type PromqlRule, type PromqlSource } from "./promql-sources.js";

/** A record name promtool accepts, unique in the file: the dashboard, panel and query it comes from. */
const recordName = (d: Dashboard, p: Panel, refId: string) =>
  `${d.uid}:panel_${p.id}:${refId}`.replace(/[^A-Za-z0-9_:]/g, "_");

/** Each dashboard of the rendering's ConfigMaps as a source: one recording rule per panel query. */
export const dashboardSources = (docs: KubeObject[], chart: string): PromqlSource[] =>
  ofKind<ConfigMap>(docs, "ConfigMap").flatMap((cm) => {
    const byDashboard = new Map<Dashboard, ReturnType<typeof dashboardQueries>>();
    for (const q of dashboardQueries(cm)) byDashboard.set(q.dashboard, [...(byDashboard.get(q.dashboard) ?? []), q]);
    return [...byDashboard].map(([d, queries]): PromqlSource => {
      const problems: string[] = [];
      const rules: PromqlRule[] = [];
      for (const q of queries) {
        // A query with a variable nothing fills in is reported as that, not as the parse error it then causes.
        if (q.unknown.length > 0)
          problems.push(
            `${objectName(cm)}: ${q.what}: ${q.unknown.join(", ")} is no variable of the dashboard nor of Grafana (known: ${q.known.join(", ")}) in \`${q.raw}\`; declare it in charts-src/${chart}/dashboards.ts or fix the query`,
          );
        else rules.push({ rule: { record: recordName(d, q.panel, q.refId), expr: q.expr }, what: q.what, expr: q.raw });
      }
      return {
        object: objectName(cm),
        fix: `fix the query in charts-src/${chart}/dashboards.ts`,
        groups: [{ name: d.uid, rules }],
        problems,
      };
    });
  });
