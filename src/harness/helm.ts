/**
 * The real `helm` (Helm 4, pinned) against one cluster: install, upgrade, rollback, uninstall and test, each install
 * or upgrade preceded by a server-side dry run of the same rendering (`helm template … | kubectl apply
 * --dry-run=server`), so that the API server (its CRD schemas and CEL rules, Pod Security, ValidatingAdmissionPolicies,
 * quotas) judges every object before Helm changes anything; a refusal stops with the server's message.
 */
import type { Named } from "../../charts-src/lib/k8s.js";
import { mkdirSync } from "node:fs";
import { x } from "tinyexec";
import { isolatedHelmEnv } from "../lib/helm-env.js";
import { type RunResult, run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
import { type Kube, toList } from "./kube.js";
import { isHook, parseManifests } from "./manifests.js";

/** What happens around an install or upgrade. */
export interface InstallHooks {
  /** After the dry run, before Helm: e.g. provision the rendering's volumes. */
  beforeInstall?: (objects: Named[]) => Promise<void>;
  /**
   * Runs while Helm waits; if it rejects (a definite failure, such as pods refused by admission), Helm is stopped
   * and the install fails with that error instead of waiting for its timeout.
   */
  watch?: (signal: AbortSignal) => Promise<void>;
}

/** What to render or install: a chart (directory or `oci://` reference), a release name and namespace, values. */
export interface ReleaseSpec {
  release: string;
  chartDir: string;
  /** How to fetch the chart: `--version`, `--verify --keyring …`, `--plain-http` for a chart in a registry. */
  chartArgs?: string[];
  namespace: string;
  valuesFiles?: string[];
  /** `--set key=value` pairs. */
  set?: Record<string, string>;
  /** This operation's wait strategy, over the Helm's own (HelmOptions.wait). */
  wait?: HelmOptions["wait"];
}

export interface HelmOptions {
  /** `--timeout` of every operation. */
  timeout?: string;
  /** Wait strategy for install and upgrade: `watcher` (kstatus: every object ready) or none. */
  wait?: "watcher" | "none";
}

/** The server refused a rendering in the dry run: nothing was installed. */
export class DryRunError extends Error {
  constructor(
    readonly release: string,
    readonly serverMessage: string,
  ) {
    super(`server-side dry run of release "${release}" failed; nothing was installed:\n${serverMessage}`);
    this.name = "DryRunError";
  }
}

/** A helm command failed; carries its output. */
export class HelmError extends Error {
  constructor(
    readonly args: string[],
    readonly result: RunResult,
  ) {
    super(
      `helm ${args.slice(0, 3).join(" ")} failed (exit ${result.exitCode}):\n${(result.stderr || result.stdout).trim()}`,
    );
    this.name = "HelmError";
  }
}

/** What `helm template`, `install` and `upgrade` of a release share: release, chart, namespace and values. */
const releaseArgs = (s: ReleaseSpec): string[] => [
  s.release,
  s.chartDir,
  ...(s.chartArgs ?? []),
  "--namespace",
  s.namespace,
  ...(s.valuesFiles ?? []).flatMap((f) => ["-f", f]),
  ...Object.entries(s.set ?? {}).flatMap(([k, v]) => ["--set-string", `${k}=${v}`]),
];

/** Helm's own state under a directory of ours; the cluster only from --kubeconfig. */
const helmEnv = (home: string): NodeJS.ProcessEnv => ({ ...isolatedHelmEnv(home), KUBECONFIG: undefined });

export class Helm {
  readonly exe: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly kube: Kube,
    home: string,
    readonly opts: HelmOptions = {},
  ) {
    this.exe = requireBin("helm");
    mkdirSync(home, { recursive: true });
    this.env = helmEnv(home);
  }

  /** Runs helm against the cluster; never throws. */
  raw(args: string[]): Promise<RunResult> {
    return run(this.exe, [...args, "--kubeconfig", this.kube.kubeconfig], { env: this.env });
  }

  async helm(args: string[]): Promise<string> {
    const res = await this.raw(args);
    if (res.exitCode !== 0) throw new HelmError(args, res);
    return res.stdout;
  }

  /** `helm template` of a release (hooks and tests included, as the dry run should judge them too). */
  async template(s: ReleaseSpec, extra: string[] = []): Promise<string> {
    const out = await this.helm(["template", ...releaseArgs(s), ...extra]);
    // Helm 4 reports a chart pulled from a registry on stdout, ahead of the rendering.
    return out.replace(/^(?:(?:Pulled|Digest): .*\n)+/, "");
  }

  /**
   * Server-side dry run of a rendering. The server cannot dry-run objects into a namespace that does not exist yet,
   * so a Namespace the chart itself creates (and the release namespace) is created first, for real, carrying the
   * chart's labels (which admission decides by) and Helm's ownership metadata, so that the install adopts it exactly
   * as `helm install --create-namespace` would. If the dry run fails, those namespaces are removed again.
   */
  async dryRun(s: ReleaseSpec, rendering: string): Promise<{ objects: Named[]; createdNamespaces: string[] }> {
    const objects = parseManifests(rendering);
    const wanted = new Map<string, Record<string, string>>();
    wanted.set(s.namespace, {});
    for (const o of objects) if (o.kind === "Namespace") wanted.set(o.metadata.name, o.metadata.labels ?? {});
    const created: string[] = [];
    for (const [name, labels] of wanted) {
      if (await this.kube.exists("namespace", name)) continue;
      // Applied as Helm 4's own field manager ("helm"), so Helm's apply owns these fields afterwards and a later
      // upgrade that changes a label (helm.sh/chart) meets no conflict.
      await this.kube.apply(
        [
          {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
              name,
              labels: { ...labels, "app.kubernetes.io/managed-by": "Helm" },
              annotations: { "meta.helm.sh/release-name": s.release, "meta.helm.sh/release-namespace": s.namespace },
            },
          },
        ],
        "helm",
      );
      created.push(name);
    }
    // Server-side apply, as Helm 4 itself applies; forced, since on an upgrade Helm owns the fields.
    const res = await this.kube.raw(
      [
        "apply",
        "--server-side",
        "--force-conflicts",
        "--field-manager=llmcharts-dry-run",
        "--dry-run=server",
        "-f",
        "-",
      ],
      toList(objects.filter((o) => !isHook(o))),
    );
    // Helm deletes and creates hooks (test Pods) rather than updating them: a dry-run create, under another name
    // when the last run's hook still exists (a Pod's spec cannot be updated in place).
    const hooks: Named[] = [];
    for (const o of objects.filter(isHook)) {
      const exists = await this.kube.exists(o.kind, o.metadata.name, o.metadata.namespace);
      hooks.push(exists ? { ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-dry-run`.slice(0, 63) } } : o);
    }
    const hookRes =
      res.exitCode === 0 && hooks.length > 0
        ? await this.kube.raw(["create", "--dry-run=server", "-o", "name", "-f", "-"], toList(hooks))
        : undefined;
    const failed = [res, hookRes].find((r) => r !== undefined && r.exitCode !== 0);
    if (failed) {
      for (const ns of created) await this.kube.raw(["delete", "namespace", ns, "--wait=false"]);
      throw new DryRunError(s.release, failed.stderr.trim() || failed.stdout.trim());
    }
    return { objects, createdNamespaces: created };
  }

  private waitArgs(wait = this.opts.wait): string[] {
    return [...(wait === "none" ? [] : ["--wait=watcher"]), "--timeout", this.opts.timeout ?? "120s"];
  }

  /** Runs helm, stoppable through `signal` (a stopped helm is reported as failed). */
  private async cancellable(args: string[], signal: AbortSignal): Promise<RunResult> {
    const proc = x(this.exe, [...args, "--kubeconfig", this.kube.kubeconfig], {
      throwOnError: false,
      signal,
      nodeOptions: { env: this.env, stdio: ["ignore", "pipe", "pipe"] },
    });
    const out = await proc;
    return { exitCode: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
  }

  /** helm install/upgrade with a watcher that may cut the wait short (see InstallHooks.watch). */
  private async applyRelease(verb: "install" | "upgrade", s: ReleaseSpec, hooks: InstallHooks): Promise<Named[]> {
    const { objects } = await this.dryRun(s, await this.template(s));
    await hooks.beforeInstall?.(objects);
    const args = [verb, ...releaseArgs(s), ...this.waitArgs(s.wait)];
    const stop = new AbortController();
    const helmDone = this.cancellable(args, stop.signal);
    const watched = hooks.watch ? hooks.watch(stop.signal) : new Promise<void>(() => {});
    // Whichever ends first: Helm, or the watcher finding a definite failure.
    const first = await Promise.race([
      helmDone.then((r) => ({ helm: r })),
      watched.then(
        () => new Promise<never>(() => {}),
        (err: Error) => ({ watchError: err }),
      ),
    ]);
    stop.abort();
    if ("watchError" in first) {
      await helmDone.catch(() => undefined);
      throw first.watchError;
    }
    if (first.helm.exitCode !== 0) throw new HelmError(args, first.helm);
    return objects;
  }

  /** Renders, dry-runs server-side, then installs (and waits, per the options). Returns the rendered objects. */
  install(s: ReleaseSpec, hooks: InstallHooks = {}): Promise<Named[]> {
    return this.applyRelease("install", s, hooks);
  }

  /** Renders, dry-runs server-side, then upgrades. */
  upgrade(s: ReleaseSpec, hooks: InstallHooks = {}): Promise<Named[]> {
    return this.applyRelease("upgrade", s, hooks);
  }

  async rollback(release: string, namespace: string, revision: number): Promise<void> {
    await this.helm(["rollback", release, String(revision), "--namespace", namespace, ...this.waitArgs()]);
  }

  async uninstall(release: string, namespace: string): Promise<string> {
    return this.helm([
      "uninstall",
      release,
      "--namespace",
      namespace,
      "--wait",
      "--timeout",
      this.opts.timeout ?? "120s",
    ]);
  }

  /** `helm test`; returns its output (the caller may have to complete the test Pods, see scenarios). */
  test(release: string, namespace: string, timeout = "60s"): Promise<RunResult> {
    return this.raw(["test", release, "--namespace", namespace, "--timeout", timeout]);
  }

  /** `helm history` of a release, oldest first. */
  async history(release: string, namespace: string): Promise<ReleaseRevision[]> {
    return JSON.parse(
      await this.helm(["history", release, "--namespace", namespace, "-o", "json"]),
    ) as ReleaseRevision[];
  }

  /** Releases in a namespace (all with "*"). */
  async list(namespace = "*"): Promise<{ name: string; namespace: string; status: string; chart: string }[]> {
    const ns = namespace === "*" ? ["--all-namespaces"] : ["--namespace", namespace];
    const every = ["--deployed", "--failed", "--pending", "--superseded", "--uninstalling"];
    return JSON.parse(await this.helm(["list", ...ns, ...every, "-o", "json"]));
  }
}

export interface ReleaseRevision {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}
