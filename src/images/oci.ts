/**
 * A root filesystem made into an image without a Docker engine or a registry: umoci writes an OCI layout with the
 * tree as one layer and the image config, skopeo turns it into a docker-archive that containerd imports.
 */
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

export interface ImageConfig {
  /** Full reference, e.g. localhost/llmcharts/ollama:0.24.0. */
  ref: string;
  entrypoint: string[];
  cmd?: string[];
  /** uid:gid. */
  user?: string;
  workdir?: string;
  env?: Record<string, string>;
}

/** Packs `rootfs` (moved, not copied) into `archive`, a docker-archive tarball named `config.ref`. */
export const packImage = async (rootfs: string, config: ImageConfig, archive: string, work: string): Promise<void> => {
  const umoci = requireBin("umoci");
  const layout = join(work, "oci");
  const bundle = join(work, "bundle");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const image = `${layout}:image`;
  await runStep("umoci init", umoci, ["init", "--layout", layout]);
  await runStep("umoci new", umoci, ["new", "--image", image]);
  await runStep("umoci unpack", umoci, ["unpack", "--image", image, bundle]);
  rmSync(join(bundle, "rootfs"), { recursive: true, force: true });
  renameSync(rootfs, join(bundle, "rootfs"));
  // Fixed history and times, so that the same tree gives the same layer.
  await runStep("umoci repack", umoci, ["repack", "--no-history", "--image", image, bundle]);
  const env = Object.entries(config.env ?? {}).flatMap(([k, v]) => ["--config.env", `${k}=${v}`]);
  await runStep("umoci config", umoci, [
    "config",
    "--no-history",
    "--image",
    image,
    ...config.entrypoint.flatMap((e) => ["--config.entrypoint", e]),
    ...(config.cmd ?? []).flatMap((c) => ["--config.cmd", c]),
    ...(config.user ? ["--config.user", config.user] : []),
    ...(config.workdir ? ["--config.workingdir", config.workdir] : []),
    ...env,
  ]);
  rmSync(archive, { force: true });
  await runStep("skopeo copy", requireBin("skopeo"), [
    "copy",
    "--quiet",
    `oci:${layout}:image`,
    `docker-archive:${archive}:${config.ref}`,
  ]);
  rmSync(work, { recursive: true, force: true });
};
