package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/content"
	"github.com/vigil-sec/vigil/vault"
)

// embeddedVault returns the vault built into the binary (package content).
func embeddedVault() (fs.FS, bool) { return content.Vault(), true }

func newVaultCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vault",
		Short: "Check and show the detection knowledge base",
		Long: `The vault is a folder of markdown notes with YAML front matter, readable
in Obsidian: ATT&CK technique notes, detection rules (EQL), atomic tests
with their expected signals and telemetry, and benign data. vault/FORMAT.md
describes the notes. Without DIR, the commands use the vault built into
vigil, if it has one.`,
	}
	cmd.AddCommand(newVaultCheckCmd(embeddedVault), newVaultShowCmd(embeddedVault))
	return cmd
}

// openVault returns the vault of the optional DIR argument, or the
// embedded one, and the prefix to show before its file names.
func openVault(args []string, embedded func() (fs.FS, bool)) (fs.FS, string, error) {
	if len(args) > 0 {
		dir := args[0]
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, "", err
		}
		if !fi.IsDir() {
			return nil, "", fmt.Errorf("%s is not a folder", dir)
		}
		return os.DirFS(dir), dir, nil
	}
	if fsys, ok := embedded(); ok {
		return fsys, "", nil
	}
	return nil, "", errors.New("give the vault folder DIR: this vigil has no vault built in")
}

func newVaultCheckCmd(embedded func() (fs.FS, bool)) *cobra.Command {
	return &cobra.Command{
		Use:   "check [DIR]",
		Short: "Check every note of a vault",
		Long: `Check parses every note and reports, with file and line: notes that do
not parse or lack what their kind needs, query blocks that find no note,
technique tags without a technique note, rule ids that name no rule, EQL
that does not compile, and referenced files that do not exist. The exit
status is 1 when there are problems.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, prefix, err := openVault(args, embedded)
			if err != nil {
				return err
			}
			return checkVault(fsys, prefix, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// checkVault checks the vault in fsys, writing problems to stderr with
// file names under prefix, and a summary to stdout when there are none.
func checkVault(fsys fs.FS, prefix string, stdout, stderr io.Writer) error {
	v, err := vault.Load(fsys)
	if err != nil {
		return err
	}
	problems := v.Check()
	files := map[string]bool{}
	for _, p := range problems {
		files[p.File] = true
		if prefix != "" {
			p.File = filepath.Join(prefix, filepath.FromSlash(p.File))
		}
		fmt.Fprintln(stderr, p)
		if p.Context != "" {
			fmt.Fprintln(stderr, p.Context)
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "%d problems in %d files\n", len(problems), len(files))
		return exitError{1}
	}
	fmt.Fprintf(stdout, "ok: %d notes: %d techniques, %d rules, %d tests, %d benign\n",
		len(v.Notes), len(v.Techniques), len(v.Rules), len(v.Tests), len(v.Benign))
	return nil
}

func newVaultShowCmd(embedded func() (fs.FS, bool)) *cobra.Command {
	var verdictsPath string
	cmd := &cobra.Command{
		Use:   "show TECHNIQUE [DIR]",
		Short: "Show a technique with its rules, tests and their last verdicts",
		Long: `Show prints the technique note of TECHNIQUE (T1559.001, T1559_001 or
t1559.001) with each query block replaced by the rules and tests it finds:
name, id, severity or executor, and the last verdict of each when known.
Verdicts are read from --verdicts, by default from where 'vigil test' stores
them: DIR/` + vault.DefaultVerdictsPath + `, or the user's cache directory for the built-in
vault.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, _, err := openVault(args[1:], embedded)
			if err != nil {
				return err
			}
			v, err := vault.Load(fsys)
			if err != nil {
				return err
			}
			path := verdictsPath
			if path == "" {
				// Where vigil test keeps them: DIR/.vigil/verdicts.json, or
				// the user's cache for the built-in vault.
				if p, err := verdictPath(args[1:]); err == nil {
					if _, err := os.Stat(p); err == nil {
						path = p
					}
				}
			}
			var verdicts vault.Verdicts
			if path != "" {
				vf, err := vault.LoadVerdicts(path)
				if err != nil {
					return err
				}
				verdicts = vf
			}
			if err := v.ShowTechnique(args[0], verdicts, cmd.OutOrStdout()); err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "vigil:", err)
				return exitError{1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&verdictsPath, "verdicts", "", "verdict file (default DIR/"+vault.DefaultVerdictsPath+" if it exists)")
	return cmd
}
