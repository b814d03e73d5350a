import { type Static, Type } from "@sinclair/typebox";
import { nodeTiers, tiers } from "../lib/conventions.js";
import {
  choice,
  dnsLabel,
  labelMap,
  placementFields,
  rule,
  strictObject,
  toleration,
  umbrellaValues,
} from "../lib/values-shapes.js";
import { modelCacheLocation, ollamaImage } from "../lib/model-cache.js";
import { defaultAppUids } from "../lib/pod-security.js";
import { imageValues, nested, resourceValues } from "../lib/workload.js";
import { healthProber, tenantNameMaxLength } from "../lib/tenant-namespace.js";
import { argocdValues } from "./argocd-values.js";
import { defaultPolicySettings, policySettingsFields } from "./policies/index.js";

/**
 * The log collector's default image: upstream's contrib distribution, whose components include the few the chart's
 * configuration uses (the lab runs llmcharts' own build of the same release).
 */
const logsImage = { repository: "docker.io/otel/opentelemetry-collector-contrib", tag: "0.165.0" };

/** An enabled cache on EFS (source efs is the default, so an absent source counts). */
const onEfs = {
  properties: { enabled: { const: true }, source: { const: "efs" } },
  required: ["enabled"],
};

/** What every encrypted EBS StorageClass takes. */
const ebsClassFields = {
  kmsKeyId: Type.Optional(
    Type.String({
      description: "KMS key ARN to encrypt with; left out, EBS uses the account's aws/ebs key.",
      pattern: "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]{1,256}$",
    }),
  ),
  fsType: choice(["ext4", "xfs"], "Filesystem created on new volumes.", "ext4"),
  reclaimPolicy: choice(["Delete", "Retain"], "What happens to a volume when its claim is deleted.", "Delete"),
};

/** Alert severities Alertmanager routes on. */
const severity = (def: "critical" | "warning" | "info") =>
  choice(["critical", "warning", "info"], "Severity label of the alert (Alertmanager routes on it).", def);

/**
 * A Prometheus duration such as 15m or 1h30m: units largest first, each at most once, never zero (it also serves
 * as a PromQL range, which must be positive). Stricter than Karpenter's, because the PrometheusRule CRD is.
 */
const promDuration = (description: string, def: string) =>
  Type.String({
    description: `${description} A Prometheus duration such as 90s, 15m or 1h30m (no days: write 24h).`,
    default: def,
    maxLength: 16,
    pattern:
      "^(([1-9][0-9]{0,3}h)([1-9][0-9]{0,3}m)?([1-9][0-9]{0,3}s)?|([1-9][0-9]{0,3}m)([1-9][0-9]{0,3}s)?|[1-9][0-9]{0,3}s)$",
  });

/** A price in the dashboards' currency, as a decimal string (so that 0.0042 stays 0.0042 in Helm and in Grafana). */
const price = (description: string, def: string) =>
  Type.String({ description, default: def, pattern: "^[0-9]{1,6}(\\.[0-9]{1,6})?$" });

const priorityClass = (what: string, value: number, preemption: "PreemptLowerPriority" | "Never") =>
  strictObject(`The PriorityClass of ${what}.`, {
    value: Type.Integer({
      description: "Priority; higher schedules first and may preempt lower ones (user classes stay below 1e9).",
      default: value,
      minimum: 0,
      maximum: 1000000000,
    }),
    preemptionPolicy: choice(
      ["PreemptLowerPriority", "Never"],
      "Whether pending pods of this class may evict lower-priority pods to make room.",
      preemption,
    ),
  });

const ipv4Cidr =
  "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$";

/** Address ranges that never host a public model registry: RFC 1918, carrier-grade NAT and link-local (IMDS). */
const privateRanges = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"];

const egressBlock = Type.Object(
  {
    cidr: Type.String({ description: "An IPv4 range the pull Jobs may reach on port 443.", pattern: ipv4Cidr }),
    except: Type.Optional(
      Type.Array(Type.String({ pattern: ipv4Cidr }), {
        description: "Sub-ranges of cidr that stay unreachable.",
        maxItems: 20,
        uniqueItems: true,
      }),
    ),
  },
  { additionalProperties: false, description: "An address range reachable over HTTPS." },
);

/** One model of the catalog: pulled once into the shared cache, read by every tenant whose tier may use it. */
const catalogModel = Type.Object(
  {
    name: Type.String({
      description: "Ollama model name, as in `ollama pull <name>:<tag>` (e.g. llama3.1, hf.co/org/repo).",
      pattern: "^[a-z0-9][a-z0-9._-]{0,62}(/[A-Za-z0-9][A-Za-z0-9._-]{0,62}){0,2}$",
    }),
    tag: Type.String({
      description: "Model tag: size and quantisation (e.g. 8b-instruct-q4_K_M). Pin it: latest moves.",
      pattern: "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$",
    }),
    tier: choice(nodeTiers, "The tier the model is sized for: standard (CPU) or premium (GPU)."),
    sizeGiB: Type.Integer({
      description: "Approximate download size in GiB, for capacity planning (shown on the pull Job).",
      minimum: 1,
      maximum: 2048,
    }),
  },
  { additionalProperties: false, description: "A model of the catalog." },
);

/** A tenant the ApplicationSet turns into one Argo CD Application (one release of the tenant chart). */
const tenant = Type.Object(
  {
    name: dnsLabel(
      "Tenant name: its namespace and Application are tenant-<name>; also its tenant label.",
      undefined,
      tenantNameMaxLength,
    ),
    tier: choice(tiers, "What the tenant buys: standard (CPU), premium (GPU) or both."),
    costCentre: Type.String({
      description: "Cost centre billed for the tenant (a label value).",
      maxLength: 63,
      pattern: "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$",
    }),
    values: Type.Optional(
      Type.Unsafe<Record<string, unknown>>({
        type: "object",
        description: "Values for this tenant's release of the tenant chart, over the chart's defaults.",
      }),
    ),
  },
  { additionalProperties: false, description: "A tenant." },
);

export const platformValues = strictObject(
  "Values of the platform chart.",
  {
    priorityClasses: strictObject(
      "PriorityClasses tenant and platform workloads run with; keep platformCritical above premium above standard.",
      {
        platformCritical: priorityClass("platform components every tenant depends on", 1000000, "PreemptLowerPriority"),
        premium: priorityClass("premium (GPU) tenant workloads", 100000, "PreemptLowerPriority"),
        standard: priorityClass("standard (CPU) tenant workloads", 10000, "Never"),
      },
    ),
    storage: strictObject("StorageClasses besides the model cache's, and EBS snapshots.", {
      gp3: strictObject(
        "Encrypted gp3 EBS volumes, bound where the pod lands (WaitForFirstConsumer). A StorageClass is immutable: to change its settings, delete it first (existing volumes keep theirs).",
        {
          enabled: Type.Boolean({ description: "Create the encrypted gp3 StorageClass.", default: true }),
          name: dnsLabel("StorageClass name.", "llmcharts-gp3-encrypted", 63),
          isDefaultClass: Type.Boolean({
            description: "Mark it the cluster's default StorageClass (make sure no other class is).",
            default: false,
          }),
          ...ebsClassFields,
          iops: Type.Optional(
            Type.Integer({ description: "Provisioned IOPS (gp3 baseline is 3000).", minimum: 3000, maximum: 80000 }),
          ),
          throughput: Type.Optional(
            Type.Integer({
              description: "Provisioned throughput in MiB/s (gp3 baseline is 125).",
              minimum: 125,
              maximum: 2000,
            }),
          ),
        },
      ),
      io2: strictObject(
        "Encrypted io2 Block Express EBS volumes for latency-sensitive data (databases, vector stores): IOPS provisioned per GiB.",
        {
          enabled: Type.Boolean({ description: "Create the encrypted io2 StorageClass.", default: false }),
          name: dnsLabel("StorageClass name.", "llmcharts-io2-encrypted", 63),
          ...ebsClassFields,
          iopsPerGB: Type.Integer({
            description: "IOPS provisioned per GiB of volume (io2 allows up to 1000).",
            default: 50,
            minimum: 1,
            maximum: 1000,
          }),
          allowAutoIOPSPerGBIncrease: Type.Boolean({
            description: "Raise the IOPS of small volumes to io2's minimum (100) instead of refusing them.",
            default: true,
          }),
        },
      ),
      snapshots: strictObject(
        "A VolumeSnapshotClass for EBS (needs the external-snapshotter CRDs and controller) and a rotating daily snapshot of each listed tenant's OpenWebUI data claim.",
        {
          enabled: Type.Boolean({ description: "Create the VolumeSnapshotClass.", default: false }),
          className: dnsLabel("VolumeSnapshotClass name.", "llmcharts-ebs", 63),
          deletionPolicy: choice(
            ["Retain", "Delete"],
            "What happens to the EBS snapshot when its VolumeSnapshot is deleted (rotation deletes one a day).",
            "Delete",
          ),
          schedule: strictObject(
            "Daily snapshots of each tenant's OpenWebUI data claim, kept a week: one CronJob per weekday replaces that day's snapshot (<claim>-<weekday>), so each tenant holds at most seven. With argocd.enabled, the ApplicationSet sets the tenant chart's backup on every tenant it delivers (fleet folder or list), and each tenant release runs its own CronJobs in its namespace; without it, the platform's CronJobs snapshot the tenants of the tenants list.",
            {
              enabled: Type.Boolean({
                description: "Create the snapshot CronJobs (needs snapshots.enabled).",
                default: false,
              }),
              hour: Type.Integer({
                description: "Hour of the day (UTC) the snapshots are taken.",
                default: 2,
                minimum: 0,
                maximum: 23,
              }),
              minute: Type.Integer({ description: "Minute of that hour.", default: 0, minimum: 0, maximum: 59 }),
              image: imageValues("The kubectl image the CronJobs run.", "registry.k8s.io/kubectl", "v1.35.8"),
              apiServerCidr: Type.String({
                description:
                  "Addresses of the API server (the EKS endpoint's ENIs) the Jobs may reach on 443/6443; narrow it to your VPC's range.",
                default: "0.0.0.0/0",
                pattern: ipv4Cidr,
              }),
            },
          ),
        },
        {
          allOf: [
            rule(
              { properties: { schedule: { properties: { enabled: { const: true } } } } },
              { properties: { enabled: { const: true } } },
            ),
          ],
        },
      ),
    }),
    modelCache: strictObject(
      "The shared model cache on EFS and the catalog of models pulled into it.",
      {
        enabled: Type.Boolean({
          description: "Create the EFS StorageClass, the writer volume and one pull Job per catalog model.",
          default: false,
        }),
        ...modelCacheLocation,
        fileSystemId: Type.String({
          description:
            "EFS file system holding the cache (required when enabled with source efs). StorageClasses and volumes are immutable: to change it, delete the model-cache StorageClass and the writer volume first.",
          default: "",
          pattern: "^(fs-[0-9a-f]{8}([0-9a-f]{9})?)?$",
        }),
        accessPointId: Type.String({
          description:
            "EFS access point of the cache directory (required when enabled with source efs); it fixes the owner of every file, so non-root pods can write.",
          default: "",
          pattern: "^(fsap-[0-9a-f]{17})?$",
        }),
        basePath: Type.String({
          description: "Parent directory of the access points the StorageClass provisions dynamically.",
          default: "/llmcharts",
          pattern: "^(/[A-Za-z0-9._-]+)+$",
          maxLength: 100,
        }),
        uid: Type.Integer({
          description:
            "POSIX user owning the cache's files (the access point's); the pull Jobs run as it. Above 10000, outside the host's own users.",
          default: defaultAppUids.modelPull,
          minimum: 1,
          maximum: 2147483647,
        }),
        gid: Type.Integer({
          description: "POSIX group owning the cache's files; the pull Jobs run with it.",
          default: defaultAppUids.modelPull,
          minimum: 1,
          maximum: 2147483647,
        }),
        size: Type.String({
          description:
            "Nominal size of the writer volume (EFS is elastic; Kubernetes needs a number). It can only grow.",
          default: "1Ti",
          pattern: "^[1-9][0-9]{0,5}(Gi|Ti)$",
        }),
        image: imageValues(
          "The Ollama image the pull Jobs run (pin it: the Jobs are renamed, and rerun, when it changes). The default is the tenant chart's Ollama: keep the two on one version, so the cache is written as the tenants read it.",
          ollamaImage.repository,
          ollamaImage.tag,
        ),
        backoffLimit: Type.Integer({
          description: "Retries of a failed pull before its Job fails (and the LLMModelCacheJobFailed alert fires).",
          default: 3,
          minimum: 0,
          maximum: 20,
        }),
        activeDeadlineSeconds: Type.Integer({
          description: "Longest a pull may run, retries included, before it is stopped.",
          default: 7200,
          minimum: 300,
          maximum: 86400,
        }),
        ttlSecondsAfterFinished: Type.Integer({
          description:
            "Finished Jobs are deleted after this; Helm (next upgrade) or Argo CD (self-heal) then recreates them, and the pull finds the model present and only checks its manifest.",
          default: 86400,
          minimum: 60,
          maximum: 2592000,
        }),
        resources: resourceValues(
          "Resources of each pull (the Ollama server unpacking layers is CPU-bound; the limit keeps a large pull off its neighbours).",
          { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
        ),
        httpsProxy: strictObject(
          "An HTTPS proxy the pulls go through. When set, the pull Jobs may reach only the proxy (proxyCidr on proxyPort), not registryEgress.",
          {
            url: Type.String({
              description: "Proxy URL, e.g. http://proxy.corp.example:3128 (set as HTTPS_PROXY); empty for none.",
              default: "",
              pattern: "^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?)?$",
              maxLength: 200,
            }),
            cidr: Type.String({
              description: "The proxy's addresses, for the egress NetworkPolicy (required with url).",
              default: "",
              pattern: `^(${ipv4Cidr.slice(1, -1)})?$`,
            }),
            port: Type.Integer({ description: "The proxy's port.", default: 3128, minimum: 1, maximum: 65535 }),
            noProxy: Type.Array(Type.String({ pattern: "^[A-Za-z0-9.*/:-]{1,100}$" }), {
              description: "Hosts reached without the proxy (NO_PROXY), besides localhost.",
              default: [],
              maxItems: 20,
            }),
          },
          {
            allOf: [rule({ properties: { url: { minLength: 1 } } }, { properties: { cidr: { minLength: 1 } } })],
          },
        ),
        ...placementFields("pull Jobs"),
        mirror: strictObject(
          "A private registry holding the catalog's models (pushed there with `ollama push`), pulled from instead of Ollama's: each model as <registry>/library/<name>:<tag> (or <registry>/<namespace>/<model>:<tag> for a namespaced name), then saved under its catalog name, the name tenants use.",
          {
            registry: Type.String({
              description:
                "The registry's host[:port] (e.g. models.corp.example:5000); empty pulls from Ollama's registry.",
              default: "",
              pattern: "^([A-Za-z0-9.-]+(:[0-9]{1,5})?)?$",
              maxLength: 200,
            }),
            insecure: Type.Boolean({
              description: "Plain HTTP to the registry (ollama pull --insecure): only for a lab's registry.",
              default: false,
            }),
          },
        ),
        registryPorts: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), {
          description:
            "Ports the pull Jobs may connect to on registryEgress: 443 for Ollama's registry; a mirror's port, and the port of the blob store it redirects downloads to.",
          default: [443],
          minItems: 1,
          maxItems: 5,
          uniqueItems: true,
        }),
        registryEgress: Type.Array(egressBlock, {
          description:
            "Where the pull Jobs may connect on registryPorts (besides cluster DNS). The Ollama registry sits behind a CDN with changing addresses, so the default is the whole IPv4 internet minus private, carrier-grade NAT and link-local ranges (no VPC service, no IMDS); narrow it to your proxy or mirror if you have one.",
          default: [{ cidr: "0.0.0.0/0", except: privateRanges }],
          minItems: 1,
          maxItems: 20,
        }),
        models: Type.Array(catalogModel, {
          description:
            "The model catalog: each model is pulled once into its tier's catalog of the cache, by its own Job. A tenant's Ollama reads only its tier's catalog: list an embedding model under every tier whose tenants run document search (standard, and premium for premium-only tenants).",
          // Every model the tenant chart's defaults and README examples name, in the tier that reads it.
          default: [
            { name: "llama3.2", tag: "3b", tier: "standard", sizeGiB: 2 },
            { name: "qwen2.5", tag: "3b", tier: "standard", sizeGiB: 2 },
            { name: "qwen2.5", tag: "7b", tier: "standard", sizeGiB: 5 },
            { name: "llama3.1", tag: "8b", tier: "standard", sizeGiB: 5 },
            { name: "nomic-embed-text", tag: "v1.5", tier: "standard", sizeGiB: 1 },
            { name: "llama3.1", tag: "70b", tier: "premium", sizeGiB: 40 },
            { name: "llama3.3", tag: "70b", tier: "premium", sizeGiB: 43 },
            { name: "nomic-embed-text", tag: "v1.5", tier: "premium", sizeGiB: 1 },
          ],
          maxItems: 100,
          uniqueItems: true,
        }),
      },
      {
        // An enabled cache must say where it lives: the failing keyword sits on the field to fill in.
        allOf: [
          rule(onEfs, { properties: { fileSystemId: { minLength: 1 } } }),
          rule(onEfs, { properties: { accessPointId: { minLength: 1 } } }),
        ],
      },
    ),
    gpuSharing: strictObject(
      "NVIDIA device-plugin configurations, one per value of the node label llmcharts.io/gpu-sharing (none, time-slicing, mig).",
      {
        enabled: Type.Boolean({ description: "Create the device-plugin ConfigMap.", default: true }),
        namespace: dnsLabel(
          "Namespace of the NVIDIA device plugin (the ConfigMap must live there).",
          "nvidia-device-plugin",
          63,
        ),
        configMapName: dnsLabel(
          "ConfigMap name; give it to the device plugin chart as config.name.",
          "llmcharts-device-plugin-config",
          63,
        ),
        timeSlicingReplicas: Type.Integer({
          description:
            "Pods sharing one GPU on time-sliced nodes whose pool sets no timeSlicingReplicas of its own (no memory isolation between them); pools that set it get the entries time-slicing-2 to time-slicing-4.",
          default: 4,
          minimum: 2,
          maximum: 48,
        }),
        migStrategy: choice(
          ["single", "mixed"],
          "How MIG slices are advertised: mixed (nvidia.com/mig-<profile>, what pods of a MIG pool ask for) or single (all alike, as nvidia.com/gpu).",
          "mixed",
        ),
      },
    ),
    policies: strictObject(
      "Tenant isolation policies and their settings; every setting goes into the Kyverno ClusterPolicies and the native ValidatingAdmissionPolicies alike.",
      {
        ...policySettingsFields,
        kyverno: strictObject("Kyverno ClusterPolicies (kyverno.io/v1; Kyverno must be installed).", {
          enabled: Type.Boolean({ description: "Create the Kyverno isolation ClusterPolicies.", default: true }),
        }),
        admission: strictObject("Native ValidatingAdmissionPolicies (API server only, Kubernetes 1.30+).", {
          enabled: Type.Boolean({
            description: "Create the ValidatingAdmissionPolicies and their bindings.",
            default: true,
          }),
        }),
      },
    ),
    monitoring: strictObject("Alerts and Grafana dashboards for kube-prometheus-stack.", {
      namespace: dnsLabel(
        "Namespace of the PrometheusRule and the dashboard ConfigMaps.",
        defaultPolicySettings.sharedNamespaces.monitoring,
        63,
      ),
      rules: strictObject("The PrometheusRule.", {
        enabled: Type.Boolean({
          description: "Create the PrometheusRule (needs the Prometheus Operator CRDs).",
          default: true,
        }),
        labels: Type.Unsafe<Record<string, string>>({
          ...labelMap(
            "Labels Prometheus selects rules by: kube-prometheus-stack wants release=<its release name> unless ruleSelectorNilUsesHelmValues is false.",
          ),
          default: { release: "kube-prometheus-stack" },
        }),
        runbookBaseUrl: Type.Optional(
          Type.String({
            description: "Base URL of your runbooks; each alert links to <base>#<alert name>.",
            pattern: "^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$",
            maxLength: 200,
          }),
        ),
      }),
      alerts: strictObject("Alert thresholds and severities.", {
        gpuPodPending: strictObject("A pod asking for a GPU stays Pending (no capacity, quota or spot shortage).", {
          after: promDuration("How long it may stay Pending.", "15m"),
          severity: severity("warning"),
        }),
        premiumColdStart: strictObject("A GPU (premium Ollama) pod is not Ready long after it was created.", {
          seconds: Type.Integer({
            description: "Cold-start budget in seconds: node launch, image pull and model load.",
            default: 300,
            minimum: 30,
            maximum: 7200,
          }),
          severity: severity("warning"),
        }),
        oomKilled: strictObject("A container was OOMKilled and restarted.", {
          window: promDuration("Look-back window for the restart.", "15m"),
          severity: severity("warning"),
        }),
        quota: strictObject("A tenant namespace uses most of a ResourceQuota.", {
          percent: Type.Integer({
            description: "Usage that fires the alert, in percent.",
            default: 90,
            minimum: 1,
            maximum: 100,
          }),
          after: promDuration("How long usage must stay above it.", "15m"),
          severity: severity("warning"),
        }),
        spotInterruptions: strictObject("Karpenter received many spot interruption warnings.", {
          count: Type.Integer({
            description: "Warnings within the window that fire the alert.",
            default: 3,
            minimum: 1,
            maximum: 1000,
          }),
          window: promDuration("Window the warnings are counted over.", "1h"),
          severity: severity("warning"),
        }),
        modelCacheJob: strictObject("A model pull Job failed: tenants cannot load that model.", {
          severity: severity("critical"),
        }),
        interruptionDrains: strictObject(
          "Karpenter drained and deleted nodes of a pool because of interruptions (spot reclaims, scheduled maintenance).",
          {
            count: Type.Integer({
              description: "Nodes of one NodePool within the window that fire the alert.",
              default: 2,
              minimum: 1,
              maximum: 1000,
            }),
            window: promDuration("Window the drained nodes are counted over.", "1h"),
            severity: severity("warning"),
          },
        ),
        externalSecret: strictObject(
          "An ExternalSecret cannot sync (Secrets Manager down, the path or the role wrong): its Secret keeps the last good value, a new tenant's pods cannot start.",
          {
            after: promDuration(
              "How long it may fail before the alert fires (External Secrets retries meanwhile).",
              "10m",
            ),
            severity: severity("warning"),
          },
        ),
        syntheticCheck: strictObject("A tenant's OpenWebUI failed its synthetic health check.", {
          after: promDuration("How long the check must keep failing.", "5m"),
          severity: severity("critical"),
        }),
      }),
      dcgmExporter: strictObject(
        "Scraping the NVIDIA DCGM exporter the GPU operator runs, so the GPU dashboard and alerts have data (leave it off if the GPU operator's own ServiceMonitor is on).",
        {
          enabled: Type.Boolean({ description: "Create the ServiceMonitor or PodMonitor.", default: true }),
          kind: choice(
            ["ServiceMonitor", "PodMonitor"],
            "ServiceMonitor scrapes through the exporter's Service; PodMonitor scrapes its pods directly (when the Service is off).",
            "ServiceMonitor",
          ),
          namespace: dnsLabel("Namespace the exporter runs in.", "gpu-operator", 63),
          selector: Type.Unsafe<Record<string, string>>({
            ...labelMap("Labels of the exporter's Service (ServiceMonitor) or pods (PodMonitor)."),
            default: { app: "nvidia-dcgm-exporter" },
            minProperties: 1,
          }),
          port: Type.String({
            description: "Name of the metrics port on the Service or pod.",
            default: "gpu-metrics",
            pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
            maxLength: 15,
          }),
          interval: promDuration("Scrape interval.", "30s"),
          labels: Type.Unsafe<Record<string, string>>({
            ...labelMap("Labels Prometheus selects monitors by (kube-prometheus-stack: release=<its release name>)."),
            default: { release: "kube-prometheus-stack" },
          }),
        },
      ),
      syntheticChecks: strictObject(
        "A synthetic check of every tenant's OpenWebUI (/health), probed from the monitoring namespace through the blackbox exporter and through the tenant's Service: one Prometheus Operator ScrapeConfig with which Prometheus finds the tenants at run time, listed in tenants or deployed from the fleet folder, by the tenant chart's labels on the OpenWebUI Service (needs the ScrapeConfig CRD, Prometheus selecting ScrapeConfigs by monitoring.rules.labels, and RBAC to list Services in every namespace). Each tenant admits the exporter's pods to OpenWebUI's port (the tenant chart's network.healthProber; its default pod labels are those of the prometheus-blackbox-exporter chart).",
        {
          enabled: Type.Boolean({ description: "Create the ScrapeConfig that probes every tenant.", default: false }),
          proberUrl: Type.String({
            description: "The blackbox exporter's address, host:port.",
            default: `${healthProber.service}.${defaultPolicySettings.sharedNamespaces.monitoring}.svc:${healthProber.port}`,
            pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[0-9]{1,5}$",
            maxLength: 200,
          }),
          module: Type.String({
            description: "Blackbox exporter module that expects a 2xx answer over HTTP.",
            default: "http_2xx",
            pattern: "^[A-Za-z0-9_-]{1,63}$",
          }),
          interval: promDuration("How often each tenant is probed.", "1m"),
        },
      ),
      dashboards: strictObject("Grafana dashboards as ConfigMaps for the kube-prometheus-stack dashboard sidecar.", {
        enabled: Type.Boolean({ description: "Create the dashboard ConfigMaps.", default: true }),
        labels: Type.Unsafe<Record<string, string>>({
          ...labelMap("Labels the Grafana sidecar discovers dashboards by (its label and labelValue)."),
          default: { grafana_dashboard: "1" },
        }),
        folder: Type.String({
          description:
            "Grafana folder (annotation grafana_folder; the sidecar needs folderAnnotation set). Empty for none.",
          default: "LLM platform",
          maxLength: 100,
          pattern: "^([A-Za-z0-9][A-Za-z0-9 ._-]*)?$",
        }),
        cost: strictObject(
          "List prices the cost dashboard multiplies resource requests by (an estimate, not a bill: spot, savings plans and time-slicing are not modelled).",
          {
            currency: choice(["USD", "EUR", "GBP"], "Currency of the prices.", "USD"),
            gpuHour: price("Price of one requested GPU for one hour.", "1.0"),
            vcpuHour: price("Price of one requested vCPU for one hour.", "0.0336"),
            memoryGiBHour: price("Price of one requested GiB of memory for one hour.", "0.0045"),
          },
        ),
      }),
    }),
    logs: strictObject(
      "The tenants' log pipeline: an OpenTelemetry Collector on every node (a DaemonSet in the namespace llmcharts-logs) reads the log files of the pods of tenant namespaces (tenant-*) only, labels each line with its tenant (resource attribute tenant, the namespace without tenant-), and pushes them over OTLP/HTTP to one destination: Loki 3's OTLP endpoint (<loki>/otlp) or any OTLP/HTTP receiver. Off by default, for clusters whose cloud ships node logs already. Nothing in a tenant's pods depends on it: an unreachable destination is retried, then its lines are dropped.",
      {
        enabled: Type.Boolean({
          description: "Run the log collector DaemonSet (needs endpoint and egress.cidr).",
          default: false,
        }),
        endpoint: Type.String({
          description:
            "Base URL of the OTLP/HTTP destination; the collector appends /v1/logs. Loki 3: http(s)://<loki-gateway>/otlp. Required when enabled.",
          default: "",
          maxLength: 300,
          pattern: "^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?)?$",
        }),
        podLogsDir: Type.String({
          description:
            "Where the nodes' kubelets write pods' logs (the kubelet's podLogsDir), mounted read-only into the collector.",
          default: "/var/log/pods",
          maxLength: 200,
          pattern: "^(/[A-Za-z0-9._-]+)+$",
        }),
        headersSecret: Type.String({
          description:
            "A Secret in llmcharts-logs holding the values of headers (credentials, a Loki tenant id); required with headers. Never written in these values.",
          default: "",
          maxLength: 253,
          pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
        }),
        headers: Type.Array(
          Type.Object(
            {
              name: Type.String({
                description: "HTTP header name, e.g. Authorization or X-Scope-OrgID.",
                pattern: "^[A-Za-z][A-Za-z0-9-]{0,63}$",
              }),
              secretKey: Type.String({
                description: "Key of headersSecret holding the header's value.",
                pattern: "^[-._a-zA-Z0-9]{1,253}$",
              }),
            },
            {
              additionalProperties: false,
              description: "A header sent with every push, its value from headersSecret.",
            },
          ),
          {
            description: "Headers sent with every push, each read from a key of headersSecret.",
            default: [],
            maxItems: 10,
            uniqueItems: true,
          },
        ),
        egress: strictObject(
          "Where the collector may connect besides cluster DNS (its NetworkPolicy): the destination's addresses and port. A NetworkPolicy cannot name a host, so give its range (for a destination inside the cluster, the pod range).",
          {
            cidr: Type.String({
              description: "The destination's IPv4 range. Required when enabled.",
              default: "",
              pattern: `^(${ipv4Cidr.slice(1, -1)})?$`,
            }),
            port: Type.Integer({
              description: "The destination's port (443 for HTTPS, 3100 for Loki, 4318 for a collector).",
              default: 443,
              minimum: 1,
              maximum: 65535,
            }),
          },
        ),
        image: imageValues(
          "The collector image: llmcharts' build (filelog, resource, batch, OTLP/HTTP); upstream's otelcol-contrib of the same release has the same components.",
          logsImage.repository,
          logsImage.tag,
        ),
        resources: resourceValues(
          "Resources of each node's collector (it holds at most a few MiB of lines queued while the destination is away).",
          { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        ),
        nodeSelector: labelMap(
          "Node labels the collector runs on; empty for every node, which is what collects every tenant's logs.",
        ),
        tolerations: Type.Array(toleration, {
          description:
            "Tolerations of the collector: by default every taint, so that the tainted GPU pools' premium tenants are collected too.",
          default: [{ operator: "Exists" }],
          maxItems: 20,
        }),
      },
      {
        // An enabled pipeline must say where its lines go: the failing keyword sits on the field to fill in.
        allOf: [
          rule(
            { properties: { enabled: { const: true } }, required: ["enabled"] },
            { properties: { endpoint: { minLength: 1 } } },
          ),
          rule(
            { properties: { enabled: { const: true } }, required: ["enabled"] },
            { properties: { egress: { properties: { cidr: { minLength: 1 } } } } },
          ),
          rule(
            { properties: { headers: { minItems: 1 } }, required: ["headers"] },
            { properties: { headersSecret: { minLength: 1 } } },
          ),
        ],
      },
    ),
    argocd: argocdValues,
    tenants: Type.Array(tenant, {
      description:
        "Tenants of the ApplicationSet with argocd.tenantsFrom list, and of the snapshot schedule when argocd is off (names must be unique; a fleet of any size belongs in a fleet folder instead).",
      default: [],
      uniqueItems: true,
    }),
    ...umbrellaValues("every image this chart runs (the model pull Jobs' and the snapshot CronJobs')"),
  },
  {
    // The platform's own snapshot schedule (no ApplicationSet) without tenants would run kubectl on no manifests, and
    // fail every night. With the ApplicationSet the tenants come from it, the fleet folder's too.
    allOf: [
      rule(
        {
          properties: {
            storage: nested(["snapshots", "schedule"], { properties: { enabled: { const: true } } }),
            // Absent means argocd's default, off.
            argocd: { properties: { enabled: { const: false } } },
          },
          required: ["storage"],
        },
        { properties: { tenants: { minItems: 1 } } },
      ),
    ],
  },
);

export type PlatformValues = Static<typeof platformValues>;
