import type { Helpers } from "../lib/engine/index.js";
import type {
  CrossVersionObjectReference,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  ScaledObject,
} from "../lib/k8s.js";
import { autoscalingMetrics } from "../lib/workload.js";
import {
  type Component,
  hasPremium,
  hasStandard,
  names,
  namespaced,
  ports,
  selectorLabels,
  tenantNamespace,
} from "./identity.js";
import { inferenceRoute } from "./premium-wake.js";
import type { TenantValues } from "./values.js";

/**
 * How the workloads scale and what disruption they tolerate. OpenWebUI: an optional HPA on CPU (and memory, as a value). Standard Ollama:
 * an HPA on CPU (and memory) that by default doubles at once and halves per minute after a minute of calm (its behavior is a value). Premium Ollama: no HPA of ours; KEDA owns
 * it, waking it from zero on this tenant's own premium requests (and, optionally, in business hours). Every
 * workload has a PDB allowing one pod down at a time, so node drains and consolidation can always proceed.
 */

const deploymentRef = (name: string): CrossVersionObjectReference => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  name,
});

/** An HPA direction from its values: one Percent policy, after the stabilisation window. */
const hpaStep = (s: { stabilizationWindowSeconds: number; percent: number; periodSeconds: number }) => ({
  stabilizationWindowSeconds: s.stabilizationWindowSeconds,
  policies: [{ type: "Percent", value: s.percent, periodSeconds: s.periodSeconds }],
});

type Bounds = Pick<NonNullable<PodDisruptionBudget["spec"]>, "minAvailable" | "maxUnavailable">;

/**
 * A workload's PDB: one pod down at a time (never "minAvailable: 1", which would block every drain of a
 * single-replica workload), or the operator's bound where the workload offers one.
 */
const podDisruptionBudget = (
  v: TenantValues,
  h: Helpers,
  workload: string,
  component: Component,
  bounds: Bounds = { maxUnavailable: 1 },
): PodDisruptionBudget => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: namespaced(v, h, workload, component),
  spec: { ...bounds, selector: { matchLabels: selectorLabels(h, workload) } },
});

/** The operator's bound: minAvailable where set, else maxUnavailable (1 unless set). */
const operatorBounds = (h: Helpers, b: TenantValues["openwebui"]["podDisruptionBudget"]): Bounds => ({
  minAvailable: h.when(h.isSet(b.minAvailable), b.minAvailable),
  maxUnavailable: h.when(h.not(h.isSet(b.minAvailable)), h.when(h.isSet(b.maxUnavailable), b.maxUnavailable, 1)),
});

/** OpenWebUI's PDB, when it runs several replicas or the operator asks for one. */
const openwebuiDisruptionBudget = (v: TenantValues, h: Helpers) => {
  const o = v.openwebui;
  return h.when(
    h.or(h.not(h.eq(o.replicas, 1)), o.autoscaling.enabled, o.podDisruptionBudget.enabled),
    podDisruptionBudget(v, h, names.openwebui, "openwebui", operatorBounds(h, o.podDisruptionBudget)),
  );
};

/** A workload's HPA on CPU (and memory), within its autoscaling values' bounds. */
const autoscaler = (
  v: TenantValues,
  h: Helpers,
  workload: typeof names.openwebui | typeof names.ollamaStandard,
  a: Omit<TenantValues["openwebui"]["autoscaling"], "enabled">,
): HorizontalPodAutoscaler => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: namespaced(v, h, workload, workload),
  spec: {
    scaleTargetRef: deploymentRef(workload),
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics: autoscalingMetrics(h, a),
  },
});

const openwebuiAutoscaler = (v: TenantValues, h: Helpers) => autoscaler(v, h, names.openwebui, v.openwebui.autoscaling);

/** Standard Ollama's HPA moves as its behaviour values say (the lab design's: double at once, halve per minute). */
const standardAutoscaler = (v: TenantValues, h: Helpers): HorizontalPodAutoscaler => {
  const a = v.ollama.standard.autoscaling;
  const hpa = autoscaler(v, h, names.ollamaStandard, a);
  return {
    ...hpa,
    spec: {
      ...(hpa.spec as NonNullable<HorizontalPodAutoscaler["spec"]>),
      behavior: { scaleUp: hpaStep(a.behavior.scaleUp), scaleDown: hpaStep(a.behavior.scaleDown) },
    },
  };
};

/**
 * The wake-up signal: premium requests in flight at this tenant's wake-up proxy (premium-wake.ts), summed over its
 * pods. The proxy counts only inference requests for this tenant's premium Ollama, held ones included, so neither
 * another tenant's traffic nor this tenant's page loads and standard-tier chats wake (or keep awake) its GPUs.
 */
export const premiumWakeTrigger = (v: TenantValues) => {
  const s = v.ollama.premium.scaling;
  const ns = tenantNamespace(v);
  return {
    type: "metrics-api",
    metadata: {
      // <service>.<namespace>: KEDA lists the Service's endpoints and asks each pod at this port.
      url: `http://${names.premiumWake}.${ns}.svc:${ports.wakeAdmin}/queue`,
      format: "json",
      aggregateFromKubeServiceEndpoints: "true",
      aggregationType: "sum",
      // GJSON path into {"<namespace>/<route>": {"Concurrency": n, "RequestCount": n}}.
      valueLocation: `${ns}/${inferenceRoute}.Concurrency`,
      targetValue: s.threshold,
      activationTargetValue: s.activationThreshold,
    },
  };
};

const premiumScaledObject = (v: TenantValues, h: Helpers): ScaledObject => {
  const s = v.ollama.premium.scaling;
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: namespaced(v, h, names.ollamaPremium, "ollama-premium"),
    spec: {
      scaleTargetRef: deploymentRef(names.ollamaPremium),
      pollingInterval: s.pollingInterval,
      cooldownPeriod: s.cooldownPeriod,
      minReplicaCount: 0,
      maxReplicaCount: s.maxReplicas,
      // While /queue cannot be read: a bounded count and a Fallback condition, not a Ready that never comes back.
      fallback: { failureThreshold: s.fallback.failureThreshold, replicas: s.fallback.replicas, behavior: "static" },
      triggers: [
        premiumWakeTrigger(v),
        h.when(s.cron.enabled, {
          type: "cron",
          metadata: {
            timezone: s.cron.timezone,
            start: s.cron.start,
            end: s.cron.end,
            desiredReplicas: `${s.cron.desiredReplicas}`,
          },
        }),
      ],
    },
  };
};

export const scalingTemplate = (v: TenantValues, h: Helpers) => [
  h.when(v.openwebui.autoscaling.enabled, openwebuiAutoscaler(v, h)),
  openwebuiDisruptionBudget(v, h),
  h.when(hasStandard(v, h), standardAutoscaler(v, h)),
  h.when(hasStandard(v, h), podDisruptionBudget(v, h, names.ollamaStandard, "ollama-standard")),
  h.when(hasPremium(v, h), premiumScaledObject(v, h)),
  h.when(hasPremium(v, h), podDisruptionBudget(v, h, names.ollamaPremium, "ollama-premium")),
  h.when(hasPremium(v, h), podDisruptionBudget(v, h, names.premiumWake, "ollama-premium-wake")),
];
