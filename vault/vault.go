package vault

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// maxNoteSize is the largest note read; larger .md files are reported and
// skipped.
const maxNoteSize = 8 << 20

// A Vault is a folder of notes, parsed and classified.
type Vault struct {
	FS         fs.FS
	Notes      []*Note // every note, in path order
	Techniques []*Technique
	Rules      []*Rule
	Tests      []*AtomicTest
	Benign     []*Benign
	Files      []string // every file outside hidden folders, notes included, in path order

	problems []Problem
	byPath   map[string]*Note
	tags     map[*Note]map[string]bool // normalised tags of each note, as loaded
}

// Load reads every *.md file of fsys, outside hidden folders such as
// .obsidian and .git, and classifies the notes by their tags. Problems
// with notes do not stop loading: they are collected with their file and
// line, and returned by [Vault.Problems] and [Vault.Check]. The error is
// for a vault that cannot be read at all.
func Load(fsys fs.FS) (*Vault, error) {
	v := &Vault{FS: fsys, byPath: map[string]*Note{}, tags: map[*Note]map[string]bool{}}
	if _, err := fs.Stat(fsys, "."); err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			v.problems = append(v.problems, Problem{File: p, Msg: fmt.Sprintf("cannot read: %v", err)})
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		v.Files = append(v.Files, p)
		if !strings.EqualFold(path.Ext(p), ".md") {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() > maxNoteSize {
			v.problems = append(v.problems, Problem{File: p, Msg: fmt.Sprintf("note is %d bytes, more than the %d read", info.Size(), maxNoteSize)})
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			v.problems = append(v.problems, Problem{File: p, Msg: fmt.Sprintf("cannot read: %v", err)})
			return nil
		}
		v.add(ParseNote(p, data))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return v, nil
}

// add classifies and decodes a parsed note.
func (v *Vault) add(n *Note) {
	p := &problems{file: n.Path}
	kind, kindTags := n.kind()
	if len(kindTags) > 1 {
		line := 1
		if n.Front != nil {
			if t := n.Front.Get("tags"); t != nil {
				line = t.Line
			}
		}
		p.addf(line, "note has %d kind tags (%s); it is read as a %s note", len(kindTags), strings.Join(kindTags, ", "), kind)
	}
	switch kind {
	case KindTechnique:
		v.Techniques = append(v.Techniques, decodeTechnique(n, p))
	case KindRule:
		v.Rules = append(v.Rules, decodeRule(n, p))
	case KindTest:
		v.Tests = append(v.Tests, decodeAtomicTest(n, p))
	case KindBenign:
		v.Benign = append(v.Benign, decodeBenign(n, p))
	}
	n.Problems = append(n.Problems, p.list...)
	v.problems = append(v.problems, n.Problems...)
	v.Notes = append(v.Notes, n)
	v.byPath[n.Path] = n
	v.tags[n] = tagSet(n.Tags())
}

// tagsOf returns the normalised tags of n as loaded.
func (v *Vault) tagsOf(n *Note) map[string]bool {
	if t, ok := v.tags[n]; ok {
		return t
	}
	return tagSet(n.Tags())
}

// Problems returns the problems found while loading: notes that do not
// parse or lack what their kind needs. [Vault.Check] returns these and
// more.
func (v *Vault) Problems() []Problem {
	out := append([]Problem(nil), v.problems...)
	sortProblems(out)
	return out
}

// Note returns the note at path, or nil.
func (v *Vault) Note(path string) *Note { return v.byPath[path] }

// TechniqueByID returns the technique note of id, written in any form
// [TechniqueID] accepts, or nil.
func (v *Vault) TechniqueByID(id string) *Technique {
	id, ok := TechniqueID(id)
	if !ok {
		return nil
	}
	for _, t := range v.Techniques {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// RuleByID returns the rule with the id, or nil.
func (v *Vault) RuleByID(id string) *Rule {
	for _, r := range v.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// TestByID returns the atomic test with the id, or nil.
func (v *Vault) TestByID(id string) *AtomicTest {
	for _, t := range v.Tests {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// BenignByID returns the benign note with the id, or nil.
func (v *Vault) BenignByID(id string) *Benign {
	for _, b := range v.Benign {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// Query returns the notes the query finds, in path order, by the tags the
// notes had when the vault was loaded.
func (v *Vault) Query(q QueryBlock) []*Note {
	var out []*Note
	match := q.compile()
	for _, n := range v.Notes {
		if match(v.tagsOf(n)) {
			out = append(out, n)
		}
	}
	return out
}

// SilentRules returns the rules that must stay silent on the benign note's
// telemetry: those it names and those its silent_query finds, in path
// order. Ids that name no rule are left out ([Vault.Check] reports them).
func (v *Vault) SilentRules(b *Benign) []*Rule {
	var out []*Rule
	match := func(map[string]bool) bool { return false }
	if b.SilentQuery != nil {
		match = b.SilentQuery.compile()
	}
	for _, r := range v.Rules {
		if slices.Contains(b.Silent, r.ID) || match(v.tagsOf(r.Note)) {
			out = append(out, r)
		}
	}
	return out
}
