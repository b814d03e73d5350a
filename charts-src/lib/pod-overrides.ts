import { type Static, Type } from "@sinclair/typebox";
import { gpuTaint, labelDomain, labels } from "./conventions.js";
import type { Helpers } from "./engine/index.js";
import type { EnvVar, PodSpec, Toleration } from "./k8s.js";
import { choice, strictObject } from "./values-shapes.js";

/**
 * The escape hatches operators need on a workload without forking the chart, each schema-checked so that none can
 * undo what the chart guarantees: extra environment variables (never one the chart sets), pod annotations and labels
 * (never the chart's own labels), and extra tolerations and a node selector that cannot move a pod off its tier (no
 * GPU toleration, no tier or pool label: the platform's policies refuse those too).
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

/** The override values of a workload whose chart sets the environment variables `ownedEnv`. */
export const podOverrideValues = (ownedEnv: readonly string[]) => ({
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

/** Pod-spec fields from the overrides: the chart's tolerations then the operator's, and the node selector. */
export const podPlacementOverrides = (
  h: Helpers,
  chartTolerations: Toleration[],
  o: PodOverrides,
): Pick<PodSpec, "tolerations" | "nodeSelector"> => ({
  tolerations: [...chartTolerations, ...h.each(o.tolerations, (t) => t as Toleration)],
  nodeSelector: h.when(h.isSet(o.nodeSelector), o.nodeSelector),
});
