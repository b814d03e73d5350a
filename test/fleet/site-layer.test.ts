import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { userFixture } from "../../src/validate/fixtures.js";
import { chartDir } from "../../src/validate/helm.js";
import { renderers, renderMany } from "../../src/validate/helm-render.js";
import type { CheckResult } from "../../src/validate/report.js";
import { checkSite, mergeValueFiles, overSite } from "../../src/validate/site-layer.js";
import { validate } from "../../src/validate/validate.js";
import { charts } from "../../charts-src/index.js";
import { expectFullyChecked } from "./fully-checked.js";

const root = process.cwd();
const fixtures = join("test", "fleet", "fixtures");
const fleetDir = join(fixtures, "site-layer");
const siteFile = join(fleetDir, "site.yaml");
const tenantFile = (name: string) => join(fleetDir, name, "values.yaml");
const failures = (rs: CheckResult[]) => rs.filter((r) => !r.ok);
const work = mkdtempSync(join(tmpdir(), "llmcharts-site-layer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The same tenant files in a folder of their own, without the site file beside them. */
const withoutSite = (): string => {
  const dir = mkdtempSync(join(work, "fleet-"));
  cpSync(fleetDir, dir, { recursive: true, filter: (src) => basename(src) !== "site.yaml" });
  return dir;
};

describe("validate --fleet with a site layer", () => {
  test("a tenant file need not repeat the site's values: over site.yaml each passes every rung, and site.yaml is no tenant", async () => {
    const rs = await validate({ root, chart: "tenant", fleet: fleetDir });
    expect(failures(rs)).toEqual([]);
    for (const name of ["rigel", "sirius"]) expectFullyChecked(rs, tenantFile(name));
    // The site file is checked once, as the layer, and never rendered as a tenant of its own.
    expect(rs.filter((r) => r.fixture === siteFile).map((r) => [r.check, r.ok])).toEqual([["site layer", true]]);
  });

  test("without the site layer the same tenant files fail, each naming the key the site gave it", async () => {
    const dir = withoutSite();
    const rs = failures(await validate({ root, chart: "tenant", fleet: dir }));
    expect(rs.map((r) => [r.fixture, r.check])).toEqual([
      [join(dir, "rigel", "values.yaml"), "ajv"],
      [join(dir, "sirius", "values.yaml"), "ajv"],
    ]);
    for (const r of rs) expect(r.message).toContain("at '/ollama/modelCache/volumeHandle'");
    // --site names a site file kept elsewhere: the same tenants pass over it.
    expect(failures(await validate({ root, chart: "tenant", fleet: dir, site: siteFile }))).toEqual([]);
  });

  test("Helm renders the site's values under each tenant's own: a tenant's file wins where both set a key", async () => {
    const layer = checkSite(charts.tenant as never, siteFile).layer;
    expect(layer).toBeDefined();
    const tenants = ["rigel", "sirius"].map((n) => userFixture("tenant", tenantFile(n)));
    const layered = overSite(tenants, layer as NonNullable<typeof layer>, join(work, "layered"));
    const [helm4] = renderers();
    const outcomes = await renderMany(
      (helm4 as { exe: string }).exe,
      chartDir(root, "tenant"),
      layered.map((f) => f.helmValues ?? f.path),
      join(work, "rendered"),
    );
    const storageClass = (i: number) => {
      const objects = JSON.parse(readFileSync(outcomes[i]?.objects as string, "utf8")) as {
        kind: string;
        metadata: { name: string };
        spec: { storageClassName?: string };
      }[];
      return objects.find((o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === "openwebui-data")?.spec
        .storageClassName;
    };
    expect(storageClass(0)).toBe("llmcharts-gp3-encrypted"); // rigel: the site's
    expect(storageClass(1)).toBe("io2-fast"); // sirius: its own
  });

  test("merges as Helm merges -f files: maps key by key, a list or scalar of the later file replaces, null kept", () => {
    const site = { network: { apiServer: { cidrs: ["10.20.0.0/16"], ports: [443] } }, quota: { pods: 40 } };
    const tenant = { network: { apiServer: { cidrs: ["10.30.0.0/16"] } }, quota: null };
    expect(mergeValueFiles(site, tenant)).toEqual({
      network: { apiServer: { cidrs: ["10.30.0.0/16"], ports: [443] } },
      quota: null,
    });
  });

  test("a bad site layer is reported once, on the site file, naming the key; what it leaves to tenants is no fault", async () => {
    const bad = join(fixtures, "site-layer-bad");
    const rs = await validate({ root, chart: "tenant", fleet: bad });
    expect(rs.map((r) => [r.fixture, r.check, r.ok])).toEqual([[join(bad, "site.yaml"), "site layer", false]]);
    expect(rs[0]?.message).toContain(`at '/network/apiServer/cidrs/0': "10.20.0.0/33"`);
    // tenant.name, the host, the IAM role: each tenant's own, so the site file is not blamed for leaving them out.
    expect(rs[0]?.message).not.toContain("/tenant");
    await expect(
      validate({ root, chart: "tenant", fleet: fleetDir, site: join(work, "nowhere.yaml") }),
    ).rejects.toThrow(/--site .*nowhere\.yaml: no such file/);
    await expect(
      validate({ root, chart: "tenant", valuesFiles: [tenantFile("rigel")], site: siteFile }),
    ).rejects.toThrow(/give the fleet too/);
  });

  test("a site value a rule across fields refuses for some tiers is left to each tenant: the site file is not blamed", () => {
    const site = join(work, "premium-site.yaml");
    writeFileSync(site, "quota:\n  gpus: 2\n");
    // GPUs are 0 on the default standard tier: a premium tenant's file makes the value right, a standard one's wrong.
    expect(checkSite(charts.tenant as never, site).result).toMatchObject({ ok: true });
    writeFileSync(site, "quota:\n  gpus: -1\n");
    expect(checkSite(charts.tenant as never, site).result.message).toContain("at '/quota/gpus'");
  });

  test("--json and --report keep working: the site layer is a result of its own, and the report names it", async () => {
    const report = join(work, "fleet.html");
    const { stdout } = await promisify(execFile)(
      "node",
      ["bin/llmcharts.js", "validate", "--chart", "tenant", "--fleet", fleetDir, "--json", "--report", report],
      { cwd: root },
    );
    const { results } = JSON.parse(stdout) as { results: CheckResult[] };
    expect(results.find((r) => r.fixture === siteFile)).toMatchObject({ check: "site layer", ok: true });
    const page = readFileSync(report, "utf8");
    expect(page).toContain(`Fleet ${fleetDir}: 2 tenants`);
    expect(page).toContain(`merged over the site layer ${siteFile}`);
  });
});
