import { type Static, Type } from "@sinclair/typebox";
import { gpuTaint, labelDomain, labels } from "./conventions.js";
import type { Helpers } from "./engine/index.js";
import type {
  Container,
  EnvFromSource,
  EnvVar,
  PodSpec,
  Toleration,
  TopologySpreadConstraint,
  Volume,
  VolumeMount,
} from "./k8s.js";
import { choice, quantity, rule, strictObject } from "./values-shapes.js";

/**
 * The escape hatches operators need on a workload without forking the chart, each schema-checked so that none can
 * undo what the chart guarantees: extra environment variables (never one the chart sets), pod annotations and labels
 * (never the chart's own labels), and extra tolerations and a node selector that cannot move a pod off its tier (no
 * GPU toleration, no tier or pool label: the platform's policies refuse those too), extra volumes of the pod's own
 * namespace only (ConfigMaps, Secrets, emptyDirs: nothing on the node, nothing of another tenant) mounted beside the
 * chart's, whole ConfigMaps or Secrets as variables (the chart's own variables win over them), and a RuntimeClass.
 */

const qualifiedName =
  "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
const labelValue = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
/** Keys the chart owns: its own label domain and the selector labels. */
const ownedLabelKey = `^(${labelDomain.replaceAll(".", "\\.")}/|app\\.kubernetes\\.io/)`;

const keyRef = (what: string) =>
  strictObject(`A key of a ${what} in the release namespace.`, {
    name: Type.String({
      description: `${what} name.`,
      minLength: 1,
      maxLength: 253,
      pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
    }),
    key: Type.String({ description: "Key.", minLength: 1, maxLength: 253, pattern: "^[-._a-zA-Z0-9]+$" }),
  });

const extraEnv = (owned: readonly string[]) =>
  Type.Array(
    Type.Object(
      {
        name: Type.String({
          description: `Variable name; not one the chart sets (${owned.join(", ")}).`,
          pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
          maxLength: 128,
          not: { enum: [...owned] },
        }),
        value: Type.Optional(Type.String({ description: "Literal value.", maxLength: 4096 })),
        valueFrom: Type.Optional(
          Type.Object(
            { secretKeyRef: Type.Optional(keyRef("Secret")), configMapKeyRef: Type.Optional(keyRef("ConfigMap")) },
            {
              additionalProperties: false,
              minProperties: 1,
              maxProperties: 1,
              description: "The value from a Secret or ConfigMap key (keep secrets out of values).",
            },
          ),
        ),
      },
      {
        additionalProperties: false,
        description: "One variable: a value or a valueFrom.",
        oneOf: [{ required: ["value"] }, { required: ["valueFrom"] }],
      },
    ),
    { description: "Extra environment variables, after the chart's own.", default: [], maxItems: 50 },
  );

/**
 * A string map whose keys are qualified names, none matching `notKeys`. Keys are checked by patternProperties (not
 * propertyNames), so that ajv and Helm both name the offending key's path.
 */
const stringMap = (description: string, valuePattern: string | undefined, maxLength: number, notKeys?: string) =>
  Type.Unsafe<Record<string, string>>({
    type: "object",
    description,
    default: {},
    patternProperties: {
      ...(notKeys ? { [notKeys]: false } : {}),
      [qualifiedName]: { type: "string", maxLength, ...(valuePattern ? { pattern: valuePattern } : {}) },
    },
    additionalProperties: false,
  });

const toleration = Type.Object(
  {
    key: Type.String({
      description: `Taint key (required: a toleration without a key would tolerate every taint); never ${gpuTaint.key}.`,
      minLength: 1,
      pattern: qualifiedName,
      not: { const: gpuTaint.key },
    }),
    operator: choice(["Equal", "Exists"], "Equal (with value) or Exists.", "Equal"),
    value: Type.Optional(Type.String({ maxLength: 63, pattern: labelValue })),
    effect: choice(["NoSchedule", "PreferNoSchedule", "NoExecute"], "Taint effect tolerated."),
    tolerationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  },
  { additionalProperties: false, required: ["key", "effect"] },
);

const objectName = (what: string) =>
  Type.String({
    description: `${what} name, in the tenant namespace.`,
    minLength: 1,
    maxLength: 253,
    pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
  });
const volumeName = Type.String({
  description: "Volume name (a DNS label), not one of the chart's own.",
  maxLength: 63,
  pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
});
const keyToPath = Type.Array(
  Type.Object(
    {
      key: Type.String({ minLength: 1, maxLength: 253, pattern: "^[-._a-zA-Z0-9]+$" }),
      path: Type.String({ minLength: 1, maxLength: 253, pattern: "^[^/]([^.]|\\.[^.])*$" }),
    },
    { additionalProperties: false },
  ),
  { description: "Only these keys, each at a path of its own (default: every key, named after it).", maxItems: 50 },
);
const fileMode = Type.Integer({ description: "File mode of the files (octal 0444 is 292).", minimum: 0, maximum: 511 });

/** An extra volume: a ConfigMap, a Secret or a size-limited emptyDir, exactly one. */
const extraVolume = (ownedVolumes: readonly string[]) =>
  Type.Object(
    {
      name: { ...volumeName, ...(ownedVolumes.length > 0 ? { not: { enum: [...ownedVolumes] } } : {}) },
      configMap: Type.Optional(
        Type.Object(
          {
            name: objectName("ConfigMap"),
            items: Type.Optional(keyToPath),
            defaultMode: Type.Optional(fileMode),
            optional: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, description: "A ConfigMap of the tenant namespace (e.g. a CA bundle)." },
        ),
      ),
      secret: Type.Optional(
        Type.Object(
          {
            secretName: objectName("Secret"),
            items: Type.Optional(keyToPath),
            defaultMode: Type.Optional(fileMode),
            optional: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, description: "A Secret of the tenant namespace." },
        ),
      ),
      emptyDir: Type.Optional(
        Type.Object(
          {
            medium: Type.Optional(choice(["", "Memory"], "Node disk (empty) or memory.")),
            sizeLimit: quantity("Most it may hold (counted against the pod's ephemeral storage or memory).", "256Mi"),
          },
          { additionalProperties: false, required: ["sizeLimit"], description: "Scratch space, size-limited." },
        ),
      ),
    },
    {
      additionalProperties: false,
      required: ["name"],
      description:
        "One volume: exactly one of configMap, secret or emptyDir (hostPath and other node or cluster sources are refused, as the platform's policies refuse them).",
      oneOf: [{ required: ["configMap"] }, { required: ["secret"] }, { required: ["emptyDir"] }],
    },
  );

/** An extra mount of the main container: a volume by name at a path that is not one of the chart's own. */
const extraVolumeMount = (ownedMountPaths: readonly string[]) =>
  Type.Object(
    {
      name: { ...volumeName, description: "The volume mounted: one of extraVolumes." },
      mountPath: Type.String({
        description: `Absolute path in the container; not one the chart mounts (${ownedMountPaths.join(", ")}), inside one or a parent of one.`,
        maxLength: 256,
        pattern: "^(/[A-Za-z0-9._@+-]+)+$",
        ...(ownedMountPaths.length > 0
          ? {
              not: {
                pattern: `^(${ownedMountPaths.map((p) => p.replaceAll(".", "\\.")).join("|")})(/.*)?$|^(${ownedMountPaths
                  .flatMap(parentsOf)
                  .map((p) => p.replaceAll(".", "\\."))
                  .join("|")})$`,
              },
            }
          : {}),
      }),
      subPath: Type.Optional(
        Type.String({
          description: "One file or directory of the volume.",
          maxLength: 253,
          pattern: "^[^/]([^.]|\\.[^.])*$",
        }),
      ),
      readOnly: Type.Optional(
        Type.Boolean({ description: "Mount read-only (ConfigMaps and Secrets always are; an emptyDir is writable)." }),
      ),
    },
    { additionalProperties: false, required: ["name", "mountPath"] },
  );

/** "/a/b/c" → "/a", "/a/b". */
const parentsOf = (path: string): string[] =>
  path
    .split("/")
    .slice(1, -1)
    .map((_, i, parts) => `/${parts.slice(0, i + 1).join("/")}`);

const envFromSource = Type.Object(
  {
    configMapRef: Type.Optional(strictObject("Every key of a ConfigMap.", { name: objectName("ConfigMap") })),
    secretRef: Type.Optional(strictObject("Every key of a Secret.", { name: objectName("Secret") })),
    prefix: Type.Optional(
      Type.String({
        description: "Prefix added to each variable name.",
        maxLength: 64,
        pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "One source: a configMapRef or a secretRef.",
    oneOf: [{ required: ["configMapRef"] }, { required: ["secretRef"] }],
  },
);

/**
 * A spread constraint without a selector: the chart counts the workload's own pods (its selector labels and
 * pod-template-hash), so a constraint can neither count nor be skewed by another workload's or tenant's pods.
 */
const spreadConstraint = Type.Object(
  {
    topologyKey: Type.String({
      description:
        "Node label whose values are the domains, e.g. topology.kubernetes.io/zone or kubernetes.io/hostname.",
      maxLength: 316,
      pattern: qualifiedName,
    }),
    maxSkew: Type.Integer({
      description: "Most pods one domain may hold beyond the emptiest.",
      minimum: 1,
      maximum: 100,
    }),
    whenUnsatisfiable: choice(
      ["DoNotSchedule", "ScheduleAnyway"],
      "DoNotSchedule keeps a pod Pending rather than skew more; ScheduleAnyway only prefers the spread.",
    ),
    minDomains: Type.Optional(
      Type.Integer({ description: "Domains counted at least (DoNotSchedule only).", minimum: 1, maximum: 100 }),
    ),
    nodeAffinityPolicy: Type.Optional(choice(["Honor", "Ignore"], "Count only nodes the pod's node affinity allows.")),
    nodeTaintsPolicy: Type.Optional(choice(["Honor", "Ignore"], "Count only nodes whose taints the pod tolerates.")),
  },
  {
    additionalProperties: false,
    required: ["topologyKey", "maxSkew", "whenUnsatisfiable"],
    description: "One constraint; its labelSelector is the chart's.",
    // minDomains means nothing to ScheduleAnyway, and the API server refuses it there.
    allOf: [rule({ required: ["minDomains"] }, { properties: { whenUnsatisfiable: { const: "DoNotSchedule" } } })],
  },
);

/** What the chart itself mounts in a workload, which the extra volumes and mounts must leave alone. */
export interface OwnedMounts {
  volumes: readonly string[];
  mountPaths: readonly string[];
}

/**
 * Labels an operator adds to every object and pod of a release (a team, a billing code): never the chart's own
 * (llmcharts.io/*, app.kubernetes.io/*, helm.sh/*, and release, which ServiceMonitors carry for Prometheus).
 */
export const commonLabelValues = (
  description = `Labels added to every object and pod of the release (e.g. team, billing code); not the chart's own (${labelDomain}/*, app.kubernetes.io/*, helm.sh/*, release).`,
) =>
  stringMap(
    description,
    labelValue,
    63,
    `^(${labelDomain.replaceAll(".", "\\.")}/|app\\.kubernetes\\.io/|helm\\.sh/|release$)`,
  );

/**
 * Annotations an operator adds to every object of a release (an owner, a cost code): not those that change what an
 * object does, whose domains Kubernetes (and its ingress controllers), Helm, Argo CD, Linkerd, AWS and the chart own;
 * the chart offers those where they are safe (exposure.ingress.annotations, the service accounts' annotations).
 */
export const commonAnnotationValues = () =>
  stringMap(
    "Annotations added to every object of the release (not its pods: see podAnnotations), e.g. an owner or a ticket; an object's own annotations win. Not keys of kubernetes.io, k8s.io, helm.sh, argoproj.io, linkerd.io, amazonaws.com or the chart's own domain, which change what an object does.",
    undefined,
    4096,
    `^([a-z0-9-]+\\.)*(kubernetes\\.io|k8s\\.io|helm\\.sh|argoproj\\.io|linkerd\\.io|amazonaws\\.com|${labelDomain.replaceAll(".", "\\.")})/`,
  );

/** Annotations of an object: qualified names, any string. */
export const annotationValues = (description: string) => stringMap(description, undefined, 4096);

/** The override values of a workload whose chart sets the environment variables `ownedEnv` and the mounts `owned`. */
export const podOverrideValues = (
  ownedEnv: readonly string[],
  owned: OwnedMounts = { volumes: [], mountPaths: [] },
) => ({
  extraEnv: extraEnv(ownedEnv),
  podAnnotations: stringMap("Annotations of the pods (e.g. for a log shipper or a mesh).", undefined, 4096),
  podLabels: stringMap(
    `Extra labels of the pods; the chart's own (${labelDomain}/*, app.kubernetes.io/*) cannot be set.`,
    labelValue,
    63,
    ownedLabelKey,
  ),
  tolerations: Type.Array(toleration, {
    description: `Extra tolerations (e.g. a site's dedicated nodes); the ${gpuTaint.key} toleration stays the chart's, premium only.`,
    default: [],
    maxItems: 10,
  }),
  nodeSelector: stringMap(
    `Extra node labels the pods require (e.g. kubernetes.io/arch); not ${labels.nodeTier} or ${labels.pool}, which the tier decides.`,
    labelValue,
    63,
    `^(${labels.nodeTier.replaceAll(".", "\\.")}|${labels.pool.replaceAll(".", "\\.")})$`,
  ),
  extraEnvFrom: Type.Array(envFromSource, {
    description:
      "Whole ConfigMaps or Secrets of the tenant namespace as variables; a variable the chart sets keeps the chart's value.",
    default: [],
    maxItems: 10,
  }),
  extraVolumes: Type.Array(extraVolume(owned.volumes), {
    description: `Extra volumes of the pods (e.g. a corporate CA bundle from a ConfigMap); not named ${owned.volumes.join(", ") || "like the chart's"}.`,
    default: [],
    maxItems: 10,
  }),
  extraVolumeMounts: Type.Array(extraVolumeMount(owned.mountPaths), {
    description: "Mounts of extraVolumes in the main container (ConfigMaps and Secrets are mounted read-only).",
    default: [],
    maxItems: 10,
  }),
  topologySpreadConstraints: Type.Array(spreadConstraint, {
    description:
      "How the pods spread over a topology (e.g. zones with DoNotSchedule); set, it replaces the chart's spread (zones and nodes, ScheduleAnyway). Each constraint counts only this workload's pods: the chart sets its labelSelector and matchLabelKeys.",
    default: [],
    maxItems: 4,
  }),
  runtimeClassName: Type.String({
    description: "RuntimeClass of the pods (e.g. nvidia, gvisor); empty for the cluster's default.",
    default: "",
    maxLength: 63,
    pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
  }),
});

const overridesSchema = Type.Object(podOverrideValues([]));
export type PodOverrides = Static<typeof overridesSchema>;

/** The chart's env, then the operator's. */
export const withExtraEnv = (h: Helpers, own: EnvVar[], o: PodOverrides): EnvVar[] => [
  ...own,
  ...h.each(o.extraEnv, (e) => e as EnvVar),
];

/** The pod template's metadata: the operator's labels under the chart's (which win), and its annotations. */
export const podMetadata = (h: Helpers, chartLabels: Record<string, string>, o: PodOverrides) => ({
  labels: h.merge(o.podLabels, chartLabels),
  annotations: h.when(h.isSet(o.podAnnotations), o.podAnnotations),
});

/**
 * Pod-spec fields from the overrides: the chart's tolerations then the operator's, the node selector and the
 * RuntimeClass.
 */
export const podPlacementOverrides = (
  h: Helpers,
  chartTolerations: Toleration[],
  o: PodOverrides,
): Pick<PodSpec, "tolerations" | "nodeSelector" | "runtimeClassName"> => ({
  tolerations: [...chartTolerations, ...h.each(o.tolerations, (t) => t as Toleration)],
  nodeSelector: h.when(h.isSet(o.nodeSelector), o.nodeSelector),
  runtimeClassName: h.when(h.isSet(o.runtimeClassName), o.runtimeClassName),
});

/** The pod's volumes: the chart's, then the operator's. */
export const withExtraVolumes = (h: Helpers, own: Volume[], o: PodOverrides): Volume[] => [
  ...own,
  ...h.each(o.extraVolumes, (vol) => vol as Volume),
];

/** The main container's mounts and variable sources: the chart's mounts then the operator's, and its envFrom. */
export const containerMountOverrides = (
  h: Helpers,
  own: VolumeMount[],
  o: PodOverrides,
): Pick<Container, "volumeMounts" | "envFrom"> => ({
  envFrom: h.when(
    h.isSet(o.extraEnvFrom),
    h.each(o.extraEnvFrom, (e) => e as EnvFromSource),
  ),
  volumeMounts: [...own, ...h.each(o.extraVolumeMounts, (m) => m as VolumeMount)],
});

/**
 * The pods' spread: the operator's constraints, each counting only this workload's pods (`selector`, and
 * pod-template-hash so that a rollout's old and new pods count apart), else the chart's own.
 */
export const podSpreadOverride = (
  h: Helpers,
  chartSpread: TopologySpreadConstraint[],
  selector: Record<string, string>,
  o: PodOverrides,
): TopologySpreadConstraint[] =>
  h.when(
    h.isSet(o.topologySpreadConstraints),
    h.each(o.topologySpreadConstraints, (c) => ({
      ...h.entries(c as Record<string, unknown>),
      labelSelector: { matchLabels: selector },
      matchLabelKeys: ["pod-template-hash"],
    })) as TopologySpreadConstraint[],
    chartSpread,
  );
