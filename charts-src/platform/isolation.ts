import type { Helpers } from "../lib/engine/index.js";
import type { KubeObject } from "../lib/k8s.js";
import { admissionPolicies, defaultPolicySettings, isolationPolicies, type PolicySettings } from "./policies/index.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/** A policy object of the module, labelled as this chart's. */
const labelled = <R extends KubeObject>(h: Helpers, r: R): R => ({
  ...r,
  metadata: { ...r.metadata, labels: platformLabels(h, "isolation") },
});

/**
 * The settings the policies are built with. They are the policy module's defaults, not values: every setting is
 * compiled into the policies' text (registries joined into a CEL list and a message, namespaces sorted into a
 * JMESPath literal, pool tiers expanded into rules), which a Helm value, known only at render time, cannot enter.
 * To change them, change `defaultPolicySettings` and regenerate; the chart's own `monitoring.namespace` defaults
 * to the same monitoring namespace.
 */
export const policySettingsOfChart: PolicySettings = defaultPolicySettings;

/** Kyverno ClusterPolicies (`kyverno.io/v1`): the tenant isolation rules, enforced at admission and in scans. */
export const kyvernoPolicies = (v: PlatformValues, h: Helpers) => [
  h.when(
    v.policies.kyverno.enabled,
    isolationPolicies(policySettingsOfChart).map((p) => labelled(h, p)),
  ),
];

/**
 * Native ValidatingAdmissionPolicies and their bindings: the rules the API server enforces alone, so they hold
 * while Kyverno is down or absent.
 */
export const nativeAdmissionPolicies = (v: PlatformValues, h: Helpers) => [
  h.when(
    v.policies.admission.enabled,
    admissionPolicies(policySettingsOfChart).map((p) => labelled(h, p)),
  ),
];
