/**
 * Rung 5 of the validation ladder: the generated charts installed on a real API server. One InstallRun drives a
 * cluster (the embedded control plane with kwok nodes, or any cluster a kubeconfig names) through the scenarios;
 * each returns named checks, so that the CLI prints them and the vitest suite asserts them.
 *
 *   1 bring-up      cluster, the pinned upstream CRDs Established, kwok nodes per NodePool in two zones
 *   2 install       nodepools, platform, three tenants (standard, premium, both) with real helm; pods placed by tier
 *   3 admission     the API server refuses GPU pods and GPU tolerations outside premium, pods over quota, privilege
 *   4 isolation     np-guard's analysis of the live NetworkPolicies: no tenant reaches another
 *   5 lifecycle     previous chart version → upgrade → rollback → uninstall (kept namespace and data) → reinstall
 *   oci             published signed to a real OCI registry, installed from it with --verify, tenant upgraded there
 *   6 argo-parity   rendered as Argo CD renders, applied server-side, in sync, and a second render byte-identical
 *   bad-input       a chart the server refuses stops at the dry run with the server's message
 *   7 teardown      every process of the cluster gone (unless kept)
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ClusterInfo, clusterDown, clusterStatus, clusterUp } from "../cluster/index.js";
import { crdSources } from "../toolchain/pins.js";
import { installCrds } from "./crds.js";
import { Helm, type ReleaseSpec } from "./helm.js";
import { Kube } from "./kube.js";
import { parseManifests } from "./manifests.js";
import { createPoolNodes, type PoolNodes } from "./nodes.js";
import { Recorder, type ScenarioResult } from "./recorder.js";
import {
  clusterReleaseNamespace,
  installTenantValues,
  nodepoolsRelease,
  platformRelease,
  prerequisiteNamespaces,
  type TenantRelease,
  tenantOf,
} from "./releases.js";
import { admissionScenario } from "./scenario-admission.js";
import { argoParityScenario, badInputScenario } from "./scenario-argo.js";
import { isolationScenario } from "./scenario-isolation.js";
import { lifecycleScenario } from "./scenario-lifecycle.js";
import { ociScenario } from "./scenario-oci.js";
import { provisionClaims } from "./standins.js";
import { placements, waitAvailable, watchReplicaFailures } from "./workloads.js";

export { prerequisiteNamespaces, type TenantRelease } from "./releases.js";

export interface InstallRunOptions {
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

export class InstallRun {
  info?: ClusterInfo;
  kube?: Kube;
  helm?: Helm;
  pools: PoolNodes[] = [];
  tenants: TenantRelease[];
  platformInstalled = false;
  readonly log: (line: string) => void;
  readonly embedded: boolean;

  constructor(readonly opts: InstallRunOptions) {
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

  hasChart(chart: string): boolean {
    return existsSync(join(this.chartDir(chart), "Chart.yaml"));
  }

  need(): { kube: Kube; helm: Helm } {
    if (!this.kube || !this.helm) throw new Error("no cluster: bring-up did not succeed");
    return { kube: this.kube, helm: this.helm };
  }

  scenario(id: string, title: string): Recorder {
    this.log(`[${id}] ${title}`);
    return new Recorder(id, title, this.log);
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

  /** 1: CRDs Established, kwok nodes for every NodePool of the nodepools chart, in two zones each. */
  async bringUp(): Promise<ScenarioResult> {
    const r = this.scenario("1", "bring-up: cluster, upstream CRDs, nodes per NodePool");
    if (!this.kube && (await r.step("cluster up", () => this.up())) === undefined) return r.result();
    const { kube, helm } = this.need();
    if (this.embedded) {
      const status = await clusterStatus({ name: this.clusterName });
      r.check("cluster running", status.state === "running", `${status.state}, api ${status.api}`);
    }
    r.note(`API server ${await kube.serverVersion()}`);

    const crds = await r.timed("CRDs applied server-side and Established", () =>
      r.step("CRDs applied server-side", () => installCrds(kube, { onlyMissing: !this.embedded })),
    );
    for (const source of crdSources) {
      const rep = crds?.find((c) => c.source === source.name);
      r.check(
        `CRDs of ${source.name} ${source.version} Established`,
        rep !== undefined && rep.crds.length === source.files.length && rep.established.length === rep.crds.length,
        rep ? `${rep.established.length}/${rep.crds.length}: ${rep.crds.join(", ")}` : "not applied",
      );
    }

    const spec: ReleaseSpec = { release: nodepoolsRelease, chartDir: this.chartDir("nodepools"), namespace: "default" };
    const nodePools = parseManifests(await helm.template(spec)).filter((o) => o.kind === "NodePool");
    r.check("nodepools chart renders NodePools", nodePools.length > 0, `${nodePools.length}`);
    if (!this.embedded) {
      r.note("external cluster: no kwok nodes made; its own nodes (Karpenter's) serve the pods");
      return r.result();
    }
    const pools = await r.step("kwok nodes created and Ready", () =>
      createPoolNodes(kube, nodePools, { zones: 2, perZone: this.opts.nodesPerZone ?? 1 }),
    );
    this.pools = pools ?? [];
    const nodes = await kube.list("nodes");
    for (const pool of this.pools) {
      const mine = nodes.filter((n) => pool.nodes.includes(n.metadata.name));
      const zones = new Set(mine.map((n) => n.metadata.labels?.["topology.kubernetes.io/zone"]));
      const ready = mine.filter((n) =>
        // biome-ignore lint/suspicious/noExplicitAny: node conditions.
        (n.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"),
      );
      const gpuOk = mine.every((n) =>
        pool.gpu
          ? Number(n.status?.allocatable?.["nvidia.com/gpu"] ?? 0) > 0 &&
            // biome-ignore lint/suspicious/noExplicitAny: taints.
            (n.spec?.taints ?? []).some((t: any) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule")
          : n.status?.allocatable?.["nvidia.com/gpu"] === undefined && (n.spec?.taints ?? []).length === 0,
      );
      r.check(
        `NodePool ${pool.pool}: ${mine.length} Ready nodes in ${zones.size} zones${pool.gpu ? ", GPU and tainted" : ", no GPU, untainted"}`,
        mine.length >= 2 && ready.length === mine.length && zones.size >= 2 && gpuOk,
        mine
          .map(
            (n) =>
              `${n.metadata.name} ${n.metadata.labels?.["topology.kubernetes.io/zone"]} ${n.metadata.labels?.["node.kubernetes.io/instance-type"]}`,
          )
          .join(", "),
      );
    }
    return r.result();
  }

  /** Pod placement checks of one tenant namespace. */
  private async checkPlacement(r: Recorder, t: TenantRelease): Promise<void> {
    const { kube } = this.need();
    let pods = await placements(kube, t.namespace);
    if (t.tier !== "standard" && !pods.some((p) => p.component === "ollama-premium")) {
      // KEDA would scale premium from zero on traffic; it is not running here, so scale it by hand.
      r.note(`${t.namespace}: ollama-premium has no pod (0 replicas by design); scaled to 1 to check placement`);
      await kube.kubectl(["scale", "deployment/ollama-premium", "-n", t.namespace, "--replicas=1"]);
      await waitAvailable(kube, [t.namespace]);
      pods = await placements(kube, t.namespace);
    }
    const where = (c: string) =>
      pods
        .filter((p) => p.component === c)
        .map((p) => `${p.pod}→${p.node.name}`)
        .join(", ");
    const of = (c: string) => pods.filter((p) => p.component === c);
    if (t.tier !== "premium") {
      r.check(
        `${t.namespace}: standard Ollama only on standard (CPU) nodes`,
        of("ollama-standard").length > 0 &&
          of("ollama-standard").every((p) => p.node.tier === "standard" && !p.node.gpu),
        where("ollama-standard") || "no ollama-standard pod",
      );
    } else {
      r.check(
        `${t.namespace}: no standard Ollama on the premium tier`,
        of("ollama-standard").length === 0,
        where("ollama-standard"),
      );
    }
    if (t.tier !== "standard") {
      r.check(
        `${t.namespace}: premium Ollama only on GPU nodes`,
        of("ollama-premium").length > 0 && of("ollama-premium").every((p) => p.node.tier === "premium" && p.node.gpu),
        where("ollama-premium") || "no ollama-premium pod",
      );
    } else {
      r.check(
        `${t.namespace}: no premium Ollama on the standard tier`,
        of("ollama-premium").length === 0,
        where("ollama-premium"),
      );
    }
    r.check(
      `${t.namespace}: OpenWebUI never on GPU nodes`,
      of("openwebui").length > 0 && of("openwebui").every((p) => !p.node.gpu),
      where("openwebui") || "no openwebui pod",
    );
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

  /** 2: nodepools, platform (or the admission policies alone), three tenants; every Deployment available, placed. */
  async install(): Promise<ScenarioResult> {
    const r = this.scenario("2", "install with helm: nodepools, platform, three tenants");
    const { kube, helm } = this.need();
    await r.timed(`install nodepools`, () =>
      r.step("nodepools installed (after a server-side dry run)", () =>
        helm.install({
          release: nodepoolsRelease,
          chartDir: this.chartDir("nodepools"),
          namespace: clusterReleaseNamespace,
        }),
      ),
    );
    const livePools = await kube.list("nodepools.karpenter.sh");
    r.check("NodePools exist", livePools.length > 0, livePools.map((p) => p.metadata.name).join(", "));

    if (this.hasChart("platform")) {
      for (const ns of prerequisiteNamespaces) {
        if (!(await kube.exists("namespace", ns))) {
          await kube.create([{ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }]);
        }
      }
      r.note(
        `created namespaces the platform chart expects from other components: ${prerequisiteNamespaces.join(", ")}`,
      );
      const ok = await r.timed("install platform", () =>
        r.step("platform installed (after a server-side dry run)", () =>
          helm.install({
            release: platformRelease,
            chartDir: this.chartDir("platform"),
            namespace: clusterReleaseNamespace,
          }),
        ),
      );
      this.platformInstalled = ok !== undefined;
    } else {
      const files = ["policies/admission/policy.yaml"].map((f) => join(this.opts.root, f)).filter((f) => existsSync(f));
      r.note(`no platform chart: applying ${files.join(", ")} directly`);
      await r.step("admission policies applied", () =>
        kube.kubectl(["apply", "--server-side", ...files.flatMap((f) => ["-f", f])]),
      );
    }
    const vaps = await kube.list("validatingadmissionpolicies");
    const bindings = await kube.list("validatingadmissionpolicybindings");
    r.check(
      "ValidatingAdmissionPolicies and their bindings active",
      vaps.length > 0 && bindings.length >= vaps.length,
      `${vaps.length} policies, ${bindings.length} bindings: ${vaps.map((v) => v.metadata.name).join(", ")}`,
    );

    for (const t of this.tenants) {
      const times = await r.step(
        `tenant ${t.release} (${t.tier}) installed in ${t.namespace}, every Deployment available`,
        () => this.installTenant(t),
      );
      t.installed = times !== undefined;
      if (times) {
        r.note(
          `install tenant ${t.release} (${t.tier}): helm install --wait ${(times.helmMs / 1000).toFixed(1)}s, then autoscaler minimums available ${(times.readyMs / 1000).toFixed(1)}s`,
        );
      }
      if (!t.installed) continue;
      const ns = await kube.get("namespace", t.namespace);
      r.check(
        `${t.namespace}: namespace labelled for tenant ${t.tenant}, tier ${t.tier}, Pod Security restricted`,
        ns.metadata.labels?.["llmcharts.io/tenant"] === t.tenant &&
          ns.metadata.labels?.["llmcharts.io/tier"] === t.tier &&
          ns.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted",
        JSON.stringify(ns.metadata.labels),
      );
      await this.checkPlacement(r, t);
    }
    return r.result();
  }

  /** 3: the API server itself refuses what the platform's policies and the tenant's quota forbid. */
  admission(): Promise<ScenarioResult> {
    return admissionScenario(this);
  }

  /** 4: np-guard over the live NetworkPolicies and pods: no tenant reaches another; Ollama only from its OpenWebUI. */
  isolation(): Promise<ScenarioResult> {
    return isolationScenario(this);
  }

  /** 5: upgrade from the previous chart version, rollback, uninstall (kept namespace, claim, user data), reinstall. */
  lifecycle(): Promise<ScenarioResult> {
    return lifecycleScenario(this);
  }

  /** 6: Argo CD's rendering (server's version and API versions, CRDs included), applied server-side, stable. */
  argoParity(): Promise<ScenarioResult> {
    return argoParityScenario(this);
  }

  /** oci: publish to a real OCI registry, install from it with --verify, upgrade a tenant there. */
  oci(): Promise<ScenarioResult> {
    return ociScenario(this);
  }

  /** A chart the server refuses (a CEL rule of Karpenter's NodePool CRD) stops at the dry run, before Helm runs. */
  badInput(): Promise<ScenarioResult> {
    return badInputScenario(this);
  }

  /** 7: stops the embedded cluster and checks that none of its processes remain. */
  async teardown(): Promise<ScenarioResult> {
    const r = this.scenario("7", "teardown: no process left behind");
    if (!this.embedded) {
      const releases = (await this.helm?.list().catch(() => [])) ?? [];
      r.note(
        `external cluster: nothing removed. Releases: ${releases.map((x) => `${x.namespace}/${x.name}`).join(", ") || "-"}; ` +
          "kept tenant namespaces and claims, and the Argo CD parity objects (argo-pools, tenant-argo-parity) stay too",
      );
      r.check("nothing to stop", true);
      return r.result();
    }
    const pids = Object.entries(this.info?.pids ?? {});
    const report = await clusterDown({ name: this.clusterName });
    r.note(
      `stopped: ${report.terminated.join(", ") || "-"}${report.killed.length ? `; SIGKILL: ${report.killed.join(", ")}` : ""}`,
    );
    const alive = pids.filter(([, pid]) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    r.check("every control-plane process is gone", alive.length === 0, alive.map(([n, p]) => `${n} ${p}`).join(", "));
    r.check("the cluster's state is removed", (await clusterStatus({ name: this.clusterName })).state === "absent");
    return r.result();
  }

  /** Runs a scenario; an unexpected error becomes a failed check of it instead of ending the run. */
  async safe(id: string, title: string, fn: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
    try {
      return await fn();
    } catch (err) {
      const r = new Recorder(id, title, this.log);
      r.check("scenario ran to the end", false, (err as Error).message);
      return r.result();
    }
  }

  /** Every scenario in order; teardown always runs unless `keep`. */
  async all(opts: { keep?: boolean } = {}): Promise<ScenarioResult[]> {
    const results: ScenarioResult[] = [];
    try {
      results.push(await this.safe("1", "bring-up", () => this.bringUp()));
      if (this.kube) {
        results.push(await this.safe("2", "install", () => this.install()));
        results.push(await this.safe("3", "admission", () => this.admission()));
        results.push(await this.safe("4", "isolation", () => this.isolation()));
        results.push(await this.safe("5", "lifecycle", () => this.lifecycle()));
        results.push(await this.safe("oci", "oci", () => this.oci()));
        results.push(await this.safe("bad-input", "bad input", () => this.badInput()));
        results.push(await this.safe("6", "argo-parity", () => this.argoParity()));
      }
    } finally {
      if (!opts.keep) results.push(await this.safe("7", "teardown", () => this.teardown()));
    }
    return results;
  }
}
