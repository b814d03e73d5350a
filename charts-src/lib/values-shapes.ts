import { type TSchema, Type } from "@sinclair/typebox";

/**
 * Value shapes every chart reuses, declared once (our `common`): a user who learned one chart knows the next.
 * Objects are strict (unknown keys are typos) and every object level carries a default, so Helm never
 * dereferences a missing branch.
 */

export const strictObject = <P extends Record<string, TSchema>>(
  description: string,
  properties: P,
  rules: { allOf?: object[] } = {},
) => Type.Object(properties, { additionalProperties: false, description, ...rules });

/**
 * A cross-field rule: when `when` holds, `then` must. Written so that the failing keyword sits on the field to
 * fix, and ajv and Helm both name that field.
 */
export const rule = (when: object, then: object): object => ({ if: when, then });

/** A Kubernetes quantity written as a string ("4", "500m", "16Gi"), as the API server stores it. */
export const quantity = (description: string, def: string) =>
  Type.String({ description, default: def, pattern: "^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$" });

/** A Karpenter/Kubernetes duration such as 30s, 5m, 720h or 1h30m. */
export const duration = (description: string, def: string, allowNever = false) =>
  Type.String({ description, default: def, pattern: allowNever ? "^(([0-9]+(s|m|h))+|Never)$" : "^([0-9]+(s|m|h))+$" });

/** Label keys and values as Kubernetes accepts them. */
export const labelMap = (description: string) =>
  Type.Record(
    Type.String({
      pattern:
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
    }),
    Type.String({ maxLength: 63, pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" }),
    { description, default: {}, additionalProperties: false },
  );

/** A DNS-1123 label: names of pools, tenants and other things that become parts of object names. */
export const dnsLabel = (description: string, def?: string, maxLength = 40) =>
  Type.String({
    description,
    pattern: "^[a-z]([-a-z0-9]*[a-z0-9])?$",
    maxLength,
    ...(def === undefined ? {} : { default: def }),
  });

/**
 * One of a fixed set of strings, as a plain JSON Schema `enum` (not TypeBox's union of literals), so that ajv and
 * Helm both answer "must be one of …" instead of one complaint per alternative.
 */
export const choice = <const T extends string>(values: readonly T[], description: string, def?: T) =>
  Type.Unsafe<T>({ type: "string", enum: [...values], description, ...(def === undefined ? {} : { default: def }) });

/** A list of choices, each at most once. */
export const choices = <const T extends string>(values: readonly T[], description: string, def: T[]) =>
  Type.Array(choice(values, "One choice."), { description, default: def, minItems: 1, uniqueItems: true });

export const taint = Type.Object(
  {
    key: Type.String({
      description: "Taint key, a label-style key such as example.com/dedicated.",
      pattern:
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
    }),
    value: Type.Optional(
      Type.String({
        description: "Taint value (empty when left out).",
        maxLength: 63,
        pattern: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$",
      }),
    ),
    effect: choice(["NoSchedule", "PreferNoSchedule", "NoExecute"], "Taint effect."),
  },
  { additionalProperties: false },
);

/** A pod toleration, as Kubernetes takes it (a key without a value tolerates the taint whatever its value). */
export const toleration = Type.Object(
  {
    key: Type.Optional(taint.properties.key),
    operator: Type.Optional(choice(["Exists", "Equal"], "Exists matches any value; Equal needs value.")),
    value: Type.Optional(taint.properties.value),
    effect: Type.Optional(taint.properties.effect),
    tolerationSeconds: Type.Optional(
      Type.Integer({ description: "How long a NoExecute taint is tolerated.", minimum: 0, maximum: 86400 }),
    ),
  },
  { additionalProperties: false, description: "A toleration." },
);

/** Where a workload's pods may run: a node selector and tolerations (our own `nodeSelector`/`tolerations`). */
export const placementFields = (what: string) => ({
  nodeSelector: labelMap(`Node labels the ${what} must run on (e.g. llmcharts.io/pool: standard); empty for any node.`),
  tolerations: Type.Array(toleration, {
    description: `Tolerations of the ${what}, for tainted pools such as a control pool.`,
    default: [],
    maxItems: 20,
  }),
});

/**
 * The keys Helm's umbrella charts pass to a chart they depend on, as every chart declares them: `enabled`, which a
 * dependency's `condition: <chart>.enabled` reads (the chart itself renders the same either way), and `global`, which
 * Helm shares with every chart of the release, holding only the keys of the Bitnami shape this chart's templates read,
 * `imageRegistry` and `imagePullSecrets` (any other key is a typo or meant for another chart, and is refused rather
 * than silently ignored).
 */
export const umbrellaValues = (imagesDescription: string | undefined) => ({
  enabled: Type.Boolean({
    description:
      "Read by an umbrella chart's dependency condition (condition: <chart>.enabled) to install this chart or not; the chart ignores it.",
    default: true,
  }),
  global: strictObject("Values Helm shares with every chart of an umbrella release.", {
    imageRegistry: Type.String({
      description:
        imagesDescription === undefined
          ? "A registry (host[:port][/path]) an umbrella chart shares with its charts: accepted, and changes nothing, since this chart runs no image."
          : `Registry (host[:port][/path]) that replaces the registry of ${imagesDescription}, e.g. a mirror or an ECR pull-through cache (ghcr.io/open-webui/open-webui becomes <imageRegistry>/open-webui/open-webui); empty keeps each image's own.`,
      default: "",
      maxLength: 200,
      pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*)?$",
    }),
    imagePullSecrets: Type.Array(
      Type.String({
        description: "A Secret name (type kubernetes.io/dockerconfigjson).",
        minLength: 1,
        maxLength: 253,
        pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
      }),
      {
        description:
          imagesDescription === undefined
            ? "Image pull Secrets an umbrella chart shares with its charts: accepted, and changes nothing, since this chart runs no pod."
            : `Names of Secrets (type kubernetes.io/dockerconfigjson) in each pod's namespace that ${imagesDescription} pull with, e.g. the credentials of the imageRegistry mirror; listed before the chart's own.`,
        default: [],
        maxItems: 10,
        uniqueItems: true,
      },
    ),
  }),
});

/** The `global` values of `umbrellaValues`. */
export interface GlobalValues {
  imageRegistry: string;
  imagePullSecrets: string[];
}
