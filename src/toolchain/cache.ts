import { homedir } from "node:os";
import { join } from "node:path";

/** Everything llmcharts installs lives here, outside the repository, keyed by name and version. */
export const cacheRoot = (): string =>
  process.env.LLMCHARTS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "llmcharts");

export const goModCache = (): string => join(cacheRoot(), "go", "mod");
export const goBuildCache = (): string => join(cacheRoot(), "go", "build");

/** Directory of one pinned tool: its tools module (go.mod, go.sum) and `bin/`. */
export const toolDir = (name: string, version: string): string => join(cacheRoot(), "tools", `${name}-${version}`);

/** Directory of one pinned data set (JSON schemas). */
export const dataDir = (name: string, version: string): string => join(cacheRoot(), "data", `${name}-${version}`);
