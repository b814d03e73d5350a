/**
 * `test-install --report FILE.svg`: the isolation proof as a picture. Every workload of the tenants and of the shared
 * services is a row (from) and a column (to); a cell shows what np-guard says the NetworkPolicies allow from one to the
 * other (the ports, or `all`), or that they deny it. Addresses outside the cluster are one peer. A connection between
 * two tenants, which the isolation scenario fails on, is red.
 */
import { h, Markup, svgDocument } from "../lib/markup.js";
import { type Connection, type Peer, parsePeer } from "./netpol.js";

/** Addresses outside the cluster, as one peer. */
export const outside = "IP addresses";

export type CellKind = "within-tenant" | "shared" | "cross-tenant" | "other" | "denied" | "self";

export interface MatrixCell {
  from: string;
  to: string;
  kind: CellKind;
  /** What is allowed (np-guard's words, `All Connections` as `all`), empty when denied. */
  allowed: string;
}

export interface IsolationMatrix {
  /** Row and column labels, tenants' workloads first (by namespace), then the shared services', then outside. */
  peers: string[];
  /** One row per peer, one cell per peer. */
  rows: MatrixCell[][];
}

const label = (p: Peer): string => (p.ipRange !== undefined ? outside : `${p.namespace}/${p.workload}`);
const namespaceOf = (peer: string): string | undefined => (peer === outside ? undefined : peer.split("/")[0]);

/**
 * np-guard's connection strings (`TCP 53,UDP 53`, `TCP 443,6443`, `All Connections`) of one pair of peers merged into
 * one: the ports of each protocol together, in order, or `all`.
 */
export const mergeConns = (conns: string[]): string => {
  if (conns.length === 0) return "";
  if (conns.includes("All Connections")) return "all";
  const ports = new Map<string, Set<string>>();
  for (const conn of conns) {
    let protocol = "";
    for (const token of conn.split(",").map((t) => t.trim())) {
      const m = /^([A-Z]+)\s+(.+)$/.exec(token);
      if (m) protocol = m[1] as string;
      const set = ports.get(protocol) ?? new Set<string>();
      set.add(m ? (m[2] as string) : token);
      ports.set(protocol, set);
    }
  }
  const start = (p: string) => Number(p.split("-")[0]);
  return [...ports]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([protocol, set]) => `${protocol} ${[...set].sort((a, b) => start(a) - start(b)).join(",")}`)
    .join(",");
};

/** The matrix of what the connections allow, `tenants` being the tenants' namespaces. */
export const isolationMatrix = (connections: Connection[], tenants: string[]): IsolationMatrix => {
  const allowed = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const c of connections) {
    const [from, to] = [label(parsePeer(c.src)), label(parsePeer(c.dst))];
    seen.add(from).add(to);
    const key = `${from}\n${to}`;
    allowed.set(key, (allowed.get(key) ?? new Set()).add(c.conn));
  }
  const isTenant = (peer: string) => tenants.includes(namespaceOf(peer) ?? "");
  const order = (peer: string) => (isTenant(peer) ? 0 : peer === outside ? 2 : 1);
  const peers = [...seen].sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  const kind = (from: string, to: string, conn: string): CellKind => {
    if (from === to) return "self";
    if (conn === "") return "denied";
    const [a, b] = [namespaceOf(from), namespaceOf(to)];
    if (isTenant(from) && isTenant(to)) return a === b ? "within-tenant" : "cross-tenant";
    return isTenant(from) || isTenant(to) ? "shared" : "other";
  };
  const rows = peers.map((from) =>
    peers.map((to) => {
      const conn = mergeConns([...(allowed.get(`${from}\n${to}`) ?? [])]);
      return { from, to, kind: kind(from, to, conn), allowed: conn };
    }),
  );
  return { peers, rows };
};

const fills: Record<CellKind, string> = {
  "within-tenant": "#dafbe1",
  shared: "#ddf4ff",
  "cross-tenant": "#ff8182",
  other: "#f6f8fa",
  denied: "#ffffff",
  self: "#eaeef2",
};

const legend: [CellKind, string][] = [
  ["within-tenant", "allowed within a tenant"],
  ["shared", "allowed between a tenant and a shared service or outside"],
  ["cross-tenant", "allowed between two tenants (a failure)"],
  ["other", "allowed among the shared services"],
  ["denied", "denied"],
];

const cellWidth = 120;
const cellHeight = 22;
const charWidth = 6.6;

/** The matrix as one SVG file: rows are sources, columns destinations, each cell its allowed ports or `denied`. */
export const isolationMatrixSvg = (matrix: IsolationMatrix): string => {
  const { peers, rows } = matrix;
  const left = Math.ceil(Math.max(...peers.map((p) => p.length), 10) * charWidth) + 16;
  const top = Math.ceil(Math.max(...peers.map((p) => p.length), 10) * charWidth * 0.72) + 40;
  // The last column's label runs up and to the right as far as it runs up.
  const width = left + peers.length * cellWidth + top;
  const legendTop = top + peers.length * cellHeight + 24;
  const height = legendTop + legend.length * 18 + 10;
  const columnLabels = peers.map((p, j) => {
    const x = left + j * cellWidth + cellWidth / 2;
    return h("text", { x, y: top - 6, transform: `rotate(-45 ${x} ${top - 6})`, class: "peer" }, p);
  });
  const cells = rows.flatMap((row, i) => {
    const y = top + i * cellHeight;
    return [
      h("text", { x: left - 8, y: y + 15, "text-anchor": "end", class: "peer" }, peers[i] as string),
      ...row.map((cell, j) => {
        const x = left + j * cellWidth;
        const text = cell.kind === "self" ? "" : cell.kind === "denied" ? "denied" : cell.allowed;
        const shown = text.length > 19 ? `${text.slice(0, 18)}…` : text;
        return h(
          "g",
          { class: `cell ${cell.kind}`, "data-from": cell.from, "data-to": cell.to },
          h("title", {}, `${cell.from} → ${cell.to}: ${cell.kind === "denied" ? "denied" : cell.allowed || "itself"}`),
          h("rect", { x, y, width: cellWidth, height: cellHeight, fill: fills[cell.kind], stroke: "#d0d7de" }),
          shown && h("text", { x: x + cellWidth / 2, y: y + 15, "text-anchor": "middle" }, shown),
        );
      }),
    ];
  });
  const legendItems = legend.map(([kind, text], i) =>
    h(
      "g",
      { class: "legend" },
      h("rect", { x: left, y: legendTop + i * 18, width: 14, height: 14, fill: fills[kind], stroke: "#d0d7de" }),
      h("text", { x: left + 20, y: legendTop + i * 18 + 12 }, text),
    ),
  );
  return svgDocument(width, height, {}, [
    h("title", {}, "Isolation matrix: what the NetworkPolicies allow (np-guard), from each row to each column"),
    h("style", {}, new Markup("text { font-size: 11px; fill: #1b1f24; } .peer { font-size: 12px; }")),
    h("text", { x: 8, y: 20, style: "font-size: 14px; font-weight: bold" }, "from ↓ to →"),
    ...columnLabels,
    ...cells,
    ...legendItems,
  ]);
};
