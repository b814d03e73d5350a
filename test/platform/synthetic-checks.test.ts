/**
 * The platform probes every tenant, whoever deployed it: Prometheus finds the tenants' OpenWebUI Services at run time
 * from one ScrapeConfig. Prometheus does not run in these tests: its Kubernetes discovery (role service) and its
 * relabelling are reproduced here, as Prometheus documents them, over the Services the tenant chart renders.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import type { PrometheusRule, RelabelConfig, ScrapeConfig, Service } from "../../charts-src/lib/k8s.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";
import { render as renderTenant } from "../tenant/render.js";

const release = { name: "platform", namespace: "llmcharts-system", chartVersion: platformChart.version };
const renderPlatform = (user: unknown) => renderChart("platform", user, release);

/** The platform of a fleet: tenants come from the fleet folder (the ApplicationSet's default), none is listed. */
const fleetPlatform = {
  argocd: {
    enabled: true,
    repoURL: "https://github.com/example-saas/llm-platform.git",
    targetRevision: "tenant-0.2.9",
    fleet: { repoURL: "https://git.example.com/platform/fleet.git" },
  },
  monitoring: { syntheticChecks: { enabled: true } },
};

const healthScrape = (docs: Rendered[]): ScrapeConfig =>
  present(ofKind<ScrapeConfig>(docs, "ScrapeConfig")[0], "the health ScrapeConfig");

type Labels = Record<string, string>;

const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");

/** Whether a Service matches a label selector of equalities and existences (`a=b,c`), as the API server applies it. */
const selects = (selector: string, labels: Labels): boolean =>
  selector.split(",").every((term) => {
    const [key, value] = term.split("=") as [string, string | undefined];
    return value === undefined ? key in labels : labels[key] === value;
  });

/** Prometheus's Kubernetes discovery, role service: one target per port of each Service its selector lets through. */
const discover = (scrape: ScrapeConfig, services: Service[]): Labels[] => {
  const sd = present(scrape.spec.kubernetesSDConfigs?.[0], "a Kubernetes discovery");
  expect(sd.role).toBe("Service");
  const selector = sd.selectors?.find((s) => s.role === "Service")?.label ?? "";
  return services
    .filter((s) => selects(selector, s.metadata?.labels ?? {}))
    .flatMap((s) =>
      (s.spec?.ports ?? []).map((port) => ({
        // The operator sets the job label to the ScrapeConfig's jobName.
        job: scrape.spec.jobName ?? `scrapeConfig/${scrape.metadata?.namespace}/${scrape.metadata?.name}`,
        __address__: `${s.metadata?.name}.${s.metadata?.namespace}.svc:${port.port}`,
        __meta_kubernetes_namespace: s.metadata?.namespace ?? "",
        __meta_kubernetes_service_name: s.metadata?.name ?? "",
        __meta_kubernetes_service_port_name: port.name ?? "",
        ...Object.fromEntries(
          Object.entries(s.metadata?.labels ?? {}).map(([k, v]) => [
            `__meta_kubernetes_service_label_${sanitize(k)}`,
            v,
          ]),
        ),
      })),
    );
};

/** Prometheus's relabelling (replace, keep, keepequal); a dropped target is null. */
const relabel = (rules: RelabelConfig[], target: Labels): Labels | null => {
  let labels: Labels = { ...target };
  for (const r of rules) {
    const value = (r.sourceLabels ?? []).map((l) => labels[l] ?? "").join(r.separator ?? ";");
    const match = new RegExp(`^(?:${r.regex ?? "(.*)"})$`).exec(value);
    const action = (r.action ?? "replace").toLowerCase();
    if (action === "keep" && !match) return null;
    if (action === "keepequal" && value !== labels[r.targetLabel ?? ""]) return null;
    if (action === "replace" && match && r.targetLabel)
      labels = {
        ...labels,
        [r.targetLabel]: (r.replacement ?? "$1").replace(/\$(\d)/g, (_, i: string) => match[Number(i)] ?? ""),
      };
  }
  return labels;
};

/** What Prometheus scrapes for these Services: the targets' URL and the labels their series carry. */
const probes = (scrape: ScrapeConfig, services: Service[]) =>
  discover(scrape, services)
    .map((t) => relabel(scrape.spec.relabelings ?? [], t))
    .filter((t): t is Labels => t !== null)
    .map((t) => ({
      url: `http://${t.__address__}${scrape.spec.metricsPath}?module=${scrape.spec.params?.module?.[0]}&target=${t.__param_target}`,
      series: Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith("__"))),
    }));

const tenantServices = (name: string, values: object = {}) =>
  ofKind<Service>(renderTenant({ tenant: { name, tier: "both" }, ...values }), "Service");

describe("synthetic checks", () => {
  it("a fleet platform lists no tenant, and still probes each tenant's OpenWebUI through its Service", () => {
    const scrape = healthScrape(renderPlatform(fleetPlatform));
    expect(JSON.stringify(scrape)).not.toContain("acme");
    // Every Service of two tenant releases, the metrics port included: only OpenWebUI's HTTP port is probed.
    const services = [
      ...tenantServices("acme", { openwebui: { serviceMonitor: { enabled: true } } }),
      ...tenantServices("globex"),
    ];
    expect(services.length).toBeGreaterThan(2);
    expect(probes(scrape, services)).toEqual([
      {
        url: "http://prometheus-blackbox-exporter.monitoring.svc:9115/probe?module=http_2xx&target=http://openwebui.tenant-acme.svc:80/health",
        series: {
          job: "openwebui-health",
          instance: "http://openwebui.tenant-acme.svc:80/health",
          tenant: "acme",
          namespace: "tenant-acme",
          llmcharts_check: "openwebui-health",
        },
      },
      expect.objectContaining({ series: expect.objectContaining({ tenant: "globex", namespace: "tenant-globex" }) }),
    ]);
  });

  it("a Service that claims another tenant's name, or is no tenant's OpenWebUI, is not probed", () => {
    const scrape = healthScrape(renderPlatform(fleetPlatform));
    const [openwebui] = tenantServices("acme").filter((s) => s.metadata?.name === "openwebui");
    const service = present(openwebui, "acme's OpenWebUI Service");
    const relabelled = (labels: Labels, name = "openwebui"): Service => ({
      ...service,
      metadata: { ...service.metadata, name, labels: { ...service.metadata?.labels, ...labels } },
    });
    expect(probes(scrape, [relabelled({ "llmcharts.io/tenant": "globex" })])).toEqual([]);
    expect(probes(scrape, [relabelled({}, "openwebui-copy")])).toEqual([]);
    const { "llmcharts.io/tenant": _, ...unlabelled } = service.metadata?.labels ?? {};
    expect(probes(scrape, [{ ...service, metadata: { ...service.metadata, labels: unlabelled } }])).toEqual([]);
  });

  it("the probe's series are those the health alert reads", () => {
    const docs = renderPlatform(fleetPlatform);
    const [probe] = probes(healthScrape(docs), tenantServices("acme"));
    const rules = ofKind<PrometheusRule>(docs, "PrometheusRule")[0]?.spec.groups?.flatMap((g) => g.rules ?? []);
    const expr = String(rules?.find((r) => r.alert === "LLMTenantHealthCheckFailing")?.expr);
    const matchers = [...expr.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]);
    expect(matchers.length).toBeGreaterThan(0);
    for (const [k, v] of matchers) expect(probe?.series[k as string]).toBe(v);
    expect(expr).toContain("by (tenant)");
  });

  it("the checks are off by default, and listed tenants make no Probe of their own", () => {
    expect(ofKind(renderPlatform({}), "ScrapeConfig")).toEqual([]);
    const listed = renderPlatform({
      ...fleetPlatform,
      tenants: [{ name: "acme", tier: "premium", costCentre: "CC-1" }],
    });
    expect(ofKind(listed, "ScrapeConfig")).toHaveLength(1);
    expect(ofKind(listed, "Probe")).toEqual([]);
  });

  it("the relabelling is one the pinned promtool's Prometheus accepts", () => {
    const scrape = healthScrape(renderPlatform(fleetPlatform));
    const snake = (rule: RelabelConfig) =>
      Object.fromEntries(Object.entries(rule).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
    // Debian's Prometheus is built without Kubernetes discovery: a static target stands in for the discovered Service.
    const config = {
      scrape_configs: [
        {
          job_name: scrape.spec.jobName,
          metrics_path: scrape.spec.metricsPath,
          params: scrape.spec.params,
          static_configs: [{ targets: ["openwebui.tenant-acme.svc:80"] }],
          relabel_configs: (scrape.spec.relabelings ?? []).map(snake),
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), "llmcharts-scrape-"));
    try {
      writeFileSync(join(dir, "prometheus.yml"), stringify(config));
      expect(
        execFileSync(requireBin("promtool"), ["check", "config", join(dir, "prometheus.yml")]).toString(),
      ).toContain("SUCCESS");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
