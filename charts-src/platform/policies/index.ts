import { defaultDeny } from "./default-deny.js";
import { gpuOnlyPremium, gpuOnlyPremiumAdmission } from "./gpu-only-premium.js";
import type { AdmissionObject } from "./admission.js";
import type { ClusterPolicy } from "./kyverno.js";
import { noCrossTenantNetpol } from "./no-cross-tenant-netpol.js";
import { defaultPolicySettings, type PolicySettings } from "./settings.js";
import { tenantNamespaceLabels } from "./tenant-namespace-labels.js";
import { tenantPodHardening, tenantPodHardeningAdmission } from "./tenant-pod-hardening.js";
import { tenantSecretPaths } from "./tenant-secret-paths.js";
import { tierNodeIsolation, tierNodeIsolationAdmission } from "./tier-node-isolation.js";

export type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "./admission.js";
export type { ClusterPolicy, Rule } from "./kyverno.js";
export { defaultPolicySettings, type PolicySettings, policySettings, sharedNamespaces } from "./settings.js";

/** The tenant-isolation ClusterPolicies (`kyverno.io/v1`), in rule order 1–7. */
export const isolationPolicies = (settings: PolicySettings = defaultPolicySettings): ClusterPolicy[] => [
  tenantNamespaceLabels(settings),
  gpuOnlyPremium(settings),
  tierNodeIsolation(settings),
  defaultDeny(settings),
  noCrossTenantNetpol(settings),
  tenantSecretPaths(settings),
  tenantPodHardening(settings),
];

/**
 * Native ValidatingAdmissionPolicies and their bindings for the rules the API server can enforce alone (2, 3, 7):
 * each policy followed by its binding.
 */
export const admissionPolicies = (settings: PolicySettings = defaultPolicySettings): AdmissionObject[] => [
  ...gpuOnlyPremiumAdmission(settings),
  ...tierNodeIsolationAdmission(settings),
  ...tenantPodHardeningAdmission(settings),
];
