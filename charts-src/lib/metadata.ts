import type { Helpers } from "./engine/index.js";

/** The recommended Kubernetes labels on every object a chart creates, so tools and people can tell who made it. */
export const standardLabels = (h: Helpers, chart: string, component: string): Record<string, string> => ({
  "app.kubernetes.io/name": chart,
  "app.kubernetes.io/instance": h.release.name,
  "app.kubernetes.io/component": component,
  "app.kubernetes.io/managed-by": "Helm",
  "helm.sh/chart": `${chart}-${h.chart.version}`,
});
