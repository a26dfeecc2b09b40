package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/eql/conformance"
)

func newConformanceCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "conformance DIR",
		Short: "Run the Elasticsearch and Endgame EQL conformance suites",
		Long: `Conformance runs Elasticsearch's EQL QA specs (DIR/elasticsearch-eql-qa, with
the Endgame test data from DIR/endgameinc-eql) and the original EQL test
queries (DIR/endgameinc-eql) and reports what passes. DIR is a folder holding
both, such as ../shared/corpus/eql or eql/conformance/testdata.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ok, err := runConformance(args[0], verbose, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if !ok {
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every spec, not only the failures")
	return cmd
}

func runConformance(dir string, verbose bool, out io.Writer) (bool, error) {
	es, err := conformance.LoadElasticsearch(filepath.Join(dir, "elasticsearch-eql-qa"), filepath.Join(dir, "endgameinc-eql"))
	if err != nil {
		return false, err
	}
	eg, err := conformance.LoadEndgame(filepath.Join(dir, "endgameinc-eql"))
	if err != nil {
		return false, err
	}
	allOK := true
	total, pass := 0, 0
	for _, s := range es {
		p := 0
		outcomes := conformance.Run(s)
		for _, o := range outcomes {
			if o.Pass {
				p++
			}
			if verbose || !o.Pass {
				fmt.Fprint(out, o.Describe())
			}
		}
		fmt.Fprintf(out, "elasticsearch %s: %d/%d specs pass\n", s.Name, p, len(outcomes))
		total += len(outcomes)
		pass += p
	}
	fmt.Fprintf(out, "elasticsearch: %d/%d specs pass (%.1f%%)\n", pass, total, 100*float64(pass)/float64(total))
	if pass < total {
		allOK = false
	}
	r := conformance.Classify(conformance.Run(eg))
	for _, o := range r.Failed {
		fmt.Fprint(out, o.Describe())
	}
	if verbose {
		for _, o := range r.Rejected {
			fmt.Fprint(out, o.Describe())
		}
	}
	fmt.Fprintf(out, "endgame: %d queries: %d valid Elasticsearch EQL (or extension pipes) pass, %d fail; %d rejected as Elasticsearch rejects them\n",
		r.Total, len(r.Passed), len(r.Failed), len(r.Rejected))
	if len(r.Failed) > 0 {
		allOK = false
	}
	return allOK, nil
}
