/**
 * Scenario 2: nodepools, platform (or the admission policies alone) and three tenants installed with the real Helm,
 * each after a server-side dry run; every Deployment available, and each tier's pods on that tier's nodes. KEDA keeps
 * premium Ollama's pod on the business-hours trigger (a window holding now); unable to read the wake-up proxy's
 * /queue on kwok, it reports the chart's fallback, which `helm upgrade --wait` reads as ready.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type {
  AppProject,
  ApplicationSet,
  HorizontalPodAutoscaler,
  ScaledObject,
  ScrapeConfig,
  Service,
} from "../../../charts-src/lib/k8s.js";
import type { InstallContext, InstallScenario } from "../context.js";
import type { Recorder } from "../../harness/recorder.js";
import {
  clusterReleaseNamespace,
  installTenantValues,
  nodepoolsRelease,
  nodepoolsSiteValues,
  nodepoolsValues,
  platformRelease,
  platformValues,
  prerequisiteNamespaces,
  type TenantRelease,
  tenantOf,
} from "../releases.js";
import { warmPremiumValues } from "../../harness/business-hours.js";
import { placements } from "../../harness/workloads.js";
import { installStandIns } from "../standin-names.js";
import { until } from "../../lib/wait.js";

/**
 * The platform's tenants ApplicationSet and AppProject as the API server stored them: it prunes fields a CRD does not
 * know, so a rollout or source the pinned Argo CD would not read shows up here as missing.
 */
const checkTenantsAppSet = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  const { kube } = ctx.need();
  const [appset] = await kube.list<ApplicationSet>("applicationsets.argoproj.io", "argocd");
  const spec = appset?.spec;
  r.check(
    "tenants ApplicationSet stored with its RollingSync steps and the fleet's $values source",
    spec?.strategy?.rollingSync?.steps?.length === 2 && spec.template.spec.sources?.[1]?.ref === "values",
    JSON.stringify(spec?.strategy ?? spec ?? "no ApplicationSet"),
  );
  const [project] = await kube.list<AppProject>("appprojects.argoproj.io", "argocd");
  const whitelist = project?.spec.clusterResourceWhitelist;
  r.check(
    "tenants AppProject stored with its cluster-scoped allow-list by name",
    whitelist?.length === 2 && whitelist.every((w) => w.name?.endsWith("*")),
    JSON.stringify(whitelist ?? "no AppProject"),
  );
};

/**
 * The platform's health ScrapeConfig as the API server stored it, and the Services its discovery selector finds there:
 * every installed tenant's OpenWebUI Service, though the platform lists none (its tenants come from the fleet folder).
 * Prometheus does not run here; what its discovery would list is what the API server answers to the same selector.
 */
const checkHealthDiscovery = async (ctx: InstallContext, r: Recorder, tenants: TenantRelease[]): Promise<void> => {
  const { kube } = ctx.need();
  const [scrape] = await kube.list<ScrapeConfig>("scrapeconfigs.monitoring.coreos.com", "monitoring");
  const sd = scrape?.spec.kubernetesSDConfigs?.[0];
  const relabelings = scrape?.spec.relabelings ?? [];
  r.check(
    "health ScrapeConfig stored with its Service discovery and its relabelling to the blackbox exporter",
    sd?.role === "Service" &&
      relabelings.some((l) => l.action === "keepequal") &&
      relabelings.some((l) => l.targetLabel === "__address__" && l.replacement?.endsWith(":9115")),
    JSON.stringify(scrape?.spec ?? "no ScrapeConfig in monitoring"),
  );
  const selector = sd?.selectors?.find((s) => s.role === "Service")?.label;
  if (!selector) return;
  // The relabelling keeps each Service's port named http: the probe goes through it.
  const found = (await kube.list<Service>("services", "*", selector))
    .map(
      (s) =>
        `${s.metadata.namespace}/${s.metadata.name}${s.spec?.ports?.some((p) => p.name === "http") ? "" : " (no http port)"}`,
    )
    .sort();
  const expected = tenants.map((t) => `${t.namespace}/openwebui`).sort();
  r.check(
    `health probe discovery finds every tenant's OpenWebUI Service and nothing else (${selector})`,
    JSON.stringify(found) === JSON.stringify(expected),
    `found ${found.join(", ") || "none"}; expected ${expected.join(", ")}`,
  );
};

/**
 * KEDA owns premium Ollama's count: its business-hours trigger (a window holding now, in the tenant's run values) is
 * active, and the HPA KEDA made keeps at least one premium pod. Premium starts at one pod (its Deployment leaves the
 * count to KEDA, so the API server's default holds until KEDA acts); notes how long after the install KEDA called it
 * active.
 *
 * On kwok no wake-up proxy answers /queue, so the wake-up trigger fails every read: KEDA reports the ScaledObject on
 * the chart's fallback (Fallback True, Ready True), its own conditions, which is what let `helm --wait` return. On a
 * cluster of real nodes the proxy answers, and no fallback is active.
 */
const checkPremiumKeptByKeda = async (ctx: InstallContext, r: Recorder, t: TenantRelease, installStart: number) => {
  const { kube } = ctx.need();
  const conditions = async () =>
    (await kube.get<ScaledObject>("scaledobject", "ollama-premium", t.namespace)).status?.conditions ?? [];
  const has = (cs: { type: string; status: string }[], type: string, status: string) =>
    cs.some((c) => c.type === type && c.status === status);
  const active = await r.step(
    `${t.namespace}: KEDA reports premium's ScaledObject active on the business-hours trigger`,
    () =>
      until(
        `${t.namespace}: ScaledObject ollama-premium Active`,
        async () => has(await conditions(), "Active", "True"),
        120_000,
      ).then(() => true),
  );
  if (!active) return;
  r.note(`${t.namespace}: KEDA active ${((Date.now() - installStart) / 1000).toFixed(1)}s after helm install started`);
  const hpa = await kube
    .get<HorizontalPodAutoscaler>("hpa", "keda-hpa-ollama-premium", t.namespace)
    .catch(() => undefined);
  r.check(
    `${t.namespace}: KEDA's HPA keeps at least one premium pod while the trigger is active`,
    (hpa?.spec?.minReplicas ?? 0) >= 1 && hpa?.spec?.scaleTargetRef.name === "ollama-premium",
    JSON.stringify(hpa?.spec ?? "no HPA keda-hpa-ollama-premium"),
  );
  const fallback = ctx.embedded ? "True" : "False";
  const expected = `Ready True, Fallback ${fallback}`;
  const seen = (cs: { type: string; status: string; reason?: string; message?: string }[]) =>
    cs.map((c) => `${c.type} ${c.status} ${c.reason ?? ""} (${c.message ?? ""})`).join("; ");
  let last: Awaited<ReturnType<typeof conditions>> = [];
  const settled = await until(
    `${t.namespace}: ScaledObject ollama-premium ${expected}`,
    async () => {
      last = await conditions();
      return has(last, "Ready", "True") && has(last, "Fallback", fallback);
    },
    120_000,
  ).then(
    () => true,
    () => false,
  );
  r.check(
    ctx.embedded
      ? `${t.namespace}: KEDA, unable to read the wake-up proxy's /queue (no proxy runs on kwok), holds premium on the chart's fallback and reports it: ${expected}`
      : `${t.namespace}: KEDA reads the wake-up proxy's /queue: ${expected}`,
    settled,
    seen(last),
  );
  r.note(
    `${t.namespace}: KEDA's conditions ${((Date.now() - installStart) / 1000).toFixed(1)}s after helm install started: ${seen(last)}`,
  );
};

/** Pod placement checks of one tenant namespace. */
const checkPlacement = async (ctx: InstallContext, r: Recorder, t: TenantRelease): Promise<void> => {
  const { kube } = ctx.need();
  const pods = await placements(kube, t.namespace);
  const of = (c: string) => pods.filter((p) => p.component === c);
  const where = (c: string) =>
    of(c)
      .map((p) => `${p.pod}→${p.node.name}`)
      .join(", ");
  for (const nodeTier of ["standard", "premium"] as const) {
    const component = `ollama-${nodeTier}`;
    const gpu = nodeTier === "premium";
    const placed = of(component);
    if (t.tier === nodeTier || t.tier === "both") {
      r.check(
        `${t.namespace}: ${nodeTier} Ollama only on ${gpu ? "GPU" : "standard (CPU)"} nodes`,
        placed.length > 0 && placed.every((p) => p.node.tier === nodeTier && p.node.gpu === gpu),
        where(component) || `no ${component} pod`,
      );
    } else {
      r.check(`${t.namespace}: no ${nodeTier} Ollama on the ${t.tier} tier`, placed.length === 0, where(component));
    }
  }
  r.check(
    `${t.namespace}: OpenWebUI never on GPU nodes`,
    of("openwebui").length > 0 && of("openwebui").every((p) => !p.node.gpu),
    where("openwebui") || "no openwebui pod",
  );
};

export const install: InstallScenario = {
  id: "2",
  title: "install: nodepools, platform and three tenants; Deployments available, pods on their tier's nodes",
  run: async (ctx, r) => {
    const { kube, helm } = ctx.need();
    let platform = false;
    await r.timed(`install nodepools`, () =>
      r.step("nodepools installed (after a server-side dry run)", () =>
        helm.install({
          release: nodepoolsRelease,
          chartDir: ctx.chartDir("nodepools"),
          namespace: clusterReleaseNamespace,
          valuesFiles: [ctx.valuesFile(nodepoolsSiteValues), ctx.valuesFile(nodepoolsValues)],
        }),
      ),
    );
    const livePools = await kube.list("nodepools.karpenter.sh");
    r.check("NodePools exist", livePools.length > 0, livePools.map((p) => p.metadata.name).join(", "));

    if (ctx.hasChart("platform")) {
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
            chartDir: ctx.chartDir("platform"),
            namespace: clusterReleaseNamespace,
            valuesFiles: [ctx.valuesFile(platformValues)],
          }),
        ),
      );
      if (ok !== undefined) await checkTenantsAppSet(ctx, r);
      platform = ok !== undefined;
    } else {
      const files = ["policies/admission/policy.yaml"].map((f) => join(ctx.opts.root, f)).filter((f) => existsSync(f));
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

    const tenants: TenantRelease[] = [];
    for (const t of installTenantValues.map((f) => tenantOf(ctx.opts.root, f))) {
      // Premium is kept warm by the chart's business-hours trigger, its window around now, which KEDA acts on. On kwok
      // the wake-up trigger has no proxy to ask: KEDA reports Ready Unknown (PartialTriggerError), which Helm's --wait
      // reads as in progress, until the chart's fallback takes over after its failed reads and Ready is True again.
      const premium = t.tier !== "standard";
      const values = premium ? { values: warmPremiumValues(new Date()) } : {};
      const times = await r.step(
        `tenant ${t.release} (${t.tier}) installed in ${t.namespace}, every Deployment available`,
        () => ctx.installTenant(t, values),
      );
      if (!times) continue;
      r.note(
        `install tenant ${t.release} (${t.tier}): helm install --wait ${(times.helmMs / 1000).toFixed(1)}s, then autoscaler minimums available ${(times.readyMs / 1000).toFixed(1)}s`,
      );
      if (premium) {
        await checkPremiumKeptByKeda(ctx, r, t, Date.now() - times.readyMs - times.helmMs);
        // The install's wait may end before KEDA's first poll; an upgrade with the same values waits on the
        // ScaledObject as KEDA now reports it, which Helm reads as Current only if Ready is True.
        const again = await r.step(
          `${t.namespace}: helm upgrade --wait (same values) returns with KEDA's ScaledObject as KEDA reports it${ctx.embedded ? ", /queue unreadable" : ""}`,
          () => ctx.installTenant(t, { ...values, verb: "upgrade" }),
        );
        if (again) r.note(`upgrade tenant ${t.release}: helm upgrade --wait ${(again.helmMs / 1000).toFixed(1)}s`);
      }
      tenants.push(t);
      if (ctx.embedded) r.standIn(installStandIns.provisioner);
      const ns = await kube.get("namespace", t.namespace);
      r.check(
        `${t.namespace}: namespace labelled for tenant ${t.tenant}, tier ${t.tier}, Pod Security restricted`,
        ns.metadata.labels?.["llmcharts.io/tenant"] === t.tenant &&
          ns.metadata.labels?.["llmcharts.io/tier"] === t.tier &&
          ns.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted",
        JSON.stringify(ns.metadata.labels),
      );
      await checkPlacement(ctx, r, t);
    }
    if (platform && tenants.length > 0) await checkHealthDiscovery(ctx, r, tenants);
    return { tenants, ...(platform ? { platform: true as const } : {}) };
  },
};
