import { run } from "../lib/run.js";
import { kubeconformSchemaLocations } from "../toolchain/datasets.js";
import { kubernetes } from "../toolchain/pins.js";
import { requireBin } from "../toolchain/tools.js";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  status: string;
  msg: string;
  validationErrors?: { path: string; msg: string }[];
}

/**
 * Rung 3: one kubeconform run per supported Kubernetes version over every rendering at once, strict, against the
 * Kubernetes OpenAPI and the pinned upstream CRDs. A kind with no schema is a failure, not a skip.
 */
export const checkManifests = async (renderings: Rendering[]): Promise<CheckResult[]> => {
  const versions = [kubernetes.oldestSupported, kubernetes.newestSupported];
  // One run per version, side by side: kubeconform is single-threaded per file set and the machine has cores to spare.
  return (await Promise.all(versions.map((v) => checkVersion(v, renderings)))).flat();
};

const checkVersion = async (version: string, renderings: Rendering[]): Promise<CheckResult[]> => {
  const results: CheckResult[] = [];
  const out = await run(
    requireBin("kubeconform"),
    [
      "-strict",
      "-summary",
      "-output",
      "json",
      "-kubernetes-version",
      version.slice(1),
      ...kubeconformSchemaLocations().flatMap((l) => ["-schema-location", l]),
      ...renderings.map((r) => r.file),
    ],
    {
      // Collecting garbage was a fifth of a large run's CPU (every document is decoded from YAML twice): a quarter as
      // often costs a hundred MiB at most.
      env: { ...process.env, GOGC: "400" },
    },
  );
  const report = JSON.parse(out.stdout || "{}") as { resources?: KubeconformResource[] };
  const bad = new Map<string, KubeconformResource[]>();
  for (const r of report.resources ?? [])
    if (r.status !== "statusValid") bad.set(r.filename, [...(bad.get(r.filename) ?? []), r]);
  for (const rendering of renderings) {
    const mine = bad.get(rendering.file) ?? [];
    const { chart, name: fixture } = rendering.fixture;
    const base = { chart, fixture, rung: "manifests" as const, check: `kubeconform ${version}` };
    if (mine.length === 0) results.push({ ...base, ok: true });
    for (const r of mine) {
      const fields = (r.validationErrors ?? []).map((e) => `${e.path}: ${e.msg}`).join("; ");
      results.push({ ...base, ok: false, message: `${r.kind}/${r.name}: ${fields || r.msg}` });
    }
  }
  if (out.exitCode !== 0 && bad.size === 0) {
    results.push({
      chart: "*",
      fixture: "*",
      rung: "manifests",
      check: `kubeconform ${version}`,
      ok: false,
      message: out.stderr.trim(),
    });
  }
  return results;
};
