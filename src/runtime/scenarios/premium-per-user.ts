/**
 * premium-per-user: in tier both, premium is offered only to the members of the groups the tenant's values name,
 * through OpenWebUI's own groups and model access; the chart's model-access container keeps the grants. Tenant gamma
 * moves to tier both (a `helm upgrade`, as its operator would), a standard model beside premium, while premium sleeps.
 * Its users come through Traefik by gamma's host, as users do.
 * - the container grants the standard model to every user and premium to the group `premium` alone;
 * - a user outside the group sees and chats with the standard model, but not premium: premium refuses their chat and
 *   their call of Ollama's own API, and nothing wakes (KEDA reads 0, premium stays at zero);
 * - a member of the group sees premium, and their chat wakes it and is answered.
 * Gamma then goes back to tier premium, as the scenarios after it know it.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import type { Recorder } from "../../harness/recorder.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { eventually, until } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { atHost, labIngress } from "../ingress-controller.js";
import { premiumReplicas, wakeMetric } from "../keda.js";
import { tinyModel, tinyModelNext } from "../model.js";
import type { OpenWebUI, Transport } from "../openwebui-api.js";
import { type LabTenant, upgradeLabTenant } from "../tenants.js";
import { wakeByChat } from "./premium-wake.js";
import { openwebuiRolledOut } from "./standard.js";

/** The chart's default `openwebui.modelAccess.premiumGroups`. */
const premiumGroup = "premium";
const password = "lab-user-password-1";

/** An operator's `helm upgrade` of gamma to another tier, its other values kept. */
const moveTo = async (ctx: RuntimeContext, gamma: LabTenant, set: Record<string, string>) => {
  await upgradeLabTenant(
    ctx,
    gamma,
    Object.entries(set).flatMap(([key, value]) => ["--set-string", `${key}=${value}`]),
  );
  await openwebuiRolledOut(ctx, gamma.namespace);
};

/** Tier both: the catalog's second model as the standard one, sized for the lab's node like tenant alpha's. */
const tierBoth = {
  "tenant.tier": "both",
  "ollama.standard.model": tinyModelNext,
  "ollama.standard.resources.requests.cpu": "100m",
  "ollama.standard.resources.requests.memory": "256Mi",
  "ollama.standard.resources.limits.cpu": "1",
  "ollama.standard.resources.limits.memory": "1Gi",
};

const asleep = async (ctx: RuntimeContext, gamma: LabTenant) =>
  (await premiumReplicas(ctx.k, gamma.namespace)) === 0 && (await wakeMetric(ctx.k, gamma.namespace)) === 0;

/** The refusal a user gets for a model they may not use: a 4xx, never an answer. */
const refused = async (what: string, call: Promise<unknown>) => {
  const outcome = await call.then(
    () => "answered",
    (e: Error) => e.message,
  );
  if (!/HTTP 4\d\d/.test(outcome)) throw new Error(`${what}: ${outcome.slice(0, 200)}, not refused`);
};

const grantsKept = async (r: Recorder, admin: OpenWebUI) =>
  r.step(`model-access grants ${tinyModelNext} (standard) to every user, ${tinyModel} (premium) to a group`, () =>
    eventually(async () => {
      const standard = await admin.readers(tinyModelNext);
      const premium = await admin.readers(tinyModel);
      if (!standard.includes("user *")) throw new Error(`${tinyModelNext} is readable by [${standard}], not everyone`);
      if (premium.length !== 1 || !premium[0]?.startsWith("group ")) {
        throw new Error(`${tinyModel} is readable by [${premium}], not by one group`);
      }
    }, 120_000),
  );

const outsiderRefused = async (ctx: RuntimeContext, r: Recorder, gamma: LabTenant, outsider: OpenWebUI) => {
  await r.step(`a user outside ${premiumGroup} sees ${tinyModelNext}, not premium's ${tinyModel}`, async () => {
    const models = await outsider.models();
    if (!models.includes(tinyModelNext) || models.includes(tinyModel)) {
      throw new Error(`the outsider is offered [${models.join(", ")}]`);
    }
    await outsider.chat(tinyModelNext, "Say hello.");
  });
  await r.step("premium refuses their chat and their call of Ollama's API, and does not wake", async () => {
    await refused("the outsider's chat to premium", outsider.chat(tinyModel, "Say hello."));
    await refused("the outsider's generate on premium", outsider.generate(tinyModel, "Say hello."));
    if (!(await asleep(ctx, gamma))) throw new Error("the outsider's requests woke premium");
  });
};

export const premiumPerUser: RuntimeScenario = {
  id: "premium-per-user",
  title: "in tier both, premium only for the group the values name: outsiders neither see nor wake it, members do",
  run: async (ctx, r, made) => {
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    await until("premium asleep before the move to tier both", () => asleep(ctx, gamma), 180_000);
    await r.step("gamma moves to tier both: standard Ollama beside sleeping premium", async () => {
      await moveTo(ctx, gamma, tierBoth);
      await waitPodsReady(ctx.k, gamma.namespace, componentSelector(names.ollamaStandard), { timeoutMs: 180_000 });
    });
    const transport: Transport = await labIngress(ctx.k, ctx.labTls.ca.cert);
    const admin = atHost(gamma.name, transport);
    await admin.signin(gamma.adminEmail, gamma.adminPassword);
    await grantsKept(r, admin);

    const email = (who: string) => `${who}@${gamma.name}.lab.internal`;
    await admin.addUser("Outsider", email("outsider"), password);
    const memberId = await admin.addUser("Member", email("member"), password);
    await admin.addToGroup(premiumGroup, [memberId]);

    const outsider = atHost(gamma.name, transport);
    await outsider.signin(email("outsider"), password);
    await outsiderRefused(ctx, r, gamma, outsider);

    const member = atHost(gamma.name, transport);
    await member.signin(email("member"), password);
    await r.step(`a member of ${premiumGroup} sees premium; their chat wakes it and is answered`, async () => {
      const models = await member.models();
      if (!models.includes(tinyModel)) throw new Error(`the member is offered [${models.join(", ")}]`);
      r.figure("memberWakeAnsweredSeconds", (await wakeByChat(ctx, gamma, member)).answeredSeconds);
    });
    await r.step("gamma back to tier premium", () => moveTo(ctx, gamma, { "tenant.tier": "premium" }));
  },
};
