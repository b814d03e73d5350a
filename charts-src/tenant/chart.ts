import { defineChart } from "../lib/engine/index.js";
import { tenantNamespaceName } from "../lib/tenant-namespace.js";
import { backupTemplate } from "./backup.js";
import { exposureTemplate } from "./exposure.js";
import { extraObjectsTemplate } from "./extra-objects.js";
import { guardrailsTemplate } from "./guardrails.js";
import { namespaceTemplate } from "./namespace.js";
import { networkPoliciesTemplate } from "./network-policies.js";
import { observabilityTemplate } from "./observability.js";
import { modelCacheTemplate } from "./model-cache.js";
import { ollamaPremiumTemplate } from "./ollama-premium.js";
import { ollamaStandardTemplate } from "./ollama-standard.js";
import { premiumWakeTemplate } from "./premium-wake.js";
import { requiredValuesTemplate, tenantRequiredValues } from "./required-values.js";
import { openwebuiTemplate } from "./openwebui.js";
import { scalingTemplate } from "./scaling.js";
import { secretsNote, secretsTemplate } from "./secrets.js";
import { testsTemplate } from "./tests.js";
import { tenantLabValues } from "./lab-values.js";
import { tenantReadme, tenantTroubleshooting } from "./readme.js";
import { tenantValues } from "./values.js";

export const tenantChart = defineChart({
  name: "tenant",
  version: "0.2.22",
  appVersion: "0.12.4",
  description:
    "One customer of the LLM platform: its namespace, quotas, default-deny network, secrets, OpenWebUI and its standard (CPU) and premium (GPU, scale-to-zero) Ollama.",
  kubeVersion: ">=1.32.0-0",
  keywords: ["openwebui", "ollama", "multi-tenant", "llm", "gpu", "keda"],
  annotations: { "artifacthub.io/category": "ai-machine-learning" },
  docs: {
    installOrder: 3,
    install: { release: "acme", namespace: "tenants", createNamespace: true },
    prerequisites: [
      "The nodepools and platform charts (tier nodes, priority and storage classes, the model cache, the isolation policies).",
      "The External Secrets Operator, and in AWS Secrets Manager the tenant's secrets under `llmcharts/tenants/<name>/`, readable by the tenant's IAM role (`secrets.roleArn`).",
      "KEDA 2.20 or later for the premium tier's scale-to-zero (its metrics-api trigger reads the tenant's wake-up proxy) and the KEDA HTTP add-on's CRDs (InterceptorRoute; the tenant runs its own interceptor, the add-on's operator and scaler are not needed), the Prometheus Operator for ServiceMonitors, and an ingress controller or a Gateway API implementation for `exposure`.",
      "metrics-server (the `metrics.k8s.io` API, v0.8 is tested) for the HPAs of standard Ollama and OpenWebUI: without it they never read a CPU figure, and standard Ollama stays at `ollama.standard.autoscaling.minReplicas` (`kubectl describe hpa` says `FailedGetResourceMetric`).",
      "Stakater Reloader (v1.4 is tested, with its annotations strategy, which Argo CD's self-heal leaves alone) for `secrets.reloadOnRotation`: OpenWebUI reads its secrets from env at start, and Reloader rolls it out when a Secret it reads changes (a rotation External Secrets synced). Without it a rotated secret reaches OpenWebUI only when its pods restart.",
      "The release creates the namespace `tenant-<name>` itself: install into another namespace (Helm 3 fails if told to create `tenant-<name>`).",
      'How to install each, and to find the API server\'s addresses for `network.apiServer`: "Installing the prerequisites" below.',
    ],
    examples: { minimal: "standard-small-team", full: "both-enterprise-ha" },
    troubleshooting: tenantTroubleshooting,
  },
  lintFixture: "defaults",
  values: tenantValues,
  shippedValues: [tenantLabValues],
  requiredValues: tenantRequiredValues,
  readme: tenantReadme,
  templates: {
    "required-values": requiredValuesTemplate,
    namespace: namespaceTemplate,
    guardrails: guardrailsTemplate,
    "network-policies": networkPoliciesTemplate,
    secrets: secretsTemplate,
    "model-cache": modelCacheTemplate,
    openwebui: openwebuiTemplate,
    "ollama-standard": ollamaStandardTemplate,
    "ollama-premium": ollamaPremiumTemplate,
    "premium-wake": premiumWakeTemplate,
    scaling: scalingTemplate,
    exposure: exposureTemplate,
    observability: observabilityTemplate,
    backup: backupTemplate,
    tests: testsTemplate,
    "extra-objects": extraObjectsTemplate,
  },
  notes: (v, h) =>
    `Tenant ${v.tenant.name} (tier ${v.tenant.tier}, cost centre ${v.tenant.costCentre}) lives in namespace ${tenantNamespaceName(v.tenant.name)}; release ${h.release.name}.\n` +
    `OpenWebUI: https://${v.exposure.host} (exposure ${v.exposure.type}).\n` +
    `${secretsNote(v, h)}\n` +
    "The namespace and the OpenWebUI data claim are kept on uninstall; delete them by hand to remove the tenant's data.\n" +
    `Check the release with: helm test ${h.release.name} --namespace ${h.release.namespace}\n`,
});
