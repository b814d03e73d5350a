import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { requireBin } from "../toolchain/tools.js";

/** Helm 4 and Helm 3 each render in one process of our own, built against the pinned Helm module (tools/helm-render). */
export const renderers = () => [
  { name: "helm4", exe: requireBin("helm-render") },
  { name: "helm3", exe: requireBin("helm3-render") },
];

export interface RenderOutcome {
  /** The rendering, byte for byte what `helm template` prints. */
  file?: string;
  /** Its objects as a JSON list, decoded as Kubernetes decodes YAML (far faster to read than the YAML). */
  objects?: string;
  /** Helm's error, as `helm template` reports it after "Error: ". */
  error?: string;
}

/**
 * `helm template RELEASE CHART --namespace NS -f <file>` for every values file at once: the chart is loaded once and
 * no process starts per file. Renderings land in `outDir/<i>.yaml` (none with `checkOnly`: only whether each file
 * renders); the outcomes are in the order of `valuesFiles`.
 */
export const renderMany = async (
  exe: string,
  chartDir: string,
  valuesFiles: string[],
  outDir: string,
  opts: { release?: string; namespace?: string; onResult?: () => void; checkOnly?: boolean } = {},
): Promise<RenderOutcome[]> => {
  mkdirSync(outDir, { recursive: true });
  if (valuesFiles.length === 0) return [];
  const args = ["--chart", chartDir, "--out", outDir, "--release", opts.release ?? "fixture"];
  if (opts.checkOnly) args.push("--check-only");
  const proc = spawn(exe, [...args, "--namespace", opts.namespace ?? "fixture"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number>((resolve, reject) => {
    proc.on("error", reject);
    proc.on("close", (code) => resolve(code ?? 1));
  });
  proc.stdin.end(`${valuesFiles.join("\n")}\n`);
  const outcomes: RenderOutcome[] = new Array(valuesFiles.length);
  for await (const line of createInterface({ input: proc.stdout })) {
    const { index, file, objects, error } = JSON.parse(line) as RenderOutcome & { index: number };
    outcomes[index] = file ? { file, objects } : { error };
    opts.onResult?.();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`${exe} exited ${code}: ${stderr.trim()}`);
  return outcomes;
};
