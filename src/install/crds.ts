/**
 * The upstream CRDs the charts need (Karpenter, KEDA and its HTTP add-on, External Secrets, Prometheus Operator,
 * Kyverno, Gateway API, Argo CD), read from the pinned Go modules in the module cache (no network: the installer
 * downloaded them) and installed with server-side apply: several are larger than the 256 KiB `last-applied`
 * annotation client-side apply writes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { downloadModule } from "../toolchain/modules.js";
import { type CrdSource, crdSources } from "../toolchain/pins.js";
import type { Kube } from "../harness/kube.js";
import { eventually } from "../lib/wait.js";

export interface CrdFile {
  source: string;
  version: string;
  path: string;
}

/** The CRD YAML files of every pinned source, from the module cache. */
export const crdFiles = async (sources: CrdSource[] = crdSources): Promise<CrdFile[]> => {
  const files: CrdFile[] = [];
  for (const source of sources) {
    const mod = await downloadModule(source.module, source.version);
    for (const file of source.files) {
      const path = join(mod.Dir, file);
      if (!existsSync(path)) throw new Error(`${source.name} ${source.version}: ${file} is not in ${mod.Dir}`);
      files.push({ source: source.name, version: source.version, path });
    }
  }
  return files;
};

export interface CrdReport {
  source: string;
  version: string;
  /** CRD names (plural.group) installed from the source. */
  crds: string[];
  /** Those whose Established condition is True. */
  established: string[];
}

/** The CRD's name (plural.group) from its file, without parsing a megabyte of YAML. */
const crdName = (path: string): string => {
  const m = /^metadata:\n(?:[ \t]+.*\n)*? {2}name: ["']?([^"'\s]+)/m.exec(readFileSync(path, "utf8"));
  if (!m?.[1]) throw new Error(`${path}: no metadata.name`);
  return m[1];
};

/**
 * Applies every pinned CRD server-side (one kubectl for all: parallel ones only compete with the API server for the
 * same cores), waits until each is Established and reports per source. `onlyMissing` applies only the CRDs the
 * cluster lacks.
 */
export const installCrds = async (
  kube: Kube,
  { timeoutSeconds = 90, onlyMissing = false }: { timeoutSeconds?: number; onlyMissing?: boolean } = {},
): Promise<CrdReport[]> => {
  const files = (await crdFiles()).map((f) => ({ ...f, name: crdName(f.path) }));
  // On a cluster of someone else's, CRDs it already has (installed by their operators' charts) are left alone.
  const existing = onlyMissing
    ? new Set(
        (await kube.kubectl(["get", "crd", "-o", "name"]))
          .split("\n")
          .map((l) => l.trim().replace(/^customresourcedefinition\.apiextensions\.k8s\.io\//, "")),
      )
    : new Set<string>();
  const toApply = files.filter((f) => !existing.has(f.name));
  if (toApply.length > 0) {
    await kube.kubectl([
      "apply",
      "--server-side",
      "--force-conflicts",
      "--field-manager=llmcharts-crds",
      // kubectl's own schema check of CRD manifests costs seconds and adds nothing: the server validates them.
      "--validate=false",
      ...toApply.flatMap((f) => ["-f", f.path]),
    ]);
  }
  const applied = crdSources.map((source) => ({
    source: source.name,
    version: source.version,
    names: files.filter((f) => f.source === source.name).map((f) => f.name),
  }));

  // `kubectl wait` fails, rather than waits, on a CRD whose status has no conditions yet: retried until it waits.
  const all = applied.flatMap((a) => a.names);
  const waited = await eventually(
    () =>
      kube.kubectl([
        "wait",
        "--for=condition=Established",
        `--timeout=${timeoutSeconds}s`,
        ...all.map((n) => `crd/${n}`),
      ]),
    timeoutSeconds * 1000,
  );
  const established = new Set(
    [...waited.matchAll(/^customresourcedefinition\.apiextensions\.k8s\.io\/(\S+) condition met$/gm)].map((m) => m[1]),
  );
  return applied.map((a) => ({
    source: a.source,
    version: a.version,
    crds: a.names,
    established: a.names.filter((n) => established.has(n)),
  }));
};
