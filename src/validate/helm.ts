import { join } from "node:path";
import { type RunResult, run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

/** Helm 4 renders for users and Argo CD; Helm 3 is still what many run, so both must accept every chart. */
export const helms = () => [
  { name: "helm4", exe: requireBin("helm") },
  { name: "helm3", exe: requireBin("helm3") },
];

export interface RenderRequest {
  chartDir: string;
  valuesFile?: string;
  release?: string;
  namespace?: string;
  /** Extra flags, e.g. --kube-version for the oldest supported Kubernetes. */
  args?: string[];
}

/** `helm template` of one chart with one values file. */
export const helmTemplate = (exe: string, r: RenderRequest): Promise<RunResult> =>
  run(exe, [
    "template",
    r.release ?? "fixture",
    r.chartDir,
    "--namespace",
    r.namespace ?? "fixture",
    ...(r.valuesFile ? ["-f", r.valuesFile] : []),
    ...(r.args ?? []),
  ]);

export const chartDir = (root: string, chart: string) => join(root, "generated", chart);
