/**
 * The runtime suite's context: the shared clients (src/harness/suite.ts) of the embedded control plane with a real
 * node joined to it, and the lab's host services (PostgreSQL, Redis, the model registry), started by the first
 * scenario that asks. What
 * the scenarios make (the lab tenants) is theirs to return (`RuntimeMade`).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { clusterDown, clusterUp } from "../cluster/index.js";
import { Helm } from "../harness/helm.js";
import { Kube } from "../harness/kube.js";
import { type Scenario, SuiteContext, type SuiteOptions } from "../harness/suite.js";
import { nodePaths } from "../node/config.js";
import { labNodes } from "../node/lab-nodes.js";
import { HostServices } from "./host-services.js";
import { labCertificates } from "./ingress-controller.js";
import { LabModelRegistry } from "./model-registry.js";
import type { CatalogModel } from "./platform.js";
import type { LabTenant } from "./tenants.js";

/** What the runtime scenarios make for the ones after them. */
export interface RuntimeMade {
  /** The standard tenant (standard-ready), and when its install began. */
  alpha: LabTenant;
  alphaInstalledAt: number;
  /** The premium tenant (chat-premium). */
  gamma: LabTenant;
}

export type RuntimeScenario = Scenario<RuntimeContext, RuntimeMade>;

export class RuntimeContext extends SuiteContext {
  /** PostgreSQL and Redis on the host, started on first use (see `services`). */
  private hostServices?: HostServices;
  /** The lab's model registry, started on first use (see `models`). */
  private modelRegistry?: LabModelRegistry;
  /** The platform release's model catalog as last installed or upgraded (src/runtime/platform.ts). */
  platformCatalog?: readonly CatalogModel[];
  /** The test CA and the lab hosts' serving certificate, made on first use (src/runtime/ingress-controller.ts). */
  private tls?: ReturnType<typeof labCertificates>;

  constructor(opts: SuiteOptions) {
    super(opts, "runtime");
  }

  /** The certificates users' TLS to the lab's hosts rests on: one test CA, one serving certificate, per run. */
  get labTls(): ReturnType<typeof labCertificates> {
    this.tls ??= labCertificates();
    return this.tls;
  }

  /** The real node's directory (its containerd, its kubelet's volumes). */
  get nodeDir(): string {
    if (!this.info) throw new Error("the cluster is not up");
    return nodePaths(this.info.stateDir).dir;
  }

  /** The node directory holding the model cache the tenants mount. */
  get modelCacheDir(): string {
    return join(this.nodeDir, "model-cache");
  }

  /** The node directory holding the tenants' data volumes. */
  get dataRoot(): string {
    return join(this.nodeDir, "tenant-data");
  }

  /** The control plane with the lab's real nodes and the controllers the charts configure, and the clients. */
  async up(): Promise<void> {
    this.info = await clusterUp({
      name: this.clusterName,
      log: this.log,
      realNodes: labNodes(true),
      // Reloader with External Secrets: a rotation the controller syncs rolls OpenWebUI out onto it.
      controllers: ["metrics-server", "keda", "external-secrets", "reloader", "prometheus-operator"],
    });
    this.kube = new Kube(this.info.kubeconfig);
    this.helm = new Helm(this.kube, join(this.opts.workDir, "helm"), { timeout: "5m", wait: "none" });
  }

  /** The lab's PostgreSQL (with pgvector) and Redis, started on first use and stopped by `down`. */
  async services(): Promise<HostServices> {
    if (!this.hostServices) {
      this.hostServices = new HostServices();
      await this.hostServices.start(this.log);
    }
    return this.hostServices;
  }

  /** The lab's model registry (with its blob server), started on first use and stopped by `down`. */
  async models(): Promise<LabModelRegistry> {
    if (!this.modelRegistry) {
      this.modelRegistry = new LabModelRegistry();
      await this.modelRegistry.start(this.log);
    }
    return this.modelRegistry;
  }

  /** A kept run's host services, for the operator to stop later (the cluster's own state does not hold them). */
  keptServices(): string | undefined {
    const kept = [this.hostServices?.describe(), this.modelRegistry?.describe()].filter(Boolean);
    return kept.length > 0 ? kept.join("; ") : undefined;
  }

  /** The cluster first (its pods hold connections to the host services), then the services, then the work dir. */
  async down(): Promise<void> {
    try {
      await clusterDown({ name: this.clusterName });
    } finally {
      try {
        await this.hostServices?.stop();
      } finally {
        await this.modelRegistry?.stop();
        rmSync(this.opts.workDir, { recursive: true, force: true });
      }
    }
  }
}
