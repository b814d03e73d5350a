/** The tenant chart's concrete rendering, and the lookups its tests share. */
import { charts } from "../../charts-src/index.js";
import type { Deployment, EnvVar } from "../../charts-src/lib/k8s.js";
import { ofKind, type Rendered, renderChart } from "../rendered.js";

const chart = charts.tenant;
if (!chart) throw new Error("the tenant chart is not registered");
const release = { name: "acme", namespace: "tenants", chartVersion: chart.version };

export const render = (values: unknown) => renderChart("tenant", values, release);
export const find = (objects: Rendered[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
export const deployment = (objects: Rendered[], name: string) =>
  ofKind<Deployment>(objects, "Deployment").find((d) => d.metadata.name === name);
/** The first container of a Deployment: the application itself. */
export const container = (objects: Rendered[], name: string) =>
  deployment(objects, name)?.spec?.template.spec?.containers[0];
export const env = (objects: Rendered[], name = "openwebui"): Record<string, EnvVar> =>
  Object.fromEntries((container(objects, name)?.env ?? []).map((e) => [e.name, e]));
export const value = (objects: Rendered[], name: string) => env(objects)[name]?.value;

/** A Kubernetes quantity in bytes (the binary and decimal suffixes the chart uses). */
export const bytes = (q: string): number => {
  const m = /^([0-9.]+)([KMGT]i?)?$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const power = { K: 1, M: 2, G: 3, T: 4 }[m[2]?.[0] as "K"] ?? 0;
  return Number(m[1]) * (m[2]?.endsWith("i") ? 1024 : 1000) ** power;
};
