// Package content is the detection pack shipped inside vigil: a vault of
// ATT&CK technique notes, detection rules, atomic tests with their
// telemetry, and benign recordings (see vault/FORMAT.md), starting with
// T1559.001, Component Object Model.
package content

import (
	"embed"
	"io/fs"
)

// The pattern leaves out names starting with "." or "_", so the verdicts
// `vigil test` keeps in vault/.vigil/ (and Obsidian's .obsidian/) are not
// built into the binary.
//
//go:embed vault
var files embed.FS

// Vault returns the shipped vault, with the vault folder at its root.
func Vault() fs.FS {
	sub, err := fs.Sub(files, "vault")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}
