import { readFileSync } from "node:fs";
import { runStep } from "../lib/run.js";
import { goEnv } from "./goenv.js";
import { type GoTool, tools } from "./pins.js";

interface DownloadedModule {
  /** Extracted module tree in the module cache. */
  Dir: string;
  /** The module's own go.mod. */
  GoMod: string;
}

/** The Go release a pinned module needs (its go line is newer than the machine's Go), when its tool pin names one. */
const toolchainOf = (module: string, version: string): string | undefined =>
  tools.find((t): t is GoTool => t.kind === "go" && t.module === module && t.version === version && !!t.toolchain)
    ?.toolchain;

/**
 * Downloads (or finds in the cache) one module at one version from the Go module proxy. Go refuses even to download
 * a module whose go line is newer than itself, so a module pinned with a `toolchain` is downloaded by that release.
 */
export const downloadModule = async (module: string, version: string): Promise<DownloadedModule> => {
  const { stdout } = await runStep(
    `go mod download ${module}@${version}`,
    "go",
    ["mod", "download", "-json", `${module}@${version}`],
    {
      env: goEnv([], toolchainOf(module, version)),
      cwd: process.cwd(),
    },
  );
  return JSON.parse(stdout) as DownloadedModule;
};

/**
 * `k8s.io/kubernetes` replaces each staging module with a path inside its own repository, which a dependent module
 * cannot see; the published tag of each staging module (`v0.<minor>.<patch>`) stands in for it.
 */
export const stagingReplaces = (upstreamGoMod: string, stagingVersion: string): Record<string, string> => {
  const replaces: Record<string, string> = {};
  for (const match of readFileSync(upstreamGoMod, "utf8").matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)) {
    const module = match[1] as string;
    replaces[module] = `${module} ${stagingVersion}`;
  }
  return replaces;
};
