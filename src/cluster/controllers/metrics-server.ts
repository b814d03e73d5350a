/**
 * metrics-server as a host process: the resource metrics API (metrics.k8s.io), which the HPA controller reads for
 * CPU and memory utilisation. It authenticates as upstream's ServiceAccount kube-system/metrics-server (a static
 * token naming it), so upstream's own RBAC manifest from the pinned module grants it exactly what it grants there.
 */
import { goTool, requireBin } from "../../toolchain/tools.js";
import { apiServiceServing, type ExtensionApi, extensionApiObjects } from "./apiservice.js";
import { writeControllerCertificate } from "./certificates.js";
import type { ControllerContext } from "./context.js";
import { upstreamFiles } from "./upstream-files.js";

export const metricsApi: ExtensionApi = {
  group: "metrics.k8s.io",
  version: "v1beta1",
  service: { name: "metrics-server", namespace: "kube-system" },
};

export const metricsServerUser = { serviceAccount: "metrics-server", namespace: "kube-system" };

export const startMetricsServer = async (ctx: ControllerContext): Promise<void> => {
  const tool = goTool("metrics-server");
  await ctx.applyFiles(
    await upstreamFiles(tool.module, tool.version, ["manifests/base/rbac.yaml"]),
    "llmcharts-controllers",
  );
  const [port = 0] = await ctx.ports(1);
  const certs = writeControllerCertificate(ctx.paths, "metrics-server", [metricsApi.service], ctx.hostIp);
  await ctx.apply(extensionApiObjects(metricsApi, { ip: ctx.hostIp, port }, certs.caPem), "llmcharts-controllers");
  const kubeconfig = ctx.kubeconfig("metrics-server");
  await ctx.start(
    "metrics-server",
    requireBin("metrics-server"),
    [
      // One kubeconfig for the API server, the kubelets (the same token), and delegated authn/authz.
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      `--bind-address=${ctx.hostIp}`,
      `--secure-port=${port}`,
      `--tls-cert-file=${certs.cert}`,
      `--tls-private-key-file=${certs.key}`,
      // The real node's kubelet serves a certificate it signed itself (its --cert-dir; no CA of the cluster signed
      // it), so there is no CA to verify it with. It serves anonymous callers (webhook auth off, AlwaysAllow): the
      // token metrics-server sends is not what protects it either.
      "--kubelet-insecure-tls",
      "--kubelet-preferred-address-types=InternalIP",
      // Each kubelet listens on a port picked at start-up, which its Node's status reports; 10250 is nobody's.
      "--kubelet-use-node-status-port",
      // Upstream's manifest's resolution: the HPA sees new usage within 15 s.
      "--metric-resolution=15s",
      ...ctx.extraArgs("metrics-server"),
    ],
    { ...process.env, KUBECONFIG: kubeconfig },
  );
  await ctx.ready(
    "metrics-server",
    "APIService v1beta1.metrics.k8s.io Available and serving",
    apiServiceServing(ctx.get, metricsApi),
    90_000,
  );
};
