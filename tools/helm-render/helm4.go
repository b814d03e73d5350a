package main

import (
	"bytes"
	"fmt"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	util "helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/cli/values"
	"helm.sh/helm/v4/pkg/getter"
	release "helm.sh/helm/v4/pkg/release/v1"
)

const helmModule = "helm.sh/helm/v4"

// newRenderer loads the chart once; each call is `helm template NAME CHART --namespace NS -f VALUES` with Helm 4:
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
		client := action.NewInstall(action.NewConfiguration())
		client.DryRunStrategy = action.DryRunClient
		client.ReleaseName = name
		client.Namespace = namespace
		client.Replace = true
		if accepts != nil {
			coalesced, err := util.CoalesceValues(chrt, vals)
			client.SkipSchemaValidation = err == nil && accepts(coalesced)
		}
		installed, err := client.Run(chrt, vals)
		if err != nil {
			return nil, err
		}
		rel, ok := installed.(*release.Release)
		if !ok {
			return nil, fmt.Errorf("unexpected release type %T", installed)
		}
		var text bytes.Buffer
		fmt.Fprintln(&text, strings.TrimSpace(rel.Manifest))
		for _, hook := range rel.Hooks {
			fmt.Fprintf(&text, "---\n# Source: %s\n%s\n", hook.Path, hook.Manifest)
		}
		return text.Bytes(), nil
	}, nil
}
