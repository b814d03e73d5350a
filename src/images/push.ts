/**
 * An image built here pushed to a registry, as `publish` pushes the validator beside the charts: a docker-archive
 * looked up and pushed with skopeo. The lookup judges by config digest (the image ID, the same for equal builds), so
 * that `publish` can leave the same image alone and refuse another at a published tag.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

/** What the registry holds at the image's tag, judged by config digest (the image ID, the same for equal builds). */
export type ImageLookup =
  | { state: "absent" }
  | { state: "same" }
  | { state: "other"; configDigest: string }
  | { state: "error"; message: string };

/** The image ID of an archive's image: the digest its manifest.json gives the config. */
export const archiveConfigDigest = async (archive: string): Promise<string> => {
  const res = await run("tar", ["-xOf", archive, "manifest.json"]);
  const config = (JSON.parse(res.stdout) as { Config: string }[])[0]?.Config ?? "";
  const hex = /([0-9a-f]{64})(\.json)?$/.exec(config)?.[1];
  if (res.exitCode !== 0 || !hex) throw new Error(`${archive} is not a docker-archive of one image (${res.stderr})`);
  return `sha256:${hex}`;
};

/**
 * skopeo reads the registry logins Helm writes (`helm registry login`), so one login serves charts and image;
 * without that file, skopeo's own (`skopeo login`, or Docker's config).
 */
const authFlags = (env: NodeJS.ProcessEnv): string[] => {
  const file =
    env.HELM_REGISTRY_CONFIG ??
    join(
      env.HELM_CONFIG_HOME ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "helm"),
      "registry",
      "config.json",
    );
  return existsSync(file) ? ["--authfile", file] : [];
};

const lastLine = (text: string): string =>
  (text.trim().split("\n").at(-1) ?? "").replace(/^(time=.*msg=)?"?(Error: |FATA\[\d+\] )?/, "").replace(/"$/, "");

export const lookupImage = async (
  ref: string,
  archive: string,
  plainHttp: boolean,
  env: NodeJS.ProcessEnv,
): Promise<ImageLookup> => {
  const res = await run(
    requireBin("skopeo"),
    ["inspect", "--raw", `--tls-verify=${!plainHttp}`, ...authFlags(env), `docker://${ref}`],
    { env },
  );
  if (res.exitCode !== 0) {
    return /manifest unknown|not found|name unknown/i.test(res.stderr)
      ? { state: "absent" }
      : { state: "error", message: lastLine(res.stderr || res.stdout) };
  }
  const there = (JSON.parse(res.stdout) as { config?: { digest?: string } }).config?.digest ?? "";
  return there === (await archiveConfigDigest(archive)) ? { state: "same" } : { state: "other", configDigest: there };
};

/** Pushes the archive's image to `ref`; an error names the registry's answer. */
export const pushImage = async (ref: string, archive: string, plainHttp: boolean, env: NodeJS.ProcessEnv) => {
  const res = await run(
    requireBin("skopeo"),
    [
      "copy",
      "--quiet",
      `--dest-tls-verify=${!plainHttp}`,
      ...authFlags(env),
      `docker-archive:${archive}`,
      `docker://${ref}`,
    ],
    { env },
  );
  if (res.exitCode !== 0) throw new Error(lastLine(res.stderr || res.stdout));
};

/** What `publish` pushes for an archive: its name and tag there, and how to look it up and push it. */
export const archivePublisher = (archive: string, name: string, version: string) => ({
  name,
  version,
  lookup: (ref: string, plainHttp: boolean, env: NodeJS.ProcessEnv) => lookupImage(ref, archive, plainHttp, env),
  push: (ref: string, plainHttp: boolean, env: NodeJS.ProcessEnv) => pushImage(ref, archive, plainHttp, env),
});
