/**
 * The bench's figures as pictures: the fleet check's seconds and peak MiB by fleet size, `validate --fleet` beside the
 * conventional way (`helm template | kubeconform` per tenant, serially), one SVG file each.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { linePlotSvg } from "../src/lib/plot.js";

/** One measured run over a fleet of `tenants`. */
export interface FleetFigure {
  tenants: number;
  seconds: number;
  peakMiB: number;
}

const ours = { name: "llmcharts validate --fleet", colour: "#0969da" };
const theirs = { name: "helm template | kubeconform, per tenant", colour: "#bc4c00" };

/** `fleet-seconds.svg` and `fleet-mib.svg`, by file name. */
export const fleetPlots = (fleet: FleetFigure[], conventional: FleetFigure[]): Record<string, string> => {
  const plot = (title: string, yLabel: string, unit: string, y: (f: FleetFigure) => number) =>
    linePlotSvg({
      title,
      xLabel: "tenants in the fleet",
      yLabel,
      unit,
      series: [
        { ...ours, points: fleet.map((f) => ({ x: f.tenants, y: y(f) })) },
        { ...theirs, points: conventional.map((f) => ({ x: f.tenants, y: y(f) })) },
      ],
    });
  return {
    "fleet-seconds.svg": plot("Fleet check: wall time by fleet size", "seconds", "s", (f) => f.seconds),
    "fleet-mib.svg": plot(
      "Fleet check: peak memory by fleet size (every process it starts, summed)",
      "peak MiB",
      "MiB",
      (f) => f.peakMiB,
    ),
  };
};

/** Writes the plots into `dir` and returns their paths. */
export const writePlots = (dir: string, plots: Record<string, string>): string[] => {
  mkdirSync(dir, { recursive: true });
  return Object.entries(plots).map(([name, svg]) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    return path;
  });
};
