import { type Static, Type } from "@sinclair/typebox";
import { tiers } from "../lib/conventions.js";
import {
  choice,
  dnsLabel,
  duration,
  labelMap,
  quantity,
  rule,
  strictObject,
  umbrellaValues,
} from "../lib/values-shapes.js";
import {
  autoscalingFields,
  disruptionBudgetValues,
  imageValues,
  nested,
  notBelow,
  probeTimingValues,
  resourceValues,
} from "../lib/workload.js";

import { modelCacheLocation, ollamaImage, reservedTenantNames } from "../lib/model-cache.js";
import { premiumPool, tenantGpuPools } from "../lib/pools.js";
import { healthProber, tenantNameMaxLength, tenantObjectNames } from "../lib/tenant-namespace.js";
import {
  annotationValues,
  commonAnnotationValues,
  commonLabelValues,
  podOverrideValues,
} from "../lib/pod-overrides.js";
import { defaultAppUids, runAsValues } from "../lib/pod-security.js";
import { backupValues } from "./backup-values.js";
import { gpuFitRules, maxGpusPerPod } from "./gpu-fit.js";
import { ollamaOwnedEnv, ollamaOwnedMounts, openwebuiOwnedEnv, openwebuiOwnedMounts } from "./owned-env.js";

/** Tiers that run premium (GPU) Ollama, and those that run standard (CPU) Ollama. */
export const premiumTiers = tiers.filter((t) => t !== "standard");
export const standardTiers = tiers.filter((t) => t !== "premium");

const ipv4 = "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const cidrPattern = `^${ipv4}/([0-9]|[12][0-9]|3[0-2])$`;
/**
 * OpenWebUI 0.12.4's endpoints that run a model (main.py and its /ollama and /openai routers): what a per-user rate
 * limit guards. Its helpers (/api/v1/tasks: titles, autocompletion) are left out: the UI calls them as users type.
 */
export const inferencePaths = [
  "/api/chat/completions",
  "/api/v1/chat/completions",
  "/api/message",
  "/api/v1/messages",
  "/api/embeddings",
  "/api/v1/embeddings",
  "/ollama",
  "/openai",
] as const;

/** A rule's demand that no rate limit be set (where nothing could enforce it). */
const noRateLimit = { properties: { rateLimit: { properties: { requestsPerMinute: { type: "null" } } } } };

const hostPattern = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]([-a-z0-9]*[a-z0-9])?$";
const serviceHostPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const labelValuePattern = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

const cidrs = (description: string, def: string[] = [], minItems = 0) =>
  Type.Array(Type.String({ pattern: cidrPattern, description: "An IPv4 CIDR such as 10.20.0.0/16." }), {
    description,
    default: def,
    ...(minItems > 0 ? { minItems } : {}),
    maxItems: 20,
    uniqueItems: true,
  });

const port = (description: string, def: number) =>
  Type.Integer({ description, default: def, minimum: 1, maximum: 65535 });

const ollamaModel = (description: string, def: string) =>
  Type.String({
    description,
    default: def,
    maxLength: 100,
    pattern: "^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9._-]+)?$",
  });

/**
 * One direction of an HPA's behavior: how long the recommendation must hold, and the most it may change per period,
 * in percent of the current replicas. Bounds are the API server's (window ≤ 3600 s, period 1–1800 s); scaling down by
 * more than 100% means nothing, so `maxPercent` is given per direction.
 */
const hpaStep = (
  description: string,
  defaults: { stabilizationWindowSeconds: number; percent: number; periodSeconds: number },
  maxPercent: number,
) =>
  strictObject(description, {
    stabilizationWindowSeconds: Type.Integer({
      description: "Seconds the HPA looks back and acts on the most conservative recommendation seen (0: at once).",
      default: defaults.stabilizationWindowSeconds,
      minimum: 0,
      maximum: 3600,
    }),
    percent: Type.Integer({
      description: `The most replicas may change per period, in percent of the current count (1–${maxPercent}).`,
      default: defaults.percent,
      minimum: 1,
      maximum: maxPercent,
    }),
    periodSeconds: Type.Integer({
      description: "The period percent applies to, in seconds (1–1800).",
      default: defaults.periodSeconds,
      minimum: 1,
      maximum: 1800,
    }),
  });

/** A destination of an extraEgress rule: an IP range, or a namespace named (and its pods, by labels). */
const egressPeer = Type.Object(
  {
    ipBlock: Type.Optional(
      strictObject(
        "An IP range; 0.0.0.0/0 gets network.privateCidrs cut out, so it never reaches the cluster's pods.",
        {
          cidr: Type.String({ pattern: cidrPattern, description: "An IPv4 CIDR such as 203.0.113.0/24." }),
        },
      ),
    ),
    namespaceSelector: Type.Optional(
      strictObject(
        "A namespace by name, which the platform's policies.sharedNamespaces must list (its policies refuse any other selector).",
        {
          matchLabels: Type.Object(
            {
              "kubernetes.io/metadata.name": {
                ...dnsLabel("The namespace's name; never a tenant's (tenant-*).", undefined, 63),
                not: { pattern: "^tenant-" },
              },
            },
            { additionalProperties: false, required: ["kubernetes.io/metadata.name"] },
          ),
        },
      ),
    ),
    podSelector: Type.Optional(
      strictObject("Pods of that namespace, by labels (with namespaceSelector only).", {
        matchLabels: {
          ...labelMap("Labels the pods carry."),
          minProperties: 1,
        },
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "One destination: an ipBlock, or a namespaceSelector (optionally with a podSelector).",
    oneOf: [{ required: ["ipBlock"] }, { required: ["namespaceSelector"] }],
    allOf: [rule({ required: ["podSelector"] }, { required: ["namespaceSelector"] })],
  },
);

const extraEgressRule = strictObject("One destination group OpenWebUI may reach, on the ports listed.", {
  name: dnsLabel(
    "What the rule is for (web-search, smtp, s3): its NetworkPolicy is extra-egress-<name>.",
    undefined,
    40,
  ),
  to: Type.Array(egressPeer, { description: "Destinations (at least one).", minItems: 1, maxItems: 20 }),
  ports: Type.Array(
    Type.Object(
      {
        port: Type.Integer({ description: "Port.", minimum: 1, maximum: 65535 }),
        endPort: Type.Optional(Type.Integer({ description: "Last port of a range.", minimum: 1, maximum: 65535 })),
        protocol: Type.Optional(choice(["TCP", "UDP"], "Protocol (TCP when left out).")),
      },
      { additionalProperties: false, required: ["port"] },
    ),
    { description: "Ports (at least one: a rule without ports would open every port).", minItems: 1, maxItems: 20 },
  ),
});

/**
 * The kinds extraObjects may hold: namespaced ones that stay inside the tenant namespace. No cluster-scoped kind
 * (it would reach beyond the tenant), and no Role or RoleBinding (a binding could name another namespace's account).
 */
export const extraObjectKinds = [
  "ConfigMap",
  "Secret",
  "Service",
  "ServiceAccount",
  "PersistentVolumeClaim",
  "Deployment",
  "StatefulSet",
  "Job",
  "CronJob",
  "PodDisruptionBudget",
  "HorizontalPodAutoscaler",
  "NetworkPolicy",
  "ExternalSecret",
  "ServiceMonitor",
  "PodMonitor",
  "PrometheusRule",
] as const;

// Apart from kind, so that no object literal here holds both apiVersion and kind: test/engine/typed-sources reads
// such a literal as a Kubernetes object, and this is its values schema.
const extraObjectApiVersion = {
  apiVersion: Type.String({
    description: "API version, e.g. v1 or apps/v1.",
    maxLength: 100,
    pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$",
  }),
};

const extraObject = Type.Object(
  {
    ...extraObjectApiVersion,
    kind: choice(extraObjectKinds, "Kind: a namespaced one of the allowed kinds."),
    metadata: Type.Object(
      {
        name: Type.String({
          description: "Name.",
          minLength: 1,
          maxLength: 253,
          pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
        }),
        labels: Type.Optional(commonLabelValues("Labels beside the chart's (never the chart's own keys).")),
        annotations: Type.Optional(annotationValues("Annotations.")),
      },
      {
        additionalProperties: false,
        description: "Name, labels and annotations; the namespace is always the tenant's, so it is not given.",
      },
    ),
  },
  {
    // The body (spec, data, rules…) is the kind's own: kubeconform and the platform's policies check it.
    additionalProperties: true,
    required: ["apiVersion", "kind", "metadata"],
    description: "One manifest.",
  },
);

/** Ollama's runtime settings, first-class per tier (they are environment variables of the server). */
const ollamaTuning = (keepAlive: string, numParallel: number, maxLoadedModels: number) => ({
  keepAlive: Type.String({
    description: "OLLAMA_KEEP_ALIVE: how long a model stays in memory after its last request (e.g. 30m; -1 forever).",
    default: keepAlive,
    pattern: "^(-1|0|([0-9]+(ms|s|m|h))+)$",
  }),
  numParallel: Type.Integer({
    description: "OLLAMA_NUM_PARALLEL: requests each loaded model serves at once.",
    default: numParallel,
    minimum: 1,
    maximum: 64,
  }),
  maxLoadedModels: Type.Integer({
    description: "OLLAMA_MAX_LOADED_MODELS: models held in memory at once.",
    default: maxLoadedModels,
    minimum: 1,
    maximum: 16,
  }),
});

const openwebui = strictObject(
  "OpenWebUI, the tenant's chat front end (runs on standard CPU nodes for every tier).",
  {
    image: imageValues("OpenWebUI image.", "ghcr.io/open-webui/open-webui", "v0.12.4"),
    admin: strictObject(
      "The tenant's first admin, created at OpenWebUI's first start (so no visitor can claim the role); the password comes from the tenant's secret admin-password.",
      {
        email: Type.String({
          description: "Admin e-mail; empty creates no admin (the first user to sign up becomes admin).",
          default: "",
          maxLength: 254,
          pattern: '^([^@\\s"\\\\]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})?$',
        }),
        name: Type.String({
          description: "Admin display name.",
          default: "Admin",
          pattern: "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$",
        }),
      },
    ),
    signup: strictObject("Self-service sign-up with e-mail and password (OIDC sign-up is oidc.allowSignup).", {
      enabled: Type.Boolean({ description: "Let visitors create accounts.", default: false }),
      defaultRole: choice(
        ["pending", "user"],
        "Role of a new account: pending (an admin approves it) or user.",
        "pending",
      ),
    }),
    modelAccess: strictObject(
      "Who may use which model. OpenWebUI shows users (not admins) only models granted to them, none on a fresh tenant; with an admin (admin.email), a container of OpenWebUI's pod grants the standard model to every user and the premium model to premiumGroups' members, and puts the grants back if they drift.",
      {
        enabled: Type.Boolean({
          description:
            "Keep the grants as these values say (needs admin.email). Off: an admin grants models in OpenWebUI's admin panel.",
          default: true,
        }),
        premiumGroups: Type.Array(
          Type.String({
            minLength: 1,
            maxLength: 64,
            pattern: "^[A-Za-z0-9][A-Za-z0-9 ._-]*$",
            description: "An OpenWebUI group name.",
          }),
          {
            description:
              "OpenWebUI groups whose members may use the premium model (created if missing; admins, or OIDC group management, add the members). Empty: every user.",
            default: ["premium"],
            uniqueItems: true,
            maxItems: 20,
          },
        ),
        recheckSeconds: Type.Integer({
          description: "Seconds between checks that the grants are still as the values say.",
          default: 300,
          minimum: 30,
          maximum: 86400,
        }),
      },
    ),
    rag: strictObject(
      "Document search (RAG). Embeddings are computed by the tenant's own Ollama, so OpenWebUI loads no local model and starts offline.",
      {
        embeddingModel: ollamaModel(
          "Embedding model served by the tenant's Ollama (a model of the platform's cache catalog).",
          "nomic-embed-text:v1.5",
        ),
      },
    ),
    replicas: Type.Integer({
      description:
        "Replicas when autoscaling is off. More than 1 requires Postgres, Redis, pgvector and a ReadWriteMany volume.",
      default: 1,
      minimum: 1,
      maximum: 20,
    }),
    autoscaling: strictObject(
      "HorizontalPodAutoscaler on CPU and optionally memory (requires the multi-replica setup, as replicas > 1).",
      {
        enabled: Type.Boolean({
          description: "Scale OpenWebUI with an HPA instead of a fixed replica count.",
          default: false,
        }),
        ...autoscalingFields({ min: 2, max: 6 }),
      },
    ),
    podDisruptionBudget: disruptionBudgetValues("OpenWebUI"),
    runAs: runAsValues(
      "The non-root identity OpenWebUI runs as; it owns the data volume (EBS gets its gid; an EFS access point's own POSIX user must match).",
      defaultAppUids.openwebui,
    ),
    resources: resourceValues("OpenWebUI container resources.", {
      requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "1Gi" },
      // /tmp (2Gi) and HOME (256Mi), and with persistence off the data directory too (raise it by persistence.size).
      limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "4Gi" },
    }),
    persistence: strictObject("The data directory /app/backend/data (uploads, SQLite, local vector store, caches).", {
      enabled: Type.Boolean({
        description: "Keep the data directory on a PersistentVolumeClaim (kept on uninstall); off means emptyDir.",
        default: true,
      }),
      accessMode: choice(
        ["ReadWriteOnce", "ReadWriteMany"],
        "ReadWriteOnce (EBS, one replica) or ReadWriteMany (EFS, shared by every replica).",
        "ReadWriteOnce",
      ),
      storageClass: Type.String({
        description:
          "StorageClass of the claim; empty for the cluster default (a ReadWriteMany claim needs an EFS class).",
        default: "",
        maxLength: 63,
        pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
      }),
      size: quantity("Size of the claim.", "10Gi"),
      existingClaim: Type.String({
        description:
          "A PersistentVolumeClaim of the tenant namespace to mount instead of the chart's own (e.g. restored from a snapshot); the chart then creates no claim.",
        default: "",
        maxLength: 253,
        pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
      }),
    }),
    database: strictObject("Where OpenWebUI keeps its data.", {
      type: choice(
        ["sqlite", "postgres"],
        "sqlite (a file in the data directory, one replica only) or postgres (DATABASE_URL from the tenant's secret database-url).",
        "sqlite",
      ),
      cidrs: cidrs("Network ranges of the Postgres server (egress is denied elsewhere)."),
      port: port("Postgres port.", 5432),
    }),
    redis: strictObject("Redis for websockets and shared state across replicas.", {
      enabled: Type.Boolean({
        description: "Use Redis (REDIS_URL from the tenant's secret redis-url) as websocket manager.",
        default: false,
      }),
      cidrs: cidrs("Network ranges of the Redis server."),
      port: port("Redis port.", 6379),
      cluster: Type.Boolean({ description: "The Redis is a cluster (ElastiCache cluster mode).", default: false }),
    }),
    vectorDb: choice(
      ["chroma", "pgvector"],
      "Vector store: chroma (local files, one replica only) or pgvector (in the Postgres database).",
      "chroma",
    ),
    oidc: strictObject("Single sign-on through an OpenID Connect provider.", {
      enabled: Type.Boolean({ description: "Sign users in through OIDC.", default: false }),
      providerUrl: Type.String({
        description: "The provider's discovery document, https://…/.well-known/openid-configuration.",
        default: "",
        maxLength: 300,
        pattern: '^(https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\\s"\\\\]*)?/\\.well-known/openid-configuration)?$',
      }),
      clientId: Type.String({
        description: "OAuth client id (the client secret comes from the tenant's secret oidc-client-secret).",
        default: "",
        maxLength: 200,
        pattern: "^[A-Za-z0-9._:@/-]*$",
      }),
      providerName: Type.String({
        description: "Name on the sign-in button.",
        default: "SSO",
        pattern: "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$",
      }),
      scopes: Type.String({
        description: "Scopes requested, space-separated.",
        default: "openid email profile",
        pattern: "^[A-Za-z0-9_:./-]+( [A-Za-z0-9_:./-]+)*$",
      }),
      allowSignup: Type.Boolean({ description: "Create an account on a user's first OIDC sign-in.", default: true }),
      cidrs: cidrs("Network ranges of the provider, reached on port 443 (0.0.0.0/0 excludes network.privateCidrs)."),
    }),
    openai: strictObject("An OpenAI-compatible upstream next to Ollama.", {
      enabled: Type.Boolean({
        description: "Offer the upstream's models (API key from the tenant's secret openai-api-key).",
        default: false,
      }),
      baseUrl: Type.String({
        description: "Base URL of the OpenAI-compatible API.",
        default: "https://api.openai.com/v1",
        maxLength: 300,
        pattern: '^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\\s"\\\\]*)?$',
      }),
      cidrs: cidrs("Network ranges of the upstream, reached on port 443 (0.0.0.0/0 excludes network.privateCidrs)."),
    }),
    telemetry: strictObject("OpenTelemetry, pushed over OTLP/gRPC: traces to Tempo, metrics to a collector.", {
      enabled: Type.Boolean({
        description:
          "Export traces (and metrics, see metrics.enabled). The image must hold OpenTelemetry's packages: OpenWebUI's own image does, its PyPI release does not (see Troubleshooting).",
        default: false,
      }),
      host: Type.String({
        description: "Trace receiver host, a Service in network.monitoringNamespace (e.g. tempo.monitoring.svc).",
        default: "tempo.monitoring.svc",
        maxLength: 253,
        pattern: serviceHostPattern,
      }),
      port: port("Trace receiver OTLP/gRPC port.", 4317),
      metrics: strictObject("OTLP metrics, to a collector that takes them (Tempo does not).", {
        enabled: Type.Boolean({ description: "Export metrics too.", default: true }),
        host: Type.String({
          description: "Metrics collector host, a Service in network.monitoringNamespace.",
          default: "otel-collector.monitoring.svc",
          maxLength: 253,
          pattern: serviceHostPattern,
        }),
        port: port("Metrics collector OTLP/gRPC port.", 4317),
      }),
    }),
    coldStartBanner: strictObject("A banner in OpenWebUI telling users the premium model may take minutes to wake.", {
      enabled: Type.Boolean({ description: "Show the banner when the tier includes premium.", default: true }),
      text: Type.String({
        description:
          "Banner text (no double quotes or backslashes). OpenWebUI stores banners on first start; later changes need the admin panel.",
        default:
          "The premium model sleeps when idle: the first answer after a pause can take a few minutes while a GPU starts.",
        minLength: 1,
        maxLength: 300,
        pattern: '^[^"\\\\\\x00-\\x1f]+$',
      }),
    }),
    wakeNotice: strictObject(
      "While premium wakes from zero, its chats show a status line counting the seconds waited against the usual wake time, until premium answers. An OpenWebUI filter function that the model-access container (modelAccess, needs admin.email) installs, keeps and removes when this is off.",
      {
        enabled: Type.Boolean({ description: "Show the wake status on chats to premium.", default: true }),
        usualSeconds: Type.Integer({
          description:
            "How long premium usually takes to wake, as users are told (a spot GPU node, the image and the model load: minutes on EKS). Each wake's last status line says how long it took: set this from those.",
          default: 240,
          minimum: 5,
          maximum: 3600,
        }),
      },
    ),
    serviceMonitor: strictObject(
      "A ServiceMonitor for a Prometheus endpoint. Stock OpenWebUI has none (it pushes OTLP, see telemetry); enable only for an image or sidecar that serves one.",
      {
        enabled: Type.Boolean({ description: "Create the ServiceMonitor and open the metrics port.", default: false }),
        port: port("Container port serving Prometheus metrics.", 9464),
        path: Type.String({ description: "Metrics path.", default: "/metrics", pattern: "^/[A-Za-z0-9/._-]*$" }),
        interval: duration("Scrape interval.", "30s"),
      },
    ),
    startupProbe: probeTimingValues(
      "Timing of the startup probe (GET /health): a first start on SQLite runs the database migrations, five minutes by default.",
      { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
    ),
    readinessProbe: probeTimingValues(
      "Timing of the readiness probe (GET /ready: started, and the database and Redis answer).",
      { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    ),
    livenessProbe: probeTimingValues("Timing of the liveness probe (GET /health).", {
      initialDelaySeconds: 0,
      periodSeconds: 20,
      timeoutSeconds: 5,
      failureThreshold: 3,
    }),
    serviceAccount: strictObject("OpenWebUI's ServiceAccount, e.g. to give it an IAM role (IRSA) for S3 storage.", {
      create: Type.Boolean({
        description: "Create the ServiceAccount; off uses an existing one named by name (or the namespace's default).",
        default: true,
      }),
      name: Type.String({
        description: `Its name; empty for openwebui (create) or the namespace's default ServiceAccount. Not ${tenantObjectNames.secretsReader} or ${tenantObjectNames.premiumWake}, the chart's own (the secrets reader's IAM role, the wake-up proxy's API access).`,
        default: "",
        maxLength: 253,
        pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
        not: { enum: [tenantObjectNames.secretsReader, tenantObjectNames.premiumWake] },
      }),
      annotations: Type.Unsafe<Record<string, string>>({
        type: "object",
        description:
          "Annotations of the created ServiceAccount, e.g. eks.amazonaws.com/role-arn: arn:aws:iam::<account>:role/<role> (IRSA).",
        default: {},
        propertyNames: {
          pattern:
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
        },
        additionalProperties: { type: "string", maxLength: 1000 },
      }),
      automountToken: Type.Boolean({
        description:
          "Mount the Kubernetes API token into the pods (OpenWebUI never calls the API; IRSA's web identity token is mounted either way).",
        default: false,
      }),
    }),
    ...podOverrideValues(openwebuiOwnedEnv, openwebuiOwnedMounts),
  },
  {
    allOf: [
      // Several replicas share nothing local: data in Postgres (pgvector for vectors), websockets through Redis,
      // files on a ReadWriteMany volume; WEBUI_SECRET_KEY always comes from one shared secret.
      rule(
        {
          anyOf: [nested(["replicas"], { minimum: 2 }), nested(["autoscaling", "enabled"], { const: true })],
        },
        {
          properties: {
            database: { properties: { type: { const: "postgres" } } },
            redis: { properties: { enabled: { const: true } } },
            vectorDb: { const: "pgvector" },
            persistence: {
              properties: { enabled: { const: true }, accessMode: { const: "ReadWriteMany" } },
            },
          },
        },
      ),
      rule(
        nested(["persistence", "accessMode"], { const: "ReadWriteMany" }),
        nested(["persistence", "storageClass"], { minLength: 1 }),
      ),
      rule(nested(["vectorDb"], { const: "pgvector" }), nested(["database", "type"], { const: "postgres" })),
      rule(nested(["database", "type"], { const: "postgres" }), nested(["database", "cidrs"], { minItems: 1 })),
      rule(nested(["redis", "enabled"], { const: true }), nested(["redis", "cidrs"], { minItems: 1 })),
      rule(nested(["oidc", "enabled"], { const: true }), {
        properties: {
          oidc: { properties: { providerUrl: { minLength: 1 }, clientId: { minLength: 1 }, cidrs: { minItems: 1 } } },
        },
      }),
      rule(nested(["openai", "enabled"], { const: true }), nested(["openai", "cidrs"], { minItems: 1 })),
      ...notBelow(["autoscaling", "minReplicas"], ["autoscaling", "maxReplicas"], 20),
    ],
  },
);

const ollama = strictObject("Ollama, the tenant's model servers: standard on CPU nodes, premium on GPU nodes.", {
  image: imageValues(
    "Ollama image (both tiers); the default is the one the platform's pull Jobs fill the cache with.",
    ollamaImage.repository,
    ollamaImage.tag,
  ),
  runAs: runAsValues(
    "The non-root identity both tiers run as (the model cache only needs to be readable by it).",
    defaultAppUids.ollama,
  ),
  ...podOverrideValues(ollamaOwnedEnv, ollamaOwnedMounts),
  startupProbe: probeTimingValues("Timing of both tiers' startup probe (GET /api/version).", {
    initialDelaySeconds: 0,
    periodSeconds: 5,
    timeoutSeconds: 5,
    failureThreshold: 60,
  }),
  readinessProbe: probeTimingValues(
    "Timing of both tiers' readiness probe (ollama show <model>: ready once the tier's model is in the cache).",
    { initialDelaySeconds: 0, periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 3 },
  ),
  livenessProbe: probeTimingValues("Timing of both tiers' liveness probe (GET /api/version).", {
    initialDelaySeconds: 0,
    periodSeconds: 20,
    timeoutSeconds: 5,
    failureThreshold: 3,
  }),
  modelCache: strictObject("The platform's shared model cache, mounted read-only: pods never download models.", {
    source: modelCacheLocation.source,
    volumeHandle: Type.String({
      description:
        "EFS volume handle <file-system-id>::<access-point-id> of the cache the platform fills (required with source efs; the platform chart's modelCache values name it).",
      default: "",
      pattern: "^(fs-[0-9a-f]{8,40}::fsap-[0-9a-f]{8,40})?$",
    }),
    hostPath: modelCacheLocation.hostPath,
  }),
  standard: strictObject("Standard Ollama on the CPU pool (tier standard or both).", {
    model: ollamaModel("The model this tier serves; pods are ready only once it is in the cache.", "llama3.2:3b"),
    resources: resourceValues("Standard Ollama container resources.", {
      requests: { cpu: "2", memory: "6Gi", "ephemeral-storage": "512Mi" },
      // /tmp (1Gi) and HOME (256Mi), plus logs.
      limits: { cpu: "4", memory: "8Gi", "ephemeral-storage": "2Gi" },
    }),
    autoscaling: strictObject(
      "HPA on CPU: by default scales up by 100% every 15 s at once, down by 50% per minute after 60 s.",
      {
        ...autoscalingFields({ min: 2, max: 10 }, 10),
        behavior: strictObject(
          "How fast the HPA moves: one Percent policy per direction (the HPA's own behavior field, with names kept).",
          {
            // A burst of chats must find pods quickly: Ollama takes seconds to load a model, so double at once.
            scaleUp: hpaStep("Scaling up.", { stabilizationWindowSeconds: 0, percent: 100, periodSeconds: 15 }, 1000),
            // A pod dropped mid-answer costs a user their reply: wait a minute of calm, then halve at most.
            scaleDown: hpaStep(
              "Scaling down.",
              { stabilizationWindowSeconds: 60, percent: 50, periodSeconds: 60 },
              100,
            ),
          },
        ),
      },
      { allOf: notBelow(["minReplicas"], ["maxReplicas"], 10) },
    ),
    ...ollamaTuning("30m", 2, 1),
  }),
  premium: strictObject(
    "Premium Ollama on GPU nodes (tier premium or both), scaled to zero by KEDA when idle.",
    {
      model: ollamaModel("The model this tier serves; pods are ready only once it is in the cache.", "llama3.1:70b"),
      resources: resourceValues("Premium Ollama container resources (GPUs are set by gpus).", {
        requests: { cpu: "4", memory: "24Gi", "ephemeral-storage": "512Mi" },
        limits: { cpu: "8", memory: "48Gi", "ephemeral-storage": "2Gi" },
      }),
      pool: choice(
        tenantGpuPools.map((p) => p.name),
        "GPU pool the pods run on: premium (the tier's spot and on-demand pools) or a seed pool of the nodepools chart (a100-shared: time-sliced A100s; a100-mig-<profile>: one MIG slice per pod; h100). Node affinity, tolerations, the GPU resource and the GPU quota follow from it.",
        premiumPool,
      ),
      gpus: Type.Integer({
        description:
          "GPUs per pod: whole or time-sliced nvidia.com/gpu, or on a MIG pool 1 slice (nvidia.com/mig-<profile>).",
        default: 1,
        minimum: 1,
        maximum: maxGpusPerPod,
      }),
      gpuMemoryAboveMiB: Type.Integer({
        description:
          "Pods require GPUs with more memory than this, in MiB per GPU (Karpenter's karpenter.k8s.aws/instance-gpu-memory); 0 for any. The default fits the default 70B model on one 48 GB GPU; a known model too large for gpus GPUs of this size is refused.",
        default: 45000,
        minimum: 0,
        maximum: 1048576,
      }),
      terminationGracePeriodSeconds: Type.Integer({
        description: "Time a pod gets to finish answers when stopped; spot capacity gives two minutes' notice.",
        default: 90,
        minimum: 30,
        maximum: 600,
      }),
      preStopSleepSeconds: Type.Integer({
        description: "Pause before stopping, so that endpoints drop the pod before it refuses connections.",
        default: 10,
        minimum: 1,
        maximum: 30,
      }),
      ...ollamaTuning("1h", 4, 1),
      scaling: strictObject(
        "KEDA ScaledObject: from zero on this tenant's own premium requests (counted by its wake-up proxy), back to zero after cooldownPeriod.",
        {
          maxReplicas: Type.Integer({ description: "Most premium pods.", default: 2, minimum: 1, maximum: 8 }),
          cooldownPeriod: Type.Integer({
            description: "Seconds without activity before scaling back to zero.",
            default: 1800,
            minimum: 60,
            maximum: 86400,
          }),
          pollingInterval: Type.Integer({
            description: "Seconds between checks of the trigger.",
            default: 30,
            minimum: 5,
            maximum: 600,
          }),
          threshold: Type.String({
            description: "Premium requests in flight per premium pod KEDA aims for (as counted by the wake-up proxy).",
            default: "2",
            pattern: "^[0-9]+(\\.[0-9]+)?$",
          }),
          activationThreshold: Type.String({
            description: "Premium requests in flight above which the first pod starts (0: the first request wakes it).",
            default: "0",
            pattern: "^[0-9]+(\\.[0-9]+)?$",
          }),
          cron: strictObject("Keep premium warm during business hours (a KEDA cron trigger).", {
            enabled: Type.Boolean({ description: "Add the business-hours trigger.", default: false }),
            timezone: Type.String({
              description: "IANA time zone of start and end.",
              default: "UTC",
              pattern: "^(UTC|[A-Z][A-Za-z_]+(/[A-Z][A-Za-z0-9_+-]+){1,2})$",
            }),
            start: Type.String({
              description: "Cron expression (5 fields) when business hours start.",
              default: "0 8 * * 1-5",
              pattern: "^[0-9*/,-]+( [0-9*/,-]+){3} [0-9A-Za-z*/,-]+$",
            }),
            end: Type.String({
              description: "Cron expression (5 fields) when business hours end.",
              default: "0 18 * * 1-5",
              pattern: "^[0-9*/,-]+( [0-9*/,-]+){3} [0-9A-Za-z*/,-]+$",
            }),
            desiredReplicas: Type.Integer({
              description: "Premium pods kept during business hours (at most maxReplicas).",
              default: 1,
              minimum: 1,
              maximum: 8,
            }),
          }),
          fallback: strictObject(
            "When KEDA cannot read the wake-up proxy's /queue (proxy not ready, a NetworkPolicy mistake): after failureThreshold failed reads in a row KEDA holds premium at `replicas` pods (its ScaledObject's Fallback condition True, Ready True, Argo CD Degraded) until a read succeeds. KEDA 2.21 counts a trigger in fallback as active, so premium does not sleep while KEDA is blind; without a fallback it would not either (KEDA never scales to zero while a trigger fails), and Ready would stay False or Unknown, which holds `helm --wait` until its timeout.",
            {
              failureThreshold: Type.Integer({
                description:
                  "Failed reads in a row before the fallback (KEDA reads every pollingInterval, and every 15 s for the HPA while premium runs); 3 rides out a proxy restart. With a short pollingInterval raise it, so that failureThreshold × pollingInterval outlasts the proxy's start: a fallback wakes premium, for a cooldownPeriod after the proxy answers again.",
                default: 3,
                minimum: 1,
                maximum: 100,
              }),
              replicas: Type.Integer({
                description:
                  "Premium pods while KEDA cannot read the count (at most maxReplicas): 1 serves the tenant's chats through a proxy that still routes, at the cost of one GPU pod.",
                default: 1,
                minimum: 1,
                maximum: 8,
              }),
            },
          ),
        },
        {
          allOf: [
            ...notBelow(["cron", "desiredReplicas"], ["maxReplicas"], 8),
            ...notBelow(["fallback", "replicas"], ["maxReplicas"], 8),
          ],
        },
      ),
      wake: strictObject(
        "The wake-up proxy in front of premium Ollama: the KEDA HTTP add-on's interceptor, one per tenant and watching only its namespace. While premium is at zero it holds inference requests (chat, generate, embeddings) until a pod is ready, and KEDA wakes premium on its count of them; model lists get the premium catalog at once and wake nothing.",
        {
          image: imageValues(
            "The interceptor image of the KEDA HTTP add-on.",
            "ghcr.io/kedacore/http-add-on-interceptor",
            "0.15.0",
          ),
          holdSeconds: Type.Integer({
            description:
              "How long a premium request waits for a ready pod before it is answered 504 (a spot GPU node, the image and the model load can take minutes).",
            default: 600,
            minimum: 30,
            maximum: 3600,
          }),
          replicas: Type.Integer({
            description: "Proxy pods; KEDA sums their counts.",
            default: 1,
            minimum: 1,
            maximum: 3,
          }),
          runAs: runAsValues("Identity of the proxy's pods.", defaultAppUids.wakeProxy),
          resources: resourceValues("Proxy container resources.", {
            requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "16Mi" },
            limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "64Mi" },
          }),
        },
      ),
    },
    { allOf: gpuFitRules() },
  ),
});

export const tenantValues = strictObject(
  "Values of the tenant chart: one release per customer.",
  {
    tenant: strictObject("Who the tenant is; on every object as labels.", {
      name: {
        ...dnsLabel(
          `Tenant name: the namespace is tenant-<name>; unique across the cluster; not ${reservedTenantNames.join(", ")} (the platform's cache writer volume has that name); required.`,
          "",
          tenantNameMaxLength,
        ),
        // Empty is unset, which the chart refuses naming the fix (required-values.ts).
        pattern: "^([a-z]([-a-z0-9]*[a-z0-9])?)?$",
        not: { enum: reservedTenantNames },
      },
      tier: choice(tiers, "standard (CPU models), premium (GPU models) or both.", "standard"),
      costCentre: Type.String({
        description: "Cost centre billed for the tenant's resources (a label value).",
        default: "unassigned",
        minLength: 1,
        maxLength: 63,
        pattern: labelValuePattern,
      }),
    }),
    secrets: strictObject("The tenant's secrets in AWS Secrets Manager, under llmcharts/tenants/<name>/.", {
      existingSecret: Type.String({
        description:
          "Name of a Secret in the tenant namespace that already holds every key the pods read (WEBUI_SECRET_KEY, DATABASE_URL, ...): no External Secrets objects are rendered. Empty: External Secrets reads them from AWS.",
        default: "",
        maxLength: 253,
        pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
      }),
      roleArn: Type.String({
        description:
          "The tenant's own IAM role (IRSA), allowed to read only llmcharts/tenants/<name>/*; used by External Secrets (required unless existingSecret is set).",
        default: "",
        pattern: "^(arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,64})?$",
      }),
      region: Type.String({
        description: "AWS region of the secrets.",
        default: "us-east-1",
        pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]$",
      }),
      refreshInterval: duration("How often External Secrets re-reads each secret.", "1h"),
      reloadOnRotation: Type.Boolean({
        description:
          "Roll OpenWebUI out when a Secret it reads changes (a rotation External Secrets synced, or the existingSecret edited): its Deployment names those Secrets in Stakater Reloader's annotation secret.reloader.stakater.com/reload. Needs Reloader running in the cluster (see the prerequisites); without it the annotation does nothing. Off: OpenWebUI keeps the values it started with until its pods restart (kubectl rollout restart).",
        default: true,
      }),
    }),
    quota: strictObject("ResourceQuota of the tenant namespace.", {
      requestsCpu: Type.Integer({
        description: "CPU cores all pods may request.",
        default: 32,
        minimum: 1,
        maximum: 1024,
      }),
      limitsCpu: Type.Integer({
        description: "CPU cores all pods' limits may add up to.",
        default: 64,
        minimum: 1,
        maximum: 2048,
      }),
      requestsMemoryGi: Type.Integer({
        description: "Memory (GiB) all pods may request.",
        default: 128,
        minimum: 1,
        maximum: 8192,
      }),
      limitsMemoryGi: Type.Integer({
        description: "Memory (GiB) all pods' limits may add up to.",
        default: 192,
        minimum: 1,
        maximum: 16384,
      }),
      pods: Type.Integer({ description: "Most pods.", default: 40, minimum: 1, maximum: 1000 }),
      persistentVolumeClaims: Type.Integer({
        description: "Most PersistentVolumeClaims (the chart uses two: data and model cache).",
        default: 5,
        minimum: 2,
        maximum: 100,
      }),
      requestsStorageGi: Type.Integer({
        description: "Storage (GiB) all claims may request.",
        default: 100,
        minimum: 2,
        maximum: 100000,
      }),
      gpus: Type.Integer({
        description: "GPUs all pods may request: 0 on the standard tier, at least premium's gpus per pod otherwise.",
        default: 0,
        minimum: 0,
        maximum: 256,
      }),
    }),
    limitRange: strictObject("Defaults for containers that set no resources (every chart container sets its own).", {
      defaultRequestCpu: quantity("Default CPU request.", "100m"),
      defaultRequestMemory: quantity("Default memory request.", "128Mi"),
      defaultCpu: quantity("Default CPU limit (at least the default request).", "500m"),
      defaultMemory: quantity("Default memory limit (at least the default request).", "512Mi"),
    }),
    network: strictObject("The cluster around the tenant, as its NetworkPolicies see it.", {
      ingressNamespace: dnsLabel(
        "Namespace of the ingress controller or Gateway data plane that forwards traffic to OpenWebUI.",
        "ingress-nginx",
        63,
      ),
      monitoringNamespace: dnsLabel(
        "Namespace of Prometheus and the OTLP collector (scrapes come from it, telemetry goes to it).",
        "monitoring",
        63,
      ),
      healthProber: strictObject(
        "The platform's synthetic health prober (monitoring.syntheticChecks of the platform chart): the blackbox exporter's pods in monitoringNamespace, admitted to OpenWebUI's HTTP port only.",
        {
          enabled: Type.Boolean({ description: "Admit the prober to OpenWebUI's port.", default: true }),
          podLabels: Type.Unsafe<Record<string, string>>({
            ...labelMap(
              "Labels of the prober's pods (all must match); the default is the prometheus-blackbox-exporter chart's. Other pods of the monitoring namespace stay out.",
            ),
            default: healthProber.podLabels,
            // No labels would select every pod of the monitoring namespace.
            minProperties: 1,
          }),
        },
      ),
      kedaNamespace: dnsLabel(
        "Namespace of KEDA's operator, which reads premium's wake-up proxy for its request count (port 9090).",
        "keda",
        63,
      ),
      apiServer: strictObject(
        "The Kubernetes API server as the wake-up proxy reaches it (to watch its routes and premium's endpoints).",
        {
          // At least one: a policy rule with no peers would admit every destination.
          cidrs: cidrs(
            "Its addresses: on EKS the endpoint's ENIs in the VPC; narrow them to your cluster's.",
            ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
            1,
          ),
          ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), {
            description:
              "Ports it listens on, after the kubernetes Service's translation (443 on EKS, 6443 on most others).",
            default: [443, 6443],
            minItems: 1,
            maxItems: 4,
            uniqueItems: true,
          }),
        },
      ),
      privateCidrs: cidrs("Cluster and VPC ranges cut out of any 0.0.0.0/0 egress, so it never reaches other pods.", [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
      ]),
      extraEgress: Type.Array(extraEgressRule, {
        description:
          "Destinations OpenWebUI may reach beyond the chart's own (web search, MCP tool servers, S3, SMTP), each rule its own NetworkPolicy extra-egress-<name> added to the default-deny. Other tenants stay unreachable: their own policies admit nobody else, a 0.0.0.0/0 range excludes network.privateCidrs, and a namespace is named, never selected by an empty or other selector.",
        default: [],
        maxItems: 20,
      }),
    }),
    exposure: strictObject(
      "How users reach OpenWebUI.",
      {
        type: choice(
          ["ingress", "gateway"],
          "ingress (networking.k8s.io/v1 Ingress) or gateway (Gateway API HTTPRoute on a shared Gateway).",
          "ingress",
        ),
        host: Type.String({
          description: "Host name users open (also OpenWebUI's WEBUI_URL, https://<host>); required.",
          default: "",
          maxLength: 253,
          pattern: `(${hostPattern})|^$`,
        }),
        uploadLimitMiB: Type.Integer({
          description:
            "Largest request users may send, in MiB (file and audio uploads): larger ones get 413 from the ingress controller (ingress-nginx's proxy-body-size, or a Traefik buffering Middleware on OpenWebUI's upload path).",
          default: 100,
          minimum: 1,
          maximum: 10240,
        }),
        timeoutSeconds: Type.Integer({
          description:
            "How long a streamed answer or a websocket may stay open through ingress-nginx (its proxy read and send timeouts). Traefik's timeouts belong to its entry points: see the README.",
          default: 3600,
          minimum: 60,
          maximum: 86400,
        }),
        rateLimit: strictObject(
          "Per-user request rate limits on OpenWebUI's inference paths, enforced by Traefik (exposure.ingress.controller traefik, exposure.type ingress); off by default.",
          {
            requestsPerMinute: Type.Optional(
              Type.Integer({
                description:
                  "Requests a minute each user may send to the rate-limited paths, on average (each Authorization header counts apart: a session's token or an API key); past it Traefik answers 429 with Retry-After. Leave it unset (null) to turn limits off: 0 would refuse every request. Traefik's Ingress only (exposure.ingress.controller traefik, exposure.type ingress): ingress-nginx limits per client IP with 503, not per user with 429, and a Gateway's limits are its implementation's policy.",
                minimum: 1,
                maximum: 100000,
              }),
            ),
            burst: Type.Integer({
              description:
                "Requests a user may send at once before the average applies (Traefik's burst: a full bucket).",
              default: 10,
              minimum: 1,
              maximum: 10000,
            }),
            paths: Type.Array(Type.String({ pattern: "^/[A-Za-z0-9._~/-]*$", maxLength: 200 }), {
              description:
                "Path prefixes the limit applies to: OpenWebUI's inference endpoints (the chat, OpenAI- and Anthropic-compatible APIs, embeddings, its Ollama and OpenAI proxies). Pages, static assets, health checks, sign-in and uploads stay unlimited. Each prefix is a Traefik router of its own, with its own budget.",
              default: [...inferencePaths],
              minItems: 1,
              maxItems: 20,
              uniqueItems: true,
            }),
          },
        ),
        ingress: strictObject("The Ingress (exposure.type ingress).", {
          className: dnsLabel("IngressClass.", "nginx", 63),
          controller: choice(
            ["ingress-nginx", "traefik", "other"],
            "The controller behind className, so the chart speaks its dialect: ingress-nginx (annotations for uploadLimitMiB and timeoutSeconds, unbuffered streaming), traefik (a buffering Middleware limiting uploads on OpenWebUI's upload path only: buffering would hold streamed answers back), or other (nothing: say it in annotations).",
            "ingress-nginx",
          ),
          tlsSecretName: Type.String({
            description: "Secret in the tenant namespace holding the TLS certificate; empty for no TLS.",
            default: "openwebui-tls",
            maxLength: 253,
            pattern: "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$",
          }),
          annotations: Type.Unsafe<Record<string, string>>({
            type: "object",
            description:
              "More annotations of the Ingress (e.g. a cert-manager issuer); each overrides the one the controller's dialect sets.",
            default: {},
            propertyNames: {
              pattern:
                "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
            },
            additionalProperties: { type: "string", maxLength: 1000 },
          }),
        }),
        gateway: strictObject("The shared Gateway the HTTPRoute attaches to (exposure.type gateway).", {
          name: dnsLabel("Gateway name.", "llmcharts", 63),
          namespace: dnsLabel("Gateway namespace (it must allow routes from tenant namespaces).", "gateway-system", 63),
          sectionName: Type.String({
            description: "Listener of the Gateway to attach to; empty for all.",
            default: "https",
            maxLength: 63,
            pattern: "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$",
          }),
        }),
      },
      {
        allOf: [
          // Only Traefik limits per user, with 429 and Retry-After, and only on the Ingress (the Gateway's
          // implementation is not the chart's to know): elsewhere a limit is refused, not silently dropped.
          rule(nested(["type"], { const: "gateway" }), noRateLimit),
          rule(
            {
              allOf: [
                nested(["type"], { const: "ingress" }),
                nested(["ingress", "controller"], { enum: ["ingress-nginx", "other"] }),
              ],
            },
            noRateLimit,
          ),
        ],
      },
    ),
    openwebui,
    ollama,
    monitoring: strictObject("The cluster's Prometheus (kube-prometheus-stack).", {
      releaseLabel: Type.String({
        description: "Value of the release label Prometheus selects ServiceMonitors by.",
        default: "kube-prometheus-stack",
        maxLength: 63,
        pattern: labelValuePattern,
      }),
    }),
    imagePullSecrets: Type.Array(
      Type.String({ minLength: 1, maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" }),
      {
        description:
          "Secrets of the tenant namespace (type kubernetes.io/dockerconfigjson) every pod pulls its images with, for a private registry.",
        default: [],
        maxItems: 10,
        uniqueItems: true,
      },
    ),
    mesh: strictObject("A service mesh around the tenant's pods; off by default.", {
      linkerd: strictObject(
        "Linkerd: OpenWebUI and Ollama get its proxy (mTLS between them, and with a meshed ingress controller), the NetworkPolicies admit its ports. Linkerd must run with its CNI plugin (the restricted namespaces refuse linkerd-init's NET_ADMIN) and proxies that drop every capability; the platform's policies.sharedNamespaces.mesh must name its namespace and policies.allowedRegistries its proxy image.",
        {
          enabled: Type.Boolean({ description: "Inject the Linkerd proxy into OpenWebUI and Ollama.", default: false }),
          namespace: dnsLabel(
            "Namespace of Linkerd's control plane (identity, destination, policy), which every proxy reaches.",
            "linkerd",
            63,
          ),
          proxyResources: resourceValues(
            "Resources of each injected linkerd-proxy container (set through Linkerd's config annotations; the quota counts them).",
            {
              requests: { cpu: "20m", memory: "32Mi", "ephemeral-storage": "16Mi" },
              limits: { cpu: "500m", memory: "128Mi", "ephemeral-storage": "64Mi" },
            },
          ),
        },
      ),
    }),
    commonLabels: commonLabelValues(),
    commonAnnotations: commonAnnotationValues(),
    extraObjects: Type.Array(extraObject, {
      description: `Extra manifests rendered with the release, as given (no template expressions, so every rendering agrees), each in the tenant namespace with the chart's labels: ${extraObjectKinds.join(", ")}. The platform's policies apply to them as to the chart's own objects.`,
      default: [],
      maxItems: 50,
    }),
    ...umbrellaValues("every image the tenant runs (OpenWebUI, Ollama, the wake-up proxy, the test Pod)"),
    backup: backupValues,
    tests: strictObject("The helm test Pod: OpenWebUI /health and Ollama /api/version, through the NetworkPolicies.", {
      enabled: Type.Boolean({ description: "Render the test Pod.", default: true }),
      image: imageValues(
        "Test image; it must provide timeout and wget (busybox).",
        "docker.io/library/busybox",
        "1.37.0",
      ),
      checkPremium: Type.Boolean({
        description:
          "Also load premium's model through its wake-up proxy (wakes it from zero and waits up to ollama.premium.wake.holdSeconds: give helm test a --timeout that long).",
        default: false,
      }),
    }),
  },
  {
    allOf: [
      // GPUs are what premium buys: a premium tenant needs GPU quota for at least one pod, a standard one none.
      rule(nested(["tenant", "tier"], { enum: premiumTiers }), nested(["quota", "gpus"], { minimum: 1 })),
      rule(nested(["tenant", "tier"], { const: "standard" }), nested(["quota", "gpus"], { const: 0 })),
      ...Array.from({ length: 7 }, (_, i) => i + 2).map((k) =>
        rule(
          {
            allOf: [
              nested(["tenant", "tier"], { enum: premiumTiers }),
              nested(["ollama", "premium", "gpus"], { minimum: k }),
            ],
          },
          nested(["quota", "gpus"], { minimum: k }),
        ),
      ),
    ],
  },
);

export type TenantValues = Static<typeof tenantValues>;
