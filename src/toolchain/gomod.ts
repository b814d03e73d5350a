import { readFileSync } from "node:fs";
import type { GoTool } from "./pins.js";

/** The lines of every `keyword …` directive of a go.mod, single-line or block, without comments. */
const directives = (goMod: string, keyword: "require" | "replace"): string[] => {
  const single = [...goMod.matchAll(new RegExp(`^${keyword}\\s+([^\\s(].*)$`, "gm"))].map((m) => m[1] as string);
  const blocks = [...goMod.matchAll(new RegExp(`^${keyword}\\s*\\(([\\s\\S]*?)^\\)`, "gm"))].flatMap((m) =>
    (m[1] as string).split("\n"),
  );
  return [...single, ...blocks].map((line) => line.replace(/\/\/.*$/, "").trim()).filter((line) => line.length > 0);
};

/** Every `module version` upstream's go.mod requires (direct and indirect), to repeat in a tools module. */
export const upstreamRequireBlock = (upstreamGoMod: string): string[] =>
  directives(readFileSync(upstreamGoMod, "utf8"), "require");

/**
 * The requires of a tool's module: upstream's (when copied), then the tool's own `requires`, which win over an
 * upstream line for the same module (a go.mod may require a module once).
 */
export const toolRequires = (tool: GoTool, upstreamRequires: string[]): string[] => [
  ...upstreamRequires.filter((line) => !((line.split(/\s+/)[0] as string) in (tool.requires ?? {}))),
  ...Object.entries(tool.requires ?? {}).map(([module, version]) => `${module} ${version}`),
];

/**
 * Upstream's replace directives (`from => to`), for a tools module to repeat: Go ignores a dependency's replaces.
 * A replace by a directory inside upstream's repository cannot be repeated (a nested module is left out of the
 * module zip), so each must be given in `tool.replaces`; a missing one is an error naming it.
 */
export const upstreamReplaceBlock = (tool: GoTool, upstreamGoMod: string): Record<string, string> => {
  const replaces: Record<string, string> = {};
  for (const line of directives(readFileSync(upstreamGoMod, "utf8"), "replace")) {
    const [from, to] = line.split("=>").map((side) => side.trim()) as [string, string];
    const local = /^\.{0,2}\//.test(to);
    if (!local) replaces[from] = to;
    else if (!tool.replaces?.[from]) {
      throw new Error(
        `${tool.name}: upstream replaces ${from} with its directory ${to}, which the module zip leaves out; ` +
          `pin a published version of it in the tool's replaces (src/toolchain/pins.ts)`,
      );
    }
  }
  return replaces;
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
