/**
 * ingress-streams: users reach their tenant as they would in production, through the ingress controller (Traefik,
 * built here) by each tenant's own host, over TLS with a certificate of the test's CA. The tenant chart's Ingresses
 * and its Traefik Middleware configure it; its NetworkPolicies admit the controller's namespace only.
 * - each host leads to its own tenant: one tenant's admin is a stranger at another's host, an unknown host gets 404;
 * - a streamed chat arrives as it is generated (the first token well before the last), as it does straight from the
 *   Service, and a chat not streamed is answered;
 * - OpenWebUI's socket.io upgrades to a websocket and stays open;
 * - an upload under the chart's limit passes, one over it is refused with 413 before it reaches OpenWebUI;
 * - the same through Gateway API: a tenant moved to `exposure.type: gateway` is reached by its HTTPRoute on the
 *   shared Gateway (Traefik serves both APIs), and by its host alone.
 */
import type { KubeObject } from "../../../charts-src/lib/k8s.js";
import type { Recorder } from "../../harness/recorder.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { eventually } from "../../lib/wait.js";
import { tinyModel } from "../model.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { atHost, labGateway, labIngress, ingressNamespace, labHost } from "../ingress-controller.js";
import { type ChatAnswer, OpenWebUI, type Transport } from "../openwebui-api.js";
import { runtimeStandIns } from "../standin-names.js";
import { type LabTenant, upgradeLabTenant } from "../tenants.js";
import { chatThrough, openwebuiUrl } from "./standard.js";

/** The lab values' `exposure.uploadLimitMiB` (test/runtime/values/). */
const uploadLimitMiB = 1;
const mebibyte = 1024 * 1024;
/** Chunks an answer needs before its arrivals say whether it streamed (a buffered one comes in one read). */
const minChunks = 5;
const longPrompts = [
  "Tell a long story.",
  "Describe the sea.",
  "List many colours.",
  "Explain rain.",
  "Count to twenty.",
  "Go on.",
  "Write a poem.",
  "Name every planet.",
  "Describe a city.",
  "Say more.",
];
/** How long the websocket must stay open: longer than engine.io's ping interval (25 s), so a ping crosses it. */
const socketHoldMs = 30_000;

/** The controller (running since bring-up, as an operator installs it first) routing each tenant's host. */
const controllerRoutes = async (ctx: RuntimeContext, r: Recorder, tenants: LabTenant[]): Promise<Transport> => {
  const transport = await labIngress(ctx.k, ctx.labTls.ca.cert);
  // Until kube-proxy has the new Service and Traefik has read the tenants' Ingresses and certificates.
  await r.step("each tenant's host answers through it, by TLS with the test CA's certificate", async () => {
    for (const t of tenants)
      await eventually(async () => {
        const url = `https://${labHost(t.name)}/health`;
        const res = await transport.fetch(url).catch((e: Error) => {
          throw new Error(`${url}: ${e.message} (${(e.cause as Error | undefined)?.message ?? "no cause"})`);
        });
        if (!res.ok) throw new Error(`${url} answered HTTP ${res.status} through Traefik`);
      }, 60_000);
    return true;
  });
  return transport;
};

/** `visitor`'s admin, signing in at `host`'s tenant's host, is refused there (a 4xx): that is another tenant. */
const strangerAt = async (host: LabTenant, visitor: LabTenant, transport: Transport) => {
  const answer = await atHost(host.name, transport)
    .signin(visitor.adminEmail, visitor.adminPassword)
    .then(
      () => "signed in",
      (e: Error) => e.message,
    );
  if (!/HTTP 4\d\d/.test(answer)) throw new Error(`${visitor.name}'s admin at ${host.name}'s host: ${answer}`);
};

/** One tenant's users never reach another's OpenWebUI by its host, and a host no tenant has reaches none. */
const hostsApart = async (r: Recorder, a: LabTenant, b: LabTenant, transport: Transport) => {
  await r.step(`${a.name}'s host leads to ${a.name}; ${a.name}'s admin is a stranger at ${b.name}'s`, async () => {
    const role = await atHost(a.name, transport).signin(a.adminEmail, a.adminPassword);
    if (role !== "admin") throw new Error(`${a.name}'s admin signed in at its own host with role ${role}`);
    await strangerAt(b, a, transport);
    return true;
  });
  await r.step("a host no tenant has gets 404 from Traefik", async () => {
    const res = await transport.fetch(`https://${labHost("nobody")}/health`);
    if (res.status !== 404) throw new Error(`an unknown host answered HTTP ${res.status}`);
    return true;
  });
};

interface RouteStatus extends KubeObject {
  status?: { parents?: { conditions?: { type: string; status: string; message?: string }[] }[] };
}

/**
 * The HTTPRoute way: a tenant moved to `exposure.type: gateway` (a Helm upgrade, as its operator would) attaches to
 * the shared Gateway; Traefik accepts its route, and its host leads to it alone.
 */
const viaGateway = async (ctx: RuntimeContext, r: Recorder, t: LabTenant, other: LabTenant, transport: Transport) =>
  r.step(
    `through Gateway API: ${t.name}'s HTTPRoute on the shared Gateway leads its host to ${t.name} alone`,
    async () => {
      await upgradeLabTenant(ctx, t, [
        "--set",
        "exposure.type=gateway",
        "--set",
        `exposure.gateway.name=${labGateway.name}`,
        "--set",
        `exposure.gateway.namespace=${labGateway.namespace}`,
        "--set",
        `exposure.gateway.sectionName=${labGateway.sectionName}`,
      ]);
      await eventually(async () => {
        const route = await ctx.k.get<RouteStatus>("httproute", "openwebui", t.namespace);
        const accepted = route.status?.parents?.[0]?.conditions?.find((c) => c.type === "Accepted");
        if (accepted?.status !== "True")
          throw new Error(`Traefik has not accepted ${t.name}'s HTTPRoute: ${accepted?.message ?? "no status yet"}`);
      }, 60_000);
      const ingresses = await ctx.k.kubectl(["get", "ingress", "-n", t.namespace, "-o", "name"]);
      if (ingresses.trim()) throw new Error(`${t.name} still has Ingresses: ${ingresses.trim()}`);
      await eventually(async () => {
        const role = await atHost(t.name, transport).signin(t.adminEmail, t.adminPassword);
        if (role !== "admin") throw new Error(`${t.name}'s admin signed in by its HTTPRoute with role ${role}`);
      }, 30_000);
      await strangerAt(t, other, transport);
      return true;
    },
  );

/**
 * A streamed answer long enough to tell streaming from buffering: the tiny model's weights are random, so an answer
 * may end after a token or two; up to ten prompts, the longest kept.
 */
const longAnswer = async (ui: OpenWebUI): Promise<ChatAnswer> => {
  let longest: ChatAnswer = { text: "", chunks: 0 };
  for (const prompt of longPrompts) {
    const answer = await ui.chatStream(tinyModel, prompt);
    if ((answer.chunks ?? 0) > (longest.chunks ?? 0)) longest = answer;
    if ((longest.chunks ?? 0) >= minChunks) break;
  }
  return longest;
};

/** A streamed answer that came in pieces, over time, not held back until its end. */
const incremental = (a: ChatAnswer, how: string) => {
  if ((a.chunks ?? 0) < minChunks)
    throw new Error(`${how}: no answer of ${longPrompts.length} reached ${minChunks} chunks (${a.chunks})`);
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

    const ui = atHost(alpha.name, transport);
    const chat = await r.step("alpha's admin chats through Traefik, streamed and not", () =>
      chatThrough(ctx, alpha, tinyModel, ui),
    );
    if (!chat) return;
    await r.step(
      "a long streamed answer arrives through Traefik as it is generated, not held back to its end",
      async () => {
        const streamed = await longAnswer(ui);
        incremental(streamed, "through Traefik");
        const direct = new OpenWebUI(await openwebuiUrl(ctx, alpha.namespace));
        await direct.signin(alpha.adminEmail, alpha.adminPassword);
        // The Service's answer only for the figure: the model, not the path, decides how long it is.
        const fromService = await longAnswer(direct);
        r.figure("firstTokenMsIngress", streamed.firstTokenMs ?? 0);
        r.figure("firstTokenMsService", fromService.firstTokenMs ?? 0);
        return true;
      },
    );

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
      if (over.status !== 413) {
        // Traefik's own word on the Middleware (a router whose Middleware it lacks is served without it).
        const logs = await ctx.k.kubectl(["logs", "deployment/traefik", "-n", ingressNamespace, "--tail=5"]);
        throw new Error(
          `an upload over the limit: HTTP ${over.status}: ${over.body}\nTraefik's last log lines:\n${logs}`,
        );
      }
      return true;
    });

    await viaGateway(ctx, r, gamma, alpha, transport);
  },
};
