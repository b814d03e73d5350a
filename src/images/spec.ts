/**
 * What an image of the real node is, and what the image modules share: the reference every image is tagged with, the
 * skeleton of a root filesystem, and the two common recipes (a pinned Go binary alone; a Debian package's program).
 * Each image is keyed by its own recipe's modules (`recipe`, this one included where an image uses its recipes), so
 * editing one image rebuilds that image only.
 */
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { debianImageBase, tools } from "../toolchain/pins.js";
import { binPath, goTool } from "../toolchain/tools.js";
import type { ImageConfig } from "./oci.js";
import { copyRootfs, debianRootfs } from "./rootfs.js";

export interface ImageSpec {
  name: string;
  version: string;
  /** What the image is made of: a change here makes a new image (the cache key). */
  inputs: unknown;
  config: ImageConfig;
  /** The modules of src/images that say how it is built (with this one, rootfs.ts and oci.ts): part of its key. */
  recipe: string[];
  /** Writes the image's root filesystem into `rootfs` (an empty directory, or absent). */
  build: (rootfs: string, log: (line: string) => void) => Promise<void>;
}

export const imageRepository = "localhost/llmcharts";
export const ref = (name: string, version: string) => `${imageRepository}/${name}:${version}`;

/** Directories every image has: a writable /tmp is a volume in the charts, but the mount point must exist. */
export const skeleton = (rootfs: string, dirs: string[] = []) => {
  for (const d of ["tmp", "etc", ...dirs]) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, "tmp"), 0o1777);
  writeFileSync(
    join(rootfs, "etc", "passwd"),
    "root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000:app:/home/app:/sbin/nologin\n",
  );
  writeFileSync(join(rootfs, "etc", "group"), "root:x:0:\napp:x:1000:\n");
};

export const version = (name: string) => (tools.find((t) => t.name === name)?.version ?? "").replace(/^v/, "");

/** The version a binary of a pinned Go tool reports: its own when it comes from a dependency, else the tool's. */
const binaryVersion = (tool: string, exe: string) =>
  (goTool(tool).binaries.find((b) => b.exe === exe)?.version ?? version(tool)).replace(/^v/, "");

/**
 * A pinned Go tool's static binary in an otherwise empty image, run as an unprivileged user: at the root, or under
 * `dir` where upstream's manifests run it by path (the Prometheus Operator runs /bin/prometheus-config-reloader). The
 * image is named after the tool, or after the binary when one tool builds several.
 */
export const staticBinaryImage = (
  tool: string,
  exe: string,
  { name = tool, dir = "" }: { name?: string; dir?: string } = {},
): ImageSpec => {
  const path = join("/", dir, exe);
  return {
    name,
    version: binaryVersion(tool, exe),
    inputs: goTool(tool),
    recipe: ["spec.ts"],
    config: { ref: ref(name, binaryVersion(tool, exe)), entrypoint: [path], user: "65532:65532" },
    build: async (rootfs) => {
      skeleton(rootfs, dir ? [dir] : []);
      copyFileSync(binPath(exe), join(rootfs, path));
      chmodSync(join(rootfs, path), 0o755);
    },
  };
};

/**
 * A Debian package's program as an image, on the pinned image base, run as `nobody`: bookworm's release of a tool the
 * Go proxy cannot build here.
 */
export const debianProgramImage = (name: string, version: string, pkg: string, exe: string): ImageSpec => ({
  name,
  version,
  inputs: { base: debianImageBase, packages: [pkg] },
  recipe: ["spec.ts"],
  config: { ref: ref(name, version), entrypoint: [exe], user: "65534:65534" },
  build: async (rootfs, log) => {
    await copyRootfs(await debianRootfs([pkg], log), rootfs);
  },
});
