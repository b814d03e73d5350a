/**
 * A tenant release, the one way both suites install it: a server-side dry run of the rendering, what the cluster must
 * hold before Helm (the caller's `beforeInstall`), `helm install` (or upgrade) watched for pods that admission
 * refuses, then, unless the caller waits on pods itself, every Deployment at its autoscaler's minimum.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Named } from "../../charts-src/lib/k8s.js";
import type { SuiteContext } from "./suite.js";
import { waitAvailable, watchReplicaFailures } from "./workloads.js";

export interface TenantInstall {
  release: string;
  /** The release's namespace (Helm's record of it). */
  releaseNamespace: string;
  /** The tenant's namespace, where its workloads run. */
  namespace: string;
  /** A chart directory, archive or `oci://` reference; the generated tenant chart by default. */
  chart?: string;
  /** How to fetch the chart (`--version`, `--verify …`). */
  chartArgs?: string[];
  valuesFiles: string[];
  /** Values known only at run time (addresses, ports), given to Helm as one more values file. */
  values?: Record<string, unknown>;
  /** `--set-string` pairs. */
  set?: Record<string, string>;
  /** @default "install" */
  verb?: "install" | "upgrade";
  /** Helm's wait for this release ("none": only the Deployments, waited on below). @default the Helm's own */
  helmWait?: "watcher" | "none";
  /** After the dry run (the tenant's namespace exists), before Helm: what the release needs that no chart makes. */
  beforeInstall?: (objects: Named[]) => Promise<void>;
  /** Wait for every Deployment to be available (false: the caller waits on pods by their own probes). @default true */
  waitAvailable?: boolean;
}

/** Values known only at run time, as one more values file of the release (JSON is YAML); returns its path. */
export const runValuesFile = (ctx: SuiteContext, release: string, values: Record<string, unknown>): string => {
  const file = join(ctx.opts.workDir, `${release}-run-values.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
};

/** Installs (or upgrades) one tenant release; returns how long Helm took and then the Deployments. */
export const installTenant = async (
  ctx: SuiteContext,
  t: TenantInstall,
): Promise<{ helmMs: number; readyMs: number }> => {
  const { kube, helm } = ctx.need();
  const valuesFiles = [...t.valuesFiles];
  if (t.values) valuesFiles.push(runValuesFile(ctx, t.release, t.values));
  const t0 = Date.now();
  await helm[t.verb ?? "install"](
    {
      release: t.release,
      chartDir: t.chart ?? ctx.chartDir("tenant"),
      chartArgs: t.chartArgs,
      namespace: t.releaseNamespace,
      valuesFiles,
      set: t.set,
      wait: t.helmWait,
    },
    {
      beforeInstall: t.beforeInstall,
      watch: (signal) => watchReplicaFailures(kube, [t.namespace], signal),
    },
  );
  const t1 = Date.now();
  if (t.waitAvailable ?? true) await waitAvailable(kube, [t.namespace]);
  return { helmMs: t1 - t0, readyMs: Date.now() - t1 };
};
