import type { Helpers } from "./engine/index.js";

/** The recommended Kubernetes labels that say which release and chart made an object: the same on all of them. */
export const releaseLabels = (h: Helpers, chart: string): Record<string, string> => ({
  "app.kubernetes.io/instance": h.release.name,
  "app.kubernetes.io/managed-by": "Helm",
  "helm.sh/chart": `${chart}-${h.chart.version}`,
});

/**
 * The recommended Kubernetes labels on every object a chart creates, so tools and people can tell who made it: what
 * it is, then the release's labels, written once as the chart's `labels.standard` named template.
 */
export const standardLabels = (h: Helpers, chart: string, component: string): Record<string, string> => ({
  "app.kubernetes.io/name": chart,
  "app.kubernetes.io/component": component,
  ...h.partial("labels.standard", () => releaseLabels(h, chart), "Which release and chart made an object."),
});
