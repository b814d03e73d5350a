import { defaultDenySuite } from "./default-deny.js";
import { gpuOnlyPremiumSuite } from "./gpu-only-premium.js";
import { noCrossTenantNetpolSuite } from "./no-cross-tenant-netpol.js";
import { tenantNamespaceLabelsSuite } from "./tenant-namespace-labels.js";
import { tenantPodHardeningSuite } from "./tenant-pod-hardening.js";
import { tenantSecretPathsSuite } from "./tenant-secret-paths.js";
import { tierNodeIsolationSuite } from "./tier-node-isolation.js";
import type { PolicySuite } from "./types.js";

/** The cases of every isolation policy, in rule order 1–7. */
export const policySuites: PolicySuite[] = [
  tenantNamespaceLabelsSuite,
  gpuOnlyPremiumSuite,
  tierNodeIsolationSuite,
  defaultDenySuite,
  noCrossTenantNetpolSuite,
  tenantSecretPathsSuite,
  tenantPodHardeningSuite,
];
