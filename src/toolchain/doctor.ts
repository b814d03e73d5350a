import { existsSync, readdirSync } from "node:fs";
import { dataDir } from "./cache.js";
import { type BinaryCheck, checkTool, dataIsCurrent } from "./check.js";
import { dataSets } from "./datasets.js";
import { tools } from "./pins.js";

export interface DataCheck {
  name: string;
  pinned: string;
  path: string;
  schemas: number;
  status: "ok" | "missing";
}

export interface DoctorReport {
  binaries: BinaryCheck[];
  data: DataCheck[];
  ok: boolean;
  /** The command that installs whatever is missing. */
  fix: string;
}

const countFiles = (dir: string): number =>
  existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".json")).length : 0;

/** Checks every pinned tool and data set in the cache. */
export const doctor = async (): Promise<DoctorReport> => {
  const binaries = (await Promise.all(tools.map(checkTool))).flat();
  const data = dataSets().map((d): DataCheck => {
    const path = dataDir(d.name, d.version);
    const current = dataIsCurrent(d.name, d.version, d.pin);
    return {
      name: d.name,
      pinned: d.version,
      path,
      schemas: current ? countFiles(path) : 0,
      status: current ? "ok" : "missing",
    };
  });
  const ok = binaries.every((b) => b.status === "ok") && data.every((d) => d.status === "ok");
  return { binaries, data, ok, fix: "npx llmcharts tools install" };
};

export const formatDoctor = (r: DoctorReport): string => {
  const rows = [
    ...r.binaries.map((b) => [b.status.toUpperCase(), b.exe, b.pinned, b.found ?? "-", b.path]),
    ...r.data.map((d) => [
      d.status.toUpperCase(),
      d.name,
      d.pinned,
      d.status === "ok" ? `${d.schemas} schemas` : "-",
      d.path,
    ]),
  ];
  const header = ["STATUS", "TOOL", "PINNED", "FOUND", "PATH"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const bad = rows.filter((row) => row[0] !== "OK").length;
  const summary = r.ok
    ? `${rows.length} passed, 0 failed`
    : `${rows.length - bad} passed, ${bad} failed: run \`${r.fix}\` to install what is missing`;
  return [line(header), ...rows.map(line), summary].join("\n");
};
