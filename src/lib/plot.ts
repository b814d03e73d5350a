/**
 * A line plot as one SVG file, for the bench's figures: a few series of (x, y) points on linear axes from zero, each
 * point labelled with its value. Deterministic: the same figures give the same bytes.
 */
import { h, Markup, num, svgDocument } from "./markup.js";

export interface Series {
  name: string;
  points: { x: number; y: number }[];
  colour: string;
}

export interface LinePlot {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Written after each point's value (`s`, `MiB`). */
  unit: string;
  series: Series[];
}

/** Round tick steps (1, 2 or 5 times a power of ten) giving at most `count` steps up to `max`. */
export const ticks = (max: number, count = 5): number[] => {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const top = Math.ceil(max / step - 1e-9) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => Number((i * step).toPrecision(12)));
};

const width = 640;
const height = 400;
const margin = { left: 70, right: 24, top: 40, bottom: 90 };

const value = (y: number): string => (y >= 100 ? y.toFixed(0) : y >= 10 ? y.toFixed(1) : y.toFixed(2));

export const linePlotSvg = (plot: LinePlot): string => {
  const points = plot.series.flatMap((s) => s.points);
  const xTicks = ticks(Math.max(...points.map((p) => p.x), 0));
  const yTicks = ticks(Math.max(...points.map((p) => p.y), 0));
  const xMax = xTicks.at(-1) as number;
  const yMax = yTicks.at(-1) as number;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const sx = (x: number) => margin.left + (x / xMax) * plotWidth;
  const sy = (y: number) => margin.top + plotHeight - (y / yMax) * plotHeight;
  const bottom = margin.top + plotHeight;
  const axes = [
    ...yTicks.map((t) =>
      h(
        "g",
        { class: "y-tick" },
        h("line", { x1: margin.left, y1: sy(t), x2: width - margin.right, y2: sy(t), stroke: "#eaeef2" }),
        h("text", { x: margin.left - 6, y: sy(t) + 4, "text-anchor": "end" }, value(t)),
      ),
    ),
    ...xTicks.map((t) =>
      h(
        "g",
        { class: "x-tick" },
        h("line", { x1: sx(t), y1: bottom, x2: sx(t), y2: bottom + 5, stroke: "#57606a" }),
        h("text", { x: sx(t), y: bottom + 18, "text-anchor": "middle" }, String(t)),
      ),
    ),
    h("line", { x1: margin.left, y1: bottom, x2: width - margin.right, y2: bottom, stroke: "#57606a" }),
    h("line", { x1: margin.left, y1: margin.top, x2: margin.left, y2: bottom, stroke: "#57606a" }),
    h("text", { x: margin.left + plotWidth / 2, y: bottom + 38, "text-anchor": "middle" }, plot.xLabel),
    h(
      "text",
      {
        x: 16,
        y: margin.top + plotHeight / 2,
        transform: `rotate(-90 16 ${margin.top + plotHeight / 2})`,
        "text-anchor": "middle",
      },
      plot.yLabel,
    ),
  ];
  const series = plot.series.map((s) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    return h(
      "g",
      { class: "series", "data-name": s.name },
      h("polyline", {
        points: sorted.map((p) => `${num(sx(p.x))},${num(sy(p.y))}`).join(" "),
        fill: "none",
        stroke: s.colour,
        "stroke-width": 2,
      }),
      ...sorted.map((p) =>
        h(
          "g",
          { class: "point", "data-x": p.x, "data-y": p.y },
          h("title", {}, `${s.name}: ${p.x} → ${value(p.y)} ${plot.unit}`),
          h("circle", { cx: sx(p.x), cy: sy(p.y), r: 4, fill: s.colour }),
          h(
            "text",
            { x: sx(p.x) - 6, y: sy(p.y) - 8, "text-anchor": "end", fill: s.colour },
            `${value(p.y)} ${plot.unit}`,
          ),
        ),
      ),
    );
  });
  const legend = plot.series.map((s, i) =>
    h(
      "g",
      { class: "legend" },
      h("rect", { x: margin.left, y: height - 36 + i * 16 - 10, width: 12, height: 12, fill: s.colour }),
      h("text", { x: margin.left + 18, y: height - 36 + i * 16 }, s.name),
    ),
  );
  return svgDocument(width, height, { fill: "#1b1f24" }, [
    h("title", {}, plot.title),
    h("style", {}, new Markup("text { font-size: 11px; } .heading { font-size: 14px; font-weight: bold; }")),
    h("text", { x: margin.left, y: 22, class: "heading" }, plot.title),
    ...axes,
    ...series,
    ...legend,
  ]);
};
