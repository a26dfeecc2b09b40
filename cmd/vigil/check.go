package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/eql"
)

func newCheckCmd() *cobra.Command {
	var (
		ef      engineFlags
		verbose bool
		strict  bool
	)
	cmd := &cobra.Command{
		Use:   "check 'EQL' | FILE...",
		Short: "Validate EQL queries without running them",
		Long: `Check parses and compiles EQL and reports every problem with its line,
column, the offending line and a hint where one is known. An argument that
names an existing file is read: an Elastic detection rule (.toml, its
rule.query), or a text file holding one query. Anything else is taken as the
query itself.

The hunting pipes (count, unique, unique_count, filter, sort) are accepted
with a warning, since Elasticsearch does not support them, and so are field
names that no ECS or Windows event field has (with the nearest known name);
--strict makes both errors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := ef.options(!strict)
			if err != nil {
				return err
			}
			if opts.Schema == nil {
				// Without a mapping, check field names against the ECS and
				// Windows fields rules use.
				opts.Catalog, opts.StrictFields = eql.ECSCatalog(), strict
			}
			failed := 0
			for _, a := range args {
				if !checkOne(a, opts, verbose, cmd.OutOrStdout(), cmd.ErrOrStderr()) {
					failed++
				}
			}
			if failed > 0 {
				return exitError{1}
			}
			return nil
		},
	}
	ef.register(cmd)
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print each valid query in canonical form")
	cmd.Flags().BoolVar(&strict, "strict", false, "reject the hunting pipes, as Elasticsearch does")
	return cmd
}

// checkOne checks one argument and reports whether it is valid.
func checkOne(arg string, opts eql.Options, verbose bool, stdout, stderr io.Writer) bool {
	name, src, lineOffset := "query", arg, 0
	if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
		data, err := os.ReadFile(arg)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", arg, err)
			return false
		}
		name, src = arg, string(data)
		if strings.HasSuffix(arg, ".toml") {
			r, err := parseElasticRule(data)
			if err == nil && r.Rule.Language != "eql" {
				err = fmt.Errorf("rule language is %q, not eql", r.Rule.Language)
			}
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", arg, err)
				return false
			}
			src, lineOffset = r.Rule.Query, r.queryLine
		}
	}
	q, err := eql.Compile(src, opts)
	if err != nil {
		if el, ok := err.(eql.ErrorList); ok {
			fmt.Fprint(stderr, el.Shifted(lineOffset).Format(name))
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return false
	}
	printWarnings(stderr, name, q.Warnings().Shifted(lineOffset))
	if verbose {
		fmt.Fprintf(stdout, "%s: ok: %s\n", name, q.Statement())
	} else {
		fmt.Fprintf(stdout, "%s: ok\n", name)
	}
	return true
}
