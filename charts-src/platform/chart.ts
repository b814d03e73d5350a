import { labels, modelCacheStorageClass, platformNamespace } from "../lib/conventions.js";
import { defineChart } from "../lib/engine/index.js";
import { devicePluginConfigLabel } from "../lib/gpu-sharing.js";
import { grafanaDashboards } from "./dashboards.js";
import { dcgmMonitor } from "./gpu-metrics.js";
import { devicePluginConfig } from "./gpu-sharing.js";
import { nativeAdmissionPolicies } from "./admission-policies.js";
import { kyvernoPolicies } from "./kyverno-policies.js";
import { logPipeline } from "./logs.js";
import { modelCache } from "./model-cache.js";
import { platformNamespaceResources } from "./namespace.js";
import { platformPriorityClasses } from "./priority-classes.js";
import { prometheusRules } from "./prometheus-rules.js";
import { storageClasses } from "./storage-classes.js";
import { syntheticChecks } from "./synthetic-checks.js";
import { tenantSnapshots } from "./tenant-snapshots.js";
import { tenantsApplicationSet } from "./tenants-appset.js";
import { tenantsProject } from "./tenants-project.js";
import { platformLabValues } from "./lab-values.js";
import { platformReadme, platformTroubleshooting } from "./readme.js";
import { platformValues } from "./values.js";

export const platformChart = defineChart({
  name: "platform",
  version: "0.2.12",
  appVersion: "0.1.0",
  description:
    "Cluster-wide pieces of the LLM platform: priority and storage classes, the shared model cache and its catalog, GPU sharing, tenant isolation policies, alerts, dashboards and the tenants' ApplicationSet.",
  kubeVersion: ">=1.32.0-0",
  keywords: ["llm", "ollama", "multi-tenant", "kyverno", "efs", "gpu", "argocd"],
  annotations: { "artifacthub.io/category": "integration-delivery" },
  docs: {
    installOrder: 2,
    install: { release: "platform", namespace: "default", createNamespace: false },
    prerequisites: [
      "The nodepools chart, so that tier nodes exist.",
      `The namespaces \`monitoring\` and \`nvidia-device-plugin\`, which the chart configures but does not create; it creates and owns \`${platformNamespace}\` itself (install the release into another namespace).`,
      "The controllers behind the CRDs below: Kyverno, the Prometheus Operator, and Argo CD when `argocd.enabled`; the AWS EFS CSI driver for the model cache; the NVIDIA device plugin for GPU sharing.",
    ],
    examples: { minimal: "admission-only", full: "eu-production" },
    troubleshooting: platformTroubleshooting,
  },
  values: platformValues,
  shippedValues: [platformLabValues],
  templates: {
    "priority-classes": platformPriorityClasses,
    "storage-classes": storageClasses,
    namespace: platformNamespaceResources,
    "model-cache": modelCache,
    "gpu-sharing": devicePluginConfig,
    "kyverno-policies": kyvernoPolicies,
    "admission-policies": nativeAdmissionPolicies,
    "prometheus-rules": prometheusRules,
    dashboards: grafanaDashboards,
    "gpu-metrics": dcgmMonitor,
    "synthetic-checks": syntheticChecks,
    "tenant-snapshots": tenantSnapshots,
    logs: logPipeline,
    "tenants-appset": tenantsApplicationSet,
    "tenants-project": tenantsProject,
  },
  readme: platformReadme,
  notes: (v, h) =>
    `Platform release ${h.release.name}: shared pieces live in namespace ${platformNamespace}, which this chart owns\n` +
    `  (install the release into another namespace, and without --create-namespace for ${platformNamespace}).\n` +
    `Model cache enabled: ${v.modelCache.enabled} (StorageClass ${modelCacheStorageClass}, file system "${v.modelCache.fileSystemId}").\n` +
    `  Pull Jobs: kubectl get jobs -n ${platformNamespace} -l app.kubernetes.io/component=model-pull\n` +
    `GPU sharing: install the NVIDIA device plugin with config.name=${v.gpuSharing.configMapName} and config.default=none in namespace ${v.gpuSharing.namespace};\n` +
    `  a GPU node picks its entry (none, time-slicing, mig) by its ${devicePluginConfigLabel} label, which GPU pools\n` +
    `  must set to the same value as ${labels.gpuSharing}.\n` +
    `Alerts and dashboards are in namespace ${v.monitoring.namespace}; kube-state-metrics must export the namespace labels llmcharts.io/tenant, tier and cost-centre.\n` +
    `Tenants ApplicationSet enabled: ${v.argocd.enabled}.\n`,
});
