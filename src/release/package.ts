/**
 * `llmcharts package`: `helm package` of each generated chart into `<chart>-<version>.tgz`, byte-identical when
 * nothing changed (every file archived with one fixed time; Helm takes file times from the disk and gzip's is zero),
 * and with `--sign` a Helm provenance file made with the operator's GnuPG key, checked with `helm verify` before the
 * archive counts. Everything is made in a temporary directory first: a failure leaves the output directory as it was.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse, stringify } from "yaml";
import { charts } from "../../charts-src/index.js";
import { generate } from "../generate/generate.js";
import { isolatedHelmEnv } from "../lib/helm-env.js";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
import { exportSigningKey, type SigningKey, type SigningOptions } from "./signing.js";

export { isolatedHelmEnv };

/** The one modification time of every file in every archive (any fixed time would do). */
export const archiveTime = new Date("2000-01-01T00:00:00Z");

export interface ChartArchive {
  chart: string;
  version: string;
  /** The `.tgz`. */
  archive: string;
  /** Its `.prov`, when signed. */
  provenance?: string;
  sha256: string;
}

export interface PackageOptions {
  /** The llmcharts package (generated/ is read from it). */
  root: string;
  /** Sign with this key of the operator's keyring; unsigned when undefined. */
  sign?: SigningOptions;
  /** Where the public key is published, for Artifact Hub's `artifacthub.io/signKey` (default: keys.openpgp.org). */
  keyUrl?: string;
  /** Only these charts (default: all). */
  only?: string[];
  log?: (line: string) => void;
}

export const sha256File = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

/** A failure of one chart's packaging: names the chart, the version and what to do. */
export class PackageError extends Error {
  constructor(chart: string, version: string, what: string) {
    super(`${chart} ${version}: ${what}`);
    this.name = "PackageError";
  }
}

const setTimes = (dir: string): void => {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    utimesSync(join(entry.parentPath, entry.name), archiveTime, archiveTime);
  utimesSync(dir, archiveTime, archiveTime);
};

/** The archived Chart.yaml names the key that signed it, as Artifact Hub reads it (`artifacthub.io/signKey`). */
const addSignKey = (chartYaml: string, key: SigningKey, keyUrl?: string): string => {
  const meta = parse(chartYaml) as { annotations?: Record<string, string> };
  const url = keyUrl ?? `https://keys.openpgp.org/vks/v1/by-fingerprint/${key.fingerprint}`;
  meta.annotations = {
    ...meta.annotations,
    "artifacthub.io/signKey": `fingerprint: ${key.fingerprint}\nurl: ${url}\n`,
  };
  return stringify(meta, { lineWidth: 0 });
};

/** The charts to package, each at the version its source declares; refused when generated/ is stale. */
export const chartsToPackage = (root: string, only: string[] = []): { chart: string; version: string }[] => {
  const unknown = only.filter((c) => !(c in charts));
  if (unknown.length > 0)
    throw new Error(`unknown chart: ${unknown.join(", ")}; known: ${Object.keys(charts).join(", ")}`);
  const { changed, needsBump } = generate(root, { check: true });
  if (changed.length > 0 || needsBump.length > 0)
    throw new Error(
      `generated charts are stale (${[...needsBump, ...changed.map((p) => p.slice(root.length + 1))].join(", ")}): ` +
        "run `llmcharts generate` (and bump the chart's version if asked), then package again; nothing was packaged",
    );
  return Object.values(charts)
    .filter((c) => only.length === 0 || only.includes(c.name))
    .map((c) => ({ chart: c.name, version: c.version }));
};

export interface ChartSource {
  chart: string;
  version: string;
  /** The chart directory (generated/<chart>, or an older version written out from git). */
  dir: string;
}

/**
 * One chart directory into `<out>/<chart>-<version>.tgz`: staged with fixed file times (and, signing, the signKey
 * annotation), `helm package`d, and with a key signed and then checked with `helm verify`.
 */
export const packageChartDir = async (
  source: ChartSource,
  work: { stage: string; out: string; env: NodeJS.ProcessEnv },
  key?: SigningKey,
  keyUrl?: string,
): Promise<ChartArchive> => {
  const { chart, version } = source;
  const helm = requireBin("helm");
  const stage = join(work.stage, chart);
  rmSync(stage, { recursive: true, force: true });
  cpSync(source.dir, stage, { recursive: true });
  if (key) {
    const file = join(stage, "Chart.yaml");
    writeFileSync(file, addSignKey(readFileSync(file, "utf8"), key, keyUrl));
  }
  setTimes(stage);
  const signArgs = key ? ["--sign", "--key", key.uid, "--keyring", key.secretKeyring] : [];
  if (key?.passphraseFile) signArgs.push("--passphrase-file", key.passphraseFile);
  mkdirSync(work.out, { recursive: true });
  const packed = await run(helm, ["package", stage, "--destination", work.out, ...signArgs], { env: work.env });
  const archive = join(work.out, `${chart}-${version}.tgz`);
  if (packed.exitCode !== 0 || !existsSync(archive))
    throw new PackageError(chart, version, `helm package failed: ${(packed.stderr || packed.stdout).trim()}`);
  const provenance = key ? `${archive}.prov` : undefined;
  if (provenance && key) {
    const verified = await run(helm, ["verify", archive, "--keyring", key.publicKeyring], { env: work.env });
    if (verified.exitCode !== 0)
      throw new PackageError(
        chart,
        version,
        `helm verify failed on the signed archive: ${(verified.stderr || verified.stdout).trim()}`,
      );
  }
  return { chart, version, archive, provenance, sha256: sha256File(archive) };
};

/** The operator's signing key exported for Helm into `dir`, when signing. */
export const signingKey = async (opts: PackageOptions, dir: string): Promise<SigningKey | undefined> => {
  if (!opts.sign) return undefined;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return exportSigningKey({ ...opts.sign, keys: opts.sign.keys ?? join(opts.root, "KEYS") }, dir);
};

/**
 * Packages (and signs, and verifies) every chart into `workDir`. Returns the archives and, when signing, the key
 * (whose public keyring verifies them). Throws at the first chart that fails.
 */
export const buildArchives = async (
  opts: PackageOptions,
  workDir: string,
): Promise<{ archives: ChartArchive[]; key?: SigningKey }> => {
  const log = opts.log ?? (() => {});
  const wanted = chartsToPackage(opts.root, opts.only);
  const work = {
    stage: join(workDir, "stage"),
    out: join(workDir, "archives"),
    env: isolatedHelmEnv(join(workDir, "helm")),
  };
  const key = await signingKey(opts, join(workDir, "keys"));
  if (key) log(`signing with ${key.uid} (${key.fingerprint})`);
  const archives: ChartArchive[] = [];
  for (const { chart, version } of wanted) {
    const a = await packageChartDir(
      { chart, version, dir: join(opts.root, "generated", chart) },
      work,
      key,
      opts.keyUrl,
    );
    archives.push(a);
    log(`${basename(a.archive)}${a.provenance ? " + .prov (verified)" : ""}  sha256:${a.sha256.slice(0, 12)}`);
  }
  return { archives, key };
};

/** `llmcharts package`: every archive made and verified in a temporary directory, then copied into `outDir`. */
export const packageCharts = async (opts: PackageOptions & { outDir: string }): Promise<ChartArchive[]> => {
  const work = mkdtempSync(join(tmpdir(), "llmcharts-package-"));
  try {
    const { archives } = await buildArchives(opts, work);
    mkdirSync(opts.outDir, { recursive: true });
    return archives.map((a) => {
      const archive = join(opts.outDir, basename(a.archive));
      copyFileSync(a.archive, archive);
      const provenance = a.provenance ? `${archive}.prov` : undefined;
      // An unsigned archive must not sit beside a provenance file of other bytes.
      if (a.provenance && provenance) copyFileSync(a.provenance, provenance);
      else rmSync(`${archive}.prov`, { force: true });
      return { ...a, archive, provenance };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
