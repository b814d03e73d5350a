/**
 * premium-falls-back: when KEDA cannot read the wake-up proxy's `/queue`, it falls back instead of hanging. The proxy
 * goes down (its pods stopped, as a crash loop would leave it): KEDA finds no endpoint to read. After the chart's
 * `fallback.failureThreshold` failed reads it says so on the ScaledObject (`Fallback` True) and holds premium at
 * `fallback.replicas` (1, woken from zero), and the suite's check of the ScaledObject fails with KEDA's own words.
 * The proxy back, KEDA reads `/queue` again and the fallback ends.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { madeBy } from "../../harness/suite.js";
import { until } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { onFallback, premiumReplicas, scaledObjectHealthy } from "../keda.js";
import type { LabTenant } from "../tenants.js";

/** The lab's `fallback.failureThreshold` (12) reads at its `pollingInterval` (5 s), and KEDA's own slack. */
const fallbackWithinMs = 12 * 5_000 + 90_000;

const proxyReplicas = async (ctx: RuntimeContext, gamma: LabTenant, replicas?: number) => {
  const deployment = `deployment/${names.premiumWake}`;
  if (replicas !== undefined) {
    await ctx.k.kubectl(["scale", deployment, `--replicas=${replicas}`, "-n", gamma.namespace]);
    return replicas;
  }
  return Number(await ctx.k.kubectl(["get", deployment, "-n", gamma.namespace, "-o", "jsonpath={.spec.replicas}"]));
};

export const premiumFallsBack: RuntimeScenario = {
  id: "premium-falls-back",
  title: "KEDA unable to read /queue (the wake-up proxy down) falls back and says so; the proxy back, it reads again",
  run: async (ctx, r, made) => {
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    const replicas = await proxyReplicas(ctx, gamma);
    const since = Date.now();
    await proxyReplicas(ctx, gamma, 0);
    await r.step("KEDA reports Fallback on the ScaledObject and holds premium at the fallback's 1 pod", async () => {
      await until("KEDA's Fallback condition", () => onFallback(ctx.k, gamma.namespace), fallbackWithinMs);
      r.figure("blindToFallbackSeconds", (Date.now() - since) / 1000);
      await until(
        "premium at the fallback's replicas",
        async () => (await premiumReplicas(ctx.k, gamma.namespace)) === 1,
        60_000,
      );
    });
    await r.step("the suite's ScaledObject check fails with KEDA's own words", async () => {
      const outcome = await scaledObjectHealthy(ctx.k, gamma.namespace).then(
        () => "healthy",
        (e: Error) => e.message,
      );
      if (!/Fallback/.test(outcome)) throw new Error(`the check says: ${outcome}`);
    });
    await r.step("the proxy back, KEDA reads /queue again and the fallback ends", async () => {
      await proxyReplicas(ctx, gamma, replicas);
      await until("Fallback over", async () => !(await onFallback(ctx.k, gamma.namespace)), fallbackWithinMs);
    });
  },
};
