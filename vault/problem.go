package vault

import (
	"cmp"
	"fmt"
	"slices"
)

// A Problem is something wrong with a note, located by file and line.
type Problem struct {
	File   string // path of the note in the vault, slash-separated
	Line   int    // 1-based line in the file; 0 if the problem concerns the whole file
	Column int    // 1-based column, or 0 when only the line is known
	Msg    string // what is wrong, lower case, no final period
	// Context is an optional multi-line rendering of the offending text
	// (for EQL errors, the query line with a caret under the error).
	Context string
}

// String formats the problem as "file:line: msg", or "file:line:column: msg"
// when the column is known.
func (p Problem) String() string {
	switch {
	case p.Line <= 0:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	case p.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// sortProblems orders problems by file, line, column and message.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// problems collects the problems of one note.
type problems struct {
	file string
	list []Problem
}

func (p *problems) addf(line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// A Span is a range of bytes [Start, End) in a note's original text.
type Span struct {
	Start, End int
}
