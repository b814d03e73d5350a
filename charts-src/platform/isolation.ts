import type { Helpers } from "../lib/engine/index.js";
import type { KubeObject } from "../lib/k8s.js";
import { admissionPolicies, isolationPolicies } from "./policies/index.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/** A policy object of the module, labelled as this chart's. */
const labelled = <R extends KubeObject>(h: Helpers, r: R): R => ({
  ...r,
  metadata: { ...r.metadata, labels: platformLabels(h, "isolation") },
});

/** Kyverno ClusterPolicies (`kyverno.io/v1`): the tenant isolation rules, enforced at admission and in scans. */
export const kyvernoPolicies = (v: PlatformValues, h: Helpers) => [
  h.when(
    v.policies.kyverno.enabled,
    isolationPolicies(v.policies, h).map((p) => labelled(h, p)),
  ),
];

/**
 * Native ValidatingAdmissionPolicies and their bindings: the rules the API server enforces alone, so they hold
 * while Kyverno is down or absent.
 */
export const nativeAdmissionPolicies = (v: PlatformValues, h: Helpers) => [
  h.when(
    v.policies.admission.enabled,
    admissionPolicies(v.policies, h).map((p) => labelled(h, p)),
  ),
];
