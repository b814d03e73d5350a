import { gpuResourcePattern, gpuTaint, labels } from "../../lib/conventions.js";
import { field, json, str } from "./kyverno.js";

/**
 * Questions the policies ask about a pod spec, once in JMESPath (Kyverno, where autogen rewrites
 * `request.object.spec` for Deployments, StatefulSets, Jobs...) and once in CEL (native admission policies, which
 * see Pods only). Every JMESPath answer is a list, never null, so `length()` and the list operators can take it.
 */

const spec = "request.object.spec";
const nodeAffinity = `${spec}.affinity.nodeAffinity`;

/** The required node selector terms (ORed by the scheduler). */
const requiredTerms = `(${nodeAffinity}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms || ${json([])})`;

/** Every node-affinity match expression, required or preferred. */
const affinityExpressions = `([${nodeAffinity}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[].matchExpressions[], ${nodeAffinity}.preferredDuringSchedulingIgnoredDuringExecution[].preference.matchExpressions[]][])`;

export const jmes = {
  /**
   * An image reference as the runtime resolves it. Kyverno's image_normalize adds docker.io but not the
   * library/ of official images, so that is added here (busybox:1.36 is docker.io/library/busybox:1.36).
   */
  normalisedImage: (image: string): string =>
    `regex_replace_all(${str("^docker\\.io/([^/]+)$")}, image_normalize(${image}), ${str("docker.io/library/$1")})`,

  /** Every container of the pod, init and ephemeral ones included. */
  allContainers: `${spec}.[ephemeralContainers, initContainers, containers][]`,

  /** Names of the GPU resources (whole GPUs or MIG slices) any container or init container requests or limits. */
  gpuResources: `${spec}.[initContainers, containers][][].resources.[requests, limits][] | [?@ != null] | [].keys(@)[] | [?regex_match(${str(gpuResourcePattern.source)}, @)]`,

  /** Tolerations that let the pod onto GPU nodes: any keyed on the GPU taint, and wildcards that tolerate all taints. */
  gpuTaintTolerations: `(${spec}.tolerations || ${json([])})[?key == ${str(gpuTaint.key)} || (!key && operator == 'Exists')]`,

  /** Tolerations that tolerate exactly the GPU taint. */
  exactGpuTolerations: `(${spec}.tolerations || ${json([])})[?key == ${str(gpuTaint.key)} && (operator == 'Exists' || value == ${str(gpuTaint.value)}) && (!effect || effect == ${str(gpuTaint.effect)})]`,

  /** The number of required node selector terms. */
  requiredTermCount: `length(${requiredTerms})`,

  /** Required node selector terms that do not confine the pod to nodes of `nodeTier`. */
  termsOutsideNodeTier: (nodeTier: string): string =>
    `${requiredTerms}[?!(matchExpressions[?key == ${str(labels.nodeTier)} && operator == 'In' && length(values) > ${json(0)} && length(values[?@ != ${str(nodeTier)}]) == ${json(0)}])]`,

  /** Values the pod selects for a node label, through its nodeSelector or any node-affinity In/NotIn expression. */
  selectedValues: (labelKey: string): string =>
    `[[${spec}.nodeSelector.${field(labelKey)}], ${affinityExpressions}[?key == ${str(labelKey)}].values[]][][] | [?@ != null]`,

  /** Operators other than In used in node-affinity expressions on any of `labelKeys`. */
  operatorsOtherThanIn: (labelKeys: string[]): string =>
    `${affinityExpressions}[?contains(${json(labelKeys)}, key) && operator != 'In'].operator`,
};

/** CEL over a Pod (`object`). Init and ephemeral containers are optional lists. */
const everyContainer = (predicate: string, lists = ["containers", "initContainers", "ephemeralContainers"]): string =>
  lists
    .map((list) =>
      list === "containers"
        ? `object.spec.containers.all(c, ${predicate})`
        : `(!has(object.spec.${list}) || object.spec.${list}.all(c, ${predicate}))`,
    )
    .join(" && ");

/** A CEL list literal of strings. */
export const celList = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;

/** The value of a namespace label in CEL, or "" when the namespace lacks it. */
export const celNamespaceLabel = (key: string): string =>
  `(has(namespaceObject.metadata.labels) && ${JSON.stringify(key)} in namespaceObject.metadata.labels ? namespaceObject.metadata.labels[${JSON.stringify(key)}] : "")`;

const gpuKey = (map: string): string =>
  `(has(c.resources) && has(c.resources.${map}) && c.resources.${map}.exists(k, k.matches(${JSON.stringify(gpuResourcePattern.source)})))`;

const required = "object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
const preferred = "object.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution";
const hasNodeAffinity = "has(object.spec.affinity) && has(object.spec.affinity.nodeAffinity)";

export const cel = {
  everyContainer,

  /** True when no container or init container asks for a GPU or a MIG slice. */
  noGpuResources: everyContainer(`!${gpuKey("requests")} && !${gpuKey("limits")}`, ["containers", "initContainers"]),

  /** True when a toleration lets the pod onto GPU nodes (keyed on the GPU taint, or a wildcard). */
  toleratesGpuTaint: `has(object.spec.tolerations) && object.spec.tolerations.exists(t, (has(t.key) && t.key == ${JSON.stringify(gpuTaint.key)}) || ((!has(t.key) || t.key == "") && has(t.operator) && t.operator == "Exists"))`,

  /** True when a toleration tolerates exactly the GPU taint. */
  exactGpuToleration: `has(object.spec.tolerations) && object.spec.tolerations.exists(t, has(t.key) && t.key == ${JSON.stringify(gpuTaint.key)} && ((has(t.operator) && t.operator == "Exists") || (has(t.value) && t.value == ${JSON.stringify(gpuTaint.value)})) && (!has(t.effect) || t.effect == "" || t.effect == ${JSON.stringify(gpuTaint.effect)}))`,

  /** True when the required node affinity confines the pod to nodes of `nodeTier` in every term. */
  requiresNodeTier: (nodeTier: string): string =>
    `has(object.spec.affinity) && has(object.spec.affinity.nodeAffinity) && has(object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) && size(object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) > 0 && object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.all(t, has(t.matchExpressions) && t.matchExpressions.exists(e, e.key == ${JSON.stringify(labels.nodeTier)} && e.operator == "In" && has(e.values) && size(e.values) > 0 && e.values.all(v, v == ${JSON.stringify(nodeTier)})))`,

  /** True when some node-affinity match expression `e`, required or preferred, satisfies `predicate`. */
  anyAffinityExpression: (predicate: string): string =>
    `(${hasNodeAffinity} && ((has(${required}) && ${required}.nodeSelectorTerms.exists(t, has(t.matchExpressions) && t.matchExpressions.exists(e, ${predicate}))) || (has(${preferred}) && ${preferred}.exists(p, has(p.preference.matchExpressions) && p.preference.matchExpressions.exists(e, ${predicate})))))`,

  /** The value the pod's nodeSelector gives a node label, as a list of zero or one element. */
  nodeSelectorValues: (labelKey: string): string =>
    `(has(object.spec.nodeSelector) && ${JSON.stringify(labelKey)} in object.spec.nodeSelector ? [object.spec.nodeSelector[${JSON.stringify(labelKey)}]] : [])`,

  /** Every image of the pod, normalised the way container runtimes resolve short names. */
  normalisedImages: (() => {
    const images = ["containers", "initContainers", "ephemeralContainers"]
      .map((list) =>
        list === "containers"
          ? "object.spec.containers.map(c, c.image)"
          : `(has(object.spec.${list}) ? object.spec.${list}.map(c, c.image) : [])`,
      )
      .join(" + ");
    const hasRegistry =
      "i.contains('/') && (i.split('/')[0].contains('.') || i.split('/')[0].contains(':') || i.split('/')[0] == 'localhost')";
    return `(${images}).map(i, ${hasRegistry} ? i : (i.contains('/') ? 'docker.io/' + i : 'docker.io/library/' + i))`;
  })(),
};
