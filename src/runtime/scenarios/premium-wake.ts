/**
 * premium-wakes: premium at zero, as KEDA leaves it when idle. A chat through the tenant's OpenWebUI is held by the
 * tenant's wake-up proxy (the real KEDA HTTP add-on interceptor) instead of failing, and the proxy's count, which
 * KEDA's metrics-api trigger reads, shows it; the model list still offers the premium model and counts nothing. When
 * premium is scaled back to one pod (KEDA's move on that count: no KEDA controller runs here), the held chat is
 * answered.
 */
import { tenantObjectNames as names, tenantPorts as ports } from "../../../charts-src/lib/tenant-namespace.js";
import { tinyModel } from "../model.js";
import { OpenWebUI } from "../openwebui-api.js";
import { componentSelector, podsOf, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { openwebuiUrl } from "./standard.js";
import { until } from "../../lib/wait.js";
import { runtimeStandIns } from "../standin-names.js";
import type { LabTenant } from "../tenants.js";

/** Premium requests in flight at the proxy, as KEDA reads them (`<namespace>/<route>.Concurrency` of /queue). */
const inFlight = async (ctx: RuntimeContext, gamma: LabTenant): Promise<number> => {
  const ip = (
    await ctx.k.kubectl(["get", "svc", names.premiumWake, "-n", gamma.namespace, "-o", "jsonpath={.spec.clusterIP}"])
  ).trim();
  const res = await fetch(`http://${ip}:${ports.wakeAdmin}/queue`);
  if (!res.ok) throw new Error(`the wake-up proxy's /queue answered HTTP ${res.status}`);
  const counts = (await res.json()) as Record<string, { Concurrency: number }>;
  return counts[`${gamma.namespace}/ollama-premium`]?.Concurrency ?? 0;
};

const scalePremium = (ctx: RuntimeContext, gamma: LabTenant, replicas: number) =>
  ctx.k.kubectl(["scale", "deployment", names.ollamaPremium, "-n", gamma.namespace, `--replicas=${replicas}`]);

export const premiumWakes: RuntimeScenario = {
  id: "premium-wakes",
  title: "premium at zero: a chat is held by the wake-up proxy and counted, then answered once premium is back",
  run: async (ctx, r, made) => {
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    await waitPodsReady(ctx.k, gamma.namespace, componentSelector(names.premiumWake), {
      timeoutMs: 120_000,
    });
    r.standIn(runtimeStandIns.keda);
    await scalePremium(ctx, gamma, 0);
    await until(
      "premium Ollama at zero",
      async () => (await podsOf(ctx.k, gamma.namespace, componentSelector(names.ollamaPremium))).length === 0,
      120_000,
    );
    const ui = new OpenWebUI(await openwebuiUrl(ctx, gamma.namespace));
    await ui.signin(gamma.adminEmail, gamma.adminPassword);
    const models = await ui.models();
    if (!models.includes(tinyModel)) {
      throw new Error(`asleep, OpenWebUI lists ${models.join(", ") || "no model"}, not the premium ${tinyModel}`);
    }
    const before = await inFlight(ctx, gamma);
    if (before !== 0)
      throw new Error(`the proxy counts ${before} premium requests before any chat (model lists count)`);

    const heldSince = Date.now();
    const answer = ui.chat(tinyModel, "Say hello.");
    let failed: unknown;
    answer.catch((err) => {
      failed = err;
    });
    await until(
      "the chat held at the proxy and counted",
      async () => {
        if (failed) throw failed;
        return (await inFlight(ctx, gamma)) === 1;
      },
      60_000,
    );
    const stillAsleep = await podsOf(ctx.k, gamma.namespace, componentSelector(names.ollamaPremium));
    if (stillAsleep.length > 0) throw new Error("premium started without being scaled: something else woke it");

    await scalePremium(ctx, gamma, 1);
    await answer;
    const wakeSeconds = (Date.now() - heldSince) / 1000;
    const after = await inFlight(ctx, gamma);
    if (after !== 0) throw new Error(`the proxy still counts ${after} premium requests after the answer`);
    r.figure("heldChatAnsweredSeconds", wakeSeconds);
  },
};
