/**
 * Rung 6 of the ladder: the charts' workloads running for real. One RuntimeRun brings up the embedded control plane
 * with a real node (src/node), imports the images built here, writes the tiny model into the node's cache directory,
 * installs the platform and tenant charts with real Helm, and runs the scenarios; each prints `PASS <id>` or
 * `FAIL <id>: <reason>`. Every wait has a deadline and a failure carries the pod's events and the container's logs.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { clusterDown, clusterUp, type ClusterInfo } from "../cluster/index.js";
import { buildImages, importImages } from "../images/build.js";
import { busyboxImage, kedaHttpInterceptorImage, ollamaImage, openwebuiImage } from "../images/catalog.js";
import { installCrds } from "../install/crds.js";
import { Helm } from "../install/helm.js";
import { Kube } from "../install/kube.js";
import { nodePaths } from "../node/config.js";
import { labNodes } from "../node/lab-nodes.js";
import { requireBin } from "../toolchain/tools.js";
import { HostServices } from "./host-services.js";
import { prepareModelCache } from "./model.js";

export interface ScenarioOutcome {
  id: string;
  ok: boolean;
  reason?: string;
  ms: number;
  /** Figures the bench reads (e.g. seconds to the first answer). */
  figures?: Record<string, number>;
}

export interface RuntimeOptions {
  root: string;
  workDir: string;
  clusterName?: string;
  log?: (line: string) => void;
}

/** A scenario: throws (with the evidence) to fail; returns figures to report. */
export type Scenario = (run: RuntimeRun) => Promise<Record<string, number> | undefined>;

export class RuntimeRun {
  info?: ClusterInfo;
  kube?: Kube;
  helm?: Helm;
  /** The node directory holding the model cache the tenants mount. */
  modelCacheDir = "";
  /** The node directory holding the tenants' data volumes. */
  dataRoot = "";
  /** PostgreSQL and Redis on the host, started by the first scenario that asks (see `services`). */
  private hostServices?: HostServices;
  /** Times scenarios hand on to later ones (e.g. when the tenant install began). */
  readonly marks: Record<string, number> = {};
  readonly log: (line: string) => void;

  constructor(readonly opts: RuntimeOptions) {
    this.log = opts.log ?? (() => {});
    mkdirSync(opts.workDir, { recursive: true });
  }

  get clusterName(): string {
    return this.opts.clusterName ?? "runtime";
  }

  get k(): Kube {
    if (!this.kube) throw new Error("the cluster is not up");
    return this.kube;
  }

  get h(): Helm {
    if (!this.helm) throw new Error("the cluster is not up");
    return this.helm;
  }

  /** The lab's PostgreSQL (with pgvector) and Redis, started on first use and stopped by `down`. */
  async services(): Promise<HostServices> {
    if (!this.hostServices) {
      this.hostServices = new HostServices();
      await this.hostServices.start(this.log);
    }
    return this.hostServices;
  }

  /** Cluster with a real node, images imported, CRDs applied, the tiny model in the cache, the platform installed. */
  async up(): Promise<void> {
    const images = await buildImages(
      [busyboxImage.name, ollamaImage.name, openwebuiImage.name, kedaHttpInterceptorImage.name],
      this.log,
    );
    this.info = await clusterUp({
      name: this.clusterName,
      log: this.log,
      realNodes: labNodes(true),
    });
    this.kube = new Kube(this.info.kubeconfig);
    this.helm = new Helm(this.kube, join(this.opts.workDir, "helm"), { timeout: "5m", wait: "none" });
    const node = nodePaths(this.info.stateDir);
    // OpenWebUI runs on standard nodes only: the premium node gets Ollama and the probe image.
    for (const [i, n] of labNodes(true).entries()) {
      const wanted = images.filter((img) => i === 0 || img.name !== openwebuiImage.name);
      await importImages(
        requireBin("ctr"),
        nodePaths(this.info.stateDir, n.suffix).containerdSocket,
        wanted.map((img) => img.archive),
      );
    }
    this.log(`images imported: ${images.map((img) => img.name).join(", ")}`);
    this.modelCacheDir = join(node.dir, "model-cache");
    this.dataRoot = join(node.dir, "tenant-data");
    await prepareModelCache(this.modelCacheDir, join(this.opts.workDir, "model"));
    this.log(`tiny model written into ${this.modelCacheDir}`);
    await installCrds(this.kube);
    for (const ns of ["monitoring", "nvidia-device-plugin", "tenants"]) {
      await this.k.kubectl(["create", "namespace", ns]);
    }
    await this.h.helm([
      "install",
      "platform",
      join(this.opts.root, "generated", "platform"),
      "--namespace",
      "tenants",
      "-f",
      join(this.opts.root, "test", "runtime", "values", "lab-platform.yaml"),
    ]);
  }

  /** A kept run's host services, for the operator to stop later (the cluster's own state does not hold them). */
  keptServices(): string | undefined {
    return this.hostServices?.describe();
  }

  /** The cluster first (its pods hold connections to the host services), then the services, then the work dir. */
  async down(): Promise<void> {
    try {
      await clusterDown({ name: this.clusterName });
    } finally {
      await this.hostServices?.stop();
      rmSync(this.opts.workDir, { recursive: true, force: true });
    }
  }

  async runScenario(id: string, scenario: Scenario): Promise<ScenarioOutcome> {
    const start = Date.now();
    try {
      const figures = await scenario(this);
      return { id, ok: true, ms: Date.now() - start, ...(figures ? { figures } : {}) };
    } catch (err) {
      return { id, ok: false, reason: (err as Error).message, ms: Date.now() - start };
    }
  }
}
