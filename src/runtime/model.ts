/**
 * The models the runtime suite serves: a tiny random-weight llama GGUF written here (src/runtime/model/tiny_gguf.py,
 * with the pinned PyPI `gguf`), made into Ollama models by the pinned Ollama's own `create`, and pushed by it to the
 * lab's model registry, where the platform's pull Jobs fetch them as from any private registry. No weights from any hub.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePorts } from "../cluster/ports.js";
import { startProcess, stopProcesses } from "../cluster/processes.js";
import { httpProbe, waitUntil } from "../cluster/probe.js";
import { runStep } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

/** The name the tenant values give the model (an honest name: it is not the chart's default model). */
export const tinyModel = "llmcharts-tiny:0.1";

/** A second tag of the same weights: the model a grown catalog adds to running tenants. */
export const tinyModelNext = "llmcharts-tiny:0.2";

const script = join(import.meta.dirname, "model", "tiny_gguf.py");

/**
 * Writes the tiny GGUF, makes each of `names` from it (one Modelfile: a model's name is all that differs), and pushes
 * each to `registry` (host:port, plain HTTP) as `<registry>/library/<name>`, with a host Ollama of its own.
 */
export const pushTinyModels = async (registry: string, workDir: string, names: readonly string[]): Promise<void> => {
  mkdirSync(workDir, { recursive: true });
  const gguf = join(workDir, "tiny.gguf");
  await runStep("write tiny GGUF", requireBin("python"), [script, gguf]).catch(async () => {
    throw new Error("could not write the tiny model: run `npx llmcharts tools install model-maker`");
  });
  const modelfile = join(workDir, "Modelfile");
  writeFileSync(modelfile, `FROM ${gguf}\nPARAMETER num_predict 12\nPARAMETER temperature 1\n`);
  const ollama = requireBin("ollama");
  const [port = 0] = await freePorts(1);
  const env = {
    ...process.env,
    OLLAMA_MODELS: join(workDir, "models"),
    OLLAMA_HOST: `127.0.0.1:${port}`,
    HOME: workDir,
  };
  const server = await startProcess("ollama-push", ollama, ["serve"], join(workDir, "ollama-push.log"), { env });
  try {
    await waitUntil("ollama serve", httpProbe(`http://127.0.0.1:${port}/api/version`), { timeoutMs: 30_000 });
    for (const name of names) {
      const remote = `${registry}/library/${name}`;
      await runStep(`ollama create ${name}`, ollama, ["create", name, "-f", modelfile], { env });
      await runStep(`ollama cp ${name} ${remote}`, ollama, ["cp", name, remote], { env });
      await runStep(`ollama push ${remote}`, ollama, ["push", "--insecure", remote], { env });
    }
  } finally {
    await stopProcesses([[server]], 3000);
  }
};
