/**
 * What KEDA, running on the lab's control plane, says about a tenant's premium ScaledObject: its conditions, the
 * value its wake-up trigger reads right now (through the external metrics API, as the HPA reads it), and the
 * business-hours window that keeps premium warm.
 */
import { tenantObjectNames as names } from "../../charts-src/lib/tenant-namespace.js";
import type { Kube } from "../harness/kube.js";

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface ScaledObjectStatus {
  conditions?: Condition[];
  hpaName?: string;
  lastActiveTime?: string;
}

const status = async (k: Kube, namespace: string): Promise<ScaledObjectStatus> =>
  JSON.parse(await k.kubectl(["get", "scaledobject", names.ollamaPremium, "-n", namespace, "-o", "json"])).status ?? {};

const condition = (s: ScaledObjectStatus, type: string) => s.conditions?.find((c) => c.type === type);

/** KEDA's latest word on why a trigger failed (its KEDAScalerFailed event), or "" when it has said nothing. */
const lastScalerFailure = async (k: Kube, namespace: string): Promise<string> => {
  const events = JSON.parse(
    await k.kubectl([
      "get",
      "events",
      "-n",
      namespace,
      "--field-selector",
      `involvedObject.kind=ScaledObject,involvedObject.name=${names.ollamaPremium},reason=KEDAScalerFailed`,
      "-o",
      "json",
    ]),
  ) as { items: { message?: string; lastTimestamp?: string; eventTime?: string }[] };
  const when = (e: { lastTimestamp?: string; eventTime?: string }) => e.lastTimestamp ?? e.eventTime ?? "";
  return events.items.sort((a, b) => when(a).localeCompare(when(b))).at(-1)?.message ?? "";
};

/**
 * Throws KEDA's own words when it cannot evaluate the ScaledObject (a wrong valueLocation, an unreachable /queue):
 * its Ready condition (False, or Unknown when only some triggers fail) and the scaler's error from its event.
 */
export const scaledObjectHealthy = async (k: Kube, namespace: string): Promise<ScaledObjectStatus> => {
  const s = await status(k, namespace);
  const ready = condition(s, "Ready");
  // Unknown is also how a new ScaledObject starts; only a trigger's error makes it a failure. On the chart's
  // fallback KEDA reports Ready True, but the wake-up count it reads is the fallback's, not the proxy's.
  const fallback = condition(s, "Fallback");
  const failed =
    ready?.status === "False" || ready?.reason === "PartialTriggerError"
      ? ready
      : fallback?.status === "True"
        ? fallback
        : undefined;
  if (failed) {
    const failure = await lastScalerFailure(k, namespace);
    throw new Error(
      `KEDA cannot evaluate ScaledObject ${namespace}/${names.ollamaPremium}: ${failed.reason}: ${failed.message}${failure ? `; ${failure}` : ""}`,
    );
  }
  return s;
};

/** KEDA's Fallback condition: True while it holds premium at the fallback's replicas, blind to `/queue`. */
export const onFallback = async (k: Kube, namespace: string): Promise<boolean> =>
  condition(await status(k, namespace), "Fallback")?.status === "True";

/** KEDA's Active condition: is any trigger above its activation threshold? */
export const scaledObjectActive = async (k: Kube, namespace: string): Promise<boolean> =>
  condition(await scaledObjectHealthy(k, namespace), "Active")?.status === "True";

/**
 * The wake-up trigger's value as KEDA computes it now (asked through the aggregator, by the metric name of the HPA
 * KEDA made): the premium requests in flight, summed over the wake-up proxy's pods.
 */
export const wakeMetric = async (k: Kube, namespace: string): Promise<number> => {
  const s = await scaledObjectHealthy(k, namespace);
  if (!s.hpaName) throw new Error(`KEDA has made no HPA for ${namespace}/${names.ollamaPremium} yet`);
  const hpa = JSON.parse(await k.kubectl(["get", "hpa", s.hpaName, "-n", namespace, "-o", "json"]));
  const metric = (hpa.spec.metrics as { external?: { metric: { name: string } } }[])
    .map((m) => m.external?.metric.name)
    .find((name) => name?.includes("metric-api"));
  if (!metric) throw new Error(`KEDA's HPA ${s.hpaName} has no metrics-api metric`);
  const selector = encodeURIComponent(`scaledobject.keda.sh/name=${names.ollamaPremium}`);
  const list = JSON.parse(
    await k.kubectl([
      "get",
      "--raw",
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${namespace}/${metric}?labelSelector=${selector}`,
    ]),
  ) as { items: { value: string }[] };
  const value = list.items[0]?.value;
  if (value === undefined) throw new Error(`the external metrics API returned no value for ${metric}`);
  // A Quantity: "0", "1", or milli-units ("1500m").
  return value.endsWith("m") ? Number(value.slice(0, -1)) / 1000 : Number(value);
};

/** Premium's desired replicas (what KEDA or its HPA set last). */
export const premiumReplicas = async (k: Kube, namespace: string): Promise<number> =>
  Number(
    (
      await k.kubectl(["get", "deployment", names.ollamaPremium, "-n", namespace, "-o", "jsonpath={.spec.replicas}"])
    ).trim() || 0,
  );
