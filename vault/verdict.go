package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// VerdictsVersion is the version of the verdict file format.
const VerdictsVersion = 1

// DefaultVerdictsPath is where, relative to the vault root, the test
// runner keeps the verdicts of a vault on disk. It is in a hidden folder,
// so it is not read as a note.
const DefaultVerdictsPath = ".vigil/verdicts.json"

// The statuses of a verdict.
const (
	StatusPass  = "pass"  // the expectation held
	StatusFail  = "fail"  // it did not
	StatusError = "error" // it could not be tested (a file missing, a query that does not compile)
	StatusSkip  = "skip"  // it was not tested, on purpose (a manual test, a deprecated rule)
)

var statuses = []string{StatusPass, StatusFail, StatusError, StatusSkip}

// A Verdict is the outcome of the last run of a rule's, test's or benign
// note's expectations.
type Verdict struct {
	Status string    `json:"status"`           // pass, fail, error or skip
	Time   time.Time `json:"time,omitzero"`    // when it was decided
	Detail string    `json:"detail,omitempty"` // why, for people: "rule com-script-host did not fire"
}

// Verdicts gives the last verdict of a rule, test or benign note, by kind
// (KindRule, KindTest or KindBenign) and id.
type Verdicts interface {
	Last(kind Kind, id string) (Verdict, bool)
}

// A VerdictFile holds the last verdicts of a vault, as stored in JSON:
//
//	{"version": 1,
//	 "rules":  {"<rule id>":  {"status": "pass", "time": "2026-11-24T10:00:00Z"}},
//	 "tests":  {"<test id>":  {"status": "fail", "time": "...", "detail": "..."}},
//	 "benign": {"<benign id>": {...}}}
//
// It implements [Verdicts].
type VerdictFile struct {
	Version int                `json:"version"`
	Rules   map[string]Verdict `json:"rules"`
	Tests   map[string]Verdict `json:"tests"`
	Benign  map[string]Verdict `json:"benign"`
}

// NewVerdictFile returns an empty verdict file.
func NewVerdictFile() *VerdictFile {
	return &VerdictFile{
		Version: VerdictsVersion,
		Rules:   map[string]Verdict{},
		Tests:   map[string]Verdict{},
		Benign:  map[string]Verdict{},
	}
}

// LoadVerdicts reads a verdict file. A missing file is an error that
// errors.Is reports as fs.ErrNotExist.
func LoadVerdicts(path string) (*VerdictFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("verdicts: %w", err)
	}
	f, err := ParseVerdicts(data)
	if err != nil {
		return nil, fmt.Errorf("verdicts %s: %w", path, err)
	}
	return f, nil
}

// ParseVerdicts parses the JSON of a verdict file. Unknown keys, versions
// and statuses are errors.
func ParseVerdicts(data []byte) (*VerdictFile, error) {
	f := NewVerdictFile()
	f.Version = 0
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON object")
	}
	if f.Version != VerdictsVersion {
		return nil, fmt.Errorf("version %d, want %d", f.Version, VerdictsVersion)
	}
	for kind, m := range f.maps() {
		if *m == nil {
			*m = map[string]Verdict{}
		}
		for id, v := range *m {
			if !slices.Contains(statuses, v.Status) {
				return nil, fmt.Errorf("%s %q: status %q is not one of pass, fail, error, skip", kind, id, v.Status)
			}
		}
	}
	return f, nil
}

// jsonError adds the line to a JSON syntax or type error.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	return fmt.Errorf("line %d: %w", 1+bytes.Count(data[:off], []byte("\n")), err)
}

// maps returns the verdict maps by kind.
func (f *VerdictFile) maps() map[Kind]*map[string]Verdict {
	return map[Kind]*map[string]Verdict{KindRule: &f.Rules, KindTest: &f.Tests, KindBenign: &f.Benign}
}

// Last returns the verdict of the rule, test or benign note id.
func (f *VerdictFile) Last(kind Kind, id string) (Verdict, bool) {
	if f == nil {
		return Verdict{}, false
	}
	m, ok := f.maps()[kind]
	if !ok || *m == nil {
		return Verdict{}, false
	}
	v, ok := (*m)[id]
	return v, ok
}

// Set records the verdict of the rule, test or benign note id.
func (f *VerdictFile) Set(kind Kind, id string, v Verdict) error {
	m, ok := f.maps()[kind]
	if !ok {
		return fmt.Errorf("verdicts: no verdicts for %s notes", kind)
	}
	if !slices.Contains(statuses, v.Status) {
		return fmt.Errorf("verdicts: %s %q: status %q is not one of pass, fail, error, skip", kind, id, v.Status)
	}
	if *m == nil {
		*m = map[string]Verdict{}
	}
	(*m)[id] = v
	return nil
}

// Write stores the verdicts at path atomically: it writes a temporary
// file in the same folder, syncs it and renames it over path, so a reader
// sees the old file or the new one, never a part. The folder is created if
// needed.
func (f *VerdictFile) Write(path string) (err error) {
	f.Version = VerdictsVersion
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("verdicts: %w", err)
	}
	data = append(data, '\n')
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("verdicts: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".verdicts-*.tmp")
	if err != nil {
		return fmt.Errorf("verdicts: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("verdicts: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("verdicts: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("verdicts: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("verdicts: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("verdicts: %w", err)
	}
	return nil
}
