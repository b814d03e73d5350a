import type { ShippedValues } from "../lib/engine/index.js";
import { labModelCacheDir } from "../lib/model-cache.js";
import type { TenantValues } from "./values.js";

/** The Secret a lab tenant's pods read (`secrets.existingSecret`): the README's lab creates it with kubectl. */
export const labSecretName = "tenant-secrets";

/**
 * A standard tenant on a one-node lab, as the runtime suite installs one (test/runtime/values/lab-standard.yaml),
 * with the chart's public images and default models: no External Secrets (an existing Secret), no EFS (the model cache
 * a node directory), no KEDA (standard only), no load balancer (port-forward).
 */
export const tenantLabValues: ShippedValues<TenantValues> = {
  name: "lab",
  header: [
    "A standard tenant on a one-node lab (no EFS, External Secrets, KEDA, Karpenter or cloud load balancer); see",
    '"Lab: one node, no cloud services" in the project\'s README.md for the whole sequence. Before its pods start:',
    `- the node carries the standard pool's labels (kubectl label node <node> llmcharts.io/pool=standard llmcharts.io/node-tier=standard);`,
    "- the platform chart is installed (its PriorityClasses), with its own values-lab.yaml;",
    `- ${labModelCacheDir}/standard on the node holds the models (the platform's pull Jobs fill it);`,
    `- the Secret ${labSecretName} in tenant-<name> holds WEBUI_SECRET_KEY and WEBUI_ADMIN_PASSWORD (create it after`,
    "  helm install has made the namespace; the pods wait in CreateContainerConfigError until it exists).",
    "The data claim asks for the cluster's default StorageClass (kind, minikube and k3s have one).",
  ],
  values: {
    tenant: { name: "lab", tier: "standard", costCentre: "lab" },
    secrets: { existingSecret: labSecretName },
    exposure: { host: "chat.lab.internal", ingress: { tlsSecretName: "" } },
    openwebui: {
      admin: { email: "admin@lab.internal" },
      persistence: { enabled: true, size: "1Gi" },
      resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "2", memory: "3Gi" } },
    },
    ollama: {
      modelCache: { source: "hostPath", hostPath: labModelCacheDir },
      standard: {
        resources: { requests: { cpu: "500m", memory: "3Gi" }, limits: { cpu: "4", memory: "6Gi" } },
        autoscaling: { minReplicas: 1, maxReplicas: 2 },
      },
    },
  },
};
