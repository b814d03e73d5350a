/**
 * `llmcharts images build`: each image of the catalog as a docker-archive in the cache, keyed by what it is made of,
 * so an unchanged image is never rebuilt; and the import of archives into a node's containerd.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../lib/package-root.js";
import { runStep, seconds } from "../lib/run.js";
import { pinDigest } from "../toolchain/check.js";
import { type ImageSpec, images } from "./catalog.js";
import { packImage } from "./oci.js";
import { imagesRoot } from "./rootfs.js";
import { validatorImage } from "./validator.js";

export interface BuiltImage {
  name: string;
  ref: string;
  archive: string;
  bytes: number;
  outcome: "cached" | "built";
  ms: number;
}

/**
 * The text of the modules that say how an image is built: the shared ones and its own recipe's. Not
 * `spec.build.toString()`: vitest and tsx transpile a function differently, so `npm test` and the CLI would each key,
 * rebuild and delete the other's archives.
 */
const builderSources = (spec: ImageSpec): string =>
  ["rootfs.ts", "oci.ts", ...spec.recipe]
    .map((f) => readFileSync(join(packageRoot, "src", "images", f), "utf8"))
    .join("\0");

/** Where an image's archive lives: its name, version and a digest of its inputs, config and builder sources. */
export const imageArchive = (spec: ImageSpec): string =>
  join(
    imagesRoot(),
    "archives",
    `${spec.name}-${spec.version}-${pinDigest({ inputs: spec.inputs, config: spec.config, builders: builderSources(spec) })}.tar`,
  );

const buildOne = async (
  spec: ImageSpec & { pack?: typeof packImage },
  log: (line: string) => void,
): Promise<BuiltImage> => {
  const start = Date.now();
  const archive = imageArchive(spec);
  const done = (outcome: BuiltImage["outcome"]): BuiltImage => ({
    name: spec.name,
    ref: spec.config.ref,
    archive,
    bytes: statSync(archive).size,
    outcome,
    ms: Date.now() - start,
  });
  if (existsSync(archive)) return done("cached");
  const work = join(imagesRoot(), "work", spec.name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const rootfs = join(work, "rootfs");
    mkdirSync(rootfs);
    await spec.build(rootfs, log);
    mkdirSync(join(imagesRoot(), "archives"), { recursive: true });
    await (spec.pack ?? packImage)(rootfs, spec.config, `${archive}.tmp`, join(work, "pack"));
    renameSync(`${archive}.tmp`, archive);
    // Older builds of the same image are never used again.
    const dir = join(imagesRoot(), "archives");
    for (const f of readdirSync(dir))
      if (f.startsWith(`${spec.name}-`) && join(dir, f) !== archive) rmSync(join(dir, f));
  } catch (err) {
    throw new Error(`image ${spec.name}: ${(err as Error).message}`, { cause: err });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return done("built");
};

/** Every image `images build` can make: the real node's, and the validator, which only its name builds. */
export const buildableImages: ImageSpec[] = [...images, validatorImage];

/**
 * Builds the named images that the cache lacks, one at a time (when none are named, the real node's: the validator
 * is for `publish` and fleet repositories, not the node); progress goes to `log`.
 */
export const buildImages = async (
  only: string[] = [],
  log: (line: string) => void = console.log,
): Promise<BuiltImage[]> => {
  const unknown = only.filter((n) => !buildableImages.some((i) => i.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown image: ${unknown.join(", ")}; known: ${buildableImages.map((i) => i.name).join(", ")}`);
  }
  const wanted = only.length === 0 ? images : buildableImages.filter((i) => only.includes(i.name));
  const built: BuiltImage[] = [];
  for (const [i, spec] of wanted.entries()) {
    const tag = `[${i + 1}/${wanted.length}] image ${spec.config.ref}`;
    if (!existsSync(imageArchive(spec))) log(`${tag}: building`);
    const b = await buildOne(spec, log);
    log(
      `${tag}: ${b.outcome}${b.outcome === "built" ? ` in ${seconds(b.ms)}` : ""} (${(b.bytes / 2 ** 20).toFixed(0)} MiB)`,
    );
    built.push(b);
  }
  return built;
};

/** Imports image archives into a containerd (its k8s.io namespace, where the kubelet looks). */
export const importImages = async (ctr: string, socket: string, archives: string[]): Promise<void> => {
  for (const archive of archives) {
    await runStep(`ctr images import ${archive}`, ctr, [
      "--address",
      socket,
      "-n",
      "k8s.io",
      "images",
      "import",
      archive,
    ]);
  }
};
