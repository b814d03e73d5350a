package main

import (
	"bytes"
	"fmt"
	"strings"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
)

const helmModule = "helm.sh/helm/v3"

// newRenderer loads the chart once; each call is `helm template NAME CHART --namespace NS -f VALUES` with Helm 3:
// the same install settings and the same output (manifests, then each hook under its `# Source:` line). Helm skips its
// schema check only for values the once-compiled schema accepts, as Helm would (the chart's defaults coalesced in);
// a chart with dependencies (whose values Helm checks per subchart) keeps Helm's check for every file.
func newRenderer(chartDir, name, namespace string) (func(valuesFile string) ([]byte, error), error) {
	chrt, err := loader.Load(chartDir)
	if err != nil {
		return nil, err
	}
	var accepts func(map[string]any) bool
	if len(chrt.Metadata.Dependencies) == 0 && len(chrt.Dependencies()) == 0 {
		accepts = compileSchema(chrt.Schema)
	}
	return func(valuesFile string) ([]byte, error) {
		vals, err := (&values.Options{ValueFiles: []string{valuesFile}}).MergeValues(getter.Providers{})
		if err != nil {
			return nil, err
		}
		client := action.NewInstall(&action.Configuration{})
		client.DryRun = true
		client.DryRunOption = "true"
		client.ClientOnly = true
		client.ReleaseName = name
		client.Namespace = namespace
		client.Replace = true
		if accepts != nil {
			coalesced, err := chartutil.CoalesceValues(chrt, vals)
			client.SkipSchemaValidation = err == nil && accepts(coalesced)
		}
		rel, err := client.Run(chrt, vals)
		if err != nil {
			return nil, err
		}
		var text bytes.Buffer
		fmt.Fprintln(&text, strings.TrimSpace(rel.Manifest))
		for _, hook := range rel.Hooks {
			fmt.Fprintf(&text, "---\n# Source: %s\n%s\n", hook.Path, hook.Manifest)
		}
		return text.Bytes(), nil
	}, nil
}
