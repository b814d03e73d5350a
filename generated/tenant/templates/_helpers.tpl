{{- /* Generated from charts-src/tenant (its h.partial fragments): edit it there. */}}
{{- /* A weekday's CronJob: delete that day's snapshot of last week, then take it again. */}}
{{- define "tenant.backup.cronJob" -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tenant-snapshots-{{ $.day }}
  namespace: tenant-{{ $.Values.tenant.name }}
  labels:
    app.kubernetes.io/name: tenant
    app.kubernetes.io/component: backup
    {{- include "tenant.labels" $ | nindent 4 }}
  {{- include "tenant.commonAnnotations" $ | nindent 2 }}
spec:
  schedule: {{ printf "%d %d * * %s" ($.Values.backup.minute | int64) ($.Values.backup.hour | int64) $.dayNumber | toJson }}
  timeZone: Etc/UTC
  startingDeadlineSeconds: 3600
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 1
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 3600
      template:
        metadata:
          labels:
            app.kubernetes.io/name: tenant-snapshots
            app.kubernetes.io/instance: {{ $.Release.Name | toJson }}
            app.kubernetes.io/component: backup
            {{- include "tenant.tenantLabels" $ | nindent 12 }}
          annotations:
            linkerd.io/inject: disabled
        spec:
          serviceAccountName: tenant-snapshots
          automountServiceAccountToken: true
          restartPolicy: Never
          enableServiceLinks: false
          {{- include "tenant.imagePullSecrets" $ | nindent 10 }}
          securityContext:
            runAsNonRoot: true
            runAsUser: 65532
            runAsGroup: 65532
            fsGroup: 65532
            fsGroupChangePolicy: OnRootMismatch
            seccompProfile:
              type: RuntimeDefault
          affinity:
            {{- include "tenant.standardNodes" $ | nindent 12 }}
          priorityClassName: llmcharts-standard
          initContainers:
            - name: delete-last-week
              image: {{ include "tenant.image" (merge (dict "repository" $.Values.backup.image.repository "tag" $.Values.backup.image.tag) $) | toJson }}
              imagePullPolicy: {{ $.Values.backup.image.pullPolicy | toJson }}
              command:
                - kubectl
              args:
                - delete
                - "--ignore-not-found"
                - "--wait"
                - "--timeout=20m"
                - "--filename=/snapshots/snapshot.json"
              env:
                - name: HOME
                  value: /home/kubectl
              resources:
                requests:
                  cpu: "50m"
                  memory: "64Mi"
                  ephemeral-storage: "64Mi"
                limits:
                  cpu: "500m"
                  memory: "256Mi"
                  ephemeral-storage: "128Mi"
              securityContext:
                {{- include "tenant.securityContext.restricted" $ | nindent 16 }}
              volumeMounts:
                - name: manifest
                  mountPath: /snapshots
                  readOnly: true
                - name: home
                  mountPath: /home/kubectl
          containers:
            - name: snapshot
              image: {{ include "tenant.image" (merge (dict "repository" $.Values.backup.image.repository "tag" $.Values.backup.image.tag) $) | toJson }}
              imagePullPolicy: {{ $.Values.backup.image.pullPolicy | toJson }}
              command:
                - kubectl
              args:
                - create
                - "--filename=/snapshots/snapshot.json"
              env:
                - name: HOME
                  value: /home/kubectl
              resources:
                requests:
                  cpu: "50m"
                  memory: "64Mi"
                  ephemeral-storage: "64Mi"
                limits:
                  cpu: "500m"
                  memory: "256Mi"
                  ephemeral-storage: "128Mi"
              securityContext:
                {{- include "tenant.securityContext.restricted" $ | nindent 16 }}
              volumeMounts:
                - name: manifest
                  mountPath: /snapshots
                  readOnly: true
                - name: home
                  mountPath: /home/kubectl
          volumes:
            - name: manifest
              configMap:
                name: tenant-snapshots
                items:
                  - key: {{ printf "%s.json" $.day | toJson }}
                    path: snapshot.json
            - name: home
              emptyDir:
                sizeLimit: "64Mi"
{{- end }}

{{- /* The VolumeSnapshot of the data claim a weekday's CronJob takes (openwebui-data-<day>), as JSON. */}}
{{- define "tenant.backup.snapshot" -}}
{{ (dict
    "apiVersion" "snapshot.storage.k8s.io/v1"
    "kind" "VolumeSnapshot"
    "metadata" (dict "name" (printf "openwebui-data-%s" $.day) "namespace" (printf "tenant-%s" $.Values.tenant.name) "labels" (dict "app.kubernetes.io/managed-by" "llmcharts-tenant-snapshots" "llmcharts.io/snapshot-day" $.day))
    "spec" (dict "volumeSnapshotClassName" $.Values.backup.snapshotClass "source" (dict "persistentVolumeClaimName" ($.Values.openwebui.persistence.existingClaim | default "openwebui-data"))))
    | toJson }}
{{- end }}

{{- /* The operator's commonAnnotations. */}}
{{- define "tenant.commonAnnotations" -}}
{{- if $.Values.commonAnnotations }}
annotations: {{ $.Values.commonAnnotations | toJson }}
{{- end }}
{{- end }}

{{- /* One secret of the tenant: read with its own IAM role from its prefix in */}}
{{- /* Secrets Manager; the Secret stays if the ExternalSecret goes. */}}
{{- define "tenant.externalSecret.spec" -}}
refreshInterval: {{ $.Values.secrets.refreshInterval | toJson }}
secretStoreRef:
  kind: SecretStore
  name: aws-secrets-manager
target:
  name: {{ $.secret | toJson }}
  creationPolicy: Owner
  deletionPolicy: Retain
data:
  - secretKey: {{ $.key | toJson }}
    remoteRef:
      key: llmcharts/tenants/{{ $.Values.tenant.name }}/{{ $.remote }}
{{- end }}

{{- /* The tier runs premium (GPU) Ollama. */}}
{{- define "tenant.hasPremium" -}}
{{- if has $.Values.tenant.tier (list "premium" "both") }}true{{- end }}
{{- end }}

{{- /* The tier runs standard (CPU) Ollama. */}}
{{- define "tenant.hasStandard" -}}
{{- if has $.Values.tenant.tier (list "standard" "both") }}true{{- end }}
{{- end }}

{{- /* An image: its repository, with global.imageRegistry in place of its registry when set, then its tag. */}}
{{- define "tenant.image" -}}
{{ ternary (regexReplaceAllLiteral "^[^/]+" $.repository $.Values.global.imageRegistry) $.repository (not (empty $.Values.global.imageRegistry)) }}:{{ $.tag }}
{{- end }}

{{- /* The image pull Secrets every pod of the release names (global.imagePullSecrets first; none by default). */}}
{{- define "tenant.imagePullSecrets" -}}
{{- if uniq (default (list) (concat (default (list) $.Values.global.imagePullSecrets) (default (list) $.Values.imagePullSecrets))) }}
imagePullSecrets:
  {{- range $i1, $item1 := (uniq (default (list) (concat (default (list) $.Values.global.imagePullSecrets) (default (list) $.Values.imagePullSecrets)))) }}
  - name: {{ $item1 | toJson }}
  {{- end }}
{{- end }}
{{- end }}

{{- /* Every Ingress of the tenant: its controller's class, and the host's certificate where one is named. */}}
{{- define "tenant.ingress.classAndTls" -}}
ingressClassName: {{ $.Values.exposure.ingress.className | toJson }}
{{- if $.Values.exposure.ingress.tlsSecretName }}
tls:
  - hosts:
      - {{ $.Values.exposure.host | toJson }}
    secretName: {{ $.Values.exposure.ingress.tlsSecretName | toJson }}
{{- end }}
{{- end }}

{{- /* Who made an object (the release, the chart) and for whom. */}}
{{- define "tenant.labels" -}}
app.kubernetes.io/instance: {{ $.Release.Name | toJson }}
app.kubernetes.io/managed-by: Helm
helm.sh/chart: tenant-{{ $.Chart.Version }}
{{ include "tenant.tenantLabels" $ }}
{{- end }}

{{- /* The annotations that inject Linkerd's proxy, sized by the values. */}}
{{- define "tenant.mesh.annotations" -}}
linkerd.io/inject: enabled
config.linkerd.io/proxy-cpu-request: {{ $.Values.mesh.linkerd.proxyResources.requests.cpu | toJson }}
config.linkerd.io/proxy-memory-request: {{ $.Values.mesh.linkerd.proxyResources.requests.memory | toJson }}
config.linkerd.io/proxy-ephemeral-storage-request: {{ index $.Values.mesh.linkerd.proxyResources.requests "ephemeral-storage" | toJson }}
config.linkerd.io/proxy-cpu-limit: {{ $.Values.mesh.linkerd.proxyResources.limits.cpu | toJson }}
config.linkerd.io/proxy-memory-limit: {{ $.Values.mesh.linkerd.proxyResources.limits.memory | toJson }}
config.linkerd.io/proxy-ephemeral-storage-limit: {{ index $.Values.mesh.linkerd.proxyResources.limits "ephemeral-storage" | toJson }}
{{- end }}

{{- /* Meshed clients connect to the server's proxy, on its inbound port. */}}
{{- define "tenant.mesh.inboundPort" -}}
{{- if $.Values.mesh.linkerd.enabled }}
- protocol: TCP
  port: 4143
{{- end }}
{{- end }}

{{- /* Where every NetworkPolicy lives, and its labels. */}}
{{- define "tenant.network.metadata" -}}
namespace: tenant-{{ $.Values.tenant.name }}
labels:
  app.kubernetes.io/name: tenant
  app.kubernetes.io/component: network
  {{- include "tenant.labels" $ | nindent 2 }}
{{ include "tenant.commonAnnotations" $ }}
{{- end }}

{{- /* Both tiers: where the server listens and finds its models. */}}
{{- define "tenant.ollama.env" -}}
- name: OLLAMA_HOST
  value: "0.0.0.0:11434"
- name: OLLAMA_MODELS
  value: /models
- name: HOME
  value: /home/ollama
{{- /* The cache is read-only and shared: never prune blobs another tenant's model may use. */}}
- name: OLLAMA_NOPRUNE
  value: "true"
{{- end }}

{{- /* Both tiers: started and alive while the server answers; ready (per tier) once its model is in the cache. */}}
{{- define "tenant.ollama.serverProbes" -}}
startupProbe:
  httpGet:
    path: /api/version
    port: http
  timeoutSeconds: {{ $.Values.ollama.startupProbe.timeoutSeconds | toJson }}
  initialDelaySeconds: {{ $.Values.ollama.startupProbe.initialDelaySeconds | toJson }}
  periodSeconds: {{ $.Values.ollama.startupProbe.periodSeconds | toJson }}
  failureThreshold: {{ $.Values.ollama.startupProbe.failureThreshold | toJson }}
livenessProbe:
  httpGet:
    path: /api/version
    port: http
  timeoutSeconds: {{ $.Values.ollama.livenessProbe.timeoutSeconds | toJson }}
  initialDelaySeconds: {{ $.Values.ollama.livenessProbe.initialDelaySeconds | toJson }}
  periodSeconds: {{ $.Values.ollama.livenessProbe.periodSeconds | toJson }}
  failureThreshold: {{ $.Values.ollama.livenessProbe.failureThreshold | toJson }}
{{- end }}

{{- /* Both tiers: the platform's model cache, read-only, scratch space for HOME and /tmp, and the operator's extra volumes. */}}
{{- define "tenant.ollama.volumes" -}}
- name: model-cache
  persistentVolumeClaim:
    claimName: model-cache
    readOnly: true
- name: tmp
  emptyDir:
    sizeLimit: "1Gi"
- name: home
  emptyDir:
    sizeLimit: "256Mi"
{{- range $i1, $item1 := $.Values.ollama.extraVolumes }}
- {{ $item1 | toJson }}
{{- end }}
{{- end }}

{{- /* OpenWebUI's settings, the same for its migrations init container. */}}
{{- define "tenant.openwebui.env" -}}
- name: HOME
  value: /home/openwebui
- name: DATA_DIR
  value: /app/backend/data
{{- /* The root filesystem is read-only: static files go to a scratch directory. */}}
- name: STATIC_DIR
  value: /tmp/open-webui-static
{{- /* Egress is denied: never wait on the Hugging Face hub. */}}
- name: OFFLINE_MODE
  value: "true"
- name: HF_HUB_OFFLINE
  value: "1"
{{- /* Settings follow the values on every start, not only the first (the database would keep the first ones). */}}
- name: ENABLE_PERSISTENT_CONFIG
  value: "false"
- name: ENABLE_SIGNUP
  value: {{ $.Values.openwebui.signup.enabled | toString | toJson }}
- name: DEFAULT_USER_ROLE
  value: {{ $.Values.openwebui.signup.defaultRole | toJson }}
{{- if $.Values.openwebui.admin.email }}
- name: WEBUI_ADMIN_EMAIL
  value: {{ $.Values.openwebui.admin.email | toJson }}
- name: WEBUI_ADMIN_NAME
  value: {{ $.Values.openwebui.admin.name | toJson }}
- name: WEBUI_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-admin-password" | toJson }}
      key: WEBUI_ADMIN_PASSWORD
{{- end }}
- name: RAG_EMBEDDING_ENGINE
  value: ollama
- name: RAG_EMBEDDING_MODEL
  value: {{ $.Values.openwebui.rag.embeddingModel | toJson }}
- name: RAG_OLLAMA_BASE_URL
  {{- if include "tenant.hasStandard" $ }}
  value: "http://ollama-standard:11434"
  {{- else }}
  value: "http://ollama-premium-wake:8080"
  {{- end }}
- name: WEBUI_URL
  {{- if or (eq $.Values.exposure.type "gateway") $.Values.exposure.ingress.tlsSecretName }}
  value: {{ printf "https://%s" $.Values.exposure.host | toJson }}
  {{- else }}
  value: {{ printf "http://%s" $.Values.exposure.host | toJson }}
  {{- end }}
- name: WEBUI_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-secret-key" | toJson }}
      key: WEBUI_SECRET_KEY
- name: ENABLE_VERSION_UPDATE_CHECK
  value: "false"
- name: ANONYMIZED_TELEMETRY
  value: "false"
- name: SCARF_NO_ANALYTICS
  value: "true"
- name: DO_NOT_TRACK
  value: "true"
- name: ENABLE_OLLAMA_API
  value: "true"
- name: OLLAMA_BASE_URLS
  {{- if eq $.Values.tenant.tier "both" }}
  value: "http://ollama-standard:11434;http://ollama-premium-wake:8080"
  {{- else if eq $.Values.tenant.tier "standard" }}
  value: "http://ollama-standard:11434"
  {{- else }}
  value: "http://ollama-premium-wake:8080"
  {{- end }}
- name: OLLAMA_API_CONFIGS
  {{- if eq $.Values.tenant.tier "both" }}
  value: {{ (dict
      "0" (dict "model_ids" (list $.Values.ollama.standard.model (printf "%s:latest" $.Values.ollama.standard.model)))
      "1" (dict "model_ids" (list $.Values.ollama.premium.model (printf "%s:latest" $.Values.ollama.premium.model))))
      | toJson
      | toJson }}
  {{- else if eq $.Values.tenant.tier "standard" }}
  value: {{ (dict "0" (dict "model_ids" (list $.Values.ollama.standard.model (printf "%s:latest" $.Values.ollama.standard.model)))) | toJson | toJson }}
  {{- else }}
  value: {{ (dict "0" (dict "model_ids" (list $.Values.ollama.premium.model (printf "%s:latest" $.Values.ollama.premium.model)))) | toJson | toJson }}
  {{- end }}
- name: DEFAULT_MODELS
  {{- if include "tenant.hasStandard" $ }}
  value: {{ $.Values.ollama.standard.model | toJson }}
  {{- else }}
  value: {{ $.Values.ollama.premium.model | toJson }}
  {{- end }}
- name: VECTOR_DB
  value: {{ $.Values.openwebui.vectorDb | toJson }}
{{- if eq $.Values.openwebui.database.type "postgres" }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-database-url" | toJson }}
      key: DATABASE_URL
- name: ENABLE_DB_MIGRATIONS
  value: "false"
{{- end }}
{{- if $.Values.openwebui.redis.enabled }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-redis-url" | toJson }}
      key: REDIS_URL
- name: WEBSOCKET_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-redis-url" | toJson }}
      key: REDIS_URL
- name: ENABLE_WEBSOCKET_SUPPORT
  value: "true"
- name: WEBSOCKET_MANAGER
  value: redis
{{- /* Tenants may share one Redis: every key of this tenant carries its own prefix. */}}
- name: REDIS_KEY_PREFIX
  value: {{ printf "open-webui:%s" $.Values.tenant.name | toJson }}
- name: REDIS_CLUSTER
  value: {{ $.Values.openwebui.redis.cluster | toString | toJson }}
{{- end }}
- name: ENABLE_OPENAI_API
  value: {{ $.Values.openwebui.openai.enabled | toString | toJson }}
{{- if $.Values.openwebui.openai.enabled }}
- name: OPENAI_API_BASE_URL
  value: {{ $.Values.openwebui.openai.baseUrl | toJson }}
- name: OPENAI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-openai-api-key" | toJson }}
      key: OPENAI_API_KEY
{{- end }}
{{- if $.Values.openwebui.oidc.enabled }}
- name: ENABLE_OAUTH_SIGNUP
  value: {{ $.Values.openwebui.oidc.allowSignup | toString | toJson }}
- name: OPENID_PROVIDER_URL
  value: {{ $.Values.openwebui.oidc.providerUrl | toJson }}
- name: OAUTH_CLIENT_ID
  value: {{ $.Values.openwebui.oidc.clientId | toJson }}
- name: OAUTH_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.secrets.existingSecret | default "openwebui-oidc-client-secret" | toJson }}
      key: OAUTH_CLIENT_SECRET
- name: OAUTH_PROVIDER_NAME
  value: {{ $.Values.openwebui.oidc.providerName | toJson }}
- name: OAUTH_SCOPES
  value: {{ $.Values.openwebui.oidc.scopes | toJson }}
{{- end }}
{{- if $.Values.openwebui.telemetry.enabled }}
- name: ENABLE_OTEL
  value: "true"
- name: ENABLE_OTEL_TRACES
  value: "true"
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ printf "http://%s:%d" $.Values.openwebui.telemetry.host ($.Values.openwebui.telemetry.port | int64) | toJson }}
- name: ENABLE_OTEL_METRICS
  value: {{ $.Values.openwebui.telemetry.metrics.enabled | toString | toJson }}
{{- if $.Values.openwebui.telemetry.metrics.enabled }}
- name: OTEL_METRICS_EXPORTER_OTLP_ENDPOINT
  value: {{ printf "http://%s:%d" $.Values.openwebui.telemetry.metrics.host ($.Values.openwebui.telemetry.metrics.port | int64) | toJson }}
{{- end }}
- name: OTEL_EXPORTER_OTLP_INSECURE
  value: "true"
- name: OTEL_SERVICE_NAME
  value: openwebui
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf
      "llmcharts.io/tenant=%s,llmcharts.io/tier=%s,llmcharts.io/cost-centre=%s"
      $.Values.tenant.name
      $.Values.tenant.tier
      $.Values.tenant.costCentre
      | toJson }}
{{- end }}
{{- if and (include "tenant.hasPremium" $) $.Values.openwebui.coldStartBanner.enabled }}
- name: WEBUI_BANNERS
  value: {{ printf
      "[{\"id\":\"llmcharts-premium-cold-start\",\"type\":\"info\",\"title\":\"\",\"content\":\"%s\",\"dismissible\":true,\"timestamp\":0}]"
      $.Values.openwebui.coldStartBanner.text
      | toJson }}
{{- end }}
{{- end }}

{{- /* A workload's pods over zones and nodes, so that neither a zone nor a node takes every */}}
{{- /* replica; ScheduleAnyway: a full zone slows a scale-up, never blocks it. */}}
{{- define "tenant.podSpread" -}}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $.workload | toJson }}
      app.kubernetes.io/instance: {{ $.Release.Name | toJson }}
  matchLabelKeys:
    - pod-template-hash
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $.workload | toJson }}
      app.kubernetes.io/instance: {{ $.Release.Name | toJson }}
  matchLabelKeys:
    - pod-template-hash
{{- end }}

{{- /* Every container: no privilege, no capabilities, a read-only root filesystem (Pod Security's restricted level). */}}
{{- define "tenant.securityContext.restricted" -}}
runAsNonRoot: true
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- /* Standard (CPU) nodes only, whatever the tier: what runs here must answer while every GPU node is gone. */}}
{{- define "tenant.standardNodes" -}}
nodeAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    nodeSelectorTerms:
      - matchExpressions:
          - key: llmcharts.io/node-tier
            operator: In
            values:
              - standard
{{- end }}

{{- /* For whom: what isolation policies and cost reports read, and the operator's commonLabels. */}}
{{- define "tenant.tenantLabels" -}}
llmcharts.io/tenant: {{ $.Values.tenant.name | toJson }}
llmcharts.io/tier: {{ $.Values.tenant.tier | toJson }}
llmcharts.io/cost-centre: {{ $.Values.tenant.costCentre | toJson }}
{{- with $.Values.commonLabels }}
{{- toYaml . | nindent 0 }}
{{- end }}
{{- end }}
