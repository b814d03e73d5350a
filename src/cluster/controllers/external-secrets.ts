/**
 * External Secrets Operator's controller as a host process, and the AWS it reads from: moto's server on a loopback
 * port standing in for Secrets Manager and STS. The controller reaches moto through AWS's standard endpoint settings
 * (AWS_SECRETSMANAGER_ENDPOINT, AWS_STS_ENDPOINT); a tenant's SecretStore authenticates as the tenant's own
 * ServiceAccount (web identity): the controller asks the API server for that account's token (TokenRequest) and
 * trades it at STS for the role its `eks.amazonaws.com/role-arn` annotation names.
 *
 * What moto does not do (controllers.md §6): it does not check the web-identity token, and it cannot enforce a policy
 * scoped to secret ARNs. Each role's account (in its ARN) is where moto keeps what that role reads, so tenants with
 * their own account IDs never see each other's secrets.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { downloadModule } from "../../toolchain/modules.js";
import { crdSources } from "../../toolchain/pins.js";
import { requireBin } from "../../toolchain/tools.js";
import { httpProbe } from "../probe.js";
import type { ControllerContext } from "./context.js";

export const externalSecretsNamespace = "external-secrets";

/**
 * Upstream ships ESO's RBAC only as Helm templates of its chart (no plain manifests in the module), so its identity
 * is a cluster administrator here, as Karpenter's is: a static token naming its ServiceAccount, in system:masters.
 */
export const externalSecretsUser = {
  serviceAccount: "external-secrets",
  namespace: externalSecretsNamespace,
  groups: ["system:masters"],
};

/** Where the cluster records moto's endpoint, for the suites that put secrets there. */
const endpointFile = (ctx: { paths: ControllerContext["paths"] }) =>
  join(ctx.paths.controllerDir("external-secrets"), "aws-endpoint");

/** Where the cluster records the controller's metrics address, for the suites that read its gauges. */
const metricsFile = (ctx: { paths: ControllerContext["paths"] }) =>
  join(ctx.paths.controllerDir("external-secrets"), "metrics-url");

const recorded = (file: string, paths: ControllerContext["paths"], what: string): string => {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`cluster ${paths.dir} runs no ${what}: start it with --controllers external-secrets`);
  }
};

/** The AWS endpoint (moto) of a running cluster started with the external-secrets controller. */
export const awsEndpoint = (paths: ControllerContext["paths"]): string =>
  recorded(endpointFile({ paths }), paths, "moto");

/** The controller's Prometheus metrics (`externalsecret_status_condition`, what the platform's alert reads). */
export const externalSecretsMetricsUrl = (paths: ControllerContext["paths"]): string =>
  recorded(metricsFile({ paths }), paths, "External Secrets controller");

/**
 * Every CRD of the release the controller was built from, which is the pinned CRD source kubeconform's schemas come
 * from (one module, one version): beyond the kinds the charts render, it watches generator states and reads generators.
 */
const crdFiles = async (): Promise<string[]> => {
  const source = crdSources.find((s) => s.name === "external-secrets");
  if (!source) throw new Error("no External Secrets CRD source is pinned (src/toolchain/pins.ts)");
  const { Dir } = await downloadModule(source.module, source.version);
  const dir = join(Dir, "config", "crds", "bases");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .sort()
    .map((f) => join(dir, f));
};

export const startExternalSecrets = async (ctx: ControllerContext): Promise<void> => {
  const [motoPort = 0, metricsPort = 0] = await ctx.ports(2);
  const endpoint = `http://127.0.0.1:${motoPort}`;
  await ctx.start(
    "moto",
    requireBin("moto_server"),
    ["-H", "127.0.0.1", "-p", String(motoPort), ...ctx.extraArgs("moto")],
    // Moto's defaults: no IAM enforcement (its ARN-scoped Secrets Manager policies deny everything, §6).
    { ...process.env, PYTHONUNBUFFERED: "1" },
  );
  const crds = await crdFiles();
  await ctx.applyFiles(crds, "llmcharts-crds");
  await ctx.crdsEstablished(
    ["externalsecrets", "secretstores", "clustersecretstores"].map((k) => `${k}.external-secrets.io`),
  );
  await ctx.ready("moto", "moto /moto-api/", httpProbe(`${endpoint}/moto-api/`), 60_000);
  mkdirSync(ctx.paths.controllerDir("external-secrets"), { recursive: true });
  writeFileSync(endpointFile(ctx), `${endpoint}\n`);

  const kubeconfig = ctx.kubeconfig("external-secrets");
  await ctx.start(
    "external-secrets",
    requireBin("external-secrets"),
    [
      `--metrics-addr=127.0.0.1:${metricsPort}`,
      "--enable-leader-election=false",
      "--zap-time-encoding=iso8601",
      ...ctx.extraArgs("external-secrets"),
    ],
    {
      ...process.env,
      KUBECONFIG: kubeconfig,
      // AWS's standard endpoint settings (aws-sdk-go v1's resolver in ESO's AWS provider): both services are moto.
      AWS_SECRETSMANAGER_ENDPOINT: endpoint,
      AWS_STS_ENDPOINT: endpoint,
      // No instance metadata service on this host: the SDK must not wait for one.
      AWS_EC2_METADATA_DISABLED: "true",
    },
  );
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  // controller-runtime serves its metrics once the manager runs its controllers.
  await ctx.ready("external-secrets", "external-secrets /metrics", httpProbe(metricsUrl), 90_000);
  writeFileSync(metricsFile(ctx), `${metricsUrl}\n`);
};
