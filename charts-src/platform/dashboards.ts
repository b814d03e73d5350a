import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ConfigMap } from "../lib/k8s.js";
import { dashboard, type PanelSpec, type Query, type Variable } from "./grafana.js";
import { gpuPods } from "./promql.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/**
 * Three Grafana dashboards, as ConfigMaps the kube-prometheus-stack Grafana sidecar loads: tenants, GPUs, cost.
 *
 * Tenants are found through their namespaces' labels, which kube-state-metrics exports only when allowed to:
 * run it with `--metric-labels-allowlist=namespaces=[llmcharts.io/tenant,llmcharts.io/tier,llmcharts.io/cost-centre]`
 * (kube-prometheus-stack: `kube-state-metrics.metricLabelsAllowlist`). GPU panels read NVIDIA DCGM exporter's
 * metrics; its per-pod labels arrive as `namespace` or, when Prometheus renames them, `exported_namespace`, and
 * the queries accept either.
 */

/** A Kubernetes label as kube-state-metrics names it in `kube_*_labels`: prefixed, punctuation as underscores. */
const ksmLabel = (key: string) => `label_${key.replace(/[^A-Za-z0-9_]/g, "_")}`;
const tenant = ksmLabel(labels.tenant);
const tier = ksmLabel(labels.tier);
const costCentre = ksmLabel(labels.costCentre);

/** One series per tenant namespace, carrying the tenant's labels, limited to the tenants picked on the dashboard. */
const tenantNamespaces = `max by (namespace, ${tenant}, ${tier}, ${costCentre}) (kube_namespace_labels{${tenant}!="", ${tenant}=~"$tenant"})`;

/** A per-namespace expression of the shown tenants, aggregated per tenant label(s), or over all with `by` empty. */
const perTenant = (perNamespace: string, by = tenant, aggregate = "sum") =>
  `${aggregate}${by ? ` by (${by})` : ""} ((${perNamespace}) * on (namespace) group_left(${tenant}, ${tier}, ${costCentre}) ${tenantNamespaces})`;

const running = 'max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1';
const tenantLegend = `{{${tenant}}}`;

/** The tenant picker every dashboard opens with: the tenants kube-state-metrics knows, several at once. */
const tenantVariable: Variable = {
  kind: "query",
  name: "tenant",
  label: "Tenant",
  query: `label_values(kube_namespace_labels{${tenant}!=""}, ${tenant})`,
  multi: true,
};

/** A DCGM metric with the pod's namespace in `namespace`, whichever label it arrived in. */
const dcgm = (metric: string) => `label_replace(${metric}, "namespace", "$1", "exported_namespace", "(.+)")`;

const tenantsDashboard = () =>
  dashboard({
    uid: "llmcharts-tenants",
    title: "LLM platform / Tenants",
    description: "Every tenant at a glance: what runs, what it uses, how close it is to its quota.",
    variables: [tenantVariable],
    rows: [
      [
        {
          title: "Tenants",
          description: "Tenant namespaces shown.",
          type: "stat",
          unit: "short",
          width: 6,
          queries: [{ expr: `count(${tenantNamespaces})`, instant: true }],
        },
        {
          title: "Tenants by tier",
          description: "Tenant namespaces per tier label.",
          type: "stat",
          unit: "short",
          width: 6,
          queries: [{ expr: `count by (${tier}) (${tenantNamespaces})`, legend: `{{${tier}}}`, instant: true }],
        },
        {
          title: "Running GPU pods",
          description: "Pods holding a GPU or a MIG slice (premium Ollama).",
          type: "stat",
          unit: "short",
          width: 6,
          queries: [
            {
              expr: perTenant(`count by (namespace) ((${gpuPods}) and on (namespace, pod) (${running}))`, "", "sum"),
              instant: true,
            },
          ],
        },
        {
          title: "Pending pods",
          description: "Pods of the shown tenants that are waiting to start.",
          type: "stat",
          unit: "short",
          width: 6,
          queries: [
            {
              expr: perTenant('sum by (namespace) (kube_pod_status_phase{phase="Pending"})', "", "sum"),
              instant: true,
            },
          ],
        },
      ],
      [
        {
          title: "Running pods by tenant",
          description: "Pods in phase Running per tenant.",
          type: "timeseries",
          unit: "short",
          width: 12,
          stacked: true,
          queries: [
            {
              expr: perTenant('sum by (namespace) (kube_pod_status_phase{phase="Running"})'),
              legend: tenantLegend,
            },
          ],
        },
        {
          title: "Quota used by tenant",
          description: "Highest use of each ResourceQuota resource, in percent of its hard limit.",
          type: "bargauge",
          unit: "percent",
          width: 12,
          max: 100,
          queries: [
            {
              expr: perTenant(
                'max by (namespace, resource) (100 * kube_resourcequota{type="used"} / on (namespace, resourcequota, resource) (kube_resourcequota{type="hard"} > 0))',
                `${tenant}, resource`,
                "max",
              ),
              legend: `${tenantLegend} {{resource}}`,
              instant: true,
            },
          ],
        },
      ],
      [
        {
          title: "CPU used by tenant",
          description: "Cores in use (cAdvisor), per tenant.",
          type: "timeseries",
          unit: "short",
          width: 12,
          stacked: true,
          queries: [
            {
              expr: perTenant(
                'sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[$__rate_interval]))',
              ),
              legend: tenantLegend,
            },
          ],
        },
        {
          title: "Memory used by tenant",
          description: "Working set (what the OOM killer counts), per tenant.",
          type: "timeseries",
          unit: "bytes",
          width: 12,
          stacked: true,
          queries: [
            {
              expr: perTenant('sum by (namespace) (container_memory_working_set_bytes{container!="", image!=""})'),
              legend: tenantLegend,
            },
          ],
        },
      ],
      [
        {
          title: "Container restarts by tenant (1h)",
          description: "Restarts over the last hour: crash loops and OOM kills show here first.",
          type: "timeseries",
          unit: "short",
          width: 12,
          queries: [
            {
              expr: perTenant("sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h]))"),
              legend: tenantLegend,
            },
          ],
        },
        {
          title: "Pending pods by tenant",
          description: "Pods waiting to start: capacity, quota or a cold start in progress.",
          type: "timeseries",
          unit: "short",
          width: 12,
          queries: [
            {
              expr: perTenant('sum by (namespace) (kube_pod_status_phase{phase="Pending"})'),
              legend: tenantLegend,
            },
          ],
        },
      ],
      [
        {
          title: "CPU per Ollama pod",
          description:
            "Cores each Ollama pod uses (cAdvisor): a standard pod near its limit is CPU-bound and its tenant's HPA should be scaling; a premium pod using much CPU is offloading layers its GPU cannot hold.",
          type: "timeseries",
          unit: "short",
          width: 24,
          queries: [
            {
              expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container="ollama", image!=""}[$__rate_interval]) * on (namespace) group_left() (count by (namespace) (${tenantNamespaces}) > bool 0))`,
              legend: "{{namespace}}/{{pod}}",
            },
          ],
        },
      ],
    ],
  });

const gpuDashboard = () =>
  dashboard({
    uid: "llmcharts-gpu",
    title: "LLM platform / GPUs",
    description: "GPU use from NVIDIA DCGM exporter, per GPU and per tenant, against what the cluster offers.",
    variables: [tenantVariable],
    rows: [
      [
        {
          title: "GPUs reporting",
          description: "GPUs DCGM exporter reports on.",
          type: "stat",
          unit: "short",
          width: 6,
          queries: [{ expr: "count(DCGM_FI_DEV_GPU_UTIL)", instant: true }],
        },
        {
          title: "Average GPU utilisation",
          description: "Mean of DCGM_FI_DEV_GPU_UTIL over all GPUs.",
          type: "stat",
          unit: "percent",
          width: 6,
          max: 100,
          queries: [{ expr: "avg(DCGM_FI_DEV_GPU_UTIL)", instant: true }],
        },
        {
          title: "GPU memory used",
          description: "Framebuffer in use over framebuffer in total, all GPUs.",
          type: "stat",
          unit: "percent",
          width: 6,
          max: 100,
          queries: [
            {
              expr: "100 * sum(DCGM_FI_DEV_FB_USED) / (sum(DCGM_FI_DEV_FB_USED) + sum(DCGM_FI_DEV_FB_FREE))",
              instant: true,
            },
          ],
        },
        {
          title: "GPUs requested / allocatable",
          description:
            "nvidia.com/gpu requested by running pods, and offered by nodes (time-sliced GPUs count once per replica).",
          type: "stat",
          unit: "short",
          width: 6,
          queries: [
            {
              expr: `sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu"} * on (namespace, pod) group_left() (${running}))`,
              legend: "requested",
              instant: true,
            },
            {
              expr: 'sum(kube_node_status_allocatable{resource="nvidia_com_gpu"})',
              legend: "allocatable",
              instant: true,
            },
          ],
        },
      ],
      [
        {
          title: "Utilisation per GPU",
          description: "DCGM_FI_DEV_GPU_UTIL: share of time a kernel ran.",
          type: "timeseries",
          unit: "percent",
          width: 12,
          max: 100,
          queries: [{ expr: "DCGM_FI_DEV_GPU_UTIL", legend: "{{Hostname}} GPU {{gpu}} ({{modelName}})" }],
        },
        {
          title: "Memory used per GPU",
          description: "Framebuffer in use, in percent of the GPU's.",
          type: "timeseries",
          unit: "percent",
          width: 12,
          max: 100,
          queries: [
            {
              expr: "100 * DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)",
              legend: "{{Hostname}} GPU {{gpu}}",
            },
          ],
        },
      ],
      [
        {
          title: "GPU utilisation by tenant",
          description: "Mean utilisation of the GPUs each tenant's pods hold.",
          type: "timeseries",
          unit: "percent",
          width: 12,
          max: 100,
          queries: [{ expr: perTenant(dcgm("DCGM_FI_DEV_GPU_UTIL"), tenant, "avg"), legend: tenantLegend }],
        },
        {
          title: "GPU memory by tenant",
          description: "Framebuffer the tenant's pods use (DCGM reports MiB).",
          type: "timeseries",
          unit: "bytes",
          width: 12,
          stacked: true,
          queries: [{ expr: `${perTenant(dcgm("DCGM_FI_DEV_FB_USED"))} * 1048576`, legend: tenantLegend }],
        },
      ],
      [
        {
          title: "Power draw per GPU",
          description: "DCGM_FI_DEV_POWER_USAGE in watts.",
          type: "timeseries",
          unit: "watt",
          width: 12,
          queries: [{ expr: "DCGM_FI_DEV_POWER_USAGE", legend: "{{Hostname}} GPU {{gpu}}" }],
        },
        {
          title: "Temperature per GPU",
          description: "DCGM_FI_DEV_GPU_TEMP in degrees Celsius.",
          type: "timeseries",
          unit: "celsius",
          width: 12,
          queries: [{ expr: "DCGM_FI_DEV_GPU_TEMP", legend: "{{Hostname}} GPU {{gpu}}" }],
        },
      ],
    ],
  });

/** Requests of running pods for one resource, per namespace (and resource, so that resources stay apart). */
const requested = (resource: string) =>
  `sum by (namespace, resource) (kube_pod_container_resource_requests{resource="${resource}"} * on (namespace, pod) group_left() (${running}))`;

/**
 * Estimated cost per hour of each namespace and resource: requests times list prices. The three resources carry
 * different `resource` labels, so `or` unites them without losing any.
 */
const costPerHour = [
  `(${requested("cpu")} * $vcpu_price)`,
  `(${requested("memory")} / 1073741824 * $memory_gib_price)`,
  `(${requested("nvidia_com_gpu")} * $gpu_price)`,
].join(" or ");

/** Cost over the dashboard's range, from the hourly rate sampled every 5 minutes. */
const overRange = (expr: string) => `avg_over_time((${expr})[$__range:5m]) * $__range_s / 3600`;

const costDashboard = (v: PlatformValues) => {
  const cost = v.monitoring.dashboards.cost;
  const unit = `currency${cost.currency}`;
  const byTenant = perTenant(costPerHour);
  const panelOf = (p: Omit<PanelSpec, "unit" | "decimals">): PanelSpec => ({ ...p, unit, decimals: 2 });
  const q = (expr: string, legend?: string, instant?: boolean): Query => ({ expr, legend, instant });
  return dashboard({
    uid: "llmcharts-cost",
    title: "LLM platform / Cost by tenant",
    description:
      "Estimated cost: resource requests of running pods times list prices from the chart's values. Not a bill: spot discounts, savings plans, idle nodes and GPU time-slicing are not modelled.",
    variables: [
      tenantVariable,
      { kind: "constant", name: "gpu_price", label: "GPU hour", query: `${cost.gpuHour}` },
      { kind: "constant", name: "vcpu_price", label: "vCPU hour", query: `${cost.vcpuHour}` },
      { kind: "constant", name: "memory_gib_price", label: "GiB hour", query: `${cost.memoryGiBHour}` },
    ],
    rows: [
      [
        panelOf({
          title: "Cost per hour",
          description: "All shown tenants, now.",
          type: "stat",
          width: 8,
          queries: [q(`sum(${byTenant})`, undefined, true)],
        }),
        panelOf({
          title: "Cost over the range",
          description: "All shown tenants, over the dashboard's time range.",
          type: "stat",
          width: 8,
          queries: [q(overRange(`sum(${byTenant})`), undefined, true)],
        }),
        {
          title: "GPU share of cost",
          description: "Part of the hourly cost that is GPUs.",
          type: "stat",
          unit: "percentunit",
          width: 8,
          queries: [
            q(`${perTenant(`${requested("nvidia_com_gpu")} * $gpu_price`, "")} / sum(${byTenant})`, undefined, true),
          ],
        },
      ],
      [
        panelOf({
          title: "Cost per hour by tenant",
          description: "Hourly cost of each tenant's running pods.",
          type: "timeseries",
          width: 12,
          stacked: true,
          queries: [q(byTenant, tenantLegend)],
        }),
        panelOf({
          title: "Cost over the range by tenant",
          description: "Each tenant's cost over the dashboard's time range.",
          type: "bargauge",
          width: 12,
          queries: [q(`sort_desc(${overRange(byTenant)})`, tenantLegend, true)],
        }),
      ],
      [
        panelOf({
          title: "Cost per hour by tier",
          description: "Hourly cost per tier label of the tenants' namespaces.",
          type: "timeseries",
          width: 12,
          stacked: true,
          queries: [q(perTenant(costPerHour, tier), `{{${tier}}}`)],
        }),
        panelOf({
          title: "Cost over the range by cost centre",
          description: "For charge-back: cost per cost-centre label over the dashboard's time range.",
          type: "bargauge",
          width: 12,
          queries: [q(`sort_desc(${overRange(perTenant(costPerHour, costCentre))})`, `{{${costCentre}}}`, true)],
        }),
      ],
      [
        panelOf({
          title: "Cost per hour by resource",
          description: "Which requests the money goes to: cpu, memory or nvidia_com_gpu.",
          type: "timeseries",
          width: 24,
          stacked: true,
          queries: [q(perTenant(costPerHour, "resource"), "{{resource}}")],
        }),
      ],
    ],
  });
};

const dashboardConfigMap = (v: PlatformValues, h: Helpers, name: string, json: object): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: `llmcharts-dashboard-${name}`,
    namespace: v.monitoring.namespace,
    labels: h.merge(platformLabels(h, "dashboards"), v.monitoring.dashboards.labels),
    annotations: h.when(h.isSet(v.monitoring.dashboards.folder), { grafana_folder: v.monitoring.dashboards.folder }),
  },
  // Compact JSON: a dashboard must stay well under the 256 KiB an annotation may hold, for client-side appliers.
  data: { [`llmcharts-${name}.json`]: JSON.stringify(json) },
});

export const grafanaDashboards = (v: PlatformValues, h: Helpers) => [
  h.when(v.monitoring.dashboards.enabled, [
    dashboardConfigMap(v, h, "tenants", tenantsDashboard()),
    dashboardConfigMap(v, h, "gpu", gpuDashboard()),
    dashboardConfigMap(v, h, "cost", costDashboard(v)),
  ]),
];
