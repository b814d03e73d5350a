/**
 * The model the runtime suite serves: a tiny random-weight llama GGUF written here (src/runtime/model/tiny_gguf.py,
 * with the pinned PyPI `gguf`), imported by the pinned Ollama into each tier's catalog of a cache directory exactly as a pull
 * would leave it (manifests and blobs), which the tenant's Ollama then mounts read-only. No weights from any hub.
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nodeTiers } from "../../charts-src/lib/conventions.js";
import { tierCatalogDir } from "../../charts-src/lib/model-cache.js";
import { freePorts } from "../cluster/ports.js";
import { startProcess, stopProcesses } from "../cluster/processes.js";
import { httpProbe, waitUntil } from "../cluster/probe.js";
import { runStep } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

/** The name the tenant values give the model (an honest name: it is not the chart's default model). */
export const tinyModel = "llmcharts-tiny:0.1";

const script = join(import.meta.dirname, "model", "tiny_gguf.py");

/** Everything readable by the pods' uid (the cache is mounted read-only; Ollama only reads it). */
const openUp = (dir: string): void => {
  for (const e of readdirSync(dir, { recursive: true })) {
    const p = join(dir, String(e));
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
};

/**
 * Writes the tiny model, named `name`, into the catalog of each tier of `cacheDir` (laid out as the platform's cache:
 * one Ollama models tree per tier), so that both tiers serve it.
 */
export const prepareModelCache = async (cacheDir: string, workDir: string, name = tinyModel): Promise<void> => {
  const [first, ...others] = nodeTiers.map((tier) => join(cacheDir, tierCatalogDir(tier)));
  await writeModel(first as string, workDir, name);
  for (const dir of others) cpSync(first as string, dir, { recursive: true });
  openUp(cacheDir);
};

/** Writes the tiny model into `cacheDir` (an Ollama models directory) with the pinned Ollama's own `create`. */
const writeModel = async (cacheDir: string, workDir: string, name: string): Promise<void> => {
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  const gguf = join(workDir, "tiny.gguf");
  await runStep("write tiny GGUF", requireBin("python"), [script, gguf]).catch(async () => {
    throw new Error("could not write the tiny model: run `npx llmcharts tools install model-maker`");
  });
  writeFileSync(join(workDir, "Modelfile"), `FROM ${gguf}\nPARAMETER num_predict 12\nPARAMETER temperature 1\n`);
  const ollama = requireBin("ollama");
  const [port = 0] = await freePorts(1);
  const env = { ...process.env, OLLAMA_MODELS: cacheDir, OLLAMA_HOST: `127.0.0.1:${port}`, HOME: workDir };
  const server = await startProcess("ollama-import", ollama, ["serve"], join(workDir, "ollama-import.log"), { env });
  try {
    await waitUntil("ollama serve", httpProbe(`http://127.0.0.1:${port}/api/version`), { timeoutMs: 30_000 });
    await runStep(`ollama create ${name}`, ollama, ["create", name, "-f", join(workDir, "Modelfile")], { env });
  } finally {
    await stopProcesses([[server]], 3000);
  }
};
