package ingest

import (
	"bufio"
	"bytes"
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
	ecsMode
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
		text, err := s.value(b)
		s.n++
		if err != nil {
			// The structure is lost: report and give up on this input.
			s.done = true
			s.r.skip(Problem{Source: s.name, Line: startLine, Offset: -1, Record: s.n, Msg: err.Error()})
			return nil, io.EOF
		}
		src := event.Source{Name: s.name, Index: s.n, Line: int64(startLine)}
		if s.deferred {
			return &event.Event{Raw: s.r.lines.copy(text), Src: src}, nil
		}
		raw := append([]byte(nil), text...)
		doc, err := s.dec.Decode(raw)
		if err == nil && s.selective {
			err = checkObject(doc)
		}
		if err != nil {
			s.r.skip(streamProblem(src, err))
			continue
		}
		if s.selective {
			return &event.Event{Doc: doc, Raw: raw, Src: src}, nil
		}
		ev, err := toEvent(doc, raw, src)
		if err != nil {
			s.r.skip(streamProblem(src, err))
			continue
		}
		s.learn(ev, s.r.opts, &s.dec)
		return ev, nil
	}
	return nil, io.EOF
}

// streamProblem reports a document of a JSON stream that could not be
// read, by the line it starts on and its number.
func streamProblem(src event.Source, err error) Problem {
	p := Problem{Source: src.Name, Line: int(src.Line), Offset: -1, Record: src.Index, Msg: err.Error()}
	var se *event.SyntaxError
	if errors.As(err, &se) {
		p.Msg = fmt.Sprintf("malformed JSON in document %d at byte %d: %s", src.Index, se.Offset, se.Msg)
	}
	return p
}

// value reads one JSON value that starts with first, tracking nesting and
// strings, and returns its text, valid until the next call. It scans the
// reader's buffered bytes a chunk at a time.
func (s *jsonStreamSource) value(first byte) ([]byte, error) {
	buf := append(s.buf[:0], first)
	depth, inString := 0, false
	switch first {
	case '{', '[':
		depth = 1
	case '"':
		inString = true
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
		s.buf = buf[:0]
		return buf, nil
	}
	escaped, done := false, false
	for !done {
		chunk, err := s.br.Peek(max(s.br.Buffered(), 1))
		if len(chunk) == 0 {
			if errors.Is(err, io.EOF) {
				if inString {
					return nil, errors.New("unexpected end of input inside a JSON string")
				}
				return nil, errors.New("unexpected end of input inside a JSON document")
			}
			return nil, err
		}
		i := 0
		for i < len(chunk) && !done {
			if inString {
				var closed bool
				if i, closed, escaped = event.PassString(chunk, i, escaped); closed {
					inString = false
					done = depth == 0
				}
				continue
			}
			switch chunk[i] {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				done = depth == 0
			}
			i++
		}
		s.line += bytes.Count(chunk[:i], []byte{'\n'})
		buf = append(buf, chunk[:i]...)
		s.br.Discard(i)
		if len(buf) > s.r.opts.MaxRecordSize {
			return nil, fmt.Errorf("document longer than %d bytes", s.r.opts.MaxRecordSize)
		}
	}
	s.buf = buf[:0]
	return buf, nil
}
