/**
 * The environment variables the chart sets on each workload, so that `extraEnv` can refuse them (a second entry of
 * one name would silently override the chart's, or be overridden by it, depending on the runtime). test/tenant
 * proves these lists equal what the templates set.
 */

export const openwebuiOwnedEnv = [
  "HOME",
  "DATA_DIR",
  "STATIC_DIR",
  "OFFLINE_MODE",
  "HF_HUB_OFFLINE",
  "ENABLE_PERSISTENT_CONFIG",
  "ENABLE_SIGNUP",
  "DEFAULT_USER_ROLE",
  "WEBUI_ADMIN_EMAIL",
  "WEBUI_ADMIN_NAME",
  "WEBUI_ADMIN_PASSWORD",
  "RAG_EMBEDDING_ENGINE",
  "RAG_EMBEDDING_MODEL",
  "RAG_OLLAMA_BASE_URL",
  "WEBUI_URL",
  "WEBUI_SECRET_KEY",
  "ENABLE_VERSION_UPDATE_CHECK",
  "ANONYMIZED_TELEMETRY",
  "SCARF_NO_ANALYTICS",
  "DO_NOT_TRACK",
  "ENABLE_OLLAMA_API",
  "OLLAMA_BASE_URLS",
  "OLLAMA_API_CONFIGS",
  "DEFAULT_MODELS",
  "VECTOR_DB",
  "ENABLE_DB_MIGRATIONS",
  "DATABASE_URL",
  "REDIS_URL",
  "WEBSOCKET_REDIS_URL",
  "ENABLE_WEBSOCKET_SUPPORT",
  "WEBSOCKET_MANAGER",
  "REDIS_KEY_PREFIX",
  "REDIS_CLUSTER",
  "ENABLE_OPENAI_API",
  "OPENAI_API_BASE_URL",
  "OPENAI_API_KEY",
  "ENABLE_OAUTH_SIGNUP",
  "OPENID_PROVIDER_URL",
  "OAUTH_CLIENT_ID",
  "OAUTH_CLIENT_SECRET",
  "OAUTH_PROVIDER_NAME",
  "OAUTH_SCOPES",
  "ENABLE_OTEL",
  "ENABLE_OTEL_TRACES",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "ENABLE_OTEL_METRICS",
  "OTEL_METRICS_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_INSECURE",
  "OTEL_SERVICE_NAME",
  "OTEL_RESOURCE_ATTRIBUTES",
  "WEBUI_BANNERS",
] as const;

export const ollamaOwnedEnv = [
  "OLLAMA_HOST",
  "OLLAMA_MODELS",
  "HOME",
  "OLLAMA_NOPRUNE",
  "OLLAMA_KEEP_ALIVE",
  "OLLAMA_NUM_PARALLEL",
  "OLLAMA_MAX_LOADED_MODELS",
] as const;

/**
 * The volumes and mount paths the chart gives each workload, so that `extraVolumes` and `extraVolumeMounts` can
 * refuse them (a second volume of one name is refused by the API server at install; a mount over the chart's would
 * hide its data). test/tenant proves these equal what the templates mount.
 */
export const openwebuiOwnedMounts = {
  volumes: ["data", "tmp", "home"],
  mountPaths: ["/app/backend/data", "/tmp", "/home/openwebui"],
} as const;

export const ollamaOwnedMounts = {
  volumes: ["model-cache", "tmp", "home"],
  mountPaths: ["/models", "/tmp", "/home/ollama"],
} as const;
