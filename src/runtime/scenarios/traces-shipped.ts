/**
 * traces-shipped: a tenant's OpenWebUI exports its traces (the tenant chart's `openwebui.telemetry`) to the gateway
 * collector the platform README suggests, which forwards them to the host's receiver, where Tempo would be:
 * - alpha turns telemetry on by `helm upgrade`; a request to its OpenWebUI arrives as a span, its resource labelled
 *   with alpha's tenant, tier and service name;
 * - no span carries another tenant's label (gamma's telemetry stays off, and sends nothing);
 * - the gateway down, alpha still answers at once: the export never blocks a request.
 * Telemetry is turned off again at the end, and the gateway removed.
 */
import { randomBytes } from "node:crypto";
import { labels } from "../../../charts-src/lib/conventions.js";
import type { Recorder } from "../../harness/recorder.js";
import { madeBy } from "../../harness/suite.js";
import { eventually } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { OtlpReceiver, type ReceivedSpan } from "../otlp-receiver.js";
import { runtimeStandIns } from "../standin-names.js";
import { traceGateway, traceGatewayObjects } from "../trace-gateway.js";
import { type LabTenant, upgradeLabTenant } from "../tenants.js";
import { openwebuiRolledOut, openwebuiUrl } from "./standard.js";

/** A request OpenWebUI traces, marked in its query so that its span can be found; resolves with its seconds. */
const markedRequest = async (ctx: RuntimeContext, t: LabTenant, mark: string): Promise<number> => {
  const asked = Date.now();
  const res = await fetch(`${await openwebuiUrl(ctx, t.namespace)}/api/version?traces-shipped=${mark}`);
  if (!res.ok) throw new Error(`${t.name}'s OpenWebUI answered HTTP ${res.status}`);
  return (Date.now() - asked) / 1000;
};

const mentions = (span: ReceivedSpan, mark: string) =>
  span.name.includes(mark) || Object.values(span.attributes).some((value) => value.includes(mark));

/** Telemetry on or off for a tenant, its OpenWebUI rolled out (Tempo takes no metrics: those stay off). */
const telemetry = async (ctx: RuntimeContext, t: LabTenant, on: boolean) => {
  await upgradeLabTenant(ctx, t, [
    "--set",
    `openwebui.telemetry.enabled=${on},openwebui.telemetry.metrics.enabled=false`,
  ]);
  await openwebuiRolledOut(ctx, t.namespace);
};

const gatewayReady = (ctx: RuntimeContext) =>
  ctx.k.kubectl([
    "rollout",
    "status",
    `deployment/${traceGateway.name}`,
    "-n",
    traceGateway.namespace,
    "--timeout=120s",
  ]);

/** alpha's marked request arrives as a span labelled alpha's; no span of any other tenant arrives. */
const spansLabelled = async (ctx: RuntimeContext, r: Recorder, receiver: OtlpReceiver, alpha: LabTenant) => {
  const mark = randomBytes(4).toString("hex");
  const asked = Date.now();
  await markedRequest(ctx, alpha, mark);
  const span = await r.step(`a request to ${alpha.name}'s OpenWebUI arrives as a span`, () =>
    eventually(
      async () => {
        const found = receiver.spans().find((s) => mentions(s, mark));
        if (!found) throw new Error(`no span of the marked request yet (${receiver.spans().length} received)`);
        return found;
      },
      120_000,
      1000,
    ),
  );
  r.figure("spanArrivedSeconds", (Date.now() - asked) / 1000);
  if (!span) return;
  await r.step(
    `its resource names ${alpha.name}'s tenant and tier and OpenWebUI; no span names another tenant`,
    async () => {
      const expected = { [labels.tenant]: alpha.name, [labels.tier]: "standard", "service.name": "openwebui" };
      for (const [key, value] of Object.entries(expected))
        if (span.resource[key] !== value) throw new Error(`the span's resource has ${key}="${span.resource[key]}"`);
      const others = receiver.spans().filter((s) => s.resource[labels.tenant] !== alpha.name);
      if (others.length > 0) throw new Error(`spans of ${others[0]?.resource[labels.tenant]} arrived`);
      r.note(`${receiver.spans().length} spans received, each labelled ${alpha.name}'s`);
    },
  );
};

export const tracesShipped: RuntimeScenario = {
  id: "traces-shipped",
  title:
    "a tenant's OpenWebUI sends its traces, labelled with its tenant, through a gateway to a receiver on the host; the gateway down, it answers at once",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "standard tenant", "standard-ready");
    r.standIn(runtimeStandIns.tracesBackend);
    const receiver = new OtlpReceiver();
    await receiver.start(ctx.log);
    const gateway = traceGatewayObjects(receiver.endpoint);
    try {
      const ready = await r.step("the gateway runs and alpha's telemetry is on", async () => {
        await ctx.k.apply([
          { apiVersion: "v1", kind: "Namespace", metadata: { name: traceGateway.namespace } },
          ...gateway,
        ]);
        await gatewayReady(ctx);
        await telemetry(ctx, alpha, true);
        return true;
      });
      if (!ready) return;

      await spansLabelled(ctx, r, receiver, alpha);

      await r.step("the gateway down, alpha's OpenWebUI answers at once", async () => {
        await ctx.k.kubectl(["scale", `deployment/${traceGateway.name}`, "-n", traceGateway.namespace, "--replicas=0"]);
        await ctx.k.kubectl([
          "wait",
          "--for=delete",
          "pod",
          "-l",
          "app.kubernetes.io/name=trace-gateway",
          "-n",
          traceGateway.namespace,
          "--timeout=60s",
        ]);
        for (const n of [1, 2, 3]) {
          const seconds = await markedRequest(ctx, alpha, `outage-${n}`);
          if (seconds > 5) throw new Error(`alpha's OpenWebUI took ${seconds.toFixed(1)} s to answer`);
        }
      });
    } finally {
      await telemetry(ctx, alpha, false);
      await ctx.k.kubectl(
        ["delete", "--ignore-not-found", "--wait=false", "-f", "-"],
        JSON.stringify({ apiVersion: "v1", kind: "List", items: gateway }),
      );
      await receiver.remove();
    }
  },
};
