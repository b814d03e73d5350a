/** `npm run bench` draws the fleet's seconds and MiB by size, ours beside the conventional way. */
import { describe, expect, it } from "vitest";
import { type FleetFigure, fleetPlots } from "../../scripts/bench-plots.js";
import { ticks } from "../../src/lib/plot.js";
import { findAll, parseXml, type XmlNode } from "../xml.js";

// The figures for 1,000 tenants (51.8 s against 487.9 s), and smaller fleets.
const fleet: FleetFigure[] = [
  { tenants: 100, seconds: 7.9, peakMiB: 610 },
  { tenants: 300, seconds: 17.2, peakMiB: 820 },
  { tenants: 1000, seconds: 51.8, peakMiB: 1460 },
];
const conventional: FleetFigure[] = [
  { tenants: 100, seconds: 48.6, peakMiB: 96 },
  { tenants: 300, seconds: 146.1, peakMiB: 98 },
  { tenants: 1000, seconds: 487.9, peakMiB: 101 },
];

/** Each series' points as [tenants, value, circle's height on the page]. */
const points = (svg: XmlNode) =>
  Object.fromEntries(
    findAll(svg, (n) => n.tag === "g" && n.attrs.class === "series").map((s) => [
      s.attrs["data-name"],
      findAll(s, (n) => n.attrs.class === "point").map((p) => [
        Number(p.attrs["data-x"]),
        Number(p.attrs["data-y"]),
        Number(findAll(p, (n) => n.tag === "circle")[0]?.attrs.cy),
      ]),
    ]),
  );

describe("the bench's fleet plots", () => {
  const plots = fleetPlots(fleet, conventional);

  it("are two well-formed SVG files, seconds and MiB", () => {
    expect(Object.keys(plots)).toEqual(["fleet-seconds.svg", "fleet-mib.svg"]);
    for (const svg of Object.values(plots)) expect(parseXml(svg).tag).toBe("svg");
  });

  it("plot each size's figure for both ways, the larger value higher on the page", () => {
    const seconds = points(parseXml(plots["fleet-seconds.svg"] as string));
    expect(Object.keys(seconds)).toEqual(["llmcharts validate --fleet", "helm template | kubeconform, per tenant"]);
    const ours = seconds["llmcharts validate --fleet"] as number[][];
    const theirs = seconds["helm template | kubeconform, per tenant"] as number[][];
    expect(ours.map(([x, y]) => [x, y])).toEqual([
      [100, 7.9],
      [300, 17.2],
      [1000, 51.8],
    ]);
    expect(theirs.map(([, y]) => y)).toEqual([48.6, 146.1, 487.9]);
    // SVG's y grows downwards: the conventional way's 487.9 s is drawn above our 51.8 s.
    expect((theirs[2] as number[])[2]).toBeLessThan((ours[2] as number[])[2] as number);
    const mib = parseXml(plots["fleet-mib.svg"] as string);
    expect(findAll(mib, (n) => n.tag === "title").map((t) => t.text)).toContain(
      "llmcharts validate --fleet: 1000 → 1460 MiB",
    );
  });

  it("have round axis ticks from zero past the largest value", () => {
    expect(ticks(487.9)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(ticks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks(7.9)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(0)).toEqual([0, 1]);
  });

  it("give the same bytes for the same figures", () => {
    expect(fleetPlots([...fleet].reverse(), conventional)).toEqual(plots);
  });
});
