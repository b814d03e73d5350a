import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { Deployment, EnvVar, PersistentVolumeClaim, Service, ServiceAccount } from "../lib/k8s.js";
import {
  identityOf,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  scratchDirs,
} from "../lib/pod-security.js";
import {
  containerMountOverrides,
  podPlacementOverrides,
  podSpreadOverride,
  withExtraEnv,
  withExtraVolumes,
} from "../lib/pod-overrides.js";
import { httpProbe, imageRef, probeTiming } from "../lib/workload.js";
import { priorityClasses } from "../lib/conventions.js";
import {
  hasPremium,
  hasStandard,
  imagePullSecrets,
  onStandardNodes,
  workloadSpread,
  keptAnnotations,
  names,
  namespaced,
  podLabels,
  ports,
  selectorLabels,
} from "./identity.js";
import { manageModelAccess, modelAccessContainer } from "./model-access.js";
import { appMigrationsEnv, migrationsInitContainer } from "./openwebui-migrations.js";
import { openwebuiSecretNames, reloadOnSecretsAnnotation, secretEnv, tenantSecrets } from "./secrets.js";
import { meshedPodMetadata } from "./mesh.js";
import { premiumOllamaUrl } from "./premium-wake.js";
import type { TenantValues } from "./values.js";

/**
 * OpenWebUI: non-root (uid 10001 by default, `openwebui.runAs`) with a read-only root filesystem (HOME, /tmp and the data directory are volumes),
 * on standard CPU nodes only, for every tier: required node affinity to the standard node tier and no toleration of
 * the GPU taint. Every secret comes from the tenant's ExternalSecrets; several replicas are allowed only with the
 * shared setup (Postgres, Redis, pgvector, a ReadWriteMany volume), which the values schema enforces.
 */

const dataDir = "/app/backend/data";
const staticDir = "/tmp/open-webui-static";

const standardOllamaUrl = `http://${names.ollamaStandard}:${ports.ollama}`;

/** OLLAMA_BASE_URLS: the tier's own Ollama Services, standard first; premium through its wake-up proxy. */
const ollamaBaseUrls = (v: TenantValues, h: Helpers) =>
  h.when(
    h.eq(v.tenant.tier, "both"),
    `${standardOllamaUrl};${premiumOllamaUrl}`,
    h.when(h.eq(v.tenant.tier, "standard"), standardOllamaUrl, premiumOllamaUrl),
  );

/** The names Ollama lists a model under: as written, and with `:latest` when the value names no tag. */
const listedAs = (model: string) => [model, `${model}:latest`];

/**
 * OLLAMA_API_CONFIGS: each connection (by its index in OLLAMA_BASE_URLS) offers only its own tier's model, so a
 * standard pod never offers a premium model that shares the cache (nor the embedding model), and OpenWebUI never
 * routes one model to both tiers at random.
 */
const ollamaApiConfigs = (v: TenantValues, h: Helpers) => {
  const only = (model: string) => ({ model_ids: listedAs(model) });
  const standard = only(v.ollama.standard.model);
  const premium = only(v.ollama.premium.model);
  return h.when(
    h.eq(v.tenant.tier, "both"),
    h.toJson({ "0": standard, "1": premium }),
    h.when(h.eq(v.tenant.tier, "standard"), h.toJson({ "0": standard }), h.toJson({ "0": premium })),
  );
};

/** The cold-start banner, as OpenWebUI's WEBUI_BANNERS JSON (the text cannot hold quotes or backslashes). */
const coldStartBanner = (v: TenantValues) =>
  `[{"id":"llmcharts-premium-cold-start","type":"info","title":"","content":"${v.openwebui.coldStartBanner.text}","dismissible":true,"timestamp":0}]`;

const usesTls = (v: TenantValues, h: Helpers) =>
  h.or(h.eq(v.exposure.type, "gateway"), h.isSet(v.exposure.ingress.tlsSecretName));

/** OpenWebUI's settings, once as `tenant.openwebui.env`: its container and its migrations init container read them. */
const env = (v: TenantValues, h: Helpers) =>
  h.partial("openwebui.env", () => settings(v, h), "OpenWebUI's settings, the same for its migrations init container.");

const settings = (v: TenantValues, h: Helpers) => {
  const o = v.openwebui;
  const value = (name: string, val: string): EnvVar => ({ name, value: val });
  return [
    value("HOME", "/home/openwebui"),
    value("DATA_DIR", dataDir),
    h.comment(
      "The root filesystem is read-only: static files go to a scratch directory.",
      value("STATIC_DIR", staticDir),
    ),
    h.comment("Egress is denied: never wait on the Hugging Face hub.", value("OFFLINE_MODE", "true")),
    value("HF_HUB_OFFLINE", "1"),
    h.comment(
      "Settings follow the values on every start, not only the first (the database would keep the first ones).",
      value("ENABLE_PERSISTENT_CONFIG", "false"),
    ),
    value("ENABLE_SIGNUP", `${o.signup.enabled}`),
    value("DEFAULT_USER_ROLE", o.signup.defaultRole),
    h.when(h.isSet(o.admin.email), value("WEBUI_ADMIN_EMAIL", o.admin.email)),
    h.when(h.isSet(o.admin.email), value("WEBUI_ADMIN_NAME", o.admin.name)),
    h.when(h.isSet(o.admin.email), secretEnv(v, h, "WEBUI_ADMIN_PASSWORD", tenantSecrets.adminPassword)),
    // Embeddings through the tenant's own Ollama: no local model to load, nothing to download.
    value("RAG_EMBEDDING_ENGINE", "ollama"),
    value("RAG_EMBEDDING_MODEL", o.rag.embeddingModel),
    value("RAG_OLLAMA_BASE_URL", h.when(hasStandard(v, h), standardOllamaUrl, premiumOllamaUrl)),
    value("WEBUI_URL", h.when(usesTls(v, h), `https://${v.exposure.host}`, `http://${v.exposure.host}`)),
    secretEnv(v, h, "WEBUI_SECRET_KEY", tenantSecrets.webuiSecretKey),
    // Egress is denied by default: no update checks or analytics calls that would only time out.
    value("ENABLE_VERSION_UPDATE_CHECK", "false"),
    value("ANONYMIZED_TELEMETRY", "false"),
    value("SCARF_NO_ANALYTICS", "true"),
    value("DO_NOT_TRACK", "true"),
    value("ENABLE_OLLAMA_API", "true"),
    value("OLLAMA_BASE_URLS", ollamaBaseUrls(v, h)),
    value("OLLAMA_API_CONFIGS", ollamaApiConfigs(v, h)),
    value("DEFAULT_MODELS", h.when(hasStandard(v, h), v.ollama.standard.model, v.ollama.premium.model)),
    value("VECTOR_DB", o.vectorDb),
    h.when(h.eq(o.database.type, "postgres"), secretEnv(v, h, "DATABASE_URL", tenantSecrets.databaseUrl)),
    h.when(h.eq(o.database.type, "postgres"), appMigrationsEnv),
    h.when(o.redis.enabled, secretEnv(v, h, "REDIS_URL", tenantSecrets.redisUrl)),
    h.when(o.redis.enabled, secretEnv(v, h, "WEBSOCKET_REDIS_URL", tenantSecrets.redisUrl)),
    h.when(o.redis.enabled, value("ENABLE_WEBSOCKET_SUPPORT", "true")),
    h.when(o.redis.enabled, value("WEBSOCKET_MANAGER", "redis")),
    h.comment(
      "Tenants may share one Redis: every key of this tenant carries its own prefix.",
      h.when(o.redis.enabled, value("REDIS_KEY_PREFIX", `open-webui:${v.tenant.name}`)),
    ),
    h.when(o.redis.enabled, value("REDIS_CLUSTER", `${o.redis.cluster}`)),
    value("ENABLE_OPENAI_API", `${o.openai.enabled}`),
    h.when(o.openai.enabled, value("OPENAI_API_BASE_URL", o.openai.baseUrl)),
    h.when(o.openai.enabled, secretEnv(v, h, "OPENAI_API_KEY", tenantSecrets.openaiApiKey)),
    h.when(o.oidc.enabled, value("ENABLE_OAUTH_SIGNUP", `${o.oidc.allowSignup}`)),
    h.when(o.oidc.enabled, value("OPENID_PROVIDER_URL", o.oidc.providerUrl)),
    h.when(o.oidc.enabled, value("OAUTH_CLIENT_ID", o.oidc.clientId)),
    h.when(o.oidc.enabled, secretEnv(v, h, "OAUTH_CLIENT_SECRET", tenantSecrets.oidcClientSecret)),
    h.when(o.oidc.enabled, value("OAUTH_PROVIDER_NAME", o.oidc.providerName)),
    h.when(o.oidc.enabled, value("OAUTH_SCOPES", o.oidc.scopes)),
    h.when(o.telemetry.enabled, value("ENABLE_OTEL", "true")),
    // Traces to Tempo; metrics to a collector (Tempo takes no metrics).
    h.when(o.telemetry.enabled, value("ENABLE_OTEL_TRACES", "true")),
    h.when(o.telemetry.enabled, value("OTEL_EXPORTER_OTLP_ENDPOINT", `http://${o.telemetry.host}:${o.telemetry.port}`)),
    h.when(o.telemetry.enabled, value("ENABLE_OTEL_METRICS", `${o.telemetry.metrics.enabled}`)),
    h.when(
      h.and(o.telemetry.enabled, o.telemetry.metrics.enabled),
      value("OTEL_METRICS_EXPORTER_OTLP_ENDPOINT", `http://${o.telemetry.metrics.host}:${o.telemetry.metrics.port}`),
    ),
    h.when(o.telemetry.enabled, value("OTEL_EXPORTER_OTLP_INSECURE", "true")),
    h.when(o.telemetry.enabled, value("OTEL_SERVICE_NAME", "openwebui")),
    h.when(
      o.telemetry.enabled,
      value(
        "OTEL_RESOURCE_ATTRIBUTES",
        `${labels.tenant}=${v.tenant.name},${labels.tier}=${v.tenant.tier},${labels.costCentre}=${v.tenant.costCentre}`,
      ),
    ),
    h.when(h.and(hasPremium(v, h), o.coldStartBanner.enabled), value("WEBUI_BANNERS", coldStartBanner(v))),
  ];
};

export const openwebuiDeployment = (v: TenantValues, h: Helpers): Deployment => {
  const o = v.openwebui;
  const selector = selectorLabels(h, names.openwebui);
  const scratch = scratchDirs([
    { name: "tmp", mountPath: "/tmp", sizeLimit: "2Gi" },
    { name: "home", mountPath: "/home/openwebui", sizeLimit: "256Mi" },
  ]);
  const rwo = h.and(o.persistence.enabled, h.eq(o.persistence.accessMode, "ReadWriteOnce"));
  const mounts = [{ name: "data", mountPath: dataDir }, ...scratch.mounts];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: namespaced(v, h, names.openwebui, "openwebui", {
      // Reloader rolls the pods out when one changes: they read their secrets from env, once, at start.
      chart: { [reloadOnSecretsAnnotation]: h.when(v.secrets.reloadOnRotation, openwebuiSecretNames(v, h)) },
    }),
    spec: {
      replicas: h.comment("With the HPA on, it owns the count.", h.when(h.not(o.autoscaling.enabled), o.replicas)),
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      strategy: h.comment(
        "A ReadWriteOnce volume attaches to one node: the old pod must go before the new one can mount it.",
        h.when(rwo, { type: "Recreate" }, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }),
      ),
      template: {
        metadata: meshedPodMetadata(v, h, podLabels(v, h, names.openwebui, "openwebui"), o),
        spec: {
          serviceAccountName: h.when(
            h.or(o.serviceAccount.create, h.isSet(o.serviceAccount.name)),
            serviceAccountName(v, h),
          ),
          automountServiceAccountToken: o.serviceAccount.automountToken,
          enableServiceLinks: false,
          ...imagePullSecrets(v, h),
          securityContext: restrictedPodSecurityContext(identityOf(v.openwebui.runAs)),
          affinity: onStandardNodes(h),
          ...podPlacementOverrides(h, [], o),
          priorityClassName: priorityClasses.standard,
          topologySpreadConstraints: podSpreadOverride(h, workloadSpread(h, names.openwebui), selector, o),
          initContainers: h.comment(
            "On Postgres the migrations run here, once under an advisory lock, not raced by every replica as it starts.",
            h.when(h.eq(o.database.type, "postgres"), [migrationsInitContainer(v, h, env(v, h), mounts)]),
          ),
          containers: [
            {
              name: "openwebui",
              image: imageRef(h, o.image, v.global),
              imagePullPolicy: o.image.pullPolicy,
              ports: [
                { name: "http", containerPort: ports.openwebui, protocol: "TCP" },
                h.when(o.serviceMonitor.enabled, {
                  name: "metrics",
                  containerPort: o.serviceMonitor.port,
                  protocol: "TCP",
                }),
              ],
              env: withExtraEnv(h, env(v, h), o),
              resources: o.resources,
              securityContext: restrictedContainerSecurityContext(h),
              // By default a first start on SQLite, which runs the database migrations, has five minutes.
              startupProbe: httpProbe("/health", "http", probeTiming(o.startupProbe)),
              // Ready only once startup is complete and the database (and Redis, when set) answer; alive while it serves.
              readinessProbe: httpProbe("/ready", "http", probeTiming(o.readinessProbe)),
              livenessProbe: httpProbe("/health", "http", probeTiming(o.livenessProbe)),
              ...containerMountOverrides(h, mounts, o),
            },
            h.when(manageModelAccess(v, h), modelAccessContainer(v, h)),
          ],
          volumes: withExtraVolumes(
            h,
            [
              h.when(
                o.persistence.enabled,
                {
                  name: "data",
                  persistentVolumeClaim: {
                    claimName: h.pick(
                      h.isSet(o.persistence.existingClaim),
                      o.persistence.existingClaim,
                      names.openwebuiData,
                    ),
                  },
                },
                { name: "data", emptyDir: { sizeLimit: o.persistence.size } },
              ),
              ...scratch.volumes,
            ],
            o,
          ),
        },
      },
    },
  };
};

export const openwebuiService = (v: TenantValues, h: Helpers): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: namespaced(v, h, names.openwebui, "openwebui"),
  spec: {
    type: "ClusterIP",
    selector: selectorLabels(h, names.openwebui),
    ports: [
      { name: "http", port: ports.openwebuiService, targetPort: "http", protocol: "TCP" },
      h.when(v.openwebui.serviceMonitor.enabled, {
        name: "metrics",
        port: v.openwebui.serviceMonitor.port,
        targetPort: "metrics",
        protocol: "TCP",
      }),
    ],
  },
});

/** The ServiceAccount OpenWebUI runs as: the one named, else the chart's own (openwebui). */
const serviceAccountName = (v: TenantValues, h: Helpers) =>
  h.pick(h.isSet(v.openwebui.serviceAccount.name), v.openwebui.serviceAccount.name, names.openwebui);

/** OpenWebUI's own ServiceAccount, carrying the operator's annotations (an IAM role for S3, say). */
export const openwebuiServiceAccount = (v: TenantValues, h: Helpers): ServiceAccount => {
  const sa = v.openwebui.serviceAccount;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: namespaced(v, h, serviceAccountName(v, h), "openwebui", { user: sa.annotations }),
    automountServiceAccountToken: sa.automountToken,
  };
};

/** The data directory's claim, kept on uninstall: it holds the tenant's chats and uploads. */
export const openwebuiDataClaim = (v: TenantValues, h: Helpers): PersistentVolumeClaim => {
  const p = v.openwebui.persistence;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: namespaced(v, h, names.openwebuiData, "openwebui", { chart: keptAnnotations }),
    spec: {
      accessModes: [p.accessMode],
      storageClassName: h.when(h.isSet(p.storageClass), p.storageClass),
      resources: { requests: { storage: p.size } },
    },
  };
};

export const openwebuiTemplate = (v: TenantValues, h: Helpers) => [
  // One model on both backends: OpenWebUI would send each chat to a CPU or a GPU pod at random.
  h.refuse(
    h.and(h.eq(v.tenant.tier, "both"), h.eq(v.ollama.standard.model, v.ollama.premium.model)),
    `at '/ollama/premium/model': ${v.ollama.premium.model} is also ollama.standard.model; in tier both each tier serves its own model, so choose another premium model (or tier premium to serve it on GPUs only)`,
  ),
  openwebuiDeployment(v, h),
  openwebuiService(v, h),
  h.when(v.openwebui.serviceAccount.create, openwebuiServiceAccount(v, h)),
  h.when(
    h.and(v.openwebui.persistence.enabled, h.not(h.isSet(v.openwebui.persistence.existingClaim))),
    openwebuiDataClaim(v, h),
  ),
];
