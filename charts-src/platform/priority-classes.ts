import { priorityClasses } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { PriorityClass } from "../lib/k8s.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

type PriorityValues = PlatformValues["priorityClasses"]["premium"];

const priorityClass = (h: Helpers, name: string, p: PriorityValues, description: string): PriorityClass => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name, labels: platformLabels(h, "scheduling") },
  value: p.value,
  // Never the default: pods that name no class keep priority 0 and are the first to be preempted.
  globalDefault: false,
  preemptionPolicy: p.preemptionPolicy,
  description,
});

/**
 * Three classes, in the order workloads are sacrificed under pressure: standard tenants first, then premium
 * tenants, never the platform pieces every tenant depends on. Their names come from the conventions, so the
 * tenant chart names the same classes.
 */
export const platformPriorityClasses = (v: PlatformValues, h: Helpers) => [
  priorityClass(
    h,
    priorityClasses.platformCritical,
    v.priorityClasses.platformCritical,
    "Platform components every tenant depends on (model cache, gateways).",
  ),
  priorityClass(h, priorityClasses.premium, v.priorityClasses.premium, "Premium tenant workloads (GPU Ollama)."),
  priorityClass(
    h,
    priorityClasses.standard,
    v.priorityClasses.standard,
    "Standard tenant workloads (OpenWebUI, CPU Ollama).",
  ),
];
