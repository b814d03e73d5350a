import { existsSync } from "node:fs";
import { join } from "node:path";
import { downloadModule } from "../../toolchain/modules.js";

/**
 * Files of a pinned Go module (upstream's own manifests: RBAC, CRDs), from the module cache, where the installer put
 * the module when it built the tool: no network, and exactly the release the binaries were built from.
 */
export const upstreamFiles = async (module: string, version: string, files: string[]): Promise<string[]> => {
  const { Dir } = await downloadModule(module, version);
  return files.map((file) => {
    const path = join(Dir, file);
    if (!existsSync(path)) throw new Error(`${module}@${version} has no ${file}`);
    return path;
  });
};
