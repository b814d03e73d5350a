{{- /* Generated from charts-src/platform (its h.partial fragments): edit it there. */}}
{{- /* An image: its repository, with global.imageRegistry in place of its registry when set, then its tag. */}}
{{- define "platform.image" -}}
{{ ternary (regexReplaceAllLiteral "^[^/]+" $.repository $.Values.global.imageRegistry) $.repository (not (empty $.Values.global.imageRegistry)) }}:{{ $.tag }}
{{- end }}

{{- /* The image pull Secrets every pod of the release names (global.imagePullSecrets first; none by default). */}}
{{- define "platform.imagePullSecrets" -}}
{{- if $.Values.global.imagePullSecrets }}
imagePullSecrets:
  {{- range $i1, $item1 := $.Values.global.imagePullSecrets }}
  - name: {{ $item1 | toJson }}
  {{- end }}
{{- end }}
{{- end }}

{{- /* Which release and chart made an object. */}}
{{- define "platform.labels.standard" -}}
app.kubernetes.io/instance: {{ $.Release.Name | toJson }}
app.kubernetes.io/managed-by: Helm
helm.sh/chart: platform-{{ $.Chart.Version }}
{{- end }}

{{- /* Every container: no privilege, no capabilities, a read-only root filesystem (Pod Security's restricted level). */}}
{{- define "platform.securityContext.restricted" -}}
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
