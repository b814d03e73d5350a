/**
 * alerts-fire: the platform's monitoring acted on by the Prometheus Operator, the cluster's controller. With the
 * monitoring stack an operator installs first (a Prometheus and an Alertmanager, the blackbox exporter,
 * kube-state-metrics), the operator configures Prometheus from the platform chart's own PrometheusRule and
 * ScrapeConfig:
 * - every alert of the platform is loaded and evaluates without error;
 * - every running tenant is found and probed through its Service, and every target is up;
 * - every panel query of the platform's dashboards is answered by the real Prometheus (Grafana itself is AGPL);
 * - a tenant whose OpenWebUI stops fires LLMTenantHealthCheckFailing, which reaches Alertmanager with the tenant's
 *   name; started again, the alert resolves;
 * - a model pull that fails fires LLMModelCacheJobFailed, naming the Job; the catalog fixed, it resolves.
 * The stack is removed at the end: its scraping would only slow the scenarios after it.
 */
import type { ConfigMap, Named, PrometheusRule } from "../../../charts-src/lib/k8s.js";
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import type { Recorder } from "../../harness/recorder.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { dashboardQueries } from "../../lib/dashboard-queries.js";
import { eventually } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { kubeStateMetrics, monitoringNamespace, monitoringStack, stackPorts } from "../monitoring-stack.js";
import { tagUnderUpstreamNames } from "../node-images.js";
import { applyLabPlatform, labCatalog } from "../platform.js";
import { AlertmanagerApi, PrometheusApi } from "../prometheus-api.js";
import { runtimeStandIns } from "../standin-names.js";
import type { LabTenant } from "../tenants.js";
import { missingModel } from "./models-pulled.js";
import { serviceUrl } from "./standard.js";

/** Scrape and evaluation interval of the stack (the lab's values probe every 5 s and alert after 10 s). */
const intervalSeconds = 5;

interface Apis {
  prom: PrometheusApi;
  alertmanager: AlertmanagerApi;
}

/** The stack's pods Ready: Prometheus and Alertmanager as the operator made them, the exporters. */
const stackReady = async (ctx: RuntimeContext): Promise<true> => {
  for (const [namespace, name] of [
    [monitoringNamespace, "prometheus"],
    [monitoringNamespace, "alertmanager"],
    [monitoringNamespace, "prometheus-blackbox-exporter"],
    ["kube-system", "kube-state-metrics"],
  ])
    await waitPodsReady(ctx.k, namespace as string, `app.kubernetes.io/name=${name}`, { timeoutMs: 180_000 });
  return true;
};

/** Every alert the platform's PrometheusRules declare, by name. */
const platformAlerts = async (ctx: RuntimeContext): Promise<string[]> =>
  (await ctx.k.list<PrometheusRule>("prometheusrules.monitoring.coreos.com", monitoringNamespace)).flatMap((o) =>
    (o.spec?.groups ?? []).flatMap((g) => (g.rules ?? []).flatMap((rule) => (rule.alert ? [rule.alert] : []))),
  );

type Labels = Record<string, string>;

/**
 * An alert's life, checked step by step: `cause` starts what it alerts on, it fires in Prometheus with the wanted
 * labels and reaches Alertmanager; `cure` ends the cause (always, even when a step failed), and it resolves in both.
 */
const alertLife = async (
  r: Recorder,
  { prom, alertmanager }: Apis,
  alert: { name: string; labels: (l: Labels) => boolean; what: string; figure: string },
  cause: () => Promise<void>,
  cure: () => Promise<void>,
) => {
  const firing = async () =>
    (await prom.alerts()).some(
      (a) => a.labels.alertname === alert.name && a.state === "firing" && alert.labels(a.labels),
    );
  const causedAt = Date.now();
  await cause();
  try {
    await r.step(`${alert.name} fires for ${alert.what}`, () =>
      eventually(
        async () => {
          if (!(await firing())) throw new Error(`${alert.name} for ${alert.what} not firing`);
        },
        180_000,
        1000,
      ),
    );
    r.figure(`${alert.figure}FiringSeconds`, (Date.now() - causedAt) / 1000);
    await r.step(`Alertmanager holds ${alert.name} for ${alert.what}`, () =>
      eventually(
        async () => {
          const held = await alertmanager.alerts(alert.name);
          if (!held.some((a) => a.status.state === "active" && alert.labels(a.labels)))
            throw new Error(`Alertmanager holds: ${JSON.stringify(held.map((a) => a.labels))}`);
        },
        60_000,
        1000,
      ),
    );
  } finally {
    await cure();
  }
  const curedAt = Date.now();
  await r.step(`${alert.name} for ${alert.what} resolves in Prometheus and Alertmanager`, () =>
    eventually(
      async () => {
        if (await firing()) throw new Error("still firing in Prometheus");
        const held = await alertmanager.alerts(alert.name);
        if (held.some((a) => alert.labels(a.labels)))
          throw new Error(`Alertmanager still holds it: ${JSON.stringify(held.map((a) => a.labels))}`);
      },
      180_000,
      1000,
    ),
  );
  r.figure(`${alert.figure}ResolvedSeconds`, (Date.now() - curedAt) / 1000);
};

/** Every platform alert loaded, every target up (the tenant probed), every dashboard query answered. */
const configuredByTheChart = async (ctx: RuntimeContext, r: Recorder, { prom }: Apis, tenant: LabTenant) => {
  const declared = await platformAlerts(ctx);
  await r.step(`Prometheus evaluates the platform's ${declared.length} alerts without error`, () =>
    eventually(
      async () => {
        const loaded = await prom.rules();
        const missing = declared.filter((a) => !loaded.some((l) => l.name === a));
        const failing = loaded.filter((l) => l.health !== "ok");
        if (declared.length === 0 || missing.length > 0 || failing.length > 0)
          throw new Error(
            `missing: ${missing.join(", ") || "none"}; not ok: ${failing.map((l) => `${l.name} ${l.health} ${l.lastError ?? ""}`).join("; ") || "none"}`,
          );
      },
      120_000,
      2000,
    ),
  );
  await r.step(`every target is up, tenant ${tenant.name} probed through its Service and healthy`, () =>
    eventually(
      async () => {
        const targets = await prom.targets();
        const down = targets.filter((t) => t.health !== "up");
        const probed = targets.some(
          (t) => t.labels.tenant === tenant.name && t.scrapePool.includes("openwebui-health"),
        );
        if (!probed || down.length > 0)
          throw new Error(
            `${probed ? "" : `no probe of ${tenant.name}; `}not up: ${down.map((t) => `${t.scrapePool} ${JSON.stringify(t.labels)} ${t.health} ${t.lastError}`).join("; ") || "none"}`,
          );
        // The exporter answering is the target's health; the tenant answering is the probe's own result.
        const success = await prom.query(`probe_success{tenant="${tenant.name}"} == 1`);
        if (!success.ok || success.series === 0)
          throw new Error(
            `the probe of ${tenant.name} does not succeed: ${success.ok ? "probe_success 0" : success.error}`,
          );
      },
      120_000,
      2000,
    ),
  );
  await r.step("every panel query of the platform's dashboards is answered", async () => {
    const maps = await ctx.k.list<Named<ConfigMap>>("configmaps", monitoringNamespace);
    const queries = maps.flatMap((cm) => dashboardQueries(cm));
    if (queries.length === 0) throw new Error("no dashboard query found in the monitoring namespace");
    const refused: string[] = [];
    for (const q of queries) {
      const answer = await prom.query(q.expr);
      if (!answer.ok) refused.push(`${q.what}: ${answer.error}`);
    }
    if (refused.length > 0) throw new Error(refused.join("\n"));
    r.note(`${queries.length} dashboard queries answered`);
  });
};

export const alertsFire: RuntimeScenario = {
  id: "alerts-fire",
  title:
    "the Prometheus Operator runs the platform's monitoring: rules evaluated, every tenant probed, dashboards answered, an outage and a failed pull alerted and resolved",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "standard tenant", "standard-ready");
    r.standIn(runtimeStandIns.monitoringStack);
    const stack = monitoringStack(intervalSeconds);
    const ksm = await kubeStateMetrics();
    const start = Date.now();
    await tagUnderUpstreamNames(ctx, [ksm.image], { standardOnly: [ksm.image[0]] });
    await ctx.k.apply(stack);
    await ctx.k.kubectl(["apply", "--server-side", ...ksm.files.flatMap((f) => ["-f", f])]);
    try {
      if (!(await r.step("the operator runs Prometheus and Alertmanager; the exporters run", () => stackReady(ctx))))
        return;
      r.figure("monitoringReadySeconds", (Date.now() - start) / 1000);
      const apis: Apis = {
        prom: new PrometheusApi(await serviceUrl(ctx, monitoringNamespace, "prometheus", stackPorts.prometheus)),
        alertmanager: new AlertmanagerApi(
          await serviceUrl(ctx, monitoringNamespace, "alertmanager", stackPorts.alertmanager),
        ),
      };
      await configuredByTheChart(ctx, r, apis, alpha);

      r.standIn(runtimeStandIns.outage);
      const deployment = `deployment/${names.openwebui}`;
      const scale = (replicas: string) =>
        ctx.k.kubectl(["scale", deployment, "-n", alpha.namespace, `--replicas=${replicas}`]);
      const replicas = (
        await ctx.k.kubectl(["get", deployment, "-n", alpha.namespace, "-o", "jsonpath={.spec.replicas}"])
      ).trim();
      await alertLife(
        r,
        apis,
        {
          name: "LLMTenantHealthCheckFailing",
          labels: (l) => l.tenant === alpha.name,
          what: `tenant="${alpha.name}"`,
          figure: "healthAlert",
        },
        async () => void (await scale("0")),
        async () => {
          await scale(replicas || "1");
          await waitPodsReady(ctx.k, alpha.namespace, componentSelector(names.openwebui), { timeoutMs: 300_000 });
        },
      );

      const catalog = ctx.platformCatalog ?? labCatalog;
      await alertLife(
        r,
        apis,
        {
          name: "LLMModelCacheJobFailed",
          labels: (l) => (l.job_name ?? "").startsWith("model-pull-"),
          what: `the pull of ${missingModel.name}:${missingModel.tag}`,
          figure: "pullAlert",
        },
        () => applyLabPlatform(ctx, [...catalog, missingModel]),
        () => applyLabPlatform(ctx, catalog),
      );
    } finally {
      await ctx.k.kubectl(
        ["delete", "--ignore-not-found", "--wait=false", "-f", "-"],
        JSON.stringify({ apiVersion: "v1", kind: "List", items: stack }),
      );
      await ctx.k.kubectl(["delete", "--ignore-not-found", "--wait=false", ...ksm.files.flatMap((f) => ["-f", f])]);
    }
  },
};
