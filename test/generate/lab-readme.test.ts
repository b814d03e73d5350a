/**
 * README.md's "Lab: one node, no cloud services" names what the charts' lab values and conventions say: the shipped
 * values files, the node labels tenant pods require, the Secret and its keys, the model directory, the models and
 * the Ollama version the tenant runs, the admin to sign in as.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { effectiveValues } from "../../charts-src/lib/engine/index.js";
import { poolSelectorLabels, standardPool } from "../../charts-src/lib/pools.js";
import { tenantNamespaceName } from "../../charts-src/lib/tenant-namespace.js";
import { labModelCacheDir } from "../../charts-src/lib/model-cache.js";
import { platformLabValues } from "../../charts-src/platform/lab-values.js";
import type { PlatformValues } from "../../charts-src/platform/values.js";
import { labSecretName, tenantLabValues } from "../../charts-src/tenant/lab-values.js";
import type { TenantValues } from "../../charts-src/tenant/values.js";
import { tenantSecrets } from "../../charts-src/tenant/secrets.js";

const root = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const lab = readme.slice(readme.indexOf("\n## Lab: one node, no cloud services\n"), readme.indexOf("\n## Pins\n"));
const tenant = charts.tenant as NonNullable<(typeof charts)["tenant"]>;
const labTenant = effectiveValues(tenant, tenantLabValues.values) as TenantValues;
const platform = charts.platform as NonNullable<(typeof charts)["platform"]>;
const labPlatform = effectiveValues(platform, platformLabValues.values) as PlatformValues;

describe("README.md: the one-node lab", () => {
  it("has the section, installing platform and tenant with the values-lab.yaml each chart ships", () => {
    expect(lab.length).toBeGreaterThan(100);
    for (const chart of ["platform", "tenant"]) {
      expect(lab).toContain(`./generated/${chart} -n tenants`);
      expect(lab).toContain(`-f generated/${chart}/values-lab.yaml`);
      expect(existsSync(join(root, "generated", chart, "values-lab.yaml"))).toBe(true);
    }
  });

  it("labels the node with exactly the labels standard tenant pods require", () => {
    const wanted = Object.entries(poolSelectorLabels(standardPool, "standard")).map(([k, v]) => `${k}=${v}`);
    expect(lab).toContain(`kubectl label --overwrite "$(kubectl get nodes -o name | head -n 1)" ${wanted.join(" ")}`);
  });

  it("creates the Secret the lab values name, in the tenant's namespace, with the keys the pods read", () => {
    const ns = tenantNamespaceName(labTenant.tenant.name);
    expect(lab).toContain(`kubectl -n ${ns} create secret generic ${labSecretName}`);
    expect(labTenant.secrets.existingSecret).toBe(labSecretName);
    for (const s of [tenantSecrets.webuiSecretKey, tenantSecrets.adminPassword])
      expect(lab).toContain(`--from-literal=${s.key}=`);
    expect(lab).toContain(`sign in as\n   \`${labTenant.openwebui.admin.email}\``);
  });

  it("has the platform's pull Jobs fill the node directory the tenant mounts, with the tenant's models, as their user", () => {
    expect(labTenant.ollama.modelCache.hostPath).toBe(labModelCacheDir);
    expect(labPlatform.modelCache).toMatchObject({ enabled: true, source: "hostPath", hostPath: labModelCacheDir });
    const pulled = labPlatform.modelCache.models.filter((m) => m.tier === "standard").map((m) => `${m.name}:${m.tag}`);
    expect(pulled).toEqual(
      expect.arrayContaining([labTenant.ollama.standard.model, labTenant.openwebui.rag.embeddingModel]),
    );
    const { uid, gid } = labPlatform.modelCache;
    expect(lab).toContain(`sudo install -d -o ${uid} -g ${gid} ${labModelCacheDir}`);
    expect(lab).toContain(
      "kubectl -n llmcharts-platform wait --for=condition=complete job -l app.kubernetes.io/component=model-pull",
    );
    expect(lab).toContain(`"model":"${labTenant.ollama.standard.model}"`);
  });
});
