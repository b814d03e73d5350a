import { existsSync, readdirSync } from "node:fs";
import { dataDir } from "./cache.js";
import { type BinaryCheck, checkTool, dataIsCurrent } from "./check.js";
import { dataSets } from "./datasets.js";
import { type GroupName, groupNames, groupOf } from "./groups.js";
import { tools } from "./pins.js";

export interface DataCheck {
  name: string;
  pinned: string;
  path: string;
  schemas: number;
  status: "ok" | "missing";
}

export interface GroupSummary {
  group: GroupName;
  passed: number;
  failed: number;
}

export interface DoctorReport {
  /** The groups checked (and judged): `npm start` asks for the static group alone. */
  groups: GroupName[];
  binaries: (BinaryCheck & { group: GroupName })[];
  data: (DataCheck & { group: GroupName })[];
  summaries: GroupSummary[];
  ok: boolean;
  /** The command that installs whatever is missing. */
  fix: string;
}

const countFiles = (dir: string): number =>
  existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".json")).length : 0;

/** A pin's group; every pin has one (test/toolchain/groups.test.ts). */
const group = (name: string): GroupName => groupOf(name) as GroupName;

/** Checks the pinned tools and data sets of these groups (every group by default) in the cache. */
export const doctor = async (checked: readonly GroupName[] = groupNames): Promise<DoctorReport> => {
  const inChecked = (name: string) => checked.includes(group(name));
  const binaries = (await Promise.all(tools.filter((t) => inChecked(t.name)).map(checkTool)))
    .flat()
    .map((b) => ({ ...b, group: group(b.tool) }));
  const data = dataSets()
    .filter((d) => inChecked(d.name))
    .map((d) => {
      const path = dataDir(d.name, d.version);
      const current = dataIsCurrent(d.name, d.version, d.pin);
      return {
        name: d.name,
        pinned: d.version,
        path,
        schemas: current ? countFiles(path) : 0,
        status: current ? ("ok" as const) : ("missing" as const),
        group: group(d.name),
      };
    });
  const rows = [...binaries, ...data];
  const summaries = groupNames
    .filter((g) => checked.includes(g))
    .map((g) => {
      const mine = rows.filter((r) => r.group === g);
      const failed = mine.filter((r) => r.status !== "ok").length;
      return { group: g, passed: mine.length - failed, failed };
    });
  const failing = summaries.filter((s) => s.failed > 0).map((s) => s.group);
  return {
    groups: [...checked],
    binaries,
    data,
    summaries,
    ok: failing.length === 0,
    fix: `npx llmcharts tools install --group ${(failing.length > 0 ? failing : checked).join(" ")}`,
  };
};

export const formatDoctor = (r: DoctorReport): string => {
  const rows = [
    ...r.binaries.map((b) => [b.group, b.status.toUpperCase(), b.exe, b.pinned, b.found ?? "-", b.path]),
    ...r.data.map((d) => [
      d.group,
      d.status.toUpperCase(),
      d.name,
      d.pinned,
      d.status === "ok" ? `${d.schemas} schemas` : "-",
      d.path,
    ]),
  ].sort((a, b) => groupNames.indexOf(a[0] as GroupName) - groupNames.indexOf(b[0] as GroupName));
  const header = ["GROUP", "STATUS", "TOOL", "PINNED", "FOUND", "PATH"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const perGroup = r.summaries.map((s) => `${s.group}: ${s.passed} passed, ${s.failed} failed`);
  const bad = rows.filter((row) => row[1] !== "OK").length;
  const summary = r.ok
    ? `${rows.length} passed, 0 failed`
    : `${rows.length - bad} passed, ${bad} failed: run \`${r.fix}\` to install what is missing`;
  return [line(header), ...rows.map(line), ...perGroup, summary].join("\n");
};
