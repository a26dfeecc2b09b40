package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/ruletest"
	"github.com/vigil-sec/vigil/vault"
)

func newTestCmd() *cobra.Command {
	var (
		asJSON  bool
		junit   string
		nearest int
		noSave  bool
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Prove that each rule fires on its atomic tests and stays silent on benign data",
		Long: `Test replays the telemetry of every atomic test and benign recording of the
vault (DIR, or the vault built into vigil) through all of its rules and
checks, for each test:

  - the expected signals (channel or provider, event id, field conditions)
    are in its telemetry;
  - every rule the test names in fire fires, every rule in silent stays
    silent, and a rule recorded as a known gap still misses (with the
    reason and the fix the note gives);
  - on benign data, the rules that must stay silent do.

When a rule does not fire, the report shows, for each term of its query,
the events that came closest and the conditions they fail. The verdicts
are stored for 'vigil vault show'. The exit status is 1 when a test fails.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, prefix, err := openVault(args, embeddedVault)
			if err != nil {
				return err
			}
			v, err := vault.Load(fsys)
			if err != nil {
				return err
			}
			if probs := v.Check(); len(probs) > 0 {
				for _, p := range probs {
					fmt.Fprintln(cmd.ErrOrStderr(), prefixed(prefix, p.String()))
				}
				return fmt.Errorf("the vault has %d problems; run 'vigil vault check' for details", len(probs))
			}
			runner, err := ruletest.New(v, eql.Options{})
			if err != nil {
				return err
			}
			runner.Nearest = nearest
			rep := runner.Run()
			out := cmd.OutOrStdout()
			if asJSON {
				err = rep.WriteJSON(out)
			} else {
				err = rep.WriteText(out, verbose)
			}
			if err != nil {
				return err
			}
			if junit != "" {
				var buf bytes.Buffer
				if err := rep.WriteJUnit(&buf); err != nil {
					return err
				}
				if err := os.WriteFile(junit, buf.Bytes(), 0o644); err != nil {
					return err
				}
			}
			if !noSave {
				if err := saveVerdicts(args, rep, cmd.ErrOrStderr()); err != nil {
					return err
				}
			}
			if !rep.OK() {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().StringVar(&junit, "junit", "", "also write the report as JUnit XML to this file")
	cmd.Flags().IntVar(&nearest, "nearest", 2, "near misses: closest events to show per term of a rule that did not fire")
	cmd.Flags().BoolVar(&noSave, "no-save", false, "do not store the verdicts for 'vigil vault show'")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also show the nearest events for known gaps")
	return cmd
}

func prefixed(prefix, s string) string {
	if prefix == "" {
		return s
	}
	return filepath.Join(prefix, s)
}

// verdictPath is where the verdicts of a vault are kept: .vigil/verdicts.json
// inside a vault folder, or in the user's cache for the built-in vault.
func verdictPath(args []string) (string, error) {
	if len(args) > 0 {
		return filepath.Join(args[0], filepath.FromSlash(vault.DefaultVerdictsPath)), nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "vigil", "builtin-verdicts.json"), nil
}

func saveVerdicts(args []string, rep *ruletest.Report, stderr io.Writer) error {
	path, err := verdictPath(args)
	if err != nil {
		fmt.Fprintln(stderr, "vigil test: not saving verdicts:", err)
		return nil
	}
	f, err := vault.LoadVerdicts(path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "vigil test: %s: %v; starting afresh\n", path, err)
		}
		f = vault.NewVerdictFile()
	}
	if err := rep.Record(f, time.Now().UTC()); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(stderr, "vigil test: not saving verdicts:", err)
		return nil
	}
	if err := f.Write(path); err != nil {
		fmt.Fprintln(stderr, "vigil test: not saving verdicts:", err)
	}
	return nil
}
