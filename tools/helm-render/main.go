// helm-render renders one chart with many values files in one process, through Helm's own install action in
// client-only dry-run mode: the code path of `helm template`, so each output file holds the bytes `helm template`
// prints. The chart is loaded once per worker instead of once per values file, and no process starts per file.
// The Helm-specific part is helm4.go or helm3.go: the installer builds main.go with one of them, in a module of its
// own that requires only that Helm (src/toolchain/pins.ts), so the two never share a build.
//
// Helm compiles the chart's values schema for every values file (half of a rendering's time); this program compiles
// it once, with the library, URL and compiler Helm uses, and lets Helm skip its own schema check only for values that
// compiled schema accepts. Values it refuses go through Helm's own check, so every refusal is Helm's, word for word.
//
// Usage: helm-render --chart DIR --release NAME --namespace NS --out DIR [--check-only] < paths
// Standard input holds one values file path per line; the rendering of line i is written to DIR/<i>.yaml, and its
// objects, decoded as Kubernetes decodes YAML, to DIR/<i>.json (a JSON list, which the caller reads far faster).
// With --check-only nothing is written or decoded: each result only says whether Helm rendered the file (YAML Helm
// cannot read, it refuses itself: it reads every document's head to sort the manifests).
// Each result is one JSON line on standard output: {"index":i,"values":path,"file":…,"objects":…} or {…,"error":msg}.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

type job struct {
	index  int
	values string
}

type result struct {
	Index   int    `json:"index"`
	Values  string `json:"values"`
	File    string `json:"file,omitempty"`
	Objects string `json:"objects,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	chartDir := flag.String("chart", "", "chart directory")
	releaseName := flag.String("release", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	outDir := flag.String("out", "", "directory for the renderings")
	workers := flag.Int("jobs", runtime.GOMAXPROCS(0), "values files rendered at once")
	checkOnly := flag.Bool("check-only", false, "write no renderings: only say whether each values file renders")
	version := flag.Bool("version", false, "print the Helm module this was built against")
	flag.Parse()
	if *version {
		fmt.Println(helmModuleVersion())
		return
	}
	if *chartDir == "" || *outDir == "" {
		fmt.Fprintln(os.Stderr, "helm-render: --chart and --out are required")
		os.Exit(2)
	}
	// Helm's own warnings would interleave with the results; errors reach the caller in each result instead.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// The heap stays small (one chart and one rendering per worker); collecting less often saves a tenth of the time.
	debug.SetGCPercent(400)

	jobs := make(chan job)
	results := make(chan result)
	var wg sync.WaitGroup
	for range max(*workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A chart of its own per worker: rendering may process dependencies in place.
			render, loadErr := newRenderer(*chartDir, *releaseName, *namespace)
			for j := range jobs {
				r := result{Index: j.index, Values: j.values}
				if loadErr != nil {
					r.Error = loadErr.Error()
				} else if err := renderTo(render, j, *outDir, *checkOnly, &r); err != nil {
					r.File, r.Objects, r.Error = "", "", err.Error()
				}
				results <- r
			}
		}()
	}
	go func() {
		scanner := bufio.NewScanner(os.Stdin)
		for i := 0; scanner.Scan(); i++ {
			if line := strings.TrimSpace(scanner.Text()); line != "" {
				jobs <- job{index: i, values: line}
			}
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	out := json.NewEncoder(os.Stdout)
	for r := range results {
		if err := out.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, "helm-render:", err)
			os.Exit(1)
		}
	}
}

// renderTo renders one values file and writes the rendering and its objects (unless only checking).
func renderTo(render func(string) ([]byte, error), j job, outDir string, checkOnly bool, r *result) error {
	text, err := render(j.values)
	if err != nil || checkOnly {
		return err
	}
	objects, err := decodeObjects(text)
	if err != nil {
		return fmt.Errorf("helm rendered YAML that does not decode: %w", err)
	}
	r.File = filepath.Join(outDir, strconv.Itoa(j.index)+".yaml")
	r.Objects = filepath.Join(outDir, strconv.Itoa(j.index)+".json")
	if err := os.WriteFile(r.File, text, 0o644); err != nil {
		return err
	}
	return os.WriteFile(r.Objects, objects, 0o644)
}

// decodeObjects is the rendering's documents as a JSON list, empty documents left out: each one split and converted
// to JSON as Kubernetes reads YAML (apimachinery's document reader, sigs.k8s.io/yaml), and kept as that JSON.
func decodeObjects(text []byte) ([]byte, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(text)))
	list := bytes.NewBufferString("[")
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		object, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, err
		}
		if object = bytes.TrimSpace(object); bytes.Equal(object, []byte("null")) {
			continue
		}
		if object[0] != '{' {
			return nil, fmt.Errorf("a document is not an object: %.80s", object)
		}
		if list.Len() > 1 {
			list.WriteByte(',')
		}
		list.Write(object)
	}
	list.WriteByte(']')
	return list.Bytes(), nil
}

// compileSchema is Helm's values-schema check compiled once: the library, resource URL and compiler Helm's
// ValidateAgainstSingleSchema use, without its loaders, so a schema that needs a remote document does not compile
// here and is left to Helm. Nil when there is no schema or it does not compile: Helm then checks every file itself.
func compileSchema(schemaJSON []byte) func(values map[string]any) bool {
	if len(schemaJSON) == 0 {
		return nil
	}
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil
	}
	compiler := jsonschema.NewCompiler()
	if err := compiler.AddResource("file:///values.schema.json", schema); err != nil {
		return nil
	}
	validator, err := compiler.Compile("file:///values.schema.json")
	if err != nil {
		return nil
	}
	return func(values map[string]any) (ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		return validator.Validate(values) == nil
	}
}

// helmModuleVersion names the Helm module linked in, from the build information Go stamps into the binary.
func helmModuleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == helmModule {
				return "helm-render (" + helmModule + " " + dep.Version + ")"
			}
		}
	}
	return "helm-render (" + helmModule + " unknown)"
}
