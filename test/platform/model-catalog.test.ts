/**
 * The platform's model supply agrees with the tenant chart: its default catalog holds every model the tenant chart's
 * defaults and README examples name, each in the tier that reads it, and its pull Jobs run the tenants' Ollama.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { tiers } from "../../charts-src/lib/conventions.js";
import { effectiveValues } from "../../charts-src/lib/engine/index.js";
import type { Job } from "../../charts-src/lib/k8s.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import type { PlatformValues } from "../../charts-src/platform/values.js";
import { tenantChart } from "../../charts-src/tenant/chart.js";

import type { TenantValues } from "../../charts-src/tenant/values.js";
import { fixturesDir } from "../../src/validate/fixtures.js";
import { catalogGap, tenantModels } from "../../src/validate/model-catalog.js";
import { ofKind, renderChart } from "../rendered.js";
import { container, value } from "../tenant/render.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const asTenant = (user: unknown) => effectiveValues(tenantChart as never, user) as TenantValues;
const defaultCatalog = (effectiveValues(platformChart as never, {}) as PlatformValues).modelCache.models;

/** The tenant chart's defaults on each tier, and the README's examples (the fixtures its docs name). */
const tenantSources = [
  ...tiers.map((tier) => ({ source: `defaults, tier ${tier}`, values: asTenant({ tenant: { tier } }) })),
  ...Object.values(tenantChart.docs?.examples ?? {}).map((name) => {
    const file = join(fixturesDir(root, "tenant"), "good", `${name}.yaml`);
    return { source: `README example ${name}.yaml`, values: asTenant(parse(readFileSync(file, "utf8"))) };
  }),
];

describe("the platform's default model catalog", () => {
  it("reads the README's two examples", () => {
    expect(tenantSources.filter((s) => s.source.startsWith("README"))).toHaveLength(2);
  });

  it.each(tenantSources)("holds every model of the tenant chart's $source, in the tier that reads it", (s) => {
    const models = tenantModels(s.values);
    expect(models.map((m) => m.key)).toContain("openwebui.rag.embeddingModel");
    expect(models.flatMap((m) => catalogGap(defaultCatalog, m, "the platform chart's defaults") ?? [])).toEqual([]);
  });

  it("lists the embedding model for both tiers: standard tenants embed on standard Ollama, premium-only ones on premium", () => {
    const embedding = asTenant({}).openwebui.rag.embeddingModel;
    const tiersOf = defaultCatalog.filter((c) => `${c.name}:${c.tag}` === embedding).map((c) => c.tier);
    expect(tiersOf.sort()).toEqual(["premium", "standard"]);
  });
});

describe("a tenant's models are the ones its pods use", () => {
  const release = { name: "acme", namespace: "tenants", chartVersion: tenantChart.version };
  it.each(tiers)("tier %s: each Ollama's readiness model and the embedding tier agree with tenantModels", (tier) => {
    const user = { tenant: { name: "acme", tier } };
    const objects = renderChart("tenant", user, release);
    const models = tenantModels(asTenant(user));
    for (const m of models.filter((x) => x.key !== "openwebui.rag.embeddingModel"))
      expect(container(objects, `ollama-${m.tier}`)?.readinessProbe?.exec?.command).toEqual([
        "ollama",
        "show",
        m.model,
      ]);
    const embedding = models.find((m) => m.key === "openwebui.rag.embeddingModel");
    expect(value(objects, "RAG_EMBEDDING_MODEL")).toBe(embedding?.model);
    // Standard Ollama's Service, or premium's wake-up proxy in front of premium Ollama.
    expect(value(objects, "RAG_OLLAMA_BASE_URL")).toMatch(
      embedding?.tier === "standard" ? /^http:\/\/ollama-standard:/ : /^http:\/\/ollama-premium/,
    );
  });
});

describe("the pull Jobs fill the cache with the tenants' Ollama", () => {
  it("by default, a pull Job runs the image the tenant chart's Ollama runs", () => {
    const platform = renderChart(
      "platform",
      { modelCache: { enabled: true, fileSystemId: "fs-0a1b2c3d4e5f60718", accessPointId: "fsap-0123456789abcdef0" } },
      { name: "platform", namespace: "llmcharts-system", chartVersion: platformChart.version },
    );
    const pullImages = new Set(ofKind<Job>(platform, "Job").map((j) => j.spec?.template.spec?.containers[0]?.image));
    const tenant = renderChart(
      "tenant",
      { tenant: { name: "acme", tier: "both" } },
      { name: "acme", namespace: "tenants", chartVersion: tenantChart.version },
    );
    const tenantImages = new Set(["ollama-standard", "ollama-premium"].map((d) => container(tenant, d)?.image));
    expect(tenantImages.size).toBe(1);
    expect([...pullImages]).toEqual([...tenantImages]);
  });
});
