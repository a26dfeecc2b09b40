package event

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Event is one record of telemetry: its document and where it came from.
type Event struct {
	Doc Value  // the document, an object
	Raw []byte // the JSON text Doc was decoded from, or nil if built another way
	Src Source // where the event was read
}

// Source locates an event in its input, for messages and alerts.
type Source struct {
	Name  string // file name, archive member ("a.zip:b.evtx") or "-" for stdin
	Index int64  // 1-based line of an NDJSON file, record id of an EVTX file, element of a JSON array
	// Line is the 1-based line where the event's text starts, for inputs
	// whose Index is not a line (JSON arrays, documents one after the
	// other); 0 otherwise.
	Line int64
}

// String renders the source as name:index.
func (s Source) String() string {
	if s.Name == "" {
		return ""
	}
	if s.Index == 0 {
		return s.Name
	}
	return s.Name + ":" + strconv.FormatInt(s.Index, 10)
}

// Clone returns a copy of the event that shares no memory with it, for
// keeping an event read from a source that reuses its buffers.
func (e *Event) Clone() *Event {
	c := &Event{Doc: e.Doc.Clone(), Src: e.Src}
	if e.Raw != nil {
		c.Raw = append([]byte(nil), e.Raw...)
	}
	return c
}

// AppendJSON appends the event's document as JSON on one line: the
// original text when the event was decoded from JSON, so that output shows
// exactly what came in, but without the line breaks and indentation of a
// document spread over lines, so that NDJSON output keeps one document per
// line.
func (e *Event) AppendJSON(dst []byte) []byte {
	if e.Raw != nil {
		if bytes.IndexByte(e.Raw, '\n') < 0 && bytes.IndexByte(e.Raw, '\r') < 0 {
			return append(dst, e.Raw...)
		}
		return appendCompact(dst, e.Raw)
	}
	return AppendJSON(dst, e.Doc)
}

// appendCompact appends the JSON text src without the white space between
// its tokens.
func appendCompact(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '"':
			end, _, _ := PassString(src, i+1, false)
			dst = append(dst, src[i:end]...)
			i = end
			continue
		case !isSpace(c):
			dst = append(dst, c)
		}
		i++
	}
	return dst
}

// Time returns the instant held by v as nanoseconds since the Unix epoch,
// reading it as Elasticsearch's default date format does
// (strict_date_optional_time||epoch_millis): an ISO 8601 date or date-time
// string, or a number (or numeric string) of milliseconds since the epoch.
func Time(v Value) (int64, bool) {
	switch v.kind {
	case KindInt:
		return int64(v.num) * int64(time.Millisecond), true
	case KindFloat:
		f, _ := v.Float()
		return int64(f * float64(time.Millisecond)), true
	case KindString:
		return ParseTime(v.str)
	case KindArray:
		if len(v.kids) > 0 {
			return Time(v.kids[0].Value)
		}
	}
	return 0, false
}

// ParseTime parses an ISO 8601 date-time ("2019-03-19T23:34:25.1234567Z",
// "2019-03-19T23:34:25+01:00", "2019-03-19") or a decimal count of
// milliseconds since the epoch, returning nanoseconds since the epoch.
func ParseTime(s string) (int64, bool) {
	if ns, ok := parseUTC(s); ok {
		return ns, true
	}
	return parseTimeGeneral(s)
}

// parseTimeGeneral is ParseTime without the fast path for the usual
// shape: the reference that path is tested against.
func parseTimeGeneral(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if isMillis(s) {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
			return ms * int64(time.Millisecond), true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return int64(f * float64(time.Millisecond)), true
		}
		return 0, false
	}
	return parseISO(s)
}

func isMillis(s string) bool {
	i := 0
	if s[0] == '-' {
		i = 1
	}
	if i == len(s) {
		return false
	}
	dot := false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' && !dot {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseISO is a hand-written parser for the common ISO 8601 shapes; it is
// about ten times faster than time.Parse and accepts any number of
// fraction digits, a 'T' or space separator, and Z or ±hh[:mm] offsets.
func parseISO(s string) (int64, bool) {
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	if !ok1 || len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	if !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > 31 {
		return 0, false
	}
	var hour, minute, sec, nanos int
	i := 10
	if i < len(s) && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') {
		var ok bool
		if hour, ok = num(i+1, 2); !ok || hour > 24 {
			return 0, false
		}
		i += 3
		if i < len(s) && s[i] == ':' {
			if minute, ok = num(i+1, 2); !ok || minute > 59 {
				return 0, false
			}
			i += 3
			if i < len(s) && s[i] == ':' {
				if sec, ok = num(i+1, 2); !ok || sec > 60 {
					return 0, false
				}
				i += 3
				if i < len(s) && (s[i] == '.' || s[i] == ',') {
					i++
					digits := 0
					for i < len(s) && s[i] >= '0' && s[i] <= '9' {
						if digits < 9 {
							nanos = nanos*10 + int(s[i]-'0')
						}
						digits++
						i++
					}
					if digits == 0 {
						return 0, false
					}
					for ; digits < 9; digits++ {
						nanos *= 10
					}
				}
			}
		}
	}
	offset := 0
	if i < len(s) {
		switch s[i] {
		case 'Z', 'z':
			i++
		case '+', '-':
			sign := 1
			if s[i] == '-' {
				sign = -1
			}
			oh, ok := num(i+1, 2)
			if !ok {
				return 0, false
			}
			i += 3
			om := 0
			if i < len(s) && s[i] == ':' {
				i++
			}
			if i < len(s) {
				if om, ok = num(i, 2); !ok {
					return 0, false
				}
				i += 2
			}
			offset = sign * (oh*3600 + om*60)
		default:
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC)
	return t.UnixNano() - int64(offset)*int64(time.Second), true
}

// FormatTime renders nanoseconds since the epoch as an RFC 3339 UTC string
// with millisecond precision, as Elasticsearch shows dates by default.
func FormatTime(ns int64) string {
	return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000Z")
}

// FormatTimeNanos renders nanoseconds since the epoch with as many fraction
// digits as needed (up to nine), for ECS fields taken from Windows
// timestamps that carry 100 ns precision.
func FormatTimeNanos(ns int64) string {
	s := time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.999999999Z")
	if !strings.Contains(s, ".") {
		s = s[:len(s)-1] + ".000Z"
	}
	return s
}
