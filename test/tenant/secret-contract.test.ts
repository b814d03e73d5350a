/**
 * The README's secret contract is the chart's: every secret the pods can read (all features on) is a row naming its
 * Secrets Manager name and its existingSecret key, and the trust subject names the ServiceAccount that reads them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Deployment, ExternalSecret } from "../../charts-src/lib/k8s.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { ofKind } from "../rendered.js";
import { render } from "./render.js";

const readme = readFileSync(join(import.meta.dirname, "..", "..", "generated", "tenant", "README.md"), "utf8");
const contract = readme.slice(readme.indexOf("## The secrets a tenant needs"));

describe("the tenant README's secret contract", () => {
  const fixtures = loadFixtures(join(import.meta.dirname, "..", ".."), "tenant").filter((f) => f.kind === "good");
  const rendered = fixtures.map((f) => render(f.values));

  it("lists every Secrets Manager name the chart's ExternalSecrets of any good fixture read, as a row", () => {
    // The operator's own (extraObjects) name secrets of their choosing, under the tenant's prefix.
    const chartOwn = (e: ExternalSecret) => e.metadata?.labels?.["app.kubernetes.io/component"] !== "extra-objects";
    const remotes = new Set(
      rendered.flatMap((objects) =>
        ofKind<ExternalSecret>(objects, "ExternalSecret")
          .filter(chartOwn)
          .flatMap((e) =>
            (e.spec?.data ?? []).map((d) => String(d.remoteRef.key).replace(/^llmcharts\/tenants\/[^/]+\//, "")),
          ),
      ),
    );
    expect(remotes.size).toBeGreaterThan(3);
    for (const remote of remotes)
      expect(contract).toMatch(new RegExp(`^\\| \`llmcharts/tenants/<name>/${remote}\``, "m"));
  });

  it("names every key a pod reads from an existing Secret", () => {
    const keys = new Set(
      rendered.flatMap((objects) =>
        ofKind<Deployment>(objects, "Deployment").flatMap((d) =>
          (d.spec?.template.spec?.containers ?? []).flatMap((c) =>
            (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : [])),
          ),
        ),
      ),
    );
    for (const key of keys) expect(contract).toContain(`\`${key}\``);
  });

  it("gives the IAM trust subject of the ServiceAccount that reads them", () => {
    expect(contract).toContain("system:serviceaccount:tenant-<name>:secrets-reader");
  });
});
