package winlog

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unsafe"

	"github.com/vigil-sec/vigil/event"
)

// MaxEventSize bounds the bytes of one <Event> element the XML reader
// holds in memory; a larger event is skipped and reported.
const MaxEventSize = 16 << 20

// RecordError is a record that could not be read; the reader skips it
// and goes on with the next one.
type RecordError struct {
	Name  string // input name
	Line  int    // 1-based line where the record starts, or 0
	Index int64  // 1-based record number in the input, or 0
	Err   error
}

// Error renders the error as "name:line: message".
func (e *RecordError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.Name, e.Line, e.Err)
	case e.Index > 0:
		return fmt.Sprintf("%s: record %d: %v", e.Name, e.Index, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Name, e.Err)
}

// Unwrap returns the underlying error.
func (e *RecordError) Unwrap() error { return e.Err }

// XMLReader reads Windows event XML as wevtutil qe /f:xml (or
// /f:RenderedXml) and Get-WinEvent's ToXml() write it: any number of
// <Event> elements, bare or inside <Events>, with or without
// <RenderingInfo>. It streams: only one event is held at a time.
type XMLReader struct {
	name  string
	r     io.Reader
	buf   []byte
	start int   // start of unconsumed data in buf
	line  int   // line number at buf[start]
	n     int64 // events seen
	eof   bool
	err   error // read error
	last  int   // line where the last returned event started
}

// NewXMLReader returns a reader of the event XML in r; name is used in
// error messages.
func NewXMLReader(r io.Reader, name string) *XMLReader {
	return &XMLReader{name: name, r: r, line: 1}
}

var (
	eventOpen  = []byte("<Event")
	eventClose = []byte("</Event>")
)

// fill reads more input into buf; it reports false at the end.
func (x *XMLReader) fill() bool {
	if x.eof {
		return false
	}
	if x.start > 0 && x.start >= len(x.buf)/2 {
		n := copy(x.buf, x.buf[x.start:])
		x.buf = x.buf[:n]
		x.start = 0
	}
	if cap(x.buf)-len(x.buf) < 32<<10 {
		nb := make([]byte, len(x.buf), max(2*cap(x.buf), 64<<10))
		copy(nb, x.buf)
		x.buf = nb
	}
	n, err := x.r.Read(x.buf[len(x.buf):cap(x.buf)])
	x.buf = x.buf[:len(x.buf)+n]
	if err != nil {
		x.eof = true
		if err != io.EOF {
			x.err = err
		}
	}
	return n > 0 || !x.eof
}

// consume drops n bytes from the front of the unconsumed data, counting
// their lines.
func (x *XMLReader) consume(n int) {
	x.line += bytes.Count(x.buf[x.start:x.start+n], []byte{'\n'})
	x.start += n
}

// findOpen returns the offset (from start) of the next "<Event" start tag
// (not <EventData>, <EventID> ...), or -1.
func (x *XMLReader) findOpen() int {
	data := x.buf[x.start:]
	off := 0
	for {
		i := bytes.Index(data[off:], eventOpen)
		if i < 0 {
			return -1
		}
		j := off + i + len(eventOpen)
		if j >= len(data) {
			return -2 // need more input to decide
		}
		switch data[j] {
		case ' ', '\t', '\r', '\n', '>', '/':
			return off + i
		}
		off = j
	}
}

// Next returns the next record. At the end it returns io.EOF. A record
// that cannot be parsed is returned as a *RecordError; call Next again to
// go on with the following one.
func (x *XMLReader) Next() (*Record, error) {
	for {
		i := x.findOpen()
		if i == -1 || i == -2 {
			// Keep a tail that may hold the start of "<Event".
			keep := len(eventOpen)
			if avail := len(x.buf) - x.start; avail > keep {
				x.consume(avail - keep)
			}
			if !x.fill() {
				if x.err != nil {
					return nil, fmt.Errorf("%s: %w", x.name, x.err)
				}
				return nil, io.EOF
			}
			continue
		}
		x.consume(i)
		// Find the matching end tag.
		searched := 0
		for {
			data := x.buf[x.start:]
			j := bytes.Index(data[searched:], eventClose)
			if j >= 0 {
				end := searched + j + len(eventClose)
				chunk := data[:end]
				line := x.line
				x.n++
				rec, err := parseEventXML(chunk)
				x.consume(end)
				x.last = line
				if err != nil {
					return nil, &RecordError{Name: x.name, Line: line, Index: x.n, Err: err}
				}
				return rec, nil
			}
			if len(data) > MaxEventSize {
				line := x.line
				x.n++
				x.consume(len(eventOpen))
				return nil, &RecordError{Name: x.name, Line: line, Index: x.n,
					Err: fmt.Errorf("event larger than %d bytes or without </Event>", MaxEventSize)}
			}
			searched = max(0, len(data)-len(eventClose))
			if !x.fill() {
				line := x.line
				x.n++
				x.consume(len(x.buf) - x.start)
				if x.err != nil {
					return nil, fmt.Errorf("%s: %w", x.name, x.err)
				}
				return nil, &RecordError{Name: x.name, Line: line, Index: x.n, Err: errors.New("unexpected end of input inside <Event>")}
			}
		}
	}
}

// Line returns the 1-based line at which the event last returned by Next
// starts.
func (x *XMLReader) Line() int { return x.last }

// ParseEventXML parses one <Event> element.
func ParseEventXML(data []byte) (*Record, error) { return parseEventXML(data) }

func parseEventXML(data []byte) (*Record, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	r := &Record{}
	var path []string // element names from <Event> down
	var keyBuf []byte // path joined by "/", rebuilt as elements open and close
	pathKey := func() string {
		keyBuf = keyBuf[:0]
		for i, p := range path {
			if i > 0 {
				keyBuf = append(keyBuf, '/')
			}
			keyBuf = append(keyBuf, p...)
		}
		if len(keyBuf) == 0 {
			return ""
		}
		// Only compared in the switch below, before keyBuf changes.
		return unsafe.String(&keyBuf[0], len(keyBuf))
	}
	var text strings.Builder
	var dataName string
	var userChild string
	haveID := false
	var userPairs []Data
	var rendering *Rendering
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed event XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			path = append(path, name)
			text.Reset()
			attr := func(key string) string {
				for _, a := range t.Attr {
					if a.Name.Local == key {
						return a.Value
					}
				}
				return ""
			}
			switch pathKey() {
			case "Event/System/Provider":
				r.Provider = attr("Name")
				r.ProviderGUID = attr("Guid")
				r.EventSourceName = attr("EventSourceName")
			case "Event/System/EventID":
				if q := attr("Qualifiers"); q != "" {
					n, err := strconv.ParseUint(q, 10, 16)
					if err != nil {
						return nil, fmt.Errorf("EventID Qualifiers %q: not a number", q)
					}
					r.Qualifiers = uint16(n)
				}
			case "Event/System/TimeCreated":
				st := attr("SystemTime")
				ns, ok := event.ParseTime(st)
				if !ok {
					return nil, fmt.Errorf("TimeCreated SystemTime %q: not a time", st)
				}
				r.TimeCreated = ns
			case "Event/System/Correlation":
				r.ActivityID = attr("ActivityID")
				r.RelatedActivityID = attr("RelatedActivityID")
			case "Event/System/Execution":
				for _, k := range []string{"ProcessID", "ThreadID"} {
					if v := attr(k); v != "" {
						n, err := strconv.ParseUint(v, 10, 32)
						if err != nil {
							return nil, fmt.Errorf("Execution %s %q: not a number", k, v)
						}
						if k == "ProcessID" {
							r.ProcessID = uint32(n)
						} else {
							r.ThreadID = uint32(n)
						}
					}
				}
			case "Event/System/Security":
				r.UserID = attr("UserID")
			case "Event/EventData/Data":
				dataName = attr("Name")
			case "Event/RenderingInfo":
				rendering = &Rendering{Culture: attr("Culture")}
			}
			if len(path) == 3 && path[1] == "UserData" {
				userChild = name
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(path) == 0 || path[len(path)-1] != t.Name.Local {
				return nil, fmt.Errorf("malformed event XML: unexpected </%s>", t.Name.Local)
			}
			p := pathKey()
			v := text.String()
			var err error
			switch p {
			case "Event/System/EventID":
				r.EventID, err = parseUint32(v, "EventID")
				haveID = err == nil
			case "Event/System/Version":
				r.Version, err = parseUint8(v, "Version")
			case "Event/System/Level":
				r.Level, err = parseUint8(v, "Level")
			case "Event/System/Task":
				var n uint32
				n, err = parseUintN(v, "Task", 16)
				r.Task = uint16(n)
			case "Event/System/Opcode":
				r.Opcode, err = parseUint8(v, "Opcode")
				r.HasOpcode = true
			case "Event/System/Keywords":
				s := strings.TrimSpace(v)
				if s != "" {
					r.Keywords, err = strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), 16, 64)
					if err != nil {
						err = fmt.Errorf("Keywords %q: not a hex number", s)
					}
				}
			case "Event/System/EventRecordID":
				s := strings.TrimSpace(v)
				r.RecordID, err = strconv.ParseUint(s, 10, 64)
				if err != nil {
					err = fmt.Errorf("EventRecordID %q: not a number", s)
				}
			case "Event/System/Channel":
				r.Channel = v
			case "Event/System/Computer":
				r.Computer = v
			case "Event/EventData/Data":
				r.EventData = append(r.EventData, Data{Name: dataName, Value: v})
				dataName = ""
			case "Event/EventData/Binary":
				r.Binary = strings.TrimSpace(v)
			case "Event/RenderingInfo/Message":
				rendering.Message = v
			case "Event/RenderingInfo/Level":
				rendering.Level = v
			case "Event/RenderingInfo/Task":
				rendering.Task = v
			case "Event/RenderingInfo/Opcode":
				rendering.Opcode = v
			case "Event/RenderingInfo/Channel":
				rendering.Channel = v
			case "Event/RenderingInfo/Provider":
				rendering.Provider = v
			case "Event/RenderingInfo/Keywords/Keyword":
				rendering.Keywords = append(rendering.Keywords, v)
			}
			if err != nil {
				return nil, err
			}
			if len(path) == 4 && path[1] == "UserData" {
				userPairs = append(userPairs, Data{Name: path[3], Value: v})
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
	if !haveID {
		return nil, errors.New("event has no System/EventID")
	}
	if userChild != "" {
		r.UserData = &UserData{Name: userChild, Pairs: userPairs}
	}
	r.Rendering = rendering
	return r, nil
}

func parseUintN(s, what string, bits int) (uint32, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s %q: not a number", what, s)
	}
	return uint32(n), nil
}

func parseUint32(s, what string) (uint32, error) {
	if strings.TrimSpace(s) == "" {
		return 0, fmt.Errorf("%s is empty", what)
	}
	return parseUintN(s, what, 32)
}

func parseUint8(s, what string) (uint8, error) {
	n, err := parseUintN(s, what, 8)
	return uint8(n), err
}
