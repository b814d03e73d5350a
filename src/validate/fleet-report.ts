/**
 * `validate --fleet DIR --report fleet.html`: the fleet check as one self-contained page (no script, no external
 * file): each tenant's verdict on each rung, the tenants that collide, and the GPU quotas held against the pools'
 * limits as bars. Built from the results and the fleet figures the check computes anyway; the same run gives the same
 * bytes (no clock, no random ids), so a report can be committed or compared.
 */
import { relative } from "node:path";
import { type Child, h, lines, Markup } from "../lib/markup.js";
import type { Collision, GpuDemand } from "./fleet-invariants.js";
import { type CheckResult, failureLine, type Rung } from "./report.js";

/** What the fleet rung found besides its verdicts (validate's `onFleet`). */
export interface FleetFigures {
  collisions: Collision[];
  /** Each GPU resource against the pools; absent without the nodepools values. */
  gpu?: GpuDemand[];
}

export interface FleetReportInput {
  /** The fleet folder, as given (tenants are shown by their path inside it). */
  dir: string;
  /** The site layer every tenant's file was merged over, if any. */
  site?: string;
  /** Every tenant values file of the fleet, as validate names them. */
  tenants: string[];
  results: CheckResult[];
  fleet: FleetFigures;
  /** The nodepools values file the GPU quotas were held against. */
  nodepools?: string;
  summary: string;
  version: string;
}

const ladder: Rung[] = ["values", "chart", "manifests", "promtool", "policies", "fleet"];

/** A tenant's verdict on one rung. */
export interface Verdict {
  state: "pass" | "fail" | "not-run" | "none";
  /** The failures' messages (for a failed cell). */
  messages: string[];
}

/**
 * The verdicts of every tenant on every rung, from results read once (a fleet of a thousand tenants has tens of
 * thousands): failed when a check of that rung failed for its file (on the fleet rung, also when another file
 * collides with it), not run when the rung's tool is missing, passed when a check of that rung passed for it, and
 * none when the rung never saw the file (a file rung 1 refused is not rendered).
 */
export const verdicts = (results: CheckResult[], collisions: Collision[]) => {
  const key = (tenant: string, rung: Rung) => `${rung}\n${tenant}`;
  const failures = new Map<string, string[]>();
  const passes = new Set<string>();
  const notRun = new Set<Rung>();
  const fleetPassed = results.some((r) => r.rung === "fleet" && r.ok);
  const add = (k: string, message: string) => failures.set(k, [...(failures.get(k) ?? []), message]);
  for (const r of results) {
    if (r.check === "not run") notRun.add(r.rung);
    if (r.ok) passes.add(key(r.fixture, r.rung));
    else add(key(r.fixture, r.rung), `${r.check}: ${r.message ?? ""}`);
  }
  for (const c of collisions)
    add(key(c.first, "fleet"), `unique tenants: ${c.second} collides with it: both claim ${c.things.join(", ")}`);
  return (tenant: string, rung: Rung): Verdict => {
    const messages = failures.get(key(tenant, rung)) ?? [];
    if (messages.length > 0) return { state: "fail", messages };
    if (notRun.has(rung)) return { state: "not-run", messages: [] };
    // The fleet rung passes all tenants at once, those Helm rendered: a file rung 1 refused never reached it.
    const passed =
      rung === "fleet" ? fleetPassed && passes.has(key(tenant, "manifests")) : passes.has(key(tenant, rung));
    return { state: passed ? "pass" : "none", messages: [] };
  };
};

const cellText: Record<Verdict["state"], string> = { pass: "pass", fail: "fail", "not-run": "not run", none: "–" };

const style = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f24; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
thead th { background: #f6f8fa; }
td.pass { background: #dafbe1; }
td.fail { background: #ffd8d3; font-weight: bold; }
td.not-run { background: #fff1c2; }
td.none { color: #8c959f; }
.bar-label { font-size: 12px; }
`;

const verdictTable = (input: FleetReportInput, rungs: Rung[]): Markup => {
  const verdictOf = verdicts(input.results, input.fleet.collisions);
  const rows = [...input.tenants].sort().map((tenant) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, relative(input.dir, tenant) || tenant),
      ...rungs.map((rung) => {
        const v = verdictOf(tenant, rung);
        const text = v.state === "fail" ? `fail ${v.messages.length}` : cellText[v.state];
        return h("td", { class: v.state, "data-rung": rung, title: v.messages.join("\n") || undefined }, text);
      }),
    ),
  );
  return h(
    "table",
    { id: "verdicts" },
    h("thead", {}, h("tr", {}, h("th", {}, "tenant"), ...rungs.map((r) => h("th", {}, r)))),
    h("tbody", {}, lines(rows)),
  );
};

const collisionTable = (input: FleetReportInput): Markup => {
  if (input.fleet.collisions.length === 0) return h("p", { id: "collisions" }, "No two tenants claim the same thing.");
  const rel = (p: string) => relative(input.dir, p) || p;
  return h(
    "table",
    { id: "collisions" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", {}, "tenant"), h("th", {}, "collides with"), h("th", {}, "both claim"), h("th", {}, "fix")),
    ),
    h(
      "tbody",
      {},
      lines(
        input.fleet.collisions.map((c) =>
          h(
            "tr",
            {},
            h("td", {}, rel(c.second)),
            h("td", {}, rel(c.first)),
            h("td", {}, c.things.join(", ")),
            h("td", {}, `give each tenant its own ${c.fixes.join(" and ")}`),
          ),
        ),
      ),
    ),
  );
};

/** The largest askers drawn one by one; the rest as one segment. */
const shownAskers = 8;

/**
 * One GPU resource as two bars on one scale: what the pools offer (a segment per pool) and what the tenants' quotas
 * ask (a segment per tenant, largest first), red when it passes the pools' limit, which a line marks.
 */
const gpuBars = (d: GpuDemand, rel: (p: string) => string): Markup => {
  const width = 640;
  const left = 120;
  const barWidth = width - left - 10;
  const scale = barWidth / Math.max(d.capacity, d.total, 1);
  const over = d.total > d.capacity;
  const segments = (parts: { label: string; n: number }[], y: number, fill: (i: number) => string): Markup[] => {
    let x = left;
    return parts.map((p, i) => {
      const rect = h(
        "rect",
        { x, y, width: p.n * scale, height: 18, fill: fill(i), stroke: "#ffffff" },
        h("title", {}, `${p.label}: ${p.n}`),
      );
      x += p.n * scale;
      return rect;
    });
  };
  const askers = d.asking.slice(0, shownAskers).map((a) => ({ label: rel(a.path), n: a.n }));
  const rest = d.asking.slice(shownAskers);
  if (rest.length > 0) askers.push({ label: `${rest.length} more tenants`, n: rest.reduce((a, q) => a + q.n, 0) });
  const asked = over ? ["#cf222e", "#e5534b"] : ["#0969da", "#54aeff"];
  return h(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      width,
      height: 64,
      viewBox: `0 0 ${width} 64`,
      role: "img",
      "aria-label": `${d.resource}: quotas ask ${d.total}, pools offer ${d.capacity}`,
      "data-resource": d.resource,
    },
    h("text", { x: 0, y: 14, class: "bar-label" }, "pools offer"),
    ...segments(
      d.pools.map((p) => ({ label: p.name, n: p.capacity })),
      2,
      (i) => (i % 2 ? "#8c959f" : "#afb8c1"),
    ),
    h("text", { x: 0, y: 38, class: "bar-label" }, "quotas ask"),
    ...segments(askers, 26, (i) => asked[i % 2] as string),
    h("line", {
      x1: left + d.capacity * scale,
      y1: 0,
      x2: left + d.capacity * scale,
      y2: 48,
      stroke: "#1b1f24",
      "stroke-width": 2,
    }),
    h(
      "text",
      { x: left, y: 60, class: "bar-label" },
      `${d.total} asked of ${d.capacity} (${over ? `${d.total - d.capacity} over the limit` : "fits"})`,
    ),
  );
};

const gpuSection = (input: FleetReportInput): Child[] => {
  const { gpu } = input.fleet;
  if (!gpu)
    return [
      h(
        "p",
        { id: "gpu" },
        "GPU quotas were not held against the pools: run with --nodepools <nodepools values file>.",
      ),
    ];
  if (gpu.length === 0) return [h("p", { id: "gpu" }, "No tenant's quota asks for GPUs.")];
  const rel = (p: string) => relative(input.dir, p) || p;
  return [
    h("p", {}, `Held against the premium GPU pools of ${input.nodepools ?? "the nodepools values"}.`),
    h("div", { id: "gpu" }, lines(gpu.map((d) => h("figure", {}, h("figcaption", {}, d.resource), gpuBars(d, rel))))),
  ];
};

/** The page. */
export const fleetReportHtml = (input: FleetReportInput): string => {
  const rungs = ladder.filter((r) => input.results.some((x) => x.rung === r));
  const failures = input.results.filter((r) => !r.ok);
  const body = h(
    "body",
    {},
    lines([
      h("h1", {}, `Fleet ${input.dir}: ${input.tenants.length} tenants`),
      h("p", { id: "summary" }, input.summary),
      h(
        "p",
        { id: "site" },
        input.site ? `Each tenant's file merged over the site layer ${input.site}.` : "No site layer.",
      ),
      h("h2", {}, "Verdicts: tenants × rungs"),
      verdictTable(input, rungs),
      h("h2", {}, "Collisions"),
      collisionTable(input),
      h("h2", {}, "GPU quotas against the pools' limits"),
      ...gpuSection(input),
      h("h2", {}, "Failures"),
      failures.length === 0
        ? h("p", { id: "failures" }, "None.")
        : h("ul", { id: "failures" }, lines(failures.map((r) => h("li", {}, failureLine(r))))),
      h("p", {}, h("small", {}, `llmcharts ${input.version}`)),
    ]),
  );
  const head = h(
    "head",
    {},
    h("meta", { charset: "utf-8" }),
    h("title", {}, `llmcharts fleet report: ${input.dir}`),
    h("style", {}, new Markup(style)),
  );
  return `<!DOCTYPE html>\n${h("html", { xmlns: "http://www.w3.org/1999/xhtml", lang: "en" }, head, "\n", body)}\n`;
};
