package eql

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is a syntax or semantic error in a query, located by line and
// column, with an optional hint on how to fix it.
type Error struct {
	Pos    Pos    // byte offset of the start of the offending text
	End    Pos    // byte offset just past it (End > Pos)
	Line   int    // 1-based line of Pos
	Column int    // 1-based column of Pos, in characters
	Msg    string // what is wrong, lower case, no final period
	Hint   string // how to fix it, or ""
	Warn   bool   // a warning (the query still runs), not an error
	src    string // the query text, to show the line
}

// Error formats the error as "line:column: message (hint)".
func (e *Error) Error() string {
	s := fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Context renders the offending line of the query with a caret under the
// error, indented by indent.
func (e *Error) Context(indent string) string {
	if e.src == "" {
		return ""
	}
	lineStart := strings.LastIndexByte(e.src[:e.Pos], '\n') + 1
	lineEnd := strings.IndexByte(e.src[lineStart:], '\n')
	if lineEnd < 0 {
		lineEnd = len(e.src)
	} else {
		lineEnd += lineStart
	}
	line := strings.TrimRight(e.src[lineStart:lineEnd], "\r")
	// Expand tabs so the caret lines up.
	var pad strings.Builder
	for _, r := range e.src[lineStart:e.Pos] {
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	width := utf8.RuneCountInString(e.src[e.Pos:min(int(e.End), lineEnd)])
	if width < 1 {
		width = 1
	}
	return indent + line + "\n" + indent + pad.String() + strings.Repeat("^", width)
}

// ErrorList is a list of errors sorted by position. It is returned as the
// error of Parse and Compile when anything is wrong.
type ErrorList []*Error

// Error returns the first error and the number of others.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Format renders every error with its line and caret, as a person wants to
// read them on a terminal. name labels the query (a file name or "query").
func (l ErrorList) Format(name string) string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		kind := "error"
		if e.Warn {
			kind = "warning"
		}
		fmt.Fprintf(&b, "%s:%d:%d: %s: %s\n", name, e.Line, e.Column, kind, e.Msg)
		if c := e.Context("    "); c != "" {
			b.WriteString(c)
			b.WriteByte('\n')
		}
		if e.Hint != "" {
			fmt.Fprintf(&b, "    hint: %s\n", e.Hint)
		}
	}
	return b.String()
}

// Errors returns only the entries that are errors, not warnings.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if !e.Warn {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Warn {
			out = append(out, e)
		}
	}
	return out
}

// errs collects errors for one query text.
type errs struct {
	src  string
	list ErrorList
}

func (x *errs) add(pos, end Pos, warn bool, msg, hint string) {
	if end <= pos {
		end = pos + 1
	}
	for _, e := range x.list {
		if e.Pos == pos && e.Msg == msg {
			return
		}
	}
	line, col := lineCol(x.src, pos)
	x.list = append(x.list, &Error{Pos: pos, End: end, Line: line, Column: col, Msg: msg, Hint: hint, Warn: warn, src: x.src})
}

func (x *errs) errorf(n Node, hint, format string, args ...any) {
	x.add(n.Pos(), n.End(), false, fmt.Sprintf(format, args...), hint)
}

func (x *errs) warnf(n Node, hint, format string, args ...any) {
	x.add(n.Pos(), n.End(), true, fmt.Sprintf(format, args...), hint)
}

func (x *errs) hasErrors() bool {
	for _, e := range x.list {
		if !e.Warn {
			return true
		}
	}
	return false
}

func (x *errs) sorted() ErrorList {
	sort.SliceStable(x.list, func(i, j int) bool { return x.list[i].Pos < x.list[j].Pos })
	return x.list
}

// lineCol converts a byte offset to a 1-based line and character column.
func lineCol(src string, pos Pos) (int, int) {
	if int(pos) > len(src) {
		pos = Pos(len(src))
	}
	line := 1 + strings.Count(src[:pos], "\n")
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	return line, 1 + utf8.RuneCountInString(src[start:pos])
}

// Shifted returns copies of the errors with n added to their line numbers,
// for queries embedded in a larger file (a rule file, a vault note) whose
// first line is line n+1 of that file.
func (l ErrorList) Shifted(n int) ErrorList {
	out := make(ErrorList, len(l))
	for i, e := range l {
		c := *e
		c.Line += n
		out[i] = &c
	}
	return out
}
