/**
 * Stakater Reloader as a host process: it watches Secrets and ConfigMaps in every namespace and, when one changes,
 * rolls out the workloads that name it in `secret.reloader.stakater.com/reload` (the tenant chart's OpenWebUI, which
 * reads its secrets from env at start). It runs upstream's `annotations` strategy: it writes the Secret it reloaded
 * from (name and hash) in the pod template's `reloader.stakater.com/last-reloaded-from`, so the Deployment makes a new
 * ReplicaSet. Upstream prefers it under GitOps: the platform's Argo CD syncs tenants with selfHeal, and would undo the
 * default strategy's extra environment variable (a change to a list the chart renders), rolling OpenWebUI out again.
 *
 * It authenticates as upstream's ServiceAccount default/reloader-reloader (a static token naming it), so upstream's
 * own RBAC manifests from the pinned module grant it exactly what they grant in a cluster.
 */
import { createServer } from "node:net";
import { goTool, requireBin } from "../../toolchain/tools.js";
import { httpProbe } from "../probe.js";
import type { ControllerContext } from "./context.js";
import { upstreamFiles } from "./upstream-files.js";

/** Upstream's manifests run it in `default` (deployments/kubernetes/manifests). */
export const reloaderUser = { serviceAccount: "reloader-reloader", namespace: "default" };

/**
 * Reloader serves /live and /metrics on :9090, a constant of its source (constants.DefaultHttpListenAddr) no flag
 * changes; it exits when that port is taken, after its watches started.
 */
export const reloaderPort = 9090;

/** Upstream's GitOps strategy (see above): a pod-template annotation, which Argo CD's diff leaves alone. */
export const reloadStrategy = "--reload-strategy=annotations";

/** Refuses to start when the port is taken: the probe would otherwise read another process's answer. */
const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port }, () => server.close(() => resolve(true)));
  });

export const startReloader = async (ctx: ControllerContext): Promise<void> => {
  const tool = goTool("reloader");
  // Upstream's RBAC (its Deployment is this process): read Secrets and ConfigMaps, patch workloads, write events.
  const manifests = ["serviceaccount", "clusterrole", "clusterrolebinding", "role"];
  await ctx.applyFiles(
    await upstreamFiles(
      tool.module,
      tool.version,
      manifests.map((m) => `deployments/kubernetes/manifests/${m}.yaml`),
    ),
    "llmcharts-controllers",
  );
  if (!(await portIsFree(reloaderPort))) {
    throw new Error(
      `reloader listens on :${reloaderPort} (fixed in its source), which another process holds on this host: ` +
        `find it with \`ss -ltnp 'sport = :${reloaderPort}'\`; one cluster with Reloader runs on a host at a time`,
    );
  }
  const kubeconfig = ctx.kubeconfig("reloader");
  await ctx.start("reloader", requireBin("reloader"), [reloadStrategy, ...ctx.extraArgs("reloader")], {
    ...process.env,
    // Reloader reads KUBECONFIG itself (pkg/kube), before ~/.kube/config and the in-cluster account.
    KUBECONFIG: kubeconfig,
    // Unset: it watches every namespace (global mode), as upstream's manifests run it.
    KUBERNETES_NAMESPACE: "",
    // Where it publishes its version and options (ConfigMap reloader-meta-info), as upstream's Deployment sets it.
    RELOADER_NAMESPACE: reloaderUser.namespace,
    RELOADER_DEPLOYMENT_NAME: "reloader-reloader",
  });
  // It serves /live once its watches have started (cmd/reloader.go: controllers first, then the listener).
  await ctx.ready(
    "reloader",
    `reloader :${reloaderPort}/live`,
    httpProbe(`http://127.0.0.1:${reloaderPort}/live`),
    60_000,
  );
};
