package evtx

import "strconv"

// xmlWriter is the sink that renders a decoded event as event XML in the
// style of the Windows renderer: single-quoted attributes, no whitespace
// between elements, "<X/>" only for elements stored as empty elements.
type xmlWriter struct {
	buf     []byte
	stack   []string
	open    bool // a start tag is waiting for its '>'
	scratch []byte
}

func (x *xmlWriter) closeTag() {
	if x.open {
		x.buf = append(x.buf, '>')
		x.open = false
	}
}

func (x *xmlWriter) start(name string, _ nameID) {
	x.closeTag()
	x.buf = append(x.buf, '<')
	x.buf = append(x.buf, name...)
	x.stack = append(x.stack, name)
	x.open = true
}

func (x *xmlWriter) attr(name string, _ nameID, v value) {
	x.buf = append(x.buf, ' ')
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '=', '\'')
	x.scratch = appendValue(x.scratch[:0], &v)
	x.buf = appendEscaped(x.buf, x.scratch, true)
	x.buf = append(x.buf, '\'')
}

func (x *xmlWriter) text(v value) {
	x.closeTag()
	x.scratch = appendValue(x.scratch[:0], &v)
	x.buf = appendEscaped(x.buf, x.scratch, false)
}

func (x *xmlWriter) end(empty bool) {
	name := ""
	if n := len(x.stack); n > 0 {
		name = x.stack[n-1]
		x.stack = x.stack[:n-1]
	}
	if x.open && empty {
		x.buf = append(x.buf, '/', '>')
		x.open = false
		return
	}
	x.closeTag()
	x.buf = append(x.buf, '<', '/')
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
}

// appendEscaped appends s with the XML special characters escaped.
func appendEscaped(dst, s []byte, attr bool) []byte {
	for _, c := range s {
		switch {
		case c == '&':
			dst = append(dst, "&amp;"...)
		case c == '<':
			dst = append(dst, "&lt;"...)
		case c == '>':
			dst = append(dst, "&gt;"...)
		case c == '\'' && attr:
			dst = append(dst, "&apos;"...)
		case c == '"' && attr:
			dst = append(dst, "&quot;"...)
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			dst = append(dst, "&#"...)
			dst = strconv.AppendUint(dst, uint64(c), 10)
			dst = append(dst, ';')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
