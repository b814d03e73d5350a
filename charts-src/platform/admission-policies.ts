import type { Helpers } from "../lib/engine/index.js";
import { labelledAs } from "./metadata.js";
import { admissionPolicies } from "./policies/index.js";
import type { PlatformValues } from "./values.js";

/**
 * Native ValidatingAdmissionPolicies and their bindings: the rules the API server enforces alone, so they hold
 * while Kyverno is down or absent.
 */
export const nativeAdmissionPolicies = (v: PlatformValues, h: Helpers) => [
  h.when(
    v.policies.admission.enabled,
    admissionPolicies(v.policies, h).map((p) => labelledAs(h, "isolation", p)),
  ),
];
