/** `validate --fleet DIR --report fleet.html`: the page a person reads instead of the failure lines. */
import { describe, expect, it } from "vitest";
import type { Collision, GpuDemand } from "../../src/validate/fleet-invariants.js";
import { type FleetReportInput, fleetReportHtml } from "../../src/validate/fleet-report.js";
import type { CheckResult } from "../../src/validate/report.js";
import { byId, findAll, parseXml, type XmlNode } from "../xml.js";

const dir = "tenants";
const [acme, lyra, vega, bad] = [
  "tenants/acme.yaml",
  "tenants/lyra/values.yaml",
  "tenants/vega.yaml",
  "tenants/bad.yaml",
];
const ok = (fixture: string, rung: CheckResult["rung"], check: string): CheckResult => ({
  chart: "tenant",
  fixture,
  rung,
  check,
  ok: true,
});
const fail = (fixture: string, rung: CheckResult["rung"], check: string, message: string): CheckResult => ({
  ...ok(fixture, rung, check),
  ok: false,
  message,
});

const collision: Collision = {
  first: lyra as string,
  second: vega as string,
  things: ["host chat.example.com"],
  fixes: ["exposure.host"],
};
const gpu: GpuDemand[] = [
  {
    resource: "nvidia.com/gpu",
    capacity: 8,
    pools: [{ name: "gpu-a10g", capacity: 8 }],
    asking: [
      { path: acme as string, n: 6 },
      { path: lyra as string, n: 4 },
    ],
    total: 10,
  },
];
const results: CheckResult[] = [
  ...[acme, lyra, vega].flatMap((t) => [
    ok(t as string, "values", "ajv"),
    ok(t as string, "manifests", "kubeconform v1.31.0"),
    ok(t as string, "policies", "kyverno"),
  ]),
  fail(bad as string, "values", "ajv", "at '/tenant/tier': must be equal to one of the allowed values"),
  fail(vega as string, "fleet", "unique tenants", "collides with tenants/lyra/values.yaml: both claim host"),
  fail("nodepools.yaml", "fleet", "GPU quotas fit the pools", "quotas of nvidia.com/gpu add up to 10"),
  ok("nodepools.yaml", "fleet", "GPU pools exist"),
];
const input: FleetReportInput = {
  dir,
  tenants: [acme, lyra, vega, bad] as string[],
  results,
  fleet: { collisions: [collision], gpu },
  nodepools: "nodepools.yaml",
  summary: "10 passed, 3 failed",
  version: "0.1.0",
};

/** The verdict grid as { tenant: { rung: cell text } }. */
const grid = (page: XmlNode): Record<string, Record<string, string>> => {
  const table = byId(page, "verdicts") as XmlNode;
  const heads = findAll(table, (n) => n.tag === "thead")[0] as XmlNode;
  const rungs = findAll(heads, (n) => n.tag === "th")
    .map((n) => n.text)
    .slice(1);
  const rows = findAll(table, (n) => n.tag === "tr").slice(1);
  return Object.fromEntries(
    rows.map((row) => {
      const [name, ...cells] = row.children;
      return [name?.text, Object.fromEntries(cells.map((c, i) => [rungs[i], `${c.attrs.class} ${c.text}`]))];
    }),
  );
};

describe("the fleet report", () => {
  const html = fleetReportHtml(input);
  const page = parseXml(html);

  it("is one well-formed page with nothing fetched from elsewhere (no script, no link, no image)", () => {
    expect(html.startsWith("<!DOCTYPE html>\n<html")).toBe(true);
    expect(page.tag).toBe("html");
    expect(findAll(page, (n) => ["script", "link", "img", "iframe"].includes(n.tag))).toEqual([]);
    expect(html).not.toMatch(/\b(src|href)=/);
  });

  it("shows each tenant's verdict on each rung it reached, a refused file on none after the values", () => {
    expect(grid(page)).toEqual({
      "acme.yaml": {
        values: "pass pass",
        manifests: "pass pass",
        policies: "pass pass",
        fleet: "pass pass",
      },
      "bad.yaml": { values: "fail fail 1", manifests: "none –", policies: "none –", fleet: "none –" },
      "lyra/values.yaml": {
        values: "pass pass",
        manifests: "pass pass",
        policies: "pass pass",
        fleet: "fail fail 1",
      },
      "vega.yaml": { values: "pass pass", manifests: "pass pass", policies: "pass pass", fleet: "fail fail 1" },
    });
    const refused = findAll(
      page,
      (n) => n.tag === "td" && n.attrs.class === "fail" && n.attrs["data-rung"] === "values",
    );
    expect(refused.map((c) => c.attrs.title)).toEqual([
      "ajv: at '/tenant/tier': must be equal to one of the allowed values",
    ]);
  });

  it("marks a rung whose tool is missing as not run for every tenant", () => {
    const notRun = fail("-", "policies", "not run", "kyverno-apply is not installed");
    const cells = grid(parseXml(fleetReportHtml({ ...input, results: [...results, notRun] })));
    expect(Object.values(cells).map((c) => c.policies)).toEqual(Array(4).fill("not-run not run"));
  });

  it("lists the colliding pairs with what they share and the field to change", () => {
    const rows = findAll(byId(page, "collisions") as XmlNode, (n) => n.tag === "tr").slice(1);
    expect(rows.map((r) => r.children.map((c) => c.text))).toEqual([
      ["vega.yaml", "lyra/values.yaml", "host chat.example.com", "give each tenant its own exposure.host"],
    ]);
  });

  it("draws each GPU resource's quotas against the pools' limit, over it in red", () => {
    const [bars, ...more] = findAll(page, (n) => n.tag === "svg");
    expect(more).toEqual([]);
    expect(bars?.attrs["data-resource"]).toBe("nvidia.com/gpu");
    const rects = findAll(bars as XmlNode, (n) => n.tag === "rect");
    expect(rects.map((r) => r.text)).toEqual(["gpu-a10g: 8", "acme.yaml: 6", "lyra/values.yaml: 4"]);
    const widths = rects.map((r) => Number(r.attrs.width));
    expect((widths[1] as number) + (widths[2] as number)).toBeGreaterThan(widths[0] as number);
    expect(rects[1]?.attrs.fill).toBe("#cf222e");
    expect(bars?.text).toMatch(/10 asked of 8 \(2 over the limit\)/);
  });

  it("says when the quotas were not held against the pools", () => {
    const without = parseXml(fleetReportHtml({ ...input, fleet: { collisions: [] }, nodepools: undefined }));
    expect(byId(without, "gpu")?.text).toMatch(/not held against the pools: run with --nodepools/);
    expect(byId(without, "collisions")?.text).toBe("No two tenants claim the same thing.");
  });

  it("escapes what the files say, and gives the same bytes for the same results", () => {
    const hostile = fail(acme as string, "values", "ajv", `at '/a': <script>alert("x")</script> & more`);
    const page2 = fleetReportHtml({ ...input, results: [...results, hostile] });
    expect(findAll(parseXml(page2), (n) => n.tag === "script")).toEqual([]);
    expect(page2).toContain("&lt;script&gt;");
    const twice = parseXml(
      fleetReportHtml({ ...input, results: [...results, hostile, { ...hostile, check: "yaml" }] }),
    );
    const cell = findAll(twice, (n) => n.attrs.class === "fail" && n.attrs["data-rung"] === "values")[0];
    expect(cell?.text).toBe("fail 2");
    expect(cell?.attrs.title?.split("\n")).toHaveLength(2);
    expect(fleetReportHtml(input)).toBe(html);
    expect(fleetReportHtml({ ...input, tenants: [...input.tenants].reverse() })).toBe(html);
  });
});
