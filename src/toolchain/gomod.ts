import { readFileSync } from "node:fs";
import type { GoTool } from "./pins.js";

/** Every `module version` upstream's go.mod requires (direct and indirect), to repeat in a tools module. */
export const upstreamRequireBlock = (upstreamGoMod: string): string[] => {
  const text = readFileSync(upstreamGoMod, "utf8");
  const single = [...text.matchAll(/^require\s+([^\s(]+)\s+(\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  const blocks = [...text.matchAll(/^require\s*\(([\s\S]*?)^\)/gm)].flatMap((m) =>
    (m[1] as string)
      .split("\n")
      .map((line) => line.replace(/\/\/.*$/, "").trim())
      .filter((line) => line.length > 0),
  );
  return [...single, ...blocks];
};

/**
 * The go.mod of a tool's own tools module: upstream's go line, godebug and replaces, upstream's requires when asked,
 * and one `tool` per binary (none for a program of ours: its main package is the module itself).
 */
export const toolsGoMod = (tool: GoTool, replaces: Record<string, string>, requires: string[] = []): string => {
  const lines = [`module local/tools/${tool.name}`, "", `go ${tool.go}`];
  if (tool.godebug) lines.push("", `godebug ${tool.godebug}`);
  lines.push("", `require ${tool.module} ${tool.version}`);
  if (requires.length > 0) lines.push("", "require (", ...requires.map((r) => `\t${r}`), ")");
  if (!tool.source) lines.push("", "tool (", ...tool.binaries.map((b) => `\t${b.pkg}`), ")");
  const entries = Object.entries(replaces).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length > 0) {
    lines.push("", "replace (");
    for (const [from, to] of entries) lines.push(`\t${from} => ${to}`);
    lines.push(")");
  }
  return `${lines.join("\n")}\n`;
};
