/**
 * Root filesystems for the images built here, made from Debian packages with debootstrap: a minimal bookworm system
 * (and the packages an image adds), unpacked once per package list and cached by it.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { cacheRoot } from "../toolchain/cache.js";
import { pinDigest } from "../toolchain/check.js";
import { debianImageBase } from "../toolchain/pins.js";
import { requireBin } from "../toolchain/tools.js";

export const imagesRoot = (): string => join(cacheRoot(), "images");

/** A cached minimal Debian root filesystem with `packages` on top; built on first use (a few minutes). */
export const debianRootfs = async (packages: string[], log: (line: string) => void): Promise<string> => {
  const spec = { ...debianImageBase, packages: [...packages].sort() };
  const dir = join(imagesRoot(), "rootfs", `debian-${spec.suite}-${pinDigest(spec)}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`    debootstrap ${spec.suite} (${spec.variant}) + ${spec.packages.join(", ") || "nothing"}`);
  await runStep("debootstrap", requireBin("debootstrap"), [
    `--variant=${spec.variant}`,
    ...(spec.packages.length > 0 ? [`--include=${spec.packages.join(",")}`] : []),
    spec.suite,
    tmp,
    spec.mirror,
  ]);
  // What an image never needs at run time: package indexes, caches, docs.
  for (const sub of ["var/cache/apt", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/locale"]) {
    rmSync(join(tmp, sub), { recursive: true, force: true });
  }
  writeFileSync(join(tmp, ".complete"), "");
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
};

/** A working copy of a cached root filesystem (the cache stays pristine); `cp -a` keeps owners and device nodes. */
export const copyRootfs = async (source: string, target: string): Promise<void> => {
  rmSync(target, { recursive: true, force: true });
  await runStep(`copy ${source}`, "cp", ["-a", source, target]);
  rmSync(join(target, ".complete"), { force: true });
};
