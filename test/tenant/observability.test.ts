/** Metrics, traces and rollouts as the chart renders them. */
import { describe, expect, test } from "vitest";
import { render, deployment, value } from "./render.js";

describe("observability and rollouts", () => {
  test("traces are exported to Tempo and metrics to a collector that takes them", () => {
    const objects = render({ tenant: { name: "acme" }, openwebui: { telemetry: { enabled: true } } });
    expect(value(objects, "ENABLE_OTEL_TRACES")).toBe("true");
    expect(value(objects, "OTEL_EXPORTER_OTLP_ENDPOINT")).toBe("http://tempo.monitoring.svc:4317");
    expect(value(objects, "OTEL_METRICS_EXPORTER_OTLP_ENDPOINT")).toBe("http://otel-collector.monitoring.svc:4317");
  });

  test("a premium rollout needs no GPU beyond the quota (no surge pod)", () => {
    const objects = render({ tenant: { name: "acme", tier: "premium" }, quota: { gpus: 2 } });
    expect(deployment(objects, "ollama-premium")?.spec?.strategy?.rollingUpdate).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });
});
