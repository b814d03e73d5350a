/**
 * spot-reclaim: premium's GPU node is reclaimed the way a spot interruption takes it (cordoned, its pods evicted within
 * their PDB and grace period) while a chat is in flight. That chat ends, answered or with an error, and never hangs;
 * the next chat is held by the wake-up proxy, counted by KEDA, and answered once premium is back on a node; the
 * tenant's saved chats are all still there.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { premiumNode } from "../../node/lab-nodes.js";
import { until } from "../../lib/wait.js";
import type { RuntimeScenario } from "../context.js";
import { premiumReplicas, wakeMetric } from "../keda.js";
import { tinyModel } from "../model.js";
import { runtimeStandIns } from "../standin-names.js";
import { asUsersReachIt } from "./standard.js";

/** A chat's outcome within `ms`: what it answered or how it failed; "hung" when it did neither. */
const settled = async (chat: Promise<unknown>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  const outcome = chat.then(
    () => "answered",
    (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  try {
    return await Promise.race([outcome, hung]);
  } finally {
    clearTimeout(timer);
  }
};

export const spotReclaim: RuntimeScenario = {
  id: "spot-reclaim",
  title: "premium's node reclaimed mid-chat: the chat ends, the next one is held and answered, no chat lost",
  run: async (ctx, r, made) => {
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    const ui = await asUsersReachIt(ctx, gamma);
    await ui.signin(gamma.adminEmail, gamma.adminPassword);
    const saved = "before the reclaim";
    await ui.saveChat(saved, [{ role: "user", content: "Remember this." }]);
    // Awake: a chat (held if premium sleeps) wakes it through KEDA.
    await ui.chat(tinyModel, "Say hello.");
    await waitPodsReady(ctx.k, gamma.namespace, componentSelector(names.ollamaPremium), { timeoutMs: 180_000 });

    const drain = (args: string[]) => ctx.k.kubectl(["drain", premiumNode.name, ...args]);
    r.standIn(runtimeStandIns.spotReplacement);
    try {
      const inFlight = ui.chatStream(tinyModel, "Tell a long story about the sea.");
      await drain(["--ignore-daemonsets", "--delete-emptydir-data", "--timeout=180s"]);
      const outcome = await settled(inFlight, 120_000);
      if (outcome === "hung")
        throw new Error("the chat in flight during the reclaim neither ended nor failed in 120 s");
      r.note(`the chat in flight: ${outcome.split("\n")[0]}`);

      const held = ui.chat(tinyModel, "Say hello.");
      let failed: unknown;
      held.catch((err) => {
        failed = err;
      });
      await until(
        "the next chat held at the wake-up proxy and read by KEDA",
        async () => {
          if (failed) throw failed;
          return (
            (await wakeMetric(ctx.k, gamma.namespace)) >= 1 && (await premiumReplicas(ctx.k, gamma.namespace)) >= 1
          );
        },
        60_000,
      );
      const backAt = Date.now();
      await ctx.k.kubectl(["uncordon", premiumNode.name]);
      await held;
      r.figure("reclaimToAnswerSeconds", (Date.now() - backAt) / 1000);
    } finally {
      await ctx.k.kubectl(["uncordon", premiumNode.name]);
    }
    const titles = await ui.chatTitles();
    if (!titles.includes(saved))
      throw new Error(`after the reclaim, the saved chat is gone (chats: ${titles.join(", ")})`);
  },
};
