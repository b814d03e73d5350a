import { existsSync } from "node:fs";
import { join } from "node:path";
import { toolDir } from "./cache.js";
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
  return tool.kind === "pypi"
    ? join(toolDir(tool.name, tool.version), "venv", "bin", exe)
    : join(toolDir(tool.name, tool.version), "bin", exe);
};

/** Path of a pinned executable, or a clear error naming the command that installs it. */
export const requireBin = (exe: string): string => {
  const path = binPath(exe);
  if (!existsSync(path)) throw new Error(`${exe} is not installed (${path}); run: npx llmcharts tools install`);
  return path;
};
