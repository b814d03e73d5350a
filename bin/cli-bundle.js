// The CLI as one JavaScript file, built from its TypeScript by esbuild and kept in the cache
// (`<cache>/cli/<hash>.mjs`, the hash of every source file, this package's place and the versions of Node and
// esbuild): starting from it takes Node about a quarter of the CPU that tsx's loader takes over the same modules (a
// second of a `validate --fleet` where one tenant changed). Each file keeps its own `import.meta.url` and
// `import.meta.dirname`, and packages are imported from this package's node_modules, so the bundle runs as the
// sources do.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { isBuiltin } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** How many bundles the cache keeps: the one used now and those used last (another checkout's, another branch's). */
const keptBundles = 4;

const cacheRoot = () =>
  process.env.LLMCHARTS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "llmcharts");

/** The hash of what the bundle is built from. */
const sourcesHash = (esbuildVersion) => {
  const hash = createHash("sha256");
  hash.update(`${root}\0${process.version}\0esbuild ${esbuildVersion}\0`);
  for (const dir of ["src", "charts-src"])
    for (const file of readdirSync(join(root, dir), { recursive: true }).map(String).sort()) {
      const path = join(root, dir, file);
      if (!statSync(path).isFile()) continue;
      hash.update(`${dir}/${file}\0`);
      hash.update(readFileSync(path));
    }
  // tsconfig.json is not in the published package.
  for (const file of ["package.json", "tsconfig.json"])
    hash.update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : "none");
  return hash.digest("hex");
};

/** Each TypeScript file's `import.meta` as that file's, not the bundle's. */
const ownImportMeta = {
  name: "own-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta")) return undefined;
      return {
        loader: "ts",
        contents: text
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
      };
    });
  },
};

/** Packages imported by their file in this package's node_modules, wherever the bundle is kept. */
const packagesFromHere = {
  name: "packages-from-here",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      isBuiltin(args.path) ? { external: true } : { path: import.meta.resolve(args.path), external: true },
    );
  },
};

/** Removes all but the bundles used last; what cannot be removed stays. */
const prune = (dir) => {
  const bundles = readdirSync(dir)
    .filter((f) => f.endsWith(".mjs"))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of bundles.slice(keptBundles)) rmSync(join(dir, f), { force: true });
};

/**
 * The bundle's path: the kept one, or one built now. Undefined when it cannot be had (no esbuild, a cache that cannot
 * be written, `LLMCHARTS_NO_BUNDLE` set): the caller then runs the sources through tsx.
 */
export const cliBundle = async () => {
  if (process.env.LLMCHARTS_NO_BUNDLE) return undefined;
  try {
    const esbuild = await import("esbuild");
    const dir = join(cacheRoot(), "cli");
    const bundle = join(dir, `${sourcesHash(esbuild.version)}.mjs`);
    try {
      const now = new Date();
      utimesSync(bundle, now, now);
      return bundle;
    } catch {
      // Not built yet.
    }
    mkdirSync(dir, { recursive: true });
    const temporary = `${bundle}.${process.pid}.tmp`;
    await esbuild.build({
      entryPoints: [join(root, "src", "cli.ts")],
      outfile: temporary,
      bundle: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node}`,
      logLevel: "silent",
      plugins: [ownImportMeta, packagesFromHere],
    });
    renameSync(temporary, bundle);
    prune(dir);
    return bundle;
  } catch {
    return undefined;
  }
};
