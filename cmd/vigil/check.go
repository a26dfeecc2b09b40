package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pelletier/go-toml/v2"
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
			q, off, err := ruleQuery(data)
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", arg, err)
				return false
			}
			src, lineOffset = q, off
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

// ruleQuery extracts the EQL query of an Elastic detection rule and the
// number of lines before it in the file.
func ruleQuery(data []byte) (string, int, error) {
	var doc struct {
		Rule struct {
			Language string `toml:"language"`
			Query    string `toml:"query"`
		} `toml:"rule"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return "", 0, err
	}
	if doc.Rule.Language != "eql" {
		return "", 0, fmt.Errorf("rule language is %q, not eql", doc.Rule.Language)
	}
	q := doc.Rule.Query
	offset := 0
	text := string(data)
	if i := strings.Index(text, strings.TrimSpace(q)); i >= 0 {
		// Count lines up to where the query text starts, allowing for the
		// leading white space TOML kept.
		lead := len(q) - len(strings.TrimLeft(q, " \t\r\n"))
		start := i - lead
		if start < 0 {
			start = 0
		}
		offset = strings.Count(text[:i], "\n") - strings.Count(q[:lead], "\n")
	}
	return q, offset, nil
}
