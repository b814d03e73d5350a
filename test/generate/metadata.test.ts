import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { chartImages } from "../../src/generate/artifacthub.js";
import { chartFiles } from "../../src/generate/chart-files.js";
import { crdNeeds, fixtureRenderings } from "../../src/generate/rendered.js";

const root = join(import.meta.dirname, "..", "..");
const chartOf = (name: string) => charts[name] as NonNullable<(typeof charts)[string]>;

describe("chart metadata and README", () => {
  it("lists the images the tenant chart runs by default, from its values' image pins", () => {
    const images = chartImages(chartOf("tenant"));
    expect(images.map((i) => i.name)).toEqual([
      "openwebui.image",
      "ollama.image",
      "ollama.premium.wake.image",
      "backup.image",
      "tests.image",
    ]);
    const yaml = parse(chartFiles(chartOf("tenant"), root)["Chart.yaml"] as string);
    const annotated = parse(yaml.annotations["artifacthub.io/images"]);
    expect(annotated).toEqual(images);
    expect(annotated[0].image).toMatch(/^ghcr\.io\/open-webui\/open-webui:v\d/);
  });

  it("carries an icon, links, the license, and derived prerelease and security flags on every chart", () => {
    for (const chart of Object.values(charts)) {
      const yaml = parse(chartFiles(chart, root)["Chart.yaml"] as string);
      expect(yaml.icon, chart.name).toMatch(/^https:\/\/.+\.svg$/);
      const a = yaml.annotations;
      expect(a["artifacthub.io/license"]).toBe("Apache-2.0");
      expect(a["artifacthub.io/prerelease"]).toBe(String(chart.version.includes("-")));
      expect(a["artifacthub.io/containsSecurityUpdates"]).toBe("false");
      expect(parse(a["artifacthub.io/links"]).map((l: { name: string }) => l.name)).toEqual([
        "source",
        "changelog",
        "documentation",
      ]);
      expect(a["artifacthub.io/category"]).toBeTruthy();
    }
  });

  it("finds the CRDs a chart needs from what its fixtures render, and when they are needed", () => {
    const tenant = crdNeeds("tenant", fixtureRenderings(root, chartOf("tenant")));
    const bySource = Object.fromEntries(tenant.map((n) => [n.source, n]));
    expect(bySource["external-secrets"]?.always).toBe(true);
    // Only the gateway fixture routes through Gateway API: not needed with the defaults.
    expect(bySource["gateway-api"]).toMatchObject({ kinds: ["HTTPRoute"], always: false });
    expect(crdNeeds("nodepools", fixtureRenderings(root, chartOf("nodepools"))).map((n) => n.source)).toEqual([
      "karpenter",
    ]);
  });

  it("refuses an object of an API group no pinned CRD source serves", () => {
    const renderings = new Map([
      ["defaults", [{ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "x" } }]],
    ]);
    expect(() => crdNeeds("tenant", renderings)).toThrow(
      /Certificate \(cert-manager.io\/v1\) is of an API group no pinned CRD source serves/,
    );
  });

  it("shows its minimal and full examples verbatim from good fixtures, and what uninstall keeps", () => {
    const readme = chartFiles(chartOf("tenant"), root)["README.md"] as string;
    for (const section of [
      "## Prerequisites",
      "## Install from OCI",
      "## Examples",
      "## Upgrading",
      "## Uninstall",
      "## Parameters",
    ])
      expect(readme).toContain(section);
    expect(readme).toContain("helm install acme oci://ghcr.io/llmcharts/charts/tenant --version");
    expect(readme).toContain("name: pixelworks");
    expect(readme).toMatch(/- Namespace `tenant-example`\n- PersistentVolumeClaim `openwebui-data`/);
    expect(readme.indexOf("1. nodepools")).toBeLessThan(readme.indexOf("3. **tenant** (this chart)"));
  });
});
