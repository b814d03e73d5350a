/**
 * chat-premium: a premium tenant whose Ollama the chart's own rules (GPU toleration, premium affinity, nvidia.com/gpu
 * limit) place on the premium pool's node, kept warm by KEDA's business-hours trigger (a window holding now); the
 * admin chats through its OpenWebUI (on the standard node) to it.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { premiumNode } from "../../node/lab-nodes.js";
import { tinyModel } from "../model.js";
import { componentSelector, restarts, waitPodsReady } from "../../harness/pods.js";
import { until } from "../../lib/wait.js";
import type { RuntimeScenario } from "../context.js";
import { businessHours } from "../../harness/business-hours.js";
import { scaledObjectActive } from "../keda.js";
import { apiServerValues, installLabTenant, labTenant } from "../tenants.js";
import { chatThrough } from "./standard.js";

export const chatPremium: RuntimeScenario = {
  id: "chat-premium",
  title: "premium Ollama placed on the premium (GPU) node by the chart's own rules; the admin chats to it",
  run: async (ctx, r) => {
    const gamma = labTenant("gamma");
    const cron = businessHours(new Date(), true);
    await installLabTenant(ctx, r, gamma, "lab-premium.yaml", {
      values: { ...apiServerValues(ctx), ollama: { premium: { scaling: { cron } } } },
    });
    await until(
      "KEDA active on premium's business-hours trigger",
      () => scaledObjectActive(ctx.k, gamma.namespace),
      120_000,
    );
    const [ollama] = await waitPodsReady(ctx.k, gamma.namespace, componentSelector(names.ollamaPremium), {
      timeoutMs: 180_000,
    });
    if (ollama?.spec?.nodeName !== premiumNode.name) {
      throw new Error(`premium Ollama runs on ${ollama?.spec?.nodeName}, not on the premium node ${premiumNode.name}`);
    }
    const [webui] = await waitPodsReady(ctx.k, gamma.namespace, componentSelector(names.openwebui), {
      timeoutMs: 420_000,
    });
    if (webui?.spec?.nodeName === premiumNode.name) throw new Error("OpenWebUI landed on the premium (GPU) node");
    if (restarts(ollama) + (webui ? restarts(webui) : 0) > 0) throw new Error("pods restarted before Ready");
    await chatThrough(ctx, gamma, tinyModel);
    return { gamma };
  },
};
