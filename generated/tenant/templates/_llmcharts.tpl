{{- /* Generated from charts-src/lib/engine: edit it there. */}}
{{- define "llmcharts.engine.duplicates" -}}
{{- $seen := dict -}}{{- $repeated := list -}}
{{- range .list -}}
{{- $key := toString (get . $.field) -}}
{{- if and (hasKey $seen $key) (not (has $key $repeated)) -}}{{- $repeated = append $repeated $key -}}{{- end -}}
{{- $_ := set $seen $key true -}}
{{- end -}}
{{- join ", " $repeated -}}
{{- end -}}
