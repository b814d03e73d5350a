import type { ShippedValues } from "../lib/engine/index.js";
import { labModelCacheDir } from "../lib/model-cache.js";
import type { PlatformValues } from "./values.js";

/**
 * The platform on a one-node lab: only what tenants need from it there (the PriorityClasses, the API server's own
 * admission policies, its namespace, the pull Jobs filling the node's model directory with the lab tenant's models),
 * and nothing that needs a controller or CRDs the lab lacks.
 */
export const platformLabValues: ShippedValues<PlatformValues> = {
  name: "lab",
  header: [
    "The platform on a one-node lab (no EFS, Kyverno, Prometheus Operator or NVIDIA device plugin); see",
    '"Lab: one node, no cloud services" in the project\'s README.md. It renders the PriorityClasses tenants run with',
    "and the API server's own ValidatingAdmissionPolicies, and no object that needs another project's CRDs: no",
    "namespace needs to exist first. Its pull Jobs fill the model cache, a node directory the tenants mount (their",
    `values-lab.yaml): make ${labModelCacheDir} on the node first, owned by modelCache.uid and gid (10004).`,
  ],
  values: {
    storage: { gp3: { enabled: false } },
    gpuSharing: { enabled: false },
    policies: { kyverno: { enabled: false } },
    monitoring: { rules: { enabled: false }, dashboards: { enabled: false }, dcgmExporter: { enabled: false } },
    modelCache: {
      enabled: true,
      source: "hostPath",
      hostPath: labModelCacheDir,
      // The lab tenant's chat and embedding models (the tenant chart's defaults), on its standard tier.
      models: [
        { name: "llama3.2", tag: "3b", tier: "standard", sizeGiB: 2 },
        { name: "nomic-embed-text", tag: "v1.5", tier: "standard", sizeGiB: 1 },
      ],
    },
  },
};
