import type { ShippedValues } from "../lib/engine/index.js";
import type { PlatformValues } from "./values.js";

/**
 * The platform on a one-node lab: only what tenants need from it there (the PriorityClasses, the API server's own
 * admission policies, its namespace), and nothing that needs a controller or CRDs the lab lacks.
 */
export const platformLabValues: ShippedValues<PlatformValues> = {
  name: "lab",
  header: [
    "The platform on a one-node lab (no EFS, Kyverno, Prometheus Operator or NVIDIA device plugin); see",
    '"Lab: one node, no cloud services" in the project\'s README.md. It renders the PriorityClasses tenants run with',
    "and the API server's own ValidatingAdmissionPolicies, and no object that needs another project's CRDs: no",
    "namespace needs to exist first. The model cache is a node directory the tenants mount (their values-lab.yaml),",
    "filled by hand.",
  ],
  values: {
    storage: { gp3: { enabled: false } },
    gpuSharing: { enabled: false },
    policies: { kyverno: { enabled: false } },
    monitoring: { rules: { enabled: false }, dashboards: { enabled: false }, dcgmExporter: { enabled: false } },
  },
};
