import { defaultDeny } from "./default-deny.js";
import { gpuOnlyPremium, gpuOnlyPremiumAdmission } from "./gpu-only-premium.js";
import type { AdmissionObject } from "./admission.js";
import type { IsolationPolicy } from "./kyverno.js";
import { noCrossTenantNetpol } from "./no-cross-tenant-netpol.js";
import type { Helpers } from "../../lib/engine/index.js";
import { defaultPolicySettings, type PolicySettings, plainHelpers } from "./settings.js";
import { tenantNamespaceLabels } from "./tenant-namespace-labels.js";
import { tenantPodHardening, tenantPodHardeningAdmission } from "./tenant-pod-hardening.js";
import { tenantSecretPaths } from "./tenant-secret-paths.js";
import { tierNodeIsolation, tierNodeIsolationAdmission } from "./tier-node-isolation.js";

export type { AdmissionObject } from "./admission.js";
export type { IsolationPolicy } from "./kyverno.js";
export {
  defaultPolicySettings,
  type PolicySettings,
  plainHelpers,
  policySettings,
  policySettingsFields,
  sharedNamespaces,
} from "./settings.js";

/**
 * The tenant-isolation ClusterPolicies (`kyverno.io/v1`), in rule order 1–7. `settings` are plain data (with the
 * plain helpers) or the platform chart's values (with its helpers).
 */
export const isolationPolicies = (
  settings: PolicySettings = defaultPolicySettings,
  h: Helpers = plainHelpers,
): IsolationPolicy[] => [
  tenantNamespaceLabels(),
  gpuOnlyPremium(),
  tierNodeIsolation(settings, h),
  defaultDeny(),
  noCrossTenantNetpol(settings, h),
  tenantSecretPaths(),
  tenantPodHardening(settings, h),
];

/**
 * Native ValidatingAdmissionPolicies and their bindings for the rules the API server can enforce alone (2, 3, 7):
 * each policy followed by its binding.
 */
export const admissionPolicies = (
  settings: PolicySettings = defaultPolicySettings,
  h: Helpers = plainHelpers,
): AdmissionObject[] => [
  ...gpuOnlyPremiumAdmission(),
  ...tierNodeIsolationAdmission(settings, h),
  ...tenantPodHardeningAdmission(settings, h),
];
