/**
 * The monitoring stack the runtime suite writes for the Prometheus Operator (alerts-fire) selects what the platform
 * chart ships with its defaults: a drift between them would leave the real Prometheus without the platform's rules
 * or probes, and alerts-fire would then fail for a reason no operator meets.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { Prometheus, Service } from "../../charts-src/lib/k8s.js";
import { monitoringStack } from "../../src/runtime/monitoring-stack.js";

const platformDefaults = parse(readFileSync("generated/platform/values.yaml", "utf8")) as {
  monitoring: { namespace: string; rules: { labels: Record<string, string> }; syntheticChecks: { proberUrl: string } };
};
const stack = monitoringStack(5);
const prometheus = stack.find((o): o is Prometheus => o.kind === "Prometheus");

describe("the runtime's monitoring stack", () => {
  it("selects every kind of monitoring object by the labels the platform chart puts on them", () => {
    const wanted = { matchLabels: platformDefaults.monitoring.rules.labels };
    for (const selector of [
      "ruleSelector",
      "scrapeConfigSelector",
      "serviceMonitorSelector",
      "podMonitorSelector",
      "probeSelector",
    ] as const)
      expect(prometheus?.spec?.[selector], selector).toEqual(wanted);
  });

  it("runs in the platform's monitoring namespace, its exporter where the platform's probe asks", () => {
    expect(prometheus?.metadata?.namespace).toBe(platformDefaults.monitoring.namespace);
    const [host, port] = platformDefaults.monitoring.syntheticChecks.proberUrl.split(":");
    const [service, namespace] = (host ?? "").split(".");
    const exporter = stack.find((o): o is Service => o.kind === "Service" && o.metadata?.name === service);
    expect(exporter?.metadata?.namespace).toBe(namespace);
    expect(exporter?.spec?.ports?.[0]?.port).toBe(Number(port));
  });

  it("names each image by the release it runs", () => {
    expect(prometheus?.spec?.image).toBe(`localhost/llmcharts/prometheus:${prometheus?.spec?.version?.slice(1)}`);
    expect(prometheus?.spec?.version).toMatch(/^v3\.\d+\.\d+$/);
  });
});
