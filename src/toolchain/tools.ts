import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolDir } from "./cache.js";
import { pgTree } from "./pg-extension.js";
import { type Tool, tools } from "./pins.js";

/** The pinned tool that provides an executable. */
export const toolOf = (exe: string): Tool => {
  const tool = tools.find((t) => t.binaries.some((b) => b.exe === exe));
  if (!tool) throw new Error(`no pinned tool provides "${exe}" (see src/toolchain/pins.ts)`);
  return tool;
};

/** Absolute path of a pinned executable in the cache (it may not be installed yet). */
export const binPath = (exe: string): string => {
  const tool = toolOf(exe);
  if (tool.kind === "debian") return tool.binaries.find((b) => b.exe === exe)?.path as string;
  if (tool.kind === "pg-extension") return join(pgTree(tool).bin, exe);
  return tool.kind === "pypi"
    ? join(toolDir(tool.name, tool.version), "venv", "bin", exe)
    : join(toolDir(tool.name, tool.version), "bin", exe);
};

/** A pinned tool is not installed: says which, and the command that installs it. */
export class MissingToolError extends Error {
  constructor(
    readonly exe: string,
    path: string,
    readonly fix = `npx llmcharts tools install ${toolOf(exe).name}`,
  ) {
    super(`${exe} is not installed (${path}); run: ${fix}`);
    this.name = "MissingToolError";
  }
}

/** Path of a pinned executable, or a MissingToolError naming the command that installs it. */
export const requireBin = (exe: string): string => {
  const path = binPath(exe);
  if (!existsSync(path)) throw new MissingToolError(exe, path);
  return path;
};

/** The pinned Go tool of this name (for the files the installer copied from its module). */
export const goTool = (name: string): Extract<Tool, { kind: "go" }> => {
  const tool = tools.find((t) => t.name === name);
  if (tool?.kind !== "go") throw new Error(`no Go tool "${name}" is pinned (see src/toolchain/pins.ts)`);
  return tool;
};

/** Directory holding the files the installer copied from a Go tool's module (`moduleFiles`). */
export const toolEtc = (name: string): string => {
  const tool = goTool(name);
  return join(toolDir(tool.name, tool.version), "etc");
};

/** A file of this repository by its path from the root (our own tools' Go sources), wherever the CLI runs from. */
export const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
