/**
 * Standard Ollama's HPA behaviour is a value (tenant 0.2.7): by default it doubles at once and, after a minute of
 * calm, halves at most per minute, as the lab design says; a values file may tune either direction.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import type { HorizontalPodAutoscaler } from "../../charts-src/lib/k8s.js";
import { ofKind, present, renderChart } from "../rendered.js";

const chart = charts.tenant;
if (!chart) throw new Error("the tenant chart is not registered");
const release = { name: "acme", namespace: "tenants", chartVersion: chart.version };

const standardHpaBehavior = (values: unknown) => {
  const hpas = ofKind<HorizontalPodAutoscaler>(renderChart("tenant", values, release), "HorizontalPodAutoscaler");
  return present(
    hpas.find((h) => h.metadata.name === "ollama-standard"),
    "HPA ollama-standard",
  ).spec?.behavior;
};

describe("standard Ollama's HPA behaviour", () => {
  test("defaults: +100% at once on the way up; after 60 s of calm, at most −50% per minute on the way down", () => {
    expect(standardHpaBehavior({ tenant: { name: "acme" } })).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
    });
  });

  test("each direction follows its values, the other keeping its defaults", () => {
    const behavior = standardHpaBehavior({
      tenant: { name: "acme" },
      ollama: {
        standard: { autoscaling: { behavior: { scaleDown: { stabilizationWindowSeconds: 300, percent: 10 } } } },
      },
    });
    expect(behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
    });
  });
});
