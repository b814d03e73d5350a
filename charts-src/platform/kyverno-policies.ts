import type { Helpers } from "../lib/engine/index.js";
import { labelledAs } from "./metadata.js";
import { isolationPolicies } from "./policies/index.js";
import type { PlatformValues } from "./values.js";

/** Kyverno ClusterPolicies (`kyverno.io/v1`): the tenant isolation rules, enforced at admission and in scans. */
export const kyvernoPolicies = (v: PlatformValues, h: Helpers) => [
  h.when(
    v.policies.kyverno.enabled,
    isolationPolicies(v.policies, h).map((p) => labelledAs(h, "isolation", p)),
  ),
];
