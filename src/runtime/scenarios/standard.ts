/**
 * standard-ready: a standard tenant installed with `helm install` from generated/tenant; OpenWebUI and Ollama Ready
 * by their own probes (real /health, real `ollama show`), no restarts.
 * chat-standard: the bootstrapped admin signs in through the OpenWebUI Service (via kube-proxy) and asks the tier's
 * model through POST /api/chat/completions, streamed and not; tokens come back.
 */
import { tinyModel } from "../model.js";
import { OpenWebUI } from "../openwebui-api.js";
import { restarts, waitPodsReady } from "../pods.js";
import type { Scenario } from "../suite.js";
import { installTenant, labTenant } from "../tenants.js";

export const alpha = labTenant("alpha");

const component = (c: string) => `app.kubernetes.io/component=${c}`;

export const standardReady: Scenario = async (run) => {
  const start = Date.now();
  await installTenant(run, alpha, "lab-standard.yaml");
  const pods = [
    ...(await waitPodsReady(run.k, alpha.namespace, component("ollama-standard"), { timeoutMs: 180_000 })),
    ...(await waitPodsReady(run.k, alpha.namespace, component("openwebui"), { timeoutMs: 420_000 })),
  ];
  const restarted = pods.filter((p) => restarts(p) > 0).map((p) => `${p.metadata.name} (${restarts(p)})`);
  if (restarted.length > 0) throw new Error(`pods restarted before Ready: ${restarted.join(", ")}`);
  run.marks.tenantInstalledAt = start;
  return { readySeconds: (Date.now() - start) / 1000 };
};

/** The OpenWebUI Service's address, as any client of the cluster network reaches it. */
export const openwebuiUrl = async (run: Parameters<Scenario>[0], namespace: string): Promise<string> => {
  const ip = await run.k.kubectl(["get", "service", "openwebui", "-n", namespace, "-o", "jsonpath={.spec.clusterIP}"]);
  return `http://${ip.trim()}:80`;
};

/** The first of `tries` whose answer passes `ok`, asked one after another; undefined when none does. */
const firstWith = async <T>(tries: string[], ask: (p: string) => Promise<T>, ok: (a: T) => boolean) => {
  for (const p of tries) {
    const answer = await ask(p);
    if (ok(answer)) return answer;
  }
  return undefined;
};

export const chatThrough = async (run: Parameters<Scenario>[0], t: typeof alpha, model: string) => {
  const ui = new OpenWebUI(await openwebuiUrl(run, t.namespace));
  const role = await ui.signin(t.adminEmail, t.adminPassword);
  if (role !== "admin") throw new Error(`the bootstrapped admin signed in with role ${role}`);
  const models = await ui.models();
  if (!models.includes(model)) throw new Error(`OpenWebUI lists ${models.join(", ") || "no model"}, not ${model}`);
  // The tiny model's weights are random: now and then its first sampled token ends the answer. An empty answer is
  // the model's, not the serving path's, so each way gets three prompts to return tokens.
  const prompts = ["Say hello.", "Tell a story.", "Name a colour."];
  const plain = await firstWith(
    prompts,
    (p) => ui.chat(model, p),
    (a) => a.text.length > 0,
  );
  if (!plain) throw new Error("every answer (not streamed) was empty");
  const streamed = await firstWith(
    prompts,
    (p) => ui.chatStream(model, p),
    (a) => (a.chunks ?? 0) > 0,
  );
  if (!streamed) throw new Error("no streamed answer carried tokens");
  return { plain, streamed };
};

export const chatStandard: Scenario = async (run) => {
  await chatThrough(run, alpha, tinyModel);
  const since = run.marks.tenantInstalledAt;
  return since ? { firstAnswerSeconds: (Date.now() - since) / 1000 } : undefined;
};
