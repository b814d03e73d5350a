/**
 * rate-limited: alpha's operator turns a per-user limit on (`helm upgrade` with exposure.rateLimit: 60 requests a
 * minute, 20 at once), and a user past it is refused by Traefik, which the chart configured (a rateLimit Middleware
 * keyed on the Authorization header, on OpenWebUI's inference paths):
 * - past the burst, a chat request gets 429 with Retry-After, from Traefik, never reaching OpenWebUI;
 * - meanwhile the same user's model list (a path the limit leaves alone) answers, and another user of alpha chats;
 * - once Retry-After has passed, the first user chats again.
 * Requests that only fill the user's budget name a model no one has: OpenWebUI refuses them at once, without a model
 * run, and Traefik counts them all the same. The limit is turned off again at the end, as the other scenarios know
 * alpha.
 */
import { randomBytes } from "node:crypto";
import { eventually } from "../../lib/wait.js";
import type { Recorder } from "../../harness/recorder.js";
import { madeBy } from "../../harness/suite.js";
import { tinyModel } from "../model.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { atHost, ingressNamespace, labHost, labIngress } from "../ingress-controller.js";
import type { OpenWebUI, Transport } from "../openwebui-api.js";
import { runtimeStandIns } from "../standin-names.js";
import { type LabTenant, upgradeLabTenant } from "../tenants.js";

/** The limit alpha's operator sets. */
const requestsPerMinute = 60;
const burst = 20;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
}

/** POST /api/chat/completions as the user `token` is, not streamed: the status, Retry-After and the body's start. */
const chatRequest = async (transport: Transport, t: LabTenant, token: string, model: string): Promise<Answer> => {
  const res = await transport.fetch(`https://${labHost(t.name)}/api/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ model, stream: false, messages: [{ role: "user", content: "Say hello." }] }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.text()).slice(0, 200) };
};

const served = (a: Answer, who: string) => {
  if (a.status !== 200) throw new Error(`${who}: HTTP ${a.status} (Retry-After ${a.retryAfter}): ${a.body}`);
};

/** A second user of the tenant, added by its admin: a user, who sees the standard model (the chart grants it to all). */
const anotherUser = async (r: Recorder, t: LabTenant, admin: OpenWebUI, transport: Transport) => {
  const email = `rate-${randomBytes(4).toString("hex")}@${t.name}.lab.internal`;
  const password = randomBytes(12).toString("hex");
  await admin.addUser("Second user", email, password);
  const ui = atHost(t.name, transport);
  await ui.signin(email, password);
  r.note(`the second user: ${email}`);
  return ui;
};

/** An operator's `helm upgrade` of alpha's limit, its other values kept; null turns it off. */
const limitTo = (ctx: RuntimeContext, alpha: LabTenant, perMinute: number | null) =>
  upgradeLabTenant(ctx, alpha, [
    "--set",
    `exposure.rateLimit.requestsPerMinute=${perMinute}`,
    "--set",
    `exposure.rateLimit.burst=${burst}`,
  ]);

/**
 * `burst` + 10 chat requests at once: asked one after another, each slower than half the refill interval would be
 * held by Traefik (it waits up to half a second for a token rather than refuse) and none refused.
 */
const atOnce = (transport: Transport, t: LabTenant, token: string): Promise<Answer[]> =>
  Promise.all(Array.from({ length: burst + 10 }, () => chatRequest(transport, t, token, "no-such-model")));

export const rateLimited: RuntimeScenario = {
  id: "rate-limited",
  title:
    "a user past the tenant's per-user limit gets 429 with Retry-After from Traefik; another user chats meanwhile; the first chats again after it",
  run: async (ctx, r, made) => {
    r.standIn(runtimeStandIns.ingressChart);
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const transport = await labIngress(ctx.k, ctx.labTls.ca.cert);
    await r.step(`alpha's operator limits each user to ${requestsPerMinute} a minute, ${burst} at once`, () =>
      limitTo(ctx, alpha, requestsPerMinute),
    );
    const first = atHost(alpha.name, transport);
    await first.signin(alpha.adminEmail, alpha.adminPassword);
    const second = await r.step("alpha's admin adds a second user, who signs in through Traefik", () =>
      anotherUser(r, alpha, first, transport),
    );
    if (!second) return;

    const limited = await r.step(
      `past ${burst} chat requests at once, alpha's admin gets 429 with Retry-After from Traefik`,
      // Until Traefik has read the new Ingress and Middleware.
      () =>
        eventually(async () => {
          const answers = await atOnce(transport, alpha, first.token);
          const refusedAt = Date.now();
          const refused = answers.filter((a) => a.status === 429);
          const passed = answers.filter((a) => a.status !== 429);
          r.figure("requestsPassed", passed.length);
          r.figure("requestsRefused", refused.length);
          const statuses = answers.map((a) => a.status).join(", ");
          if (refused.length === 0) throw new Error(`${answers.length} requests at once, none refused: ${statuses}`);
          if (passed.length < burst)
            throw new Error(`${passed.length} requests passed, fewer than the burst of ${burst}`);
          // Past Traefik, OpenWebUI refuses the unknown model (400): a 5xx would be Traefik's own failure.
          if (passed.some((a) => a.status >= 500)) throw new Error(`the requests that passed: ${statuses}`);
          const waits = refused.map((a) => Number(a.retryAfter));
          const bound = Math.ceil(60 / requestsPerMinute) + 1;
          if (waits.some((w) => !Number.isInteger(w) || w < 1 || w > bound))
            throw new Error(
              `the 429s say Retry-After ${refused.map((a) => a.retryAfter).join(", ")}: ${refused[0]?.body}`,
            );
          const seconds = Math.max(...waits);
          return { seconds, refusedAt };
        }, 30_000),
    );
    if (!limited) {
      // Traefik's own word on the Middleware (a router whose Middleware it lacks is served without it).
      r.note(await ctx.k.kubectl(["logs", "deployment/traefik", "-n", ingressNamespace, "--tail=5"]));
      await limitTo(ctx, alpha, null);
      return;
    }

    await r.step("meanwhile another user of alpha chats, and the limited user's model list answers", async () => {
      served(await chatRequest(transport, alpha, second.token, tinyModel), "the second user's chat");
      const models = await first.models();
      if (!models.includes(tinyModel)) throw new Error(`the limited user's model list: ${models.join(", ")}`);
      return true;
    });

    await r.step("after Retry-After, the first user chats again", async () => {
      const wait = limited.refusedAt + limited.seconds * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      served(await chatRequest(transport, alpha, first.token, tinyModel), "the first user's chat after Retry-After");
      return true;
    });
    await r.step("the limit turned off again", () => limitTo(ctx, alpha, null));
  },
};
