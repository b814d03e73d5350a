/**
 * The install suite's context: the shared clients (src/harness/suite.ts) of the embedded control plane with kwok
 * nodes, or of any cluster a kubeconfig names. It knows no scenario; scenarios/index.ts lists them, and what they make
 * (the kwok pools, the tenants installed) is theirs to return (`InstallMade`).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kwokInstanceTypes } from "../../charts-src/lib/instance-catalog.js";
import type { Named } from "../../charts-src/lib/k8s.js";
import { clusterUp } from "../cluster/index.js";
import { Helm } from "../harness/helm.js";
import { Kube } from "../harness/kube.js";
import type { Scenario, SuiteOptions } from "../harness/suite.js";
import { SuiteContext } from "../harness/suite.js";
import { installTenant } from "../harness/tenants.js";
import type { PoolNodes } from "./nodes.js";
import { installTenantValues, type TenantRelease, tenantOf } from "./releases.js";
import { provisionClaims } from "./standins.js";

export interface InstallOptions extends SuiteOptions {
  /**
   * Use this cluster instead of starting one: no kwok nodes and no stand-ins (its own nodes, provisioners and
   * kubelets serve), only the CRDs it lacks are applied, and nothing is removed afterwards.
   */
  kubeconfig?: string;
  /** kwok nodes per zone and NodePool. */
  nodesPerZone?: number;
  /** Helm's --timeout for install, upgrade and rollback. */
  helmTimeout?: string;
  /** Where the isolation scenario draws its matrix (an SVG file); not drawn when absent. */
  isolationReport?: string;
}

/** What the install scenarios make for the ones after them. */
export interface InstallMade {
  /** The kwok nodes made for each NodePool (bring-up). */
  pools: PoolNodes[];
  /** The tenant releases installed (install). */
  tenants: TenantRelease[];
  /** The platform release is installed (install). */
  platform: true;
}

export type InstallScenario = Scenario<InstallContext, InstallMade>;

/**
 * The namespaces KEDA watches here: the install tenants', whose premium it scales. Not the Argo CD fleet's: on kwok no
 * wake-up proxy answers its /queue, so KEDA would hold those premium tiers on the chart's fallback (Fallback True,
 * which Argo CD's health check reads as Degraded, and a Degraded canary stops the rollout); the Argo CD scenario stands
 * in for KEDA there (installStandIns.kedaFleetStatus).
 */
export const kedaNamespaces = (root: string): string[] =>
  installTenantValues
    .map((f) => tenantOf(root, f))
    .filter((t) => t.tier !== "standard")
    .map((t) => t.namespace);

export class InstallContext extends SuiteContext {
  readonly embedded: boolean;

  constructor(override readonly opts: InstallOptions) {
    super(opts, "install");
    this.embedded = opts.kubeconfig === undefined;
  }

  /** A values file of the install scenarios (test/install/values/). */
  valuesFile(name: string): string {
    return join(this.opts.root, "test", "install", "values", name);
  }

  hasChart(chart: string): boolean {
    return existsSync(join(this.chartDir(chart), "Chart.yaml"));
  }

  /**
   * The project's instance-type catalog (charts-src/lib/instance-catalog.ts) as the kwok provider's instance-types
   * file, written under the work directory: what Karpenter launches nodes from.
   */
  instanceTypesFile(): string {
    const file = join(this.opts.workDir, "karpenter", "instance-types.json");
    mkdirSync(join(this.opts.workDir, "karpenter"), { recursive: true });
    writeFileSync(file, `${JSON.stringify(kwokInstanceTypes(), null, 2)}\n`);
    return file;
  }

  /**
   * Starts the embedded cluster, with Karpenter (kwok provider, the project's catalog) and KEDA (operator and
   * metrics server; it scales the install tenants' premium Ollama), or connects to the named one.
   * Throws with the failing component's log lines.
   */
  async up(): Promise<void> {
    let kubeconfig = this.opts.kubeconfig;
    if (this.embedded) {
      const kedaWatches = { WATCH_NAMESPACE: kedaNamespaces(this.opts.root).join(",") };
      this.info = await clusterUp({
        name: this.clusterName,
        log: (l) => this.log(`  ${l}`),
        controllers: ["karpenter", "keda"],
        controllerArgs: { karpenter: [`--instance-types-file-path=${this.instanceTypesFile()}`] },
        controllerEnv: { "keda-operator": kedaWatches, "keda-adapter": kedaWatches },
      });
      kubeconfig = this.info.kubeconfig;
    }
    this.kube = new Kube(kubeconfig as string);
    this.helm = new Helm(this.kube, join(this.opts.workDir, "helm"), {
      timeout: this.opts.helmTimeout ?? "90s",
      wait: "watcher",
    });
  }

  /** Installs (or upgrades) one of the suite's tenant releases, in its own namespace, with stand-in volumes. */
  installTenant(
    t: TenantRelease,
    opts: {
      chart?: string;
      chartArgs?: string[];
      set?: Record<string, string>;
      values?: Record<string, unknown>;
      verb?: "install" | "upgrade";
      helmWait?: "watcher" | "none";
    } = {},
  ) {
    const kube = this.k;
    return installTenant(this, {
      ...opts,
      release: t.release,
      releaseNamespace: t.namespace,
      namespace: t.namespace,
      valuesFiles: [t.valuesFile],
      beforeInstall: async (objects: Named[]) => {
        if (this.embedded) await provisionClaims(kube, objects);
      },
    });
  }
}
