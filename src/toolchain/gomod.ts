import type { GoTool } from "./pins.js";

/**
 * The go.mod of a tool's own tools module: upstream's go line, godebug and replaces, and one `tool` per binary
 * (none for a program of ours: its main package is the module itself).
 */
export const toolsGoMod = (tool: GoTool, replaces: Record<string, string>): string => {
  const lines = [`module local/tools/${tool.name}`, "", `go ${tool.go}`];
  if (tool.godebug) lines.push("", `godebug ${tool.godebug}`);
  lines.push("", `require ${tool.module} ${tool.version}`);
  if (!tool.source) lines.push("", "tool (", ...tool.binaries.map((b) => `\t${b.pkg}`), ")");
  const entries = Object.entries(replaces).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length > 0) {
    lines.push("", "replace (");
    for (const [from, to] of entries) lines.push(`\t${from} => ${to}`);
    lines.push(")");
  }
  return `${lines.join("\n")}\n`;
};
