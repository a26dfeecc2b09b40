package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/vigil-sec/vigil/event"
)

// jsonStreamSource reads JSON documents that are not one per line: the
// elements of top-level arrays, pretty-printed documents one after the
// other, and evtx_dump's output, whose documents follow "Record N" lines.
// Only one document is held in memory at a time.
type jsonStreamSource struct {
	r       *Reader
	name    string
	br      *bufio.Reader
	c       io.Closer
	dec     event.Decoder
	line    int
	inArray bool
	n       int64 // documents seen
	buf     []byte
	done    bool
}

func newJSONStreamSource(r *Reader, name string, br *bufio.Reader, c io.Closer) *jsonStreamSource {
	return &jsonStreamSource{r: r, name: name, br: br, c: c, line: 1}
}

func (s *jsonStreamSource) close() error { return s.c.Close() }

func (s *jsonStreamSource) readByte() (byte, error) {
	b, err := s.br.ReadByte()
	if b == '\n' && err == nil {
		s.line++
	}
	return b, err
}

// skipLine discards the rest of the current line.
func (s *jsonStreamSource) skipLine() error {
	for {
		b, err := s.readByte()
		if err != nil || b == '\n' {
			return err
		}
	}
}

func (s *jsonStreamSource) next() (*event.Event, error) {
	for !s.done {
		b, err := s.readByte()
		if err != nil {
			if errors.Is(err, io.EOF) && s.inArray {
				return nil, fmt.Errorf("line %d: unexpected end of input inside a JSON array", s.line)
			}
			return nil, err
		}
		switch b {
		case ' ', '\t', '\r', '\n', ',':
			continue
		case '[':
			if s.inArray {
				break // a nested array is an element
			}
			s.inArray = true
			continue
		case ']':
			if s.inArray {
				s.inArray = false
				continue
			}
		case 'R':
			if !s.inArray {
				if err := s.skipLine(); err != nil && !errors.Is(err, io.EOF) {
					return nil, err
				}
				continue
			}
		}
		startLine := s.line
		raw, err := s.value(b)
		s.n++
		if err != nil {
			// The structure is lost: report and give up on this input.
			s.done = true
			s.r.skip(Problem{Source: s.name, Line: startLine, Offset: -1, Record: s.n, Msg: err.Error()})
			return nil, io.EOF
		}
		doc, err := s.dec.Decode(raw)
		if err != nil {
			p := Problem{Source: s.name, Line: startLine, Offset: -1, Record: s.n, Msg: err.Error()}
			var se *event.SyntaxError
			if errors.As(err, &se) {
				p.Msg = fmt.Sprintf("malformed JSON in document %d at byte %d: %s", s.n, se.Offset, se.Msg)
			}
			s.r.skip(p)
			continue
		}
		ev, err := toEvent(doc, raw, event.Source{Name: s.name, Index: s.n})
		if err != nil {
			s.r.skip(Problem{Source: s.name, Line: startLine, Offset: -1, Record: s.n, Msg: err.Error()})
			continue
		}
		return ev, nil
	}
	return nil, io.EOF
}

// value reads one JSON value that starts with first, tracking nesting and
// strings, and returns a fresh copy of its text.
func (s *jsonStreamSource) value(first byte) ([]byte, error) {
	buf := append(s.buf[:0], first)
	depth := 0
	switch first {
	case '{', '[':
		depth = 1
	case '"':
		if err := s.str(&buf); err != nil {
			return nil, err
		}
		return append([]byte(nil), buf...), nil
	default:
		// A scalar: read to the next delimiter.
		for {
			b, err := s.br.ReadByte()
			if err != nil {
				break
			}
			if b == ',' || b == ']' || b == '}' || b == ' ' || b == '\n' || b == '\r' || b == '\t' {
				s.br.UnreadByte()
				break
			}
			buf = append(buf, b)
			if len(buf) > s.r.opts.MaxRecordSize {
				return nil, fmt.Errorf("value longer than %d bytes", s.r.opts.MaxRecordSize)
			}
		}
		return append([]byte(nil), buf...), nil
	}
	for depth > 0 {
		b, err := s.readByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("unexpected end of input inside a JSON document")
			}
			return nil, err
		}
		buf = append(buf, b)
		switch b {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case '"':
			if err := s.str(&buf); err != nil {
				return nil, err
			}
		}
		if len(buf) > s.r.opts.MaxRecordSize {
			return nil, fmt.Errorf("document longer than %d bytes", s.r.opts.MaxRecordSize)
		}
	}
	s.buf = buf[:0]
	return append([]byte(nil), buf...), nil
}

// str appends the rest of a string whose opening quote is already in buf.
func (s *jsonStreamSource) str(buf *[]byte) error {
	for {
		b, err := s.readByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return errors.New("unexpected end of input inside a JSON string")
			}
			return err
		}
		*buf = append(*buf, b)
		if len(*buf) > s.r.opts.MaxRecordSize {
			return fmt.Errorf("document longer than %d bytes", s.r.opts.MaxRecordSize)
		}
		switch b {
		case '\\':
			e, err := s.readByte()
			if err != nil {
				return errors.New("unexpected end of input inside a JSON string")
			}
			*buf = append(*buf, e)
		case '"':
			return nil
		}
	}
}
