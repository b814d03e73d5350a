import { Type } from "@sinclair/typebox";
import type { Helpers } from "./engine/index.js";
import type { PodSpec, Probe } from "./k8s.js";
import { choice, type GlobalValues, quantity, rule, strictObject } from "./values-shapes.js";

/**
 * The value shapes and Kubernetes fragments every workload shares: its image, its resources, its probes and the
 * bounds of its replica counts. A user who configured one workload knows the next.
 */

/** A container image pinned to a version: `repository:tag`. */
export interface ImageValues {
  repository: string;
  tag: string;
  pullPolicy: "IfNotPresent" | "Always" | "Never";
}

/** The `image` values of a workload: full repository (registry included) and a pinned tag. */
export const imageValues = (description: string, repository: string, tag: string) =>
  strictObject(description, {
    repository: Type.String({
      description: "Image repository including its registry, e.g. docker.io/ollama/ollama.",
      default: repository,
      maxLength: 200,
      pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$",
    }),
    tag: Type.String({
      description:
        "Image tag: a pinned version (it must hold a digit, so moving tags such as latest or main are refused), optionally followed by its digest to pin the content too (0.24.0@sha256:<64 hex>).",
      default: tag,
      maxLength: 200,
      pattern: "^[A-Za-z0-9_.-]*[0-9][A-Za-z0-9_.-]*(@sha256:[a-f0-9]{64})?$",
    }),
    pullPolicy: choice(
      ["IfNotPresent", "Always", "Never"],
      "When the kubelet pulls the image (Never: only images already on the node, e.g. imported into a lab node).",
      "IfNotPresent",
    ),
  });

/**
 * The image reference a container runs: its repository, with `global.imageRegistry` (when set) in place of the
 * registry, then its tag. Once as the chart's `image` partial, which each image's use names with its own values.
 */
export const imageRef = (h: Helpers, image: ImageValues, global: GlobalValues): string =>
  h.partial(
    "image",
    (a) =>
      `${h.pick(h.isSet(global.imageRegistry), h.replaceMatch(a.repository, "^[^/]+", global.imageRegistry), a.repository)}:${a.tag}`,
    "An image: its repository, with global.imageRegistry in place of its registry when set, then its tag.",
    { repository: image.repository, tag: image.tag },
  );

/**
 * The image pull Secrets a pod names: `names` (global.imagePullSecrets, then any of the chart's own), as pod-spec
 * entries; none when empty. Once as the chart's `imagePullSecrets` partial.
 */
export const imagePullSecretsOf = (h: Helpers, names: string[]): Pick<PodSpec, "imagePullSecrets"> =>
  h.partial(
    "imagePullSecrets",
    () => ({
      imagePullSecrets: h.when(
        h.isSet(names),
        h.each(names, (name) => ({ name })),
      ),
    }),
    "The image pull Secrets every pod of the release names (global.imagePullSecrets first; none by default).",
  );

/** CPU, memory and (for containers with scratch space) local ephemeral storage, as Kubernetes quantities. */
export interface ResourceAmounts {
  cpu: string;
  memory: string;
  "ephemeral-storage"?: string;
}

export interface ResourceValues {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

const ephemeralStorageDescription = {
  requests: "Local disk reserved (writable layer, logs and emptyDir scratch directories), e.g. 512Mi.",
  limits:
    "Local disk the pod may fill (its emptyDirs count too) before the kubelet evicts it; at least the scratch directories' size limits.",
} as const;

const resourceAmounts = (kind: keyof ResourceValues, description: string, defaults: ResourceAmounts) =>
  strictObject(description, {
    cpu: quantity(kind === "requests" ? "CPU reserved, e.g. 500m or 2." : "CPU limit.", defaults.cpu),
    memory: quantity(kind === "requests" ? "Memory reserved, e.g. 512Mi or 8Gi." : "Memory limit.", defaults.memory),
    ...(defaults["ephemeral-storage"]
      ? { "ephemeral-storage": quantity(ephemeralStorageDescription[kind], defaults["ephemeral-storage"]) }
      : {}),
  });

/**
 * The `resources` values of a container: CPU and memory requests and limits, and local ephemeral storage where the
 * defaults give it (containers with emptyDir scratch directories, which the kubelet counts against it).
 */
export const resourceValues = (description: string, defaults: ResourceValues) =>
  strictObject(description, {
    requests: resourceAmounts("requests", "What the scheduler reserves for the container.", defaults.requests),
    limits: resourceAmounts(
      "limits",
      "The most the container may use (memory above it is OOM-killed).",
      defaults.limits,
    ),
  });

export interface ProbeTiming {
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds?: number;
  initialDelaySeconds?: number;
}

/**
 * A probe's timing as values, defaulting to the chart's own (the check itself stays the chart's: it is what makes the
 * pod ready or restarted for the right reason): a slow first start or a busy node needs longer, not another check.
 */
export const probeTimingValues = (description: string, d: Required<ProbeTiming>) =>
  strictObject(description, {
    initialDelaySeconds: Type.Integer({
      description: "Seconds after the container starts before the first check.",
      default: d.initialDelaySeconds,
      minimum: 0,
      maximum: 3600,
    }),
    periodSeconds: Type.Integer({
      description: "Seconds between checks.",
      default: d.periodSeconds,
      minimum: 1,
      maximum: 300,
    }),
    timeoutSeconds: Type.Integer({
      description: "Seconds one check may take.",
      default: d.timeoutSeconds,
      minimum: 1,
      maximum: 120,
    }),
    failureThreshold: Type.Integer({
      description: "Failed checks in a row that count as a failure.",
      default: d.failureThreshold,
      minimum: 1,
      maximum: 1000,
    }),
  });

/** The timing fields of a probe, read from `probeTimingValues`. */
export const probeTiming = (p: Required<ProbeTiming>): Required<ProbeTiming> => ({
  initialDelaySeconds: p.initialDelaySeconds,
  periodSeconds: p.periodSeconds,
  timeoutSeconds: p.timeoutSeconds,
  failureThreshold: p.failureThreshold,
});

/** An HTTP GET probe on a named or numbered container port. */
export const httpProbe = (path: string, port: string | number, timing: ProbeTiming): Probe => ({
  httpGet: { path, port },
  timeoutSeconds: 5,
  ...timing,
});

/** An exec probe running the image's own binary (no shell). */
export const execProbe = (command: string[], timing: ProbeTiming): Probe => ({
  exec: { command },
  timeoutSeconds: 10,
  ...timing,
});

/** A schema fragment that reaches `leaf` through `path`, requiring every key on the way. */
export const nested = (path: readonly string[], leaf: object): object => {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  return { properties: { [head]: nested(rest, leaf) }, required: [head] };
};

/**
 * Cross-field rules saying that the integer at `high` is at least the integer at `low` (both paths relative to the
 * object the rules sit on), for values of `low` up to `upTo`. JSON Schema draft-07 cannot compare two fields, but it
 * can say "when low ≥ k then high ≥ k" for each k; the failing keyword sits on `high`, so ajv and Helm both name it.
 */
export const notBelow = (low: readonly string[], high: readonly string[], upTo: number, from = 1): object[] =>
  Array.from({ length: Math.max(0, upTo - from) }, (_, i) => i + from + 1).map((k) =>
    rule(nested(low, { minimum: k }), nested(high, { minimum: k })),
  );

/** A PodDisruptionBudget's bound: a count of pods or a percentage of them. */
const podsOrPercent = (description: string, percent: string) =>
  Type.Unsafe<number | string>({
    type: ["integer", "string"],
    description,
    minimum: 1,
    maximum: 1000,
    pattern: `^(${percent})%$`,
  });

/**
 * A workload's PodDisruptionBudget: rendered when the workload runs several replicas, or when enabled; at most one
 * pod down at a time unless set otherwise. minAvailable and maxUnavailable exclude each other (a budget takes one).
 */
export const disruptionBudgetValues = (what: string) =>
  strictObject(
    `${what}'s PodDisruptionBudget, which node drains and consolidation honour: rendered when it runs more than one replica (replicas above 1, or autoscaling), or when enabled. Neither bound set: at most one pod down at a time.`,
    {
      enabled: Type.Boolean({ description: "Render it even for a single replica.", default: false }),
      minAvailable: Type.Optional(
        podsOrPercent(
          "Pods that must stay up (a count, or a percentage below 100%); not with maxUnavailable. As many as the replicas would block every drain.",
          "[1-9][0-9]?",
        ),
      ),
      maxUnavailable: Type.Optional(
        podsOrPercent("Most pods down at once (a count or a percentage); not with minAvailable.", "[1-9][0-9]?|100"),
      ),
    },
    // A budget takes one bound: set both, the API server keeps neither (it refuses the object).
    { allOf: [rule(nested(["minAvailable"], { minimum: 1 }), { properties: { maxUnavailable: false } })] },
  );

/**
 * The fields of an HPA on CPU, and optionally memory, that every scaled workload offers (one place, so they read
 * alike in every chart).
 */
export const autoscalingFields = (defaults: { min: number; max: number }, minReplicasMaximum = 20) => ({
  minReplicas: Type.Integer({
    description: "Fewest replicas.",
    default: defaults.min,
    minimum: 1,
    maximum: minReplicasMaximum,
  }),
  maxReplicas: Type.Integer({
    description: "Most replicas (at least minReplicas).",
    default: defaults.max,
    minimum: 1,
    maximum: 20,
  }),
  targetCPUUtilizationPercentage: Type.Integer({
    description: "Average CPU use, in percent of requests, the HPA aims for.",
    default: 70,
    minimum: 10,
    maximum: 100,
  }),
  targetMemoryUtilizationPercentage: Type.Optional(
    Type.Integer({
      description:
        "Average memory use, in percent of requests, the HPA also aims for (the larger of the two counts wins); unset scales on CPU alone.",
      minimum: 10,
      maximum: 100,
    }),
  ),
});

/** The HPA metrics of `autoscalingFields`: CPU, and memory when a target is set. */
export const autoscalingMetrics = (
  h: Helpers,
  a: { targetCPUUtilizationPercentage: number; targetMemoryUtilizationPercentage?: number },
) => {
  const utilization = (name: "cpu" | "memory", percent: number | undefined) => ({
    type: "Resource",
    resource: { name, target: { type: "Utilization", averageUtilization: percent } },
  });
  return [
    utilization("cpu", a.targetCPUUtilizationPercentage),
    h.when(h.isSet(a.targetMemoryUtilizationPercentage), utilization("memory", a.targetMemoryUtilizationPercentage)),
  ];
};
