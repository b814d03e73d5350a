/**
 * The validator image: `llmcharts validate` (and `new tenant`) where a fleet repository's CI runs it, with no clone of
 * this repository, no build and no root on the host. It holds the Node runtime, this package with its production
 * dependencies, and the static toolchain the ladder runs (src/toolchain/groups.ts), laid out as the cache the CLI
 * looks in (`LLMCHARTS_CACHE`), so every tool is found where `binPath` expects it and nothing is built at run time.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { packageRoot } from "../lib/package-root.js";
import { runStep } from "../lib/run.js";
import { dataDir, toolDir } from "../toolchain/cache.js";
import { toolDigest } from "../toolchain/check.js";
import { dataSets } from "../toolchain/datasets.js";
import { groupMembers } from "../toolchain/groups.js";
import { debianImageBase, tools } from "../toolchain/pins.js";
import { binPath, requireBin } from "../toolchain/tools.js";
import type { ImageSpec } from "./spec.js";
import type { ImageConfig } from "./oci.js";
import { copyRootfs, debianRootfs } from "./rootfs.js";

/** Where the package lives in the image, and the cache that holds its tools there. */
export const validatorPaths = { package: "/opt/llmcharts", cache: "/opt/llmcharts-cache" } as const;

/** The image's name in a registry: `<registry path>/validator:<package version>`. */
export const validatorName = "validator";

const packageVersion = (): string =>
  (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;

/** The reference `publish --registry oci://HOST/PATH` pushes the image to. */
export const validatorRef = (registry: string): string =>
  `${registry.replace(/^oci:\/\//, "").replace(/\/+$/, "")}/${validatorName}:${packageVersion()}`;

/**
 * Debian's Python runs the chart-testing venv (yamllint, yamale); the Node binary needs only libc and libstdc++, which
 * the minimal system already has.
 */
const validatorPackages = ["python3"];

/** The package's files as npm would pack them (package.json `files`), in a stable order. */
const packageFiles = (): string[] => {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { files: string[] };
  const out: string[] = ["package.json"];
  const walk = (rel: string) => {
    const abs = join(packageRoot, rel);
    if (!existsSync(abs)) return;
    if (lstatSync(abs).isDirectory()) {
      for (const entry of readdirSync(abs).sort()) walk(join(rel, entry));
    } else out.push(rel);
  };
  for (const entry of pkg.files) walk(entry.replace(/\/$/, ""));
  return out;
};

/** The installed packages `npm install --omit=dev` would keep: the lock file's entries not marked dev, on disk. */
const productionModules = (): string[] => {
  const lock = JSON.parse(readFileSync(join(packageRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev)
    .map(([path]) => path)
    .filter((path) => existsSync(join(packageRoot, path)))
    .sort();
};

const sha256 = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

/** The static group: the tools `validate` runs and the schema data sets kubeconform reads. */
const staticMembers = () => {
  const members = groupMembers(["static"]);
  return {
    tools: tools.filter((t) => members.includes(t.name)),
    data: dataSets().filter((d) => members.includes(d.name)),
  };
};

/** What makes the image: a change to any of it builds a new one (the archive's cache key). */
const validatorInputs = () => {
  const { tools: pins, data } = staticMembers();
  return {
    base: debianImageBase,
    packages: validatorPackages,
    node: { version: process.version, sha256: sha256(readFileSync(process.execPath)) },
    tools: pins.map((t) => [t.name, toolDigest(t)]),
    data: data.map((d) => [d.name, d.version, d.pin]),
    files: packageFiles().map((f) => [f, sha256(readFileSync(join(packageRoot, f)))]),
    modules: productionModules(),
    // This file says how the image is built (catalog.ts, rootfs.ts and oci.ts are in every image's key already).
    builder: readFileSync(join(packageRoot, "src", "images", "validator.ts"), "utf8"),
  };
};

/** Copies a built tool's runnable part (binaries, module files, venv, its pin stamp), not its Go module files. */
const copyTool = (name: string, version: string, rootfs: string) => {
  const from = toolDir(name, version);
  const to = join(rootfs, relative("/", validatorPaths.cache), "tools", `${name}-${version}`);
  mkdirSync(to, { recursive: true });
  for (const part of ["bin", "etc", "venv", ".llmcharts-pin"]) {
    if (existsSync(join(from, part)))
      cpSync(join(from, part), join(to, part), { recursive: true, verbatimSymlinks: true });
  }
  // A venv's scripts name its Python by absolute path: the cache's path here, the image's there.
  const venvBin = join(to, "venv", "bin");
  if (existsSync(venvBin)) {
    for (const script of readdirSync(venvBin)) {
      const path = join(venvBin, script);
      if (lstatSync(path).isSymbolicLink()) continue;
      const text = readFileSync(path, "utf8");
      if (text.startsWith(`#!${from}`))
        writeFileSync(
          path,
          text.replace(`#!${from}`, `#!${join(validatorPaths.cache, "tools", `${name}-${version}`)}`),
        );
    }
  }
};

/**
 * `packImage` (oci.ts) with one more fixed input: the config's creation time, which umoci otherwise sets to now, so
 * that two builds of the same tree give the same image ID. A copy rather than an edit of oci.ts, whose text keys the
 * real node's images: changing it would rebuild every one of them (OpenWebUI's 7 GB venv among them).
 */
const packReproducibly = async (rootfs: string, config: ImageConfig, archive: string, work: string) => {
  const umoci = requireBin("umoci");
  const layout = join(work, "oci");
  const bundle = join(work, "bundle");
  const image = `${layout}:image`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await runStep("umoci init", umoci, ["init", "--layout", layout]);
  await runStep("umoci new", umoci, ["new", "--image", image]);
  await runStep("umoci unpack", umoci, ["unpack", "--image", image, bundle]);
  rmSync(join(bundle, "rootfs"), { recursive: true, force: true });
  renameSync(rootfs, join(bundle, "rootfs"));
  await runStep("umoci repack", umoci, ["repack", "--no-history", "--image", image, bundle]);
  await runStep("umoci config", umoci, [
    ...["config", "--no-history", "--image", image, "--created", "1970-01-01T00:00:00Z"],
    ...config.entrypoint.flatMap((e) => ["--config.entrypoint", e]),
    ...(config.cmd ?? []).flatMap((c) => ["--config.cmd", c]),
    ...(config.user ? ["--config.user", config.user] : []),
    ...(config.workdir ? ["--config.workingdir", config.workdir] : []),
    ...Object.entries(config.env ?? {}).flatMap(([k, v]) => ["--config.env", `${k}=${v}`]),
  ]);
  rmSync(archive, { force: true });
  await runStep("skopeo copy", requireBin("skopeo"), [
    ...["copy", "--quiet", `oci:${layout}:image`, `docker-archive:${archive}:${config.ref}`],
  ]);
  rmSync(work, { recursive: true, force: true });
};

export const validatorImage: ImageSpec & { pack: typeof packReproducibly } = {
  pack: packReproducibly,
  name: validatorName,
  // Its recipe is in its inputs (the builder's digest).
  recipe: [],
  get version() {
    return packageVersion();
  },
  get inputs() {
    return validatorInputs();
  },
  get config() {
    return {
      ref: `localhost/llmcharts/${validatorName}:${packageVersion()}`,
      entrypoint: ["/usr/bin/node", join(validatorPaths.package, "bin", "llmcharts.js")],
      cmd: ["--help"],
      // Any user may run it (pre-commit runs images as the caller's uid): HOME and tsx's cache are /tmp.
      user: "1000:1000",
      workdir: "/work",
      env: {
        PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        LLMCHARTS_CACHE: validatorPaths.cache,
        HOME: "/tmp",
      },
    };
  },
  build: async (rootfs, log) => {
    await copyRootfs(await debianRootfs(validatorPackages, log), rootfs);
    mkdirSync(join(rootfs, "work"), { recursive: true });
    log(`    node ${process.version} (${process.execPath})`);
    copyFileSync(process.execPath, join(rootfs, "usr", "bin", "node"));
    chmodSync(join(rootfs, "usr", "bin", "node"), 0o755);

    const pkg = join(rootfs, relative("/", validatorPaths.package));
    const files = packageFiles();
    const modules = productionModules();
    log(`    llmcharts ${packageVersion()}: ${files.length} files, ${modules.length} production modules`);
    for (const file of files) {
      mkdirSync(dirname(join(pkg, file)), { recursive: true });
      copyFileSync(join(packageRoot, file), join(pkg, file));
    }
    for (const mod of modules)
      cpSync(join(packageRoot, mod), join(pkg, mod), { recursive: true, verbatimSymlinks: true });

    const { tools: pins, data } = staticMembers();
    log(`    static toolchain: ${pins.map((t) => t.name).join(", ")}; ${data.length} schema data sets`);
    for (const tool of pins) {
      if (tool.kind === "debian") {
        // Debian's promtool is one binary linked against libc alone: it goes where the pin says it is installed.
        for (const b of tool.binaries) {
          mkdirSync(dirname(join(rootfs, b.path)), { recursive: true });
          copyFileSync(binPath(b.exe), join(rootfs, b.path));
          chmodSync(join(rootfs, b.path), 0o755);
        }
      } else copyTool(tool.name, tool.version, rootfs);
    }
    for (const d of data) {
      const to = join(rootfs, relative("/", validatorPaths.cache), "data", `${d.name}-${d.version}`);
      cpSync(dataDir(d.name, d.version), to, { recursive: true });
    }
    // Same sources, same bytes: every file gets one fixed time, whatever the copies above left.
    await runStep("fixed file times", "find", [rootfs, "-exec", "touch", "-h", "-d", "@0", "{}", "+"]);
  },
};
