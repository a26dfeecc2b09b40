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
		Use:           "vigil",
		Short:         "Detection engineering for Windows telemetry: EQL rules, tests and hunts",
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
