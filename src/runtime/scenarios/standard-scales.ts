/**
 * standard-scales: standard Ollama's HPA acts on what metrics-server reads. Concurrent chats through tenant alpha's
 * OpenWebUI push its CPU past the target; the HPA adds a pod at once (scale-up window 0) within its bounds, and the
 * pod becomes Ready from the shared cache. When the load stops, the HPA waits out its scale-down window (60 s by
 * default, which the lab keeps) before it halves the pods, back to the minimum.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { until } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { tinyModel } from "../model.js";
import type { OpenWebUI } from "../openwebui-api.js";
import type { LabTenant } from "../tenants.js";
import { asUsersReachIt } from "./standard.js";

/** The lab's bounds (test/runtime/values/lab-standard.yaml) and the chart's default scale-down window. */
const lab = { minReplicas: 1, maxReplicas: 2, scaleDownWindowSeconds: 60 };

/** Chats in flight at once: enough to keep Ollama's one-CPU limit busy, far above its 100m request. */
const concurrentChats = 3;

interface HpaStatus {
  currentReplicas?: number;
  desiredReplicas?: number;
  currentMetrics?: { resource?: { name: string; current?: { averageUtilization?: number } } }[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

const hpaStatus = async (ctx: RuntimeContext, alpha: LabTenant): Promise<HpaStatus> =>
  JSON.parse(await ctx.k.kubectl(["get", "hpa", names.ollamaStandard, "-n", alpha.namespace, "-o", "json"])).status ??
  {};

const cpuUtilization = (s: HpaStatus) =>
  s.currentMetrics?.find((m) => m.resource?.name === "cpu")?.resource?.current?.averageUtilization;

/** The HPA's replicas; throws its own words when it cannot read the metric (no metrics-server, no requests). */
const replicas = async (ctx: RuntimeContext, alpha: LabTenant): Promise<number> => {
  const s = await hpaStatus(ctx, alpha);
  const able = s.conditions?.find((c) => c.type === "ScalingActive");
  if (able?.status === "False" && able.reason !== "ScalingDisabled") {
    throw new Error(`the HPA cannot scale standard Ollama: ${able.reason}: ${able.message}`);
  }
  const n = s.desiredReplicas ?? 0;
  if (n > lab.maxReplicas) throw new Error(`the HPA asks for ${n} pods, above maxReplicas ${lab.maxReplicas}`);
  return n;
};

/** Chats in a loop, `concurrentChats` at a time, until `stop` is called; resolves with how many were answered. */
const load = (ui: OpenWebUI) => {
  let running = true;
  const loop = async () => {
    let answered = 0;
    while (running) {
      await ui.chat(tinyModel, "Tell a long story about the sea.");
      answered++;
    }
    return answered;
  };
  const loops = Array.from({ length: concurrentChats }, loop);
  return {
    stop: async () => {
      running = false;
      return (await Promise.all(loops)).reduce((a, b) => a + b, 0);
    },
  };
};

export const standardScales: RuntimeScenario = {
  id: "standard-scales",
  title: "chats push standard Ollama's CPU past its target: the HPA adds a pod, and removes it after its window",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    await until(
      "standard Ollama at its minimum, its CPU read by the HPA",
      async () => {
        const s = await hpaStatus(ctx, alpha);
        return s.desiredReplicas === lab.minReplicas && cpuUtilization(s) !== undefined;
      },
      180_000,
    );
    const ui = await asUsersReachIt(ctx, alpha);
    await ui.signin(alpha.adminEmail, alpha.adminPassword);

    const loadStart = Date.now();
    const chats = load(ui);
    let answered = 0;
    try {
      await until("the HPA adds a pod under load", async () => (await replicas(ctx, alpha)) > lab.minReplicas, 180_000);
      r.figure("loadToScaleUpSeconds", (Date.now() - loadStart) / 1000);
      const pods = await waitPodsReady(ctx.k, alpha.namespace, componentSelector(names.ollamaStandard), {
        timeoutMs: 180_000,
        count: lab.maxReplicas,
      });
      r.figure("loadToSecondPodReadySeconds", (Date.now() - loadStart) / 1000);
      r.note(`${pods.length} standard Ollama pods Ready under load`);
    } finally {
      answered = await chats.stop();
    }
    const loadEnd = Date.now();
    r.note(`${answered} chats answered under load`);

    await until(
      "the HPA back at its minimum once the load stopped",
      async () => (await replicas(ctx, alpha)) === lab.minReplicas,
      300_000,
    );
    const downAfter = (Date.now() - loadEnd) / 1000;
    if (downAfter < lab.scaleDownWindowSeconds) {
      throw new Error(`the HPA scaled down ${downAfter.toFixed(0)} s after the load, inside its 60 s window`);
    }
    r.figure("loadEndToScaleDownSeconds", downAfter);
  },
};
