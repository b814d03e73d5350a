/**
 * standard-ready: a standard tenant installed with `helm install` from generated/tenant; OpenWebUI and Ollama Ready
 * by their own probes (real /health, real `ollama show`), no restarts.
 * chat-standard: the bootstrapped admin signs in through the OpenWebUI Service (via kube-proxy) and asks the tier's
 * model through POST /api/chat/completions, streamed and not; tokens come back.
 */
import { tenantObjectNames as names, tenantPorts as ports } from "../../../charts-src/lib/tenant-namespace.js";
import { tinyModel } from "../model.js";
import { atHost, labHost, labIngress } from "../ingress-controller.js";
import type { OpenWebUI } from "../openwebui-api.js";
import { componentSelector, restarts, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { eventually } from "../../lib/wait.js";
import { installLabTenant, type LabTenant, labTenant } from "../tenants.js";

export const standardReady: RuntimeScenario = {
  id: "standard-ready",
  title: "a standard tenant from helm install: OpenWebUI and Ollama Ready by their own probes, no restarts",
  run: async (ctx, r) => {
    const alpha = labTenant("alpha");
    const start = Date.now();
    await installLabTenant(ctx, r, alpha, "lab-standard.yaml");
    const pods = [
      ...(await waitPodsReady(ctx.k, alpha.namespace, componentSelector(names.ollamaStandard), { timeoutMs: 180_000 })),
      ...(await waitPodsReady(ctx.k, alpha.namespace, componentSelector(names.openwebui), { timeoutMs: 420_000 })),
    ];
    const restarted = pods.filter((p) => restarts(p) > 0).map((p) => `${p.metadata.name} (${restarts(p)})`);
    if (restarted.length > 0) throw new Error(`pods restarted before Ready: ${restarted.join(", ")}`);
    r.figure("readySeconds", (Date.now() - start) / 1000);
    return { alpha, alphaInstalledAt: start };
  },
};

/** A Service's address in the cluster network (its ClusterIP, through kube-proxy), as any client reaches it. */
export const serviceUrl = async (ctx: RuntimeContext, namespace: string, service: string, port: number) => {
  const ip = await ctx.k.kubectl(["get", "service", service, "-n", namespace, "-o", "jsonpath={.spec.clusterIP}"]);
  return `http://${ip.trim()}:${port}`;
};

/** The OpenWebUI Service's address, as any client of the cluster network reaches it. */
export const openwebuiUrl = (ctx: RuntimeContext, namespace: string): Promise<string> =>
  serviceUrl(ctx, namespace, names.openwebui, ports.openwebuiService);

/**
 * After a rollout of OpenWebUI: the rollout done, the new pods Ready, and the Service answering through them. Its
 * address may still lead to a pod that just stopped until kube-proxy has caught up, so /health is asked until it
 * answers.
 */
export const openwebuiRolledOut = async (ctx: RuntimeContext, namespace: string): Promise<void> => {
  await ctx.k.kubectl(["rollout", "status", `deployment/${names.openwebui}`, "-n", namespace, "--timeout=420s"]);
  await waitPodsReady(ctx.k, namespace, componentSelector(names.openwebui), { timeoutMs: 60_000 });
  const url = await openwebuiUrl(ctx, namespace);
  await eventually(
    async () => {
      const res = await fetch(`${url}/health`);
      if (!res.ok) throw new Error(`OpenWebUI's /health answered HTTP ${res.status} after the rollout`);
    },
    60_000,
    1000,
  );
};

/** The first of `tries` whose answer passes `ok`, asked one after another; undefined when none does. */
const firstWith = async <T>(tries: string[], ask: (p: string) => Promise<T>, ok: (a: T) => boolean) => {
  for (const p of tries) {
    const answer = await ask(p);
    if (ok(answer)) return answer;
  }
  return undefined;
};

/**
 * A tenant's OpenWebUI as its users reach it: by its host, through the ingress controller, once that host answers
 * there (after a rollout the controller may still route to the pod that stopped).
 */
export const asUsersReachIt = async (ctx: RuntimeContext, t: LabTenant): Promise<OpenWebUI> => {
  const transport = await labIngress(ctx.k, ctx.labTls.ca.cert);
  await eventually(async () => {
    const res = await transport.fetch(`https://${labHost(t.name)}/health`);
    if (!res.ok) throw new Error(`${t.name}'s host answers HTTP ${res.status} through the ingress controller`);
  }, 60_000);
  return atHost(t.name, transport);
};

/** The tenant's admin signs in and chats: through `ui`, else as its users reach it (through the ingress controller). */
export const chatThrough = async (ctx: RuntimeContext, t: LabTenant, model: string, through?: OpenWebUI) => {
  const ui = through ?? (await asUsersReachIt(ctx, t));
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

export const chatStandard: RuntimeScenario = {
  id: "chat-standard",
  title:
    "the bootstrapped admin signs in at the tenant's host, through the ingress controller, and chats, streamed and not",
  run: async (ctx, r, made) => {
    await chatThrough(ctx, madeBy(made.alpha, "tenant alpha", "standard-ready"), tinyModel);
    if (made.alphaInstalledAt) r.figure("firstAnswerSeconds", (Date.now() - made.alphaInstalledAt) / 1000);
  },
};
