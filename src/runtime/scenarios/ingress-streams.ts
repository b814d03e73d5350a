/**
 * ingress-streams: users reach their tenant as they would in production, through the ingress controller (Traefik,
 * built here) by each tenant's own host, over TLS with a certificate of the test's CA. The tenant chart's Ingresses
 * and its Traefik Middleware configure it; its NetworkPolicies admit the controller's namespace only.
 * - each host leads to its own tenant: one tenant's admin is a stranger at another's host, an unknown host gets 404;
 * - a streamed chat arrives as it is generated (the first token well before the last), as it does straight from the
 *   Service, and a chat not streamed is answered;
 * - OpenWebUI's socket.io upgrades to a websocket and stays open;
 * - an upload under the chart's limit passes, one over it is refused with 413 before it reaches OpenWebUI.
 */
import type { Recorder } from "../../harness/recorder.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { tinyModel } from "../model.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { ingressController, ingressNamespace, labHost, throughIngress } from "../ingress-controller.js";
import { type ChatAnswer, OpenWebUI, type Transport } from "../openwebui-api.js";
import { runtimeStandIns } from "../standin-names.js";
import type { LabTenant } from "../tenants.js";
import { chatThrough, openwebuiUrl } from "./standard.js";

/** The lab values' `exposure.uploadLimitMiB` (test/runtime/values/), and Traefik's read timeout: the chart's default. */
const uploadLimitMiB = 1;
const timeoutSeconds = 3600;
const mebibyte = 1024 * 1024;
/** How long the websocket must stay open: longer than engine.io's ping interval (25 s), so a ping crosses it. */
const socketHoldMs = 30_000;

/** The controller running and routing: its pod Ready, and each tenant's host answering /health through it. */
const controllerRoutes = async (ctx: RuntimeContext, r: Recorder, tenants: LabTenant[]): Promise<Transport> => {
  await r.step("Traefik runs, as its chart would install it", async () => {
    await ctx.k.apply(await ingressController(timeoutSeconds));
    await waitPodsReady(ctx.k, ingressNamespace, "app.kubernetes.io/name=traefik", { timeoutMs: 120_000 });
    return true;
  });
  const ip = (
    await ctx.k.kubectl(["get", "service", "traefik", "-n", ingressNamespace, "-o", "jsonpath={.spec.clusterIP}"])
  ).trim();
  const transport = throughIngress(ip, ctx.labTls.ca.cert);
  await r.step("each tenant's host answers through it, by TLS with the test CA's certificate", async () => {
    for (const t of tenants) {
      const res = await transport.fetch(`https://${labHost(t.name)}/health`);
      if (!res.ok) throw new Error(`https://${labHost(t.name)}/health answered HTTP ${res.status} through Traefik`);
    }
    return true;
  });
  return transport;
};

const atHost = (t: LabTenant, transport: Transport) => new OpenWebUI(`https://${labHost(t.name)}`, transport);

/** One tenant's users never reach another's OpenWebUI by its host, and a host no tenant has reaches none. */
const hostsApart = async (r: Recorder, a: LabTenant, b: LabTenant, transport: Transport) => {
  await r.step(`${a.name}'s host leads to ${a.name}; ${a.name}'s admin is a stranger at ${b.name}'s`, async () => {
    const role = await atHost(a, transport).signin(a.adminEmail, a.adminPassword);
    if (role !== "admin") throw new Error(`${a.name}'s admin signed in at its own host with role ${role}`);
    const elsewhere = await atHost(b, transport)
      .signin(a.adminEmail, a.adminPassword)
      .then(
        () => "signed in",
        (e: Error) => e.message,
      );
    if (!/HTTP 4\d\d/.test(elsewhere)) throw new Error(`${a.name}'s admin at ${b.name}'s host: ${elsewhere}`);
    return true;
  });
  await r.step("a host no tenant has gets 404 from Traefik", async () => {
    const res = await transport.fetch(`https://${labHost("nobody")}/health`);
    if (res.status !== 404) throw new Error(`an unknown host answered HTTP ${res.status}`);
    return true;
  });
};

/** A streamed answer that came in pieces, over time, not held back until its end. */
const incremental = (a: ChatAnswer, how: string) => {
  if ((a.arrivals ?? 0) < 2 || (a.lastTokenMs ?? 0) <= (a.firstTokenMs ?? 0))
    throw new Error(
      `${how}: ${a.chunks} chunks came in ${a.arrivals ?? 0} read(s), first at ${a.firstTokenMs} ms, last at ${a.lastTokenMs} ms`,
    );
};

export const ingressStreams: RuntimeScenario = {
  id: "ingress-streams",
  title:
    "users reach their tenant through Traefik by its host over TLS: answers streamed as generated, the websocket open, uploads limited, hosts apart",
  run: async (ctx, r, made) => {
    r.standIn(runtimeStandIns.ingressChart);
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    await waitPodsReady(ctx.k, gamma.namespace, componentSelector("openwebui"), { timeoutMs: 300_000 });
    const transport = await controllerRoutes(ctx, r, [alpha, gamma]);
    await hostsApart(r, alpha, gamma, transport);

    const ui = atHost(alpha, transport);
    const chat = await r.step("alpha's admin chats through Traefik, streamed and not", () =>
      chatThrough(ctx, alpha, tinyModel, ui),
    );
    if (!chat) return;
    const { streamed } = chat;
    await r.step("the streamed answer arrives as it is generated, as it does from the Service", async () => {
      incremental(streamed, "through Traefik");
      const direct = new OpenWebUI(await openwebuiUrl(ctx, alpha.namespace));
      await direct.signin(alpha.adminEmail, alpha.adminPassword);
      const fromService = await direct.chatStream(tinyModel, "Tell a story.");
      r.figure("firstTokenMsIngress", streamed.firstTokenMs ?? 0);
      r.figure("firstTokenMsService", fromService.firstTokenMs ?? 0);
      return true;
    });

    await r.step(
      `OpenWebUI's socket.io upgrades to a websocket through Traefik and stays open ${socketHoldMs / 1000} s`,
      async () => {
        const socket = await ui.socket();
        await new Promise((resolve) => setTimeout(resolve, socketHoldMs));
        const open = socket.open();
        socket.close();
        if (!open) throw new Error(`the websocket (socket ${socket.sid}) closed within ${socketHoldMs / 1000} s`);
        return true;
      },
    );

    await r.step(`an upload under ${uploadLimitMiB} MiB passes; one over it gets 413 from Traefik`, async () => {
      const under = await ui.upload("under-the-limit.txt", uploadLimitMiB * mebibyte - 64 * 1024);
      if (under.status !== 200) throw new Error(`an upload under the limit: HTTP ${under.status}: ${under.body}`);
      const over = await ui.upload("over-the-limit.txt", uploadLimitMiB * mebibyte + 64 * 1024);
      if (over.status !== 413) throw new Error(`an upload over the limit: HTTP ${over.status}: ${over.body}`);
      return true;
    });
  },
};
