/**
 * tokens-counted: each tenant's token usage, for billing, is what OpenWebUI's own analytics count (the query the
 * tenant README gives the operator: `GET /api/v1/analytics/tokens` with an admin's key). A chat kept the way the web UI
 * keeps one (in a saved chat, through Traefik by the tenant's host) raises its tenant's count for the model by the
 * tokens the answer carried, Ollama's own counts, and no other tenant's.
 */
import { madeBy } from "../../harness/suite.js";
import { eventually } from "../../lib/wait.js";
import type { RuntimeScenario } from "../context.js";
import { atHost, labIngress } from "../ingress-controller.js";
import { tinyModel } from "../model.js";
import type { OpenWebUI } from "../openwebui-api.js";

const usageOf = async (ui: OpenWebUI, model: string) => (await ui.tokenUsage())[model] ?? 0;

export const tokensCounted: RuntimeScenario = {
  id: "tokens-counted",
  title: "a chat's tokens show in its tenant's usage (OpenWebUI's analytics), and in no other tenant's",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    const transport = await labIngress(ctx.k, ctx.labTls.ca.cert);
    const ui = atHost(alpha.name, transport);
    await ui.signin(alpha.adminEmail, alpha.adminPassword);
    const neighbour = atHost(gamma.name, transport);
    await neighbour.signin(gamma.adminEmail, gamma.adminPassword);
    const before = await usageOf(ui, tinyModel);
    const neighbourBefore = await usageOf(neighbour, tinyModel);

    const answer = await r.step("alpha's admin chats in a saved chat; the answer carries its token usage", async () => {
      const a = await ui.chatSaved(tinyModel, "Say hello.");
      if (a.totalTokens <= 0) throw new Error(`the answer carried no token usage (${a.totalTokens})`);
      return a;
    });
    if (!answer) return;
    r.figure("chatTokens", answer.totalTokens);
    await r.step(`alpha's usage of ${tinyModel} grows by the answer's ${answer.totalTokens} tokens`, () =>
      eventually(async () => {
        const grown = (await usageOf(ui, tinyModel)) - before;
        if (grown !== answer.totalTokens) throw new Error(`alpha's usage grew by ${grown} tokens`);
      }, 30_000),
    );
    await r.step("gamma's usage does not count it", async () => {
      const after = await usageOf(neighbour, tinyModel);
      if (after !== neighbourBefore) throw new Error(`gamma's usage moved from ${neighbourBefore} to ${after}`);
    });
  },
};
