// Command vigil is the detection-engineering engine: it runs EQL rules over
// Windows telemetry, tests rules against recorded attacks and benign data,
// and manages the detection vault.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/stream"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// exitError carries a specific exit status out of a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes the command line args and returns the process exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.Execute(); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintln(stderr, "vigil:", err)
		return 2
	}
	return 0
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Detection engineering for Windows telemetry: EQL rules, tests and hunts",
		Long: fmt.Sprintf(`Vigil runs EQL detection rules, with Elasticsearch's semantics, over Windows
telemetry (EVTX, event XML, ECS NDJSON), proves each rule against its attack
and benign recordings, and keeps the detection vault.

Memory is bounded whatever the input: each query keeps at most %d live
partial sequences (--max-partials on query and hunt; the oldest are dropped
and counted), sequence state expires with maxspan, and the time-ordered
merge of inputs holds at most %d events per input (--window), NDJSON
lines as their text, decoded as they leave it.`, eql.DefaultMaxPartials, stream.DefaultWindow),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newTestCmd(),
		newHuntCmd(),
		newQueryCmd(),
		newCheckCmd(),
		newConformanceCmd(),
		newBenchCmd(),
		newConvertCmd(),
		newVaultCmd(),
	)
	return root
}
