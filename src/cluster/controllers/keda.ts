/**
 * KEDA as host processes: the operator (ScaledObjects → HPAs, scale to and from zero) and its metrics server, the
 * external metrics API (external.metrics.k8s.io) the HPAs read, which asks the operator over gRPC. Both authenticate
 * as upstream's ServiceAccount keda/keda-operator (a static token naming it), so upstream's RBAC manifests and CRDs,
 * from the pinned module, apply unchanged.
 */
import { join } from "node:path";
import { crdSources } from "../../toolchain/pins.js";
import { goTool, requireBin } from "../../toolchain/tools.js";
import { httpProbe } from "../probe.js";
import { apiServiceServing, type ExtensionApi, extensionApiObjects } from "./apiservice.js";
import { writeControllerCertificate } from "./certificates.js";
import type { ControllerContext } from "./context.js";
import { upstreamFiles } from "./upstream-files.js";

export const kedaNamespace = "keda";

export const externalMetricsApi: ExtensionApi = {
  group: "external.metrics.k8s.io",
  version: "v1beta1",
  service: { name: "keda-metrics-apiserver", namespace: kedaNamespace },
};

/** The operator's Service name: the gRPC authority the metrics server checks the operator's certificate for. */
const operatorService = { name: "keda-operator", namespace: kedaNamespace };

export const kedaUser = { serviceAccount: "keda-operator", namespace: kedaNamespace };

const rbacManifests = [
  "config/general/namespace.yaml",
  "config/rbac/role.yaml",
  "config/rbac/role_binding.yaml",
  // The metrics server's delegated authn/authz, and the HPA controller's right to read external metrics.
  "config/metrics-server/role.yaml",
  "config/metrics-server/role_binding.yaml",
];

/** Without the CRD of a kind it watches, the operator exits once its two-minute cache sync gives up (seen on 2.21.0). */
const applyUpstreamManifests = async (ctx: ControllerContext): Promise<void> => {
  const crds = crdSources.find((s) => s.name === "keda");
  if (!crds) throw new Error("no KEDA CRD source is pinned (src/toolchain/pins.ts)");
  // The install suite applies every pinned CRD under this field manager too: the same owner, no conflict.
  await ctx.applyFiles(await upstreamFiles(crds.module, crds.version, crds.files), "llmcharts-crds");
  const tool = goTool("keda");
  await ctx.applyFiles(await upstreamFiles(tool.module, tool.version, rbacManifests), "llmcharts-controllers");
};

export const startKeda = async (ctx: ControllerContext): Promise<void> => {
  await applyUpstreamManifests(ctx);
  const [probePort = 0, grpcPort = 0, apiPort = 0, adapterMetricsPort = 0] = await ctx.ports(4);
  // One certificate for both: the metrics server's serving certificate, and each side's in their mutual TLS.
  const certs = writeControllerCertificate(
    ctx.paths,
    "keda",
    [operatorService, externalMetricsApi.service],
    ctx.hostIp,
  );
  await ctx.apply(
    extensionApiObjects(externalMetricsApi, { ip: ctx.hostIp, port: apiPort }, certs.caPem),
    "llmcharts-controllers",
  );
  const kubeconfig = ctx.kubeconfig("keda");
  const env = {
    ...process.env,
    // controller-runtime's client reads it (both processes).
    KUBECONFIG: kubeconfig,
    // Every namespace ("" is all; unset is an error), as upstream's out-of-cluster recipe (`make run`) sets it.
    WATCH_NAMESPACE: "",
    // Out of a pod there is no service-account namespace file to fall back on.
    POD_NAMESPACE: kedaNamespace,
    KEDA_CLUSTER_OBJECT_NAMESPACE: kedaNamespace,
  };
  const readable = ["--zap-encoder=console", "--zap-time-encoding=iso8601"];

  await ctx.start(
    "keda-operator",
    requireBin("keda"),
    [
      "--leader-elect=false",
      // Nothing scrapes its Prometheus metrics here; "0" turns the listener off.
      "--metrics-bind-address=0",
      `--health-probe-bind-address=127.0.0.1:${probePort}`,
      `--metrics-service-bind-address=127.0.0.1:${grpcPort}`,
      `--cert-dir=${certs.dir}`,
      // Rotation would write the certificates into a Secret and exit, waiting for a kubelet to mount them: the
      // certificates are ours, and so are the APIService's caBundle and the (absent) webhooks.
      "--enable-cert-rotation=false",
      "--enable-apiservice-patching=false",
      "--enable-webhook-patching=false",
      // Scalers trust the system's CAs only, not whatever this host keeps at upstream's default /custom/ca.
      `--ca-dir=${join(certs.dir, "scaler-ca")}`,
      ...readable,
      ...ctx.extraArgs("keda-operator"),
    ],
    { ...env, ...ctx.extraEnv("keda-operator") },
  );
  await ctx.start(
    "keda-adapter",
    requireBin("keda-adapter"),
    [
      `--bind-address=${ctx.hostIp}`,
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${certs.cert}`,
      `--tls-private-key-file=${certs.key}`,
      // Also where its gRPC client finds ca.crt, tls.crt and tls.key.
      `--cert-dir=${certs.dir}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      `--lister-kubeconfig=${kubeconfig}`,
      `--metrics-service-address=127.0.0.1:${grpcPort}`,
      `--metrics-service-grpc-authority=${operatorService.name}.${operatorService.namespace}.svc`,
      // Its own Prometheus listener (on every address; upstream's default 8080 is too common a port to take).
      `--port=${adapterMetricsPort}`,
      ...readable,
      ...ctx.extraArgs("keda-adapter"),
    ],
    { ...env, ...ctx.extraEnv("keda-adapter") },
  );
  await Promise.all([
    ctx.ready("keda-operator", "keda-operator /readyz", httpProbe(`http://127.0.0.1:${probePort}/readyz`), 90_000),
    ctx.ready(
      "keda-adapter",
      "APIService v1beta1.external.metrics.k8s.io Available and serving",
      apiServiceServing(ctx.get, externalMetricsApi),
      90_000,
    ),
  ]);
};
