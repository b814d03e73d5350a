/**
 * What every install scenario shares: the options of the run, the cluster it drives (the embedded control plane with
 * kwok nodes, or any cluster a kubeconfig names), kubectl and Helm against it, and what earlier scenarios left for
 * later ones (the kwok node pools, which tenants are installed). It knows no scenario; scenarios/index.ts lists them.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ClusterInfo, clusterUp } from "../cluster/index.js";
import { Helm } from "./helm.js";
import { Kube } from "./kube.js";
import type { PoolNodes } from "./nodes.js";
import type { Recorder } from "./recorder.js";
import { installTenantValues, type TenantRelease, tenantOf } from "./releases.js";
import { provisionClaims } from "./standins.js";
import { waitAvailable, watchReplicaFailures } from "./workloads.js";

export interface InstallOptions {
  /** Repository root (generated/, policies/, test/install/values/). */
  root: string;
  /** Scratch directory: Helm's home, analyzer dumps, previous chart versions. */
  workDir: string;
  /** Name of the embedded cluster to start. */
  clusterName?: string;
  /**
   * Use this cluster instead of starting one: no kwok nodes and no stand-ins (its own nodes, provisioners and
   * kubelets serve), only the CRDs it lacks are applied, and nothing is removed afterwards.
   */
  kubeconfig?: string;
  /** kwok nodes per zone and NodePool. */
  nodesPerZone?: number;
  /** Helm's --timeout for install, upgrade and rollback. */
  helmTimeout?: string;
  log?: (line: string) => void;
}

/** One scenario of rung 5: named checks recorded on `r`; a scenario that throws fails with the error's message. */
export interface Scenario {
  id: string;
  /** What the scenario proves, in a line: its heading in the CLI's report and its test's name. */
  title: string;
  /** For what runs without a cluster (bring-up starts it, teardown stops it); the others wait for bring-up's. */
  withoutCluster?: true;
  /** Runs last, even after a failure, unless the cluster is kept. */
  cleanup?: true;
  /** How long its test may run (test/install), when longer than the suite's default. */
  timeoutMs?: number;
  run: (ctx: InstallContext, r: Recorder) => Promise<void>;
}

export class InstallContext {
  info?: ClusterInfo;
  kube?: Kube;
  helm?: Helm;
  pools: PoolNodes[] = [];
  tenants: TenantRelease[];
  platformInstalled = false;
  readonly log: (line: string) => void;
  readonly embedded: boolean;

  constructor(readonly opts: InstallOptions) {
    this.log = opts.log ?? (() => {});
    this.embedded = opts.kubeconfig === undefined;
    this.tenants = installTenantValues.map((f) => tenantOf(opts.root, f));
    mkdirSync(opts.workDir, { recursive: true });
  }

  get clusterName(): string {
    return this.opts.clusterName ?? "install";
  }

  chartDir(chart: string): string {
    return join(this.opts.root, "generated", chart);
  }

  /** A values file of the install scenarios (test/install/values/). */
  valuesFile(name: string): string {
    return join(this.opts.root, "test", "install", "values", name);
  }

  hasChart(chart: string): boolean {
    return existsSync(join(this.chartDir(chart), "Chart.yaml"));
  }

  need(): { kube: Kube; helm: Helm } {
    if (!this.kube || !this.helm) throw new Error("no cluster: bring-up did not succeed");
    return { kube: this.kube, helm: this.helm };
  }

  /** Starts the embedded cluster (or connects to the named one). Throws with the failing component's log lines. */
  async up(): Promise<number> {
    const t = Date.now();
    let kubeconfig = this.opts.kubeconfig;
    if (this.embedded) {
      this.info = await clusterUp({ name: this.clusterName, log: (l) => this.log(`  ${l}`) });
      kubeconfig = this.info.kubeconfig;
    }
    this.kube = new Kube(kubeconfig as string);
    this.helm = new Helm(this.kube, join(this.opts.workDir, "helm"), {
      timeout: this.opts.helmTimeout ?? "90s",
      wait: "watcher",
    });
    return Date.now() - t;
  }

  /** Installs one tenant release (dry run, stand-in volumes, helm install --wait) and waits for its Deployments. */
  async installTenant(
    t: TenantRelease,
    chartDir = this.chartDir("tenant"),
    set?: Record<string, string>,
    chartArgs?: string[],
    verb: "install" | "upgrade" = "install",
  ): Promise<{ helmMs: number; readyMs: number }> {
    const { kube, helm } = this.need();
    const t0 = Date.now();
    await helm[verb](
      { release: t.release, chartDir, chartArgs, namespace: t.namespace, valuesFiles: [t.valuesFile], set },
      {
        beforeInstall: async (objects) => {
          if (this.embedded) await provisionClaims(kube, objects);
        },
        watch: (signal) => watchReplicaFailures(kube, [t.namespace], signal),
      },
    );
    const t1 = Date.now();
    await waitAvailable(kube, [t.namespace]);
    return { helmMs: t1 - t0, readyMs: Date.now() - t1 };
  }
}
