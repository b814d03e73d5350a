/**
 * The Prometheus Operator as a host process: it turns Prometheus and Alertmanager objects into StatefulSets, and the
 * platform chart's PrometheusRules, ScrapeConfigs, ServiceMonitors, PodMonitors and Probes into their configuration
 * (a Secret and ConfigMaps the pods' config reloader reads). It authenticates as upstream's ServiceAccount
 * default/prometheus-operator, so upstream's own RBAC from the pinned module grants it what it grants in a cluster.
 * The pods it makes run the images built here (src/images/catalog.ts): their config reloader is named by flag.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { prometheusConfigReloaderImage } from "../../images/catalog.js";
import { downloadModule } from "../../toolchain/modules.js";
import { goTool, requireBin } from "../../toolchain/tools.js";
import { httpProbe } from "../probe.js";
import type { ControllerContext } from "./context.js";
import { upstreamFiles } from "./upstream-files.js";

export const prometheusOperatorUser = { serviceAccount: "prometheus-operator", namespace: "default" };

/** Every CRD of the release the operator was built from: it watches Prometheus, Alertmanager and their configuration. */
const crdFiles = async (module: string, version: string): Promise<string[]> => {
  const { Dir } = await downloadModule(module, version);
  const dir = join(Dir, "example", "prometheus-operator-crd");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f));
};

export const startPrometheusOperator = async (ctx: ControllerContext): Promise<void> => {
  const tool = goTool("prometheus-stack");
  // The install suite applies the pinned CRDs under this field manager too: the same owner, no conflict.
  await ctx.applyFiles(await crdFiles(tool.module, tool.version), "llmcharts-crds");
  await ctx.crdsEstablished(
    ["prometheuses", "alertmanagers", "prometheusrules", "scrapeconfigs"].map((k) => `${k}.monitoring.coreos.com`),
  );
  await ctx.applyFiles(
    await upstreamFiles(
      tool.module,
      tool.version,
      ["cluster-role", "cluster-role-binding"].map(
        (f) => `example/rbac/prometheus-operator/prometheus-operator-${f}.yaml`,
      ),
    ),
    "llmcharts-controllers",
  );
  const [port = 0] = await ctx.ports(1);
  const kubeconfig = ctx.kubeconfig("prometheus-operator");
  await ctx.start(
    "prometheus-operator",
    requireBin("prometheus-operator"),
    [
      `--web.listen-address=127.0.0.1:${port}`,
      `--prometheus-config-reloader=${prometheusConfigReloaderImage.config.ref}`,
      ...ctx.extraArgs("prometheus-operator"),
    ],
    // Out of a pod it reads $KUBECONFIG (it has no --kubeconfig flag).
    { ...process.env, KUBECONFIG: kubeconfig },
  );
  await ctx.ready(
    "prometheus-operator",
    "prometheus-operator /healthz",
    httpProbe(`http://127.0.0.1:${port}/healthz`),
    90_000,
  );
};
