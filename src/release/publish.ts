/**
 * `llmcharts publish --registry oci://HOST/PATH`: every chart packaged (and signed) and verified first, then every
 * version looked up in the registry, and only when all of that passed is anything pushed. A version already there
 * with the same bytes is left alone (so a publish that stopped half-way can be run again); one with other bytes is
 * refused, since a published version is immutable. Push and pull use the operator's Helm settings (its registry
 * logins) unless `helmEnv` says otherwise.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
import { buildArchives, type ChartArchive, type PackageOptions, sha256File } from "./package.js";

export interface PublishOptions extends PackageOptions {
  /** `oci://HOST[:PORT]/PATH` */
  registry: string;
  /** Talk HTTP, not HTTPS (default: only for a loopback host). */
  plainHttp?: boolean;
  /** Environment of every helm command (default: the operator's, with their registry logins). */
  helmEnv?: NodeJS.ProcessEnv;
  /** An image pushed with the charts, to `<registry>/<name>:<version>` (the validator, from `publish`). */
  image?: ImageToPublish;
}

/** What a registry holds at an image's tag, judged by its config digest (the image ID). */
type ImageLookup =
  | { state: "absent" }
  | { state: "same" }
  | { state: "other"; configDigest: string }
  | { state: "error"; message: string };

/**
 * An image pushed with the charts to `<registry path>/<name>:<version>`. Its lookup and push come from the image
 * builds (src/images/push.ts, skopeo), handed over by the CLI: release itself needs no image tool.
 */
export interface ImageToPublish {
  name: string;
  version: string;
  lookup: (ref: string, plainHttp: boolean, env: NodeJS.ProcessEnv) => Promise<ImageLookup>;
  push: (ref: string, plainHttp: boolean, env: NodeJS.ProcessEnv) => Promise<void>;
}

/** `HOST/PATH/<name>:<version>` from `oci://HOST/PATH`. */
export const imageRef = (registry: string, image: Pick<ImageToPublish, "name" | "version">): string =>
  `${registry.replace(/^oci:\/\//, "").replace(/\/+$/, "")}/${image.name}:${image.version}`;

export interface Published {
  /** A chart's name, or the image's (`kind` says which). */
  chart: string;
  kind?: "chart" | "image";
  version: string;
  /** `oci://…/<chart>:<version>` */
  ref: string;
  outcome: "pushed" | "unchanged";
  signed: boolean;
}

/** What the registry holds of one chart version. */
type Lookup =
  | { state: "absent" }
  | { state: "same" }
  | { state: "other"; sha256: string }
  | { state: "error"; message: string };

/** A failure that published nothing; each line names the chart, the version and what to do. */
export class PublishError extends Error {
  constructor(
    readonly problems: string[],
    readonly published: Published[] = [],
  ) {
    super(problems.join("\n"));
    this.name = "PublishError";
  }
}

const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/** Parses and checks `--registry`. */
export const parseRegistry = (registry: string): { host: string; base: string } => {
  const m = /^oci:\/\/([^/\s]+)(\/[^\s]*)?$/.exec(registry);
  if (!m)
    throw new PublishError([
      `--registry: "${registry}" is not an OCI registry reference; use oci://HOST[:PORT]/PATH, e.g. oci://ghcr.io/acme/charts`,
    ]);
  return { host: m[1] as string, base: registry.replace(/\/+$/, "") };
};

/**
 * Helm ends its error with the registry's answer: ": not found" (or the OCI spec's "manifest unknown") when the
 * version is not there. Anything else (refused, unresolvable, unauthorized) is a failure to reach or read it.
 */
const notFound = /:\s*(not found|manifest unknown)\s*$/im;

const lookup = async (
  helm: string,
  a: ChartArchive,
  base: string,
  flags: string[],
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<Lookup> => {
  mkdirSync(dir, { recursive: true });
  const res = await run(helm, ["pull", `${base}/${a.chart}`, "--version", a.version, "--destination", dir, ...flags], {
    env,
  });
  if (res.exitCode !== 0) {
    const message = (res.stderr || res.stdout).trim();
    return notFound.test(message) ? { state: "absent" } : { state: "error", message };
  }
  const pulled = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!pulled) return { state: "error", message: "helm pull reported success but wrote no archive" };
  const sha256 = sha256File(join(dir, pulled));
  return sha256 === a.sha256 ? { state: "same" } : { state: "other", sha256 };
};

export const publishCharts = async (opts: PublishOptions): Promise<Published[]> => {
  const log = opts.log ?? (() => {});
  const { host, base } = parseRegistry(opts.registry);
  const flags = (opts.plainHttp ?? loopback.test(host)) ? ["--plain-http"] : [];
  const env = opts.helmEnv ?? process.env;
  const helm = requireBin("helm");
  const work = mkdtempSync(join(tmpdir(), "llmcharts-publish-"));
  try {
    const { archives } = await buildArchives(opts, work);
    const looked = await Promise.all(
      archives.map(async (a) => ({
        a,
        found: await lookup(helm, a, base, flags, env, join(work, "existing", a.chart)),
      })),
    );
    const image = opts.image;
    const imageTarget = image ? imageRef(opts.registry, image) : "";
    const imageFound = image ? await image.lookup(imageTarget, flags.length > 0, env) : undefined;
    const imageProblems =
      imageFound?.state === "error"
        ? [
            `image ${imageTarget}: cannot read it (${imageFound.message}); check the address, that the registry is up ` +
              "and reachable, and your login (helm registry login HOST, which the image push reads too)",
          ]
        : imageFound?.state === "other"
          ? [
              `image ${imageTarget} already exists as another image (config ${imageFound.configDigest.slice(0, 19)}); ` +
                "a published tag never changes: bump version in package.json",
            ]
          : [];
    const problems = looked.flatMap(({ a, found }): string[] => {
      if (found.state === "error")
        return [
          `${a.chart} ${a.version}: cannot read ${base}/${a.chart} (${found.message
            .split("\n")
            .at(-1)
            ?.replace(/^Error: /, "")}); check the ` +
            "address, that the registry is up and reachable, and your login (helm registry login HOST)",
        ];
      if (found.state === "other")
        return [
          `${a.chart} ${a.version}: ${base}/${a.chart}:${a.version} already exists with other contents ` +
            `(sha256 ${found.sha256.slice(0, 12)} there, ${a.sha256.slice(0, 12)} here); a published version never ` +
            `changes: bump version in charts-src/${a.chart}/chart.ts and add its CHANGELOG.md entry`,
        ];
      return [];
    });
    problems.push(...imageProblems);
    if (problems.length > 0) throw new PublishError([...problems, "nothing was published"]);

    const published: Published[] = [];
    for (const { a, found } of looked) {
      const ref = `${base}/${a.chart}:${a.version}`;
      const signed = a.provenance !== undefined && existsSync(a.provenance);
      if (found.state === "same") {
        published.push({ chart: a.chart, version: a.version, ref, outcome: "unchanged", signed });
        log(`${ref}: already published with the same contents`);
        continue;
      }
      const res = await run(helm, ["push", a.archive, base, ...flags], { env });
      if (res.exitCode !== 0) {
        const done = published.filter((p) => p.outcome === "pushed").map((p) => p.ref);
        throw new PublishError(
          [
            `${a.chart} ${a.version}: the registry refused the push to ${base} ` +
              `(${(res.stderr || res.stdout)
                .trim()
                .split("\n")
                .at(-1)
                ?.replace(/^Error: /, "")}); check your write access to it, then run ` +
              "publish again (versions already there with the same contents are skipped)",
            done.length > 0
              ? `published before the refusal: ${done.join(", ")}; ${a.chart} ${a.version} and the rest were not`
              : "nothing was published",
          ],
          published,
        );
      }
      published.push({ chart: a.chart, version: a.version, ref, outcome: "pushed", signed });
      log(`${ref}: pushed${signed ? " with provenance" : ""}`);
    }
    if (image) {
      const entry = {
        chart: image.name,
        kind: "image" as const,
        version: image.version,
        ref: imageTarget,
        signed: false,
      };
      if (imageFound?.state === "same") {
        published.push({ ...entry, outcome: "unchanged" });
        log(`${imageTarget}: already published, the same image`);
      } else {
        try {
          await image.push(imageTarget, flags.length > 0, env);
        } catch (err) {
          throw new PublishError(
            [
              `image ${imageTarget}: the registry refused the push (${(err as Error).message}); check your write ` +
                "access to it, then run publish again (what is already there with the same contents is skipped)",
              `published before the refusal: ${published.map((p) => p.ref).join(", ")}; the image was not`,
            ],
            published,
          );
        }
        published.push({ ...entry, outcome: "pushed" });
        log(`${imageTarget}: pushed`);
      }
    }
    return published;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
