/**
 * The promtool rung on renderings broken on purpose: a PrometheusRule or a dashboard query promtool refuses fails,
 * naming the object, the rule or panel, promtool's message and the expression; and the alerts' unit tests in
 * alert-tests/ fail when an alert stops firing on its case, or fires on its near miss.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, test } from "vitest";
import type { ConfigMap, PrometheusRule } from "../../charts-src/lib/k8s.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { alertRulesFile, alertTestsDir } from "../../src/generate/alert-tests.js";
import type { Fixture } from "../../src/validate/fixtures.js";
import { checkPromql } from "../../src/validate/rung-promtool.js";
import { ofKind, type Rendered, renderChart } from "../rendered.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "llmcharts-promtool-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const release = { name: "platform", namespace: "default", chartVersion: platformChart.version };

/** The platform chart's objects at its defaults, with the synthetic health checks on (every alert rendered). */
const platformObjects = () => renderChart("platform", { monitoring: { syntheticChecks: { enabled: true } } }, release);

let renderings = 0;
const rendering = (objects: Rendered[]) => {
  const name = `rendering-${++renderings}`;
  const file = join(tmp, `${name}.yaml`);
  const json = join(tmp, `${name}.json`);
  writeFileSync(file, "");
  writeFileSync(json, JSON.stringify(objects));
  const fixture: Fixture = { chart: "platform", name, path: file, kind: "good", values: {} };
  return { fixture, file, objects: json };
};

const check = (objects: Rendered[]) =>
  checkPromql(root, [rendering(objects)], join(tmp, `work-${renderings}`), { withTests: false });

const alertsOf = (objects: Rendered[]) => {
  const [rule] = ofKind<PrometheusRule>(objects, "PrometheusRule");
  return (rule?.spec?.groups ?? []).flatMap((g) => g.rules ?? []);
};

/** A dashboard's JSON in its ConfigMap, changed by `edit`. */
const editDashboard = (
  objects: Rendered[],
  name: string,
  edit: (d: { panels: { targets: { expr: string }[] }[] }) => void,
) => {
  const cm = ofKind<ConfigMap>(objects, "ConfigMap").find((c) => c.metadata.name === `llmcharts-dashboard-${name}`);
  const key = `llmcharts-${name}.json`;
  if (!cm?.data?.[key]) throw new Error(`no dashboard ${name}`);
  const dashboard = JSON.parse(cm.data[key]);
  edit(dashboard);
  cm.data[key] = JSON.stringify(dashboard);
};

describe("promtool check rules, on the platform chart's renderings", () => {
  test("every alert and every dashboard query of the defaults parses", async () => {
    expect(await check(platformObjects())).toEqual([
      { chart: "platform", fixture: expect.any(String), rung: "promtool", check: "promtool check rules", ok: true },
    ]);
  });

  test("an alert whose expression does not parse is refused, naming the alert, promtool's message and the fix", async () => {
    const objects = platformObjects();
    const rule = alertsOf(objects).find((r) => r.alert === "LLMTenantQuotaNearlyExhausted");
    if (!rule) throw new Error("no LLMTenantQuotaNearlyExhausted");
    rule.expr = 'max by (namespace (kube_resourcequota{type="used"}) > 90';
    const [result, ...others] = await check(objects);
    expect(others).toEqual([]);
    expect(result?.ok).toBe(false);
    expect(result?.message).toContain(
      'PrometheusRule monitoring/llmcharts-platform: alert "LLMTenantQuotaNearlyExhausted"',
    );
    expect(result?.message).toContain("could not parse expression");
    expect(result?.message).toContain('`max by (namespace (kube_resourcequota{type="used"}) > 90`');
    expect(result?.message).toContain("fix that rule in charts-src/platform/prometheus-rules.ts");
  });

  test("an annotation template that does not parse is refused too", async () => {
    const objects = platformObjects();
    const rule = alertsOf(objects).find((r) => r.alert === "LLMModelCacheJobFailed");
    if (!rule?.annotations) throw new Error("no LLMModelCacheJobFailed");
    rule.annotations.summary = "Model pull Job {{ $labels.job_name failed";
    const [result] = await check(objects);
    expect(result?.ok).toBe(false);
    expect(result?.message).toContain('"LLMModelCacheJobFailed": annotation "summary"');
  });

  test("a dashboard query that does not parse is refused, naming the dashboard, the panel and the query", async () => {
    const objects = platformObjects();
    editDashboard(objects, "gpu", (d) => {
      const target = d.panels[1]?.targets[0];
      if (target) target.expr = "avg(DCGM_FI_DEV_GPU_UTIL[$__rate_interval)";
    });
    const [result, ...others] = await check(objects);
    expect(others).toEqual([]);
    expect(result?.message).toContain(
      'ConfigMap monitoring/llmcharts-dashboard-gpu: dashboard "LLM platform / GPUs" panel "Average GPU utilisation" query A:',
    );
    expect(result?.message).toContain("parse error");
    expect(result?.message).toContain("`avg(DCGM_FI_DEV_GPU_UTIL[$__rate_interval)`");
    expect(result?.message).toContain("fix the query in charts-src/platform/dashboards.ts");
  });

  test("a dashboard query using a variable the dashboard does not declare is refused, naming the variable", async () => {
    const objects = platformObjects();
    editDashboard(objects, "cost", (d) => {
      const target = d.panels[0]?.targets[0];
      if (target) target.expr = "sum(kube_pod_info) * $cpu_price";
    });
    const [result] = await check(objects);
    expect(result?.ok).toBe(false);
    expect(result?.message).toContain('panel "Cost per hour" query A: $cpu_price is no variable of the dashboard');
    expect(result?.message).toContain("vcpu_price");
  });

  test("a rendering without PromQL gets no result, and needs no promtool", async () => {
    expect(await check(platformObjects().filter((o) => o.kind === "StorageClass"))).toEqual([]);
  });
});

describe("the alerts' unit tests (alert-tests/)", () => {
  const suites = readdirSync(join(root, alertTestsDir)).filter((f) => f.endsWith(".test.yaml"));

  /** alert-tests/ copied with every alert's expression and `for` replaced, and the suites run on it. */
  const runWithAlerts = async (expr: string) => {
    const copy = mkdtempSync(join(tmp, "root-"));
    cpSync(join(root, alertTestsDir), join(copy, alertTestsDir), { recursive: true });
    const rulesFile = join(copy, alertTestsDir, alertRulesFile);
    const rules = parse(readFileSync(rulesFile, "utf8")) as { groups: { rules: Record<string, unknown>[] }[] };
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      rule.expr = expr;
      delete rule.for;
    }
    writeFileSync(rulesFile, stringify(rules));
    return checkPromql(copy, [], join(copy, "work"), { withTests: true });
  };

  test("every alert of the chart has a suite, and every suite passes", async () => {
    const alerts = alertsOf(platformObjects()).map((r) => `${r.alert}.test.yaml`);
    expect(suites.sort()).toEqual(alerts.sort());
    const results = await checkPromql(root, [], join(tmp, "suites"), { withTests: true });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(suites.length);
  });

  test("an alert that never fires fails its suite's fires case", async () => {
    const results = await runWithAlerts("vector(1) == 0");
    expect(results).toHaveLength(suites.length);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(r.message).toContain("name: fires:");
      expect(r.message).not.toContain("name: stays silent:");
    }
  });

  test("an alert that always fires fails its suite's near miss", async () => {
    const results = await runWithAlerts("vector(1)");
    expect(results).toHaveLength(suites.length);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(r.message).toContain("name: stays silent:");
      expect(r.message).toContain(r.fixture.slice(`${alertTestsDir}/`.length, -".test.yaml".length));
    }
  });
});
