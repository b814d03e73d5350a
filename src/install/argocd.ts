/**
 * A real Argo CD (the pinned multi-call binary) beside the cluster: its repo server, application controller and
 * ApplicationSet controller as host processes, the way upstream's Procfile runs them for development
 * (ARGOCD_FAKE_IN_CLUSTER: `https://kubernetes.default.svc` is the cluster the kubeconfig names), with Redis from
 * Debian as their cache. Each process runs in one temporary directory (its TMPDIR, HOME, logs); `stop` ends them by
 * PID and removes it. No API server, UI, Dex or notifications: nothing here needs them.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigMap, Named, Secret } from "../../charts-src/lib/k8s.js";
import { freePorts } from "../cluster/ports.js";
import { httpProbe, waitUntil } from "../cluster/probe.js";
import { type Started, startProcess, stopProcesses, tailFile } from "../cluster/processes.js";
import { startRedis } from "../cluster/redis.js";
import { downloadModule } from "../toolchain/modules.js";
import { goTool, requireBin } from "../toolchain/tools.js";
import type { Kube } from "../harness/kube.js";

/** The namespace Argo CD runs in (the platform chart's argocd.namespace default). */
export const argocdNamespace = "argocd";

/** Argo CD reads its settings only from objects labelled part of it. */
const partOf = { "app.kubernetes.io/part-of": "argocd" };

/** argocd-cm and argocd-secret: the controllers refuse to work without them; the defaults are upstream's. */
const settingsObjects = (): [Named<ConfigMap>, Named<Secret>] => [
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "argocd-cm", namespace: argocdNamespace, labels: partOf },
    data: {},
  },
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "argocd-secret", namespace: argocdNamespace, labels: partOf },
    type: "Opaque",
  },
];

/** What the install suite reads of an Argo CD Application (argoproj.io/v1alpha1). */
export interface ArgoApplication {
  apiVersion: string;
  kind: string;
  /** A sync requested and not yet started (by self-heal, the ApplicationSet's rollout, or a user). */
  operation?: object;
  status?: {
    sync?: { status?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    /** One entry per sync Argo CD ran. */
    history?: { id: number }[];
    reconciledAt?: string;
    resources?: {
      kind: string;
      name: string;
      namespace?: string;
      status?: string;
      health?: { status?: string; message?: string };
    }[];
    conditions?: { type: string; message?: string }[];
    operationState?: { phase?: string; message?: string; startedAt?: string; finishedAt?: string };
  };
}

export class ArgoCd {
  private dir = "";
  private procs: Started[] = [];

  constructor(private readonly kube: Kube) {}

  /** PIDs of the running components, by name. */
  get pids(): Record<string, number> {
    return Object.fromEntries(this.procs.map((p) => [p.name, p.pid]));
  }

  /** The temporary directory every component works in (removed by `stop`). */
  get workDir(): string {
    return this.dir;
  }

  /**
   * Starts Redis, the repo server and both controllers, each once it answers; throws with a failing one's log.
   * Resolves with their PIDs.
   */
  async start(): Promise<Record<string, number>> {
    const argocd = requireBin("argocd");
    this.dir = mkdtempSync(join(tmpdir(), "llmcharts-argocd-"));
    const sub = (name: string) => {
      const d = join(this.dir, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    // The repo server runs `helm` from its PATH (upstream's image ships Helm 4): the pinned Helm 4, by that name.
    symlinkSync(requireBin("helm"), join(sub("bin"), "helm"));
    // It also runs upstream's git-verify-wrapper.sh for every manifest generation (GPG off or not), which upstream's
    // image puts on the PATH: the script of the pinned module.
    const upstream = await downloadModule(goTool("argo-cd").module, goTool("argo-cd").version);
    copyFileSync(join(upstream.Dir, "hack", "git-verify-wrapper.sh"), join(this.dir, "bin", "git-verify-wrapper.sh"));
    chmodSync(join(this.dir, "bin", "git-verify-wrapper.sh"), 0o755);
    const [redisPort, repoPort, repoMetrics, controllerMetrics, appsetMetrics, appsetProbe, appsetWebhook] =
      (await freePorts(7)) as [number, number, number, number, number, number, number];
    const password = randomBytes(12).toString("hex");
    const redisAddr = `127.0.0.1:${redisPort}`;
    const repoAddr = `127.0.0.1:${repoPort}`;

    this.procs.push(await startRedis({ host: "127.0.0.1", port: redisPort, password, dir: sub("redis") }));
    await this.kube.apply(settingsObjects(), "llmcharts-argocd");

    const env = (component: string): NodeJS.ProcessEnv => ({
      // git (the repo server clones with it) is the system's.
      PATH: `${join(this.dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      ARGOCD_BINARY_NAME: component,
      ARGOCD_FAKE_IN_CLUSTER: "true",
      KUBECONFIG: this.kube.kubeconfig,
      REDIS_PASSWORD: password,
      ARGOCD_GPG_ENABLED: "false",
      HOME: sub(`${component}/home`),
      TMPDIR: sub(`${component}/tmp`),
      // Upstream's defaults are fixed paths under /tmp and /app: this run's own.
      ARGOCD_ASK_PASS_SOCK: join(this.dir, `${component}/askpass.sock`),
      ARGOCD_TLS_DATA_PATH: sub(`${component}/tls`),
      ARGOCD_SSH_DATA_PATH: sub(`${component}/ssh`),
      ARGOCD_GNUPGHOME: sub(`${component}/gpg`),
    });
    const common = ["--kubeconfig", this.kube.kubeconfig, "--namespace", argocdNamespace];
    const logging = ["--logformat", "text", "--loglevel", "info"];
    const start = (name: string, args: string[]) =>
      startProcess(name, argocd, args, join(this.dir, `${name}.log`), { env: env(name), cwd: this.dir });

    const repoServer = await start("argocd-repo-server", [
      ...["--address", "127.0.0.1", "--port", String(repoPort)],
      ...["--metrics-address", "127.0.0.1", "--metrics-port", String(repoMetrics)],
      // Plaintext gRPC on loopback; the mTLS client CA (a path by default) goes with TLS.
      ...["--redis", redisAddr, "--disable-tls", "--client-ca-path=", ...logging],
    ]);
    this.procs.push(repoServer);
    await this.ready(repoServer, `http://127.0.0.1:${repoMetrics}/healthz`);

    const controller = await start("argocd-application-controller", [
      ...common,
      ...["--redis", redisAddr, "--repo-server", repoAddr, "--repo-server-plaintext"],
      ...["--metrics-port", String(controllerMetrics), ...logging],
    ]);
    this.procs.push(controller);
    const applicationSetController = await start("argocd-applicationset-controller", [
      ...common,
      ...["--argocd-repo-server", repoAddr, "--repo-server-plaintext"],
      ...["--metrics-addr", `127.0.0.1:${appsetMetrics}`, "--probe-addr", `127.0.0.1:${appsetProbe}`],
      ...["--webhook-addr", `127.0.0.1:${appsetWebhook}`, ...logging],
      // The platform chart's rollout in waves (RollingSync) needs it.
      "--enable-progressive-syncs",
    ]);
    this.procs.push(applicationSetController);
    await this.ready(controller, `http://127.0.0.1:${controllerMetrics}/healthz`);
    // It registers no health checks (its probe address answers 404); its metrics answer once its manager runs.
    await this.ready(applicationSetController, `http://127.0.0.1:${appsetMetrics}/metrics`);
    return this.pids;
  }

  private async ready(p: Started, url: string): Promise<void> {
    const probe = httpProbe(url);
    await waitUntil(
      p.name,
      async () => {
        if (p.exit) throw new Error(`${p.name} exited (${p.exit.code}):\n${tailFile(p.log)}`);
        return probe();
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
  }

  /** The last lines of a component's log (for a failed check's detail). */
  logTail(name: string, lines = 20): string {
    const p = this.procs.find((x) => x.name === name);
    return p ? tailFile(p.log, lines) : "";
  }

  /**
   * Stops the controllers, then the repo server, then Redis (clients before their servers), by PID; removes the
   * working directory. Returns the processes that survived SIGKILL (none, normally).
   */
  async stop(): Promise<string[]> {
    const byName = (n: string) => this.procs.filter((p) => p.name === n);
    const report = await stopProcesses(
      [
        [...byName("argocd-application-controller"), ...byName("argocd-applicationset-controller")],
        byName("argocd-repo-server"),
        byName("redis"),
      ],
      5000,
    );
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    return report.survivors;
  }
}
