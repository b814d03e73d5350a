// kyverno-apply is Kyverno's own command line, built against the pinned Kyverno module, with two changes that make
// it the `kyverno apply` validate runs over a whole fleet:
//
//   - Each policy's rules for Pod controllers (Kyverno's autogen) are computed once per policy and kind, not at every
//     use. Kyverno derives them again each time it needs them (to list a policy's kinds, to build a policy context,
//     to validate, to count results): several times for every resource, through JSON round trips, which over a
//     fleet's thousands of workloads was most of a run's CPU. They depend on the policy alone, so computing them once
//     changes no result.
//   - `kyverno-apply each` runs many commands in one process: each line of standard input is one command's arguments
//     as a JSON array (`["apply", policy…, "--resource", file, …]`), and each line of standard output that command's
//     result, {"stdout":…,"stderr":…,"exitCode":n}, in input order. A process starts once instead of once per run,
//     and loads Kyverno's own CRDs (what it checks policies against) once.
//
// Otherwise commands, flags, output and exit codes are upstream's. test/fleet/kyverno-apply.test.ts proves both
// modes print what upstream's binary prints, byte for byte, on every fixture.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"sync"

	kyvernov1 "github.com/kyverno/kyverno/api/kyverno/v1"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/commands"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/commands/apply"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/experimental"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/log"
	"github.com/kyverno/kyverno/pkg/autogen"
	"github.com/spf13/cobra"
)

// rulesKey names one computation: a loaded policy (the command line does not change a policy once it has loaded it)
// and the kind asked for.
type rulesKey struct {
	policy kyvernov1.PolicyInterface
	kind   string
}

// rulesOnce is Kyverno's autogen with each policy's computed rules remembered.
type rulesOnce struct {
	autogen.Autogen
	mu    sync.Mutex
	rules map[rulesKey][]kyvernov1.Rule
}

func (r *rulesOnce) ComputeRules(policy kyvernov1.PolicyInterface, kind string) []kyvernov1.Rule {
	key := rulesKey{policy, kind}
	r.mu.Lock()
	rules, known := r.rules[key]
	r.mu.Unlock()
	if !known {
		rules = r.Autogen.ComputeRules(policy, kind)
		r.mu.Lock()
		r.rules[key] = rules
		r.mu.Unlock()
	}
	// A slice of its own, as upstream returns: the rules in it share what they point to, as upstream's do (the rules it
	// keeps from the policy share the policy's own data, call after call), so callers only ever read through them.
	return slices.Clone(rules)
}

// rootCommand is upstream's root command with its log flags, as upstream's main builds it.
func rootCommand() *cobra.Command {
	cmd := commands.RootCommand(experimental.IsEnabled())
	cmd.PersistentFlags().AddGoFlagSet(flag.CommandLine)
	return cmd
}

// exitCode is the code upstream's main exits with after a command returned err.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if warn, ok := err.(apply.WarnExitCodeError); ok {
		return warn.ExitCode
	}
	return 1
}

type result struct {
	Stdout   string `json:"stdout"`
	Stderr   string `json:"stderr"`
	ExitCode int    `json:"exitCode"`
}

// each runs one command per line of standard input, one after the other, and prints each one's result.
func each() error {
	input := bufio.NewScanner(os.Stdin)
	input.Buffer(make([]byte, 0, 64<<10), 16<<20)
	output := json.NewEncoder(os.Stdout)
	for input.Scan() {
		var args []string
		if err := json.Unmarshal(input.Bytes(), &args); err != nil {
			return fmt.Errorf("each: a line is not a JSON array of arguments: %w", err)
		}
		var stdout, stderr bytes.Buffer
		cmd := rootCommand()
		cmd.SetArgs(args)
		cmd.SetOut(&stdout)
		cmd.SetErr(&stderr)
		code := exitCode(cmd.Execute())
		if err := output.Encode(result{stdout.String(), stderr.String(), code}); err != nil {
			return err
		}
	}
	return input.Err()
}

func main() {
	// A run's heap is mostly the resources it was given, kept to its end: collecting less often saves a third of the
	// CPU, and the limit keeps a large run's heap about where the default would have kept it.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
	autogen.Default = &rulesOnce{Autogen: autogen.Default, rules: map[rulesKey][]kyvernov1.Rule{}}
	if err := log.Configure(); err != nil {
		fmt.Println("Error:", fmt.Errorf("Failed to setup logging (%w)", err))
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "each" {
		if err := each(); err != nil {
			fmt.Fprintln(os.Stderr, "kyverno-apply:", err)
			os.Exit(2)
		}
		return
	}
	os.Exit(exitCode(rootCommand().Execute()))
}
