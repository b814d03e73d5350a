import { platformNamespace } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { PrometheusRule } from "../lib/k8s.js";
import { platformLabels } from "./metadata.js";
import { gpuPods } from "./promql.js";
import { openwebuiHealthCheck, syntheticCheckLabel } from "./synthetic-checks.js";
import type { PlatformValues } from "./values.js";

/**
 * The platform's alerts. The metrics come from kube-state-metrics (pods, quotas, Jobs), from Karpenter's controller
 * and from External Secrets' controller; all ship with kube-prometheus-stack or the controller's own ServiceMonitor. kube-state-metrics
 * names an extended resource with its punctuation replaced: `nvidia.com/gpu` is `nvidia_com_gpu`.
 */

/**
 * One case of an alert's unit test (`promtool test rules`, written by `llmcharts generate` into alert-tests/), stated
 * against the chart's default values: the series Prometheus would scrape, and when the rule is evaluated.
 */
export interface AlertCase {
  /** What the case shows: the test's name. */
  because: string;
  /** Each series (`metric{labels}`) and its samples one minute apart, in promtool's notation: `1x20` is 21 samples of 1. */
  series: Record<string, string>;
  /** When the rule is evaluated, after the first sample (a Prometheus duration). */
  at: string;
}

export interface AlertSpec {
  alert: string;
  expr: string;
  for?: string;
  severity: string;
  summary: string;
  description: string;
  /** Series that make it fire, with the labels the alert then carries (besides the rule's own) and its summary. */
  fires: AlertCase & { labels: Record<string, string>; summary: string };
  /** The nearest miss: series one condition short of firing. */
  silent: AlertCase;
}

/** The rule Prometheus evaluates; the cases stay in the unit tests. */
const alertRule = (v: PlatformValues, h: Helpers, a: AlertSpec) => {
  const base = v.monitoring.rules.runbookBaseUrl;
  return {
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    // Prometheus label names allow no dots or slashes: plain names only.
    labels: { severity: a.severity, platform: "llmcharts" },
    annotations: {
      summary: a.summary,
      description: a.description,
      runbook_url: h.when(h.isSet(base), `${base}#${a.alert}`),
    },
  };
};

/** A premium pod created 7 minutes ago, running and never Ready: the cold start's test series but its restarts. */
const coldPremiumPod = {
  'kube_pod_created{namespace="tenant-acme", pod="ollama-premium-0"}': "0x7",
  'kube_pod_status_phase{namespace="tenant-acme", pod="ollama-premium-0", phase="Running"}': "1x7",
  'kube_pod_status_ready{namespace="tenant-acme", pod="ollama-premium-0", condition="true"}': "0x7",
  'kube_pod_container_resource_requests{namespace="tenant-acme", pod="ollama-premium-0", container="ollama", resource="nvidia_com_gpu"}':
    "1x7",
};
const coldPremiumPodRestarts =
  'kube_pod_container_status_restarts_total{namespace="tenant-acme", pod="ollama-premium-0", container="ollama"}';

const gpuAlerts = (v: PlatformValues): AlertSpec[] => {
  const { gpuPodPending, premiumColdStart } = v.monitoring.alerts;
  return [
    {
      alert: "LLMGPUPodPendingTooLong",
      expr: [
        '(max by (namespace, pod) (kube_pod_status_phase{phase="Pending"}) == 1)',
        `and on (namespace, pod) (${gpuPods})`,
      ].join("\n"),
      for: gpuPodPending.after,
      severity: gpuPodPending.severity,
      summary: `GPU pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending for over ${gpuPodPending.after}`,
      description: [
        "The pod asks for a GPU and has not started.",
        "Check, in order: `kubectl describe pod` events (unschedulable, image pull);",
        "the tenant's ResourceQuota for nvidia.com/gpu;",
        "Karpenter's logs and the GPU NodePools' limits (a pool at its GPU limit launches nothing);",
        "spot capacity (an InsufficientInstanceCapacity error means the on-demand fallback pool must take over);",
        "and that the NVIDIA device plugin runs on the new node, without which the node never offers nvidia.com/gpu.",
      ].join(" "),
      fires: {
        because: "a pod asking for a GPU has been Pending for 15m",
        series: {
          'kube_pod_status_phase{namespace="tenant-acme", pod="ollama-premium-0", phase="Pending"}': "1x15",
          'kube_pod_container_resource_requests{namespace="tenant-acme", pod="ollama-premium-0", container="ollama", resource="nvidia_com_gpu"}':
            "1x15",
        },
        at: "15m",
        labels: { namespace: "tenant-acme", pod: "ollama-premium-0" },
        summary: "GPU pod tenant-acme/ollama-premium-0 has been Pending for over 15m",
      },
      silent: {
        because: "a pod asking for CPU only has been Pending as long",
        series: {
          'kube_pod_status_phase{namespace="tenant-acme", pod="openwebui-0", phase="Pending"}': "1x15",
          'kube_pod_container_resource_requests{namespace="tenant-acme", pod="openwebui-0", container="openwebui", resource="cpu"}':
            "1x15",
        },
        at: "15m",
      },
    },
    {
      alert: "LLMPremiumColdStartSlow",
      expr: [
        `(time() - max by (namespace, pod) (kube_pod_created)) > ${premiumColdStart.seconds}`,
        'and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_ready{condition="true"}) == 0)',
        'and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"}) == 1)',
        `and on (namespace, pod) (${gpuPods})`,
        // A pod that has restarted was up before: a crash loop, which LLMContainerOOMKilled and friends report.
        "unless on (namespace, pod) (max by (namespace, pod) (kube_pod_container_status_restarts_total) > 0)",
      ].join("\n"),
      for: "1m",
      severity: premiumColdStart.severity,
      summary: `Premium pod {{ $labels.namespace }}/{{ $labels.pod }} is not Ready ${premiumColdStart.seconds}s after creation`,
      description: [
        "A premium tenant is waiting on a cold start that is over its budget.",
        "The start is node launch, image pull, then model load:",
        "a Pending pod points at capacity (see LLMGPUPodPendingTooLong);",
        "a Running pod that is not Ready is loading its model, slow when the model is not in the shared cache",
        `(check the model-pull Jobs in ${platformNamespace}) or when EFS throughput is exhausted (use elastic throughput).`,
      ].join(" "),
      fires: {
        because: "a GPU pod created 7m ago runs, never restarted, and is still not Ready",
        series: { ...coldPremiumPod, [coldPremiumPodRestarts]: "0x7" },
        at: "7m",
        labels: { namespace: "tenant-acme", pod: "ollama-premium-0" },
        summary: "Premium pod tenant-acme/ollama-premium-0 is not Ready 300s after creation",
      },
      silent: {
        because: "the same pod has restarted: a crash loop, not a cold start",
        series: { ...coldPremiumPod, [coldPremiumPodRestarts]: "0x3 1x4" },
        at: "7m",
      },
    },
  ];
};

const tenantAlerts = (v: PlatformValues): AlertSpec[] => {
  const { oomKilled, quota } = v.monitoring.alerts;
  return [
    {
      alert: "LLMContainerOOMKilled",
      expr: [
        '(max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}) == 1)',
        `and on (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[${oomKilled.window}]) > 0)`,
      ].join("\n"),
      severity: oomKilled.severity,
      summary: "{{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }} was OOMKilled",
      description: [
        "The container used more memory than its limit and was restarted.",
        "For Ollama this usually means a model larger than the memory limit allows (model size plus context);",
        "raise the limit in the tenant's values, choose a smaller quantisation, or lower OLLAMA_NUM_PARALLEL.",
        "For OpenWebUI, look at document uploads and embedding models.",
      ].join(" "),
      fires: {
        because: "the container restarted 6m ago, last terminated by the OOM killer",
        series: {
          'kube_pod_container_status_last_terminated_reason{namespace="tenant-acme", pod="ollama-standard-0", container="ollama", reason="OOMKilled"}':
            "_x4 1x6",
          'kube_pod_container_status_restarts_total{namespace="tenant-acme", pod="ollama-standard-0", container="ollama"}':
            "0x3 1x6",
        },
        at: "10m",
        labels: { namespace: "tenant-acme", pod: "ollama-standard-0", container: "ollama" },
        summary: "tenant-acme/ollama-standard-0 container ollama was OOMKilled",
      },
      silent: {
        because: "the OOM kill is older than the 15m window: the container has run since",
        series: {
          'kube_pod_container_status_last_terminated_reason{namespace="tenant-acme", pod="ollama-standard-0", container="ollama", reason="OOMKilled"}':
            "_x4 1x26",
          'kube_pod_container_status_restarts_total{namespace="tenant-acme", pod="ollama-standard-0", container="ollama"}':
            "0x3 1x26",
        },
        at: "30m",
      },
    },
    {
      alert: "LLMTenantQuotaNearlyExhausted",
      expr: [
        '100 * max by (namespace, resourcequota, resource) (kube_resourcequota{type="used"})',
        '/ on (namespace, resourcequota, resource) (max by (namespace, resourcequota, resource) (kube_resourcequota{type="hard"}) > 0)',
        `> ${quota.percent}`,
      ].join("\n"),
      for: quota.after,
      severity: quota.severity,
      summary: `Namespace {{ $labels.namespace }} uses {{ $value | humanize }}% of its {{ $labels.resource }} quota`,
      description: [
        `Usage of {{ $labels.resource }} in ResourceQuota {{ $labels.resourcequota }} is above ${quota.percent}%.`,
        "At 100% new pods are refused, scale-ups stall and a premium cold start cannot get its GPU.",
        "Either the tenant outgrew its tier (raise the quota in its values) or something leaks (pods stuck, old Jobs).",
      ].join(" "),
      fires: {
        because: "95% of the namespace's CPU requests quota has been in use for 15m",
        series: {
          'kube_resourcequota{namespace="tenant-acme", resourcequota="tenant-quota", resource="requests.cpu", type="used"}':
            "19x15",
          'kube_resourcequota{namespace="tenant-acme", resourcequota="tenant-quota", resource="requests.cpu", type="hard"}':
            "20x15",
        },
        at: "15m",
        labels: { namespace: "tenant-acme", resourcequota: "tenant-quota", resource: "requests.cpu" },
        summary: "Namespace tenant-acme uses 95% of its requests.cpu quota",
      },
      silent: {
        because: "85% in use, under the 90% threshold",
        series: {
          'kube_resourcequota{namespace="tenant-acme", resourcequota="tenant-quota", resource="requests.cpu", type="used"}':
            "17x15",
          'kube_resourcequota{namespace="tenant-acme", resourcequota="tenant-quota", resource="requests.cpu", type="hard"}':
            "20x15",
        },
        at: "15m",
      },
    },
  ];
};

/**
 * Reasons Karpenter gives `karpenter_nodeclaims_disrupted_total` when its interruption controller deletes a node:
 * `interruption` in recent releases, the message kind (`spot_interrupted`, `scheduled_change`, …) in earlier v1 ones.
 */
const interruptionReasons = "interruption|spot_interrupted|scheduled_change|instance_stopping|instance_terminated";

const capacityAlerts = (v: PlatformValues): AlertSpec[] => {
  const spot = v.monitoring.alerts.spotInterruptions;
  const drains = v.monitoring.alerts.interruptionDrains;
  return [
    {
      alert: "LLMSpotInterruptionsHigh",
      // Karpenter counts the messages it reads from its interruption queue by message type; spot interruption
      // warnings are `spot_interrupted` (names as of Karpenter v1: check them against your version's /metrics).
      expr: `sum(increase(karpenter_interruption_received_messages_total{message_type="spot_interrupted"}[${spot.window}])) >= ${spot.count}`,
      severity: spot.severity,
      summary: `{{ $value | humanize }} spot interruption warnings within ${spot.window}`,
      description: [
        "AWS is reclaiming spot instances: each warning drains a node within two minutes, and premium pods on it",
        "cold-start elsewhere. If it persists, widen the GPU pools' instance families or zones (more spot pools",
        "to choose from), or let the on-demand fallback pool carry premium tenants for a while.",
      ].join(" "),
      fires: {
        because: "three spot interruption warnings within the hour",
        series: {
          'karpenter_interruption_received_messages_total{message_type="spot_interrupted"}': "0 1 2 3 3 3",
        },
        at: "5m",
        labels: {},
        summary: "3 spot interruption warnings within 1h",
      },
      silent: {
        because: "three warnings of other kinds (scheduled maintenance) are not spot interruptions",
        series: {
          'karpenter_interruption_received_messages_total{message_type="scheduled_change"}': "0 1 2 3 3 3",
        },
        at: "5m",
      },
    },
    {
      alert: "LLMNodesDrainedByInterruption",
      expr: `sum by (nodepool) (increase(karpenter_nodeclaims_disrupted_total{reason=~"${interruptionReasons}"}[${drains.window}])) >= ${drains.count}`,
      severity: drains.severity,
      summary: `{{ $value | humanize }} nodes of NodePool {{ $labels.nodepool }} drained by interruptions within ${drains.window}`,
      description: [
        "Karpenter cordoned, drained and deleted these nodes because AWS reclaims them (spot) or retires them.",
        "Their pods restarted elsewhere: premium tenants saw a cold start each time. Give the pool more instance",
        "families or zones, keep its terminationGracePeriod under two minutes so drains finish in time, or move",
        "paid tiers to an on-demand pool. This alert needs Karpenter's interruption queue (settings.interruptionQueue).",
      ].join(" "),
      fires: {
        because: "Karpenter deleted two nodes of one pool on interruption within the hour",
        series: {
          'karpenter_nodeclaims_disrupted_total{nodepool="gpu-spot", reason="interruption"}': "0 1 2 2 2 2",
        },
        at: "5m",
        labels: { nodepool: "gpu-spot" },
        summary: "2 nodes of NodePool gpu-spot drained by interruptions within 1h",
      },
      silent: {
        because: "two nodes consolidated away (underutilized) are not interruptions",
        series: {
          'karpenter_nodeclaims_disrupted_total{nodepool="gpu-spot", reason="underutilized"}': "0 1 2 2 2 2",
        },
        at: "5m",
      },
    },
  ];
};

const syntheticAlerts = (v: PlatformValues): AlertSpec[] => {
  const check = v.monitoring.alerts.syntheticCheck;
  return [
    {
      alert: "LLMTenantHealthCheckFailing",
      expr: `max by (tenant) (probe_success{${syntheticCheckLabel}="${openwebuiHealthCheck}"}) == 0`,
      for: check.after,
      severity: check.severity,
      summary: `OpenWebUI of tenant {{ $labels.tenant }} has failed its health check for ${check.after}`,
      description: [
        "The blackbox exporter in the monitoring namespace gets no 2xx from the tenant's OpenWebUI /health:",
        "its pods are down or not Ready, its Service has no endpoints, or its NetworkPolicy refuses the monitoring",
        "namespace. Users of this tenant cannot chat.",
      ].join(" "),
      fires: {
        because: "the tenant's OpenWebUI has failed every probe for 5m",
        series: {
          [`probe_success{tenant="acme", ${syntheticCheckLabel}="${openwebuiHealthCheck}"}`]: "0x5",
        },
        at: "5m",
        labels: { tenant: "acme" },
        summary: "OpenWebUI of tenant acme has failed its health check for 5m",
      },
      silent: {
        because: "the probes have failed for 2m only, less than the 5m the alert waits",
        series: {
          [`probe_success{tenant="acme", ${syntheticCheckLabel}="${openwebuiHealthCheck}"}`]: "1x2 0x3",
        },
        at: "5m",
      },
    },
  ];
};

const modelCacheAlerts = (v: PlatformValues): AlertSpec[] => [
  {
    alert: "LLMModelCacheJobFailed",
    expr: `max by (namespace, job_name) (kube_job_failed{namespace="${platformNamespace}", job_name=~"model-pull-.+", condition="true"}) == 1`,
    severity: v.monitoring.alerts.modelCacheJob.severity,
    summary: "Model pull Job {{ $labels.job_name }} failed",
    description: [
      "A model of the catalog could not be pulled into the shared cache, so tenants cannot load it",
      "(a reader never downloads). The Job's annotation llmcharts.io/model names the model;",
      `\`kubectl logs -n ${platformNamespace} job/{{ $labels.job_name }}\` shows why:`,
      "a wrong name or tag, registry egress blocked by the model-pull-egress NetworkPolicy,",
      "EFS not mounted (access point or security group), or the deadline reached on a very large model.",
    ].join(" "),
    fires: {
      because: "a model-pull Job of the platform namespace failed",
      series: {
        [`kube_job_failed{namespace="${platformNamespace}", job_name="model-pull-0a1b2c3d4e", condition="true"}`]:
          "1x5",
      },
      at: "5m",
      labels: { namespace: platformNamespace, job_name: "model-pull-0a1b2c3d4e" },
      summary: "Model pull Job model-pull-0a1b2c3d4e failed",
    },
    silent: {
      because: "the Job's Failed condition is false (kube-state-metrics exports that series too)",
      series: {
        [`kube_job_failed{namespace="${platformNamespace}", job_name="model-pull-0a1b2c3d4e", condition="false"}`]:
          "1x5",
      },
      at: "5m",
    },
  },
];

/**
 * External Secrets' own gauge (v0.16.2, `pkg/controllers/externalsecret/esmetrics`): one series per ExternalSecret and
 * condition status, labelled with the object's `name` and `namespace`; on a failed sync the `status="False"` series is
 * 1 and the `status="True"` one 0, and back when it syncs. Scrape its controller with honorLabels (its chart's
 * `serviceMonitor.honorLabels: true`) so `namespace` stays the ExternalSecret's.
 */
const externalSecretReady = (status: "True" | "False", namespace: string, name: string) =>
  `externalsecret_status_condition{namespace="${namespace}", name="${name}", condition="Ready", status="${status}"}`;

const secretsAlerts = (v: PlatformValues): AlertSpec[] => {
  const notSynced = v.monitoring.alerts.externalSecret;
  return [
    {
      alert: "LLMExternalSecretNotSynced",
      expr: 'max by (namespace, name) (externalsecret_status_condition{condition="Ready", status="False"}) == 1',
      for: notSynced.after,
      severity: notSynced.severity,
      summary: `ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} has not synced for ${notSynced.after}`,
      description: [
        "External Secrets cannot read this secret from AWS Secrets Manager (its Ready condition is False, reason",
        "SecretSyncedError). The Secret it writes keeps its last good value, so running pods carry on, but a rotation",
        "does not arrive and a pod that needs a Secret never written (a new tenant) cannot start.",
        "`kubectl -n {{ $labels.namespace }} describe externalsecret {{ $labels.name }}` shows the provider's error in",
        "its events: Secrets Manager unreachable (an outage, the controller's egress), the secret missing under",
        "llmcharts/tenants/<name>/, or the tenant's role denied (its trust policy or permissions: `llmcharts iam-policy`).",
      ].join(" "),
      fires: {
        because: "the tenant's ExternalSecret has failed to sync for 10m",
        series: {
          [externalSecretReady("False", "tenant-acme", "openwebui-secret-key")]: "1x10",
          [externalSecretReady("True", "tenant-acme", "openwebui-secret-key")]: "0x10",
        },
        at: "10m",
        labels: { namespace: "tenant-acme", name: "openwebui-secret-key" },
        summary: "ExternalSecret tenant-acme/openwebui-secret-key has not synced for 10m",
      },
      silent: {
        because: "it synced, then has failed for 5m only, less than the 10m the alert waits",
        series: {
          [externalSecretReady("False", "tenant-acme", "openwebui-secret-key")]: "0x5 1x5",
          [externalSecretReady("True", "tenant-acme", "openwebui-secret-key")]: "1x5 0x5",
        },
        at: "10m",
      },
    },
  ];
};

/** Every alert of the chart, whatever the values switch on: the unit tests cover them all. */
export const platformAlerts = (v: PlatformValues): AlertSpec[] => [
  ...gpuAlerts(v),
  ...tenantAlerts(v),
  ...capacityAlerts(v),
  ...modelCacheAlerts(v),
  ...secretsAlerts(v),
  ...syntheticAlerts(v),
];

export const prometheusRules = (v: PlatformValues, h: Helpers) => {
  const rules = (alerts: AlertSpec[]) => alerts.map((a) => alertRule(v, h, a));
  return [
    h.when(v.monitoring.rules.enabled, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: {
        name: "llmcharts-platform",
        namespace: v.monitoring.namespace,
        labels: h.merge(platformLabels(h, "monitoring"), v.monitoring.rules.labels),
      },
      spec: {
        groups: [
          { name: "llmcharts.gpu", rules: rules(gpuAlerts(v)) },
          { name: "llmcharts.tenants", rules: rules(tenantAlerts(v)) },
          { name: "llmcharts.capacity", rules: rules(capacityAlerts(v)) },
          { name: "llmcharts.model-cache", rules: rules(modelCacheAlerts(v)) },
          { name: "llmcharts.secrets", rules: rules(secretsAlerts(v)) },
          h.when(v.monitoring.syntheticChecks.enabled, {
            name: "llmcharts.synthetic",
            rules: rules(syntheticAlerts(v)),
          }),
        ],
      },
    } satisfies PrometheusRule),
  ];
};
