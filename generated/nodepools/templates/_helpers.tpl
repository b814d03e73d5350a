{{- /* Generated from charts-src/nodepools (its h.partial fragments): edit it there. */}}
{{- /* Which release and chart made an object. */}}
{{- define "nodepools.labels.standard" -}}
app.kubernetes.io/instance: {{ $.Release.Name | toJson }}
app.kubernetes.io/managed-by: Helm
helm.sh/chart: nodepools-{{ $.Chart.Version }}
{{- end }}
