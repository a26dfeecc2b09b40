package winlog

import (
	"github.com/vigil-sec/vigil/internal/datefmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/event"
)

// String helpers of the mapping. They give exactly what the standard
// library calls named in their comments give, without allocating: their
// results come from the document's string buffer or are substrings of
// their input.

// itoa returns the decimal form of n.
func (d *doc) itoa(n int64) string {
	if 0 <= n && n < 100 {
		return smallInts[n]
	}
	start := d.mark()
	d.sb.b = strconv.AppendInt(d.sb.b, n, 10)
	return d.take(start)
}

// smallInts are the decimal forms of 0 to 99.
var smallInts = func() (s [100]string) {
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

// lower returns strings.ToLower(s).
func (d *doc) lower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if !upper {
		return s
	}
	start := d.mark()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		d.sb.b = append(d.sb.b, c)
	}
	return d.take(start)
}

// upper returns strings.ToUpper(s).
func (d *doc) upper(s string) string {
	lower := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToUpper(s)
		}
		lower = lower || 'a' <= c && c <= 'z'
	}
	if !lower {
		return s
	}
	start := d.mark()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		d.sb.b = append(d.sb.b, c)
	}
	return d.take(start)
}

// replace returns strings.ReplaceAll(s, old, new) for a non-empty old.
func (d *doc) replace(s, old, new string) string {
	i := strings.Index(s, old)
	if i < 0 {
		return s
	}
	start := d.mark()
	for i >= 0 {
		d.sb.b = append(append(d.sb.b, s[:i]...), new...)
		s = s[i+len(old):]
		i = strings.Index(s, old)
	}
	d.sb.b = append(d.sb.b, s...)
	return d.take(start)
}

// eventText returns an event data value as Winlogbeat shows it: CRLF
// turned into LF and, when render is set, the "%%NNNN" insertion strings
// of Security-Auditing rendered.
func (d *doc) eventText(s string, render bool) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = d.replace(s, "\r\n", "\n")
	}
	if render && strings.Contains(s, "%%") {
		s = d.renderInsertions(s)
	}
	return s
}

// renderInsertions replaces every "%%NNNN" in s by the text Windows
// renders for that msobjs.dll message, as Winlogbeat does when it renders
// a Security-Auditing event. Unknown codes stay as they are.
func (d *doc) renderInsertions(s string) string {
	start := d.mark()
	for {
		i := strings.Index(s, "%%")
		if i < 0 {
			d.sb.b = append(d.sb.b, s...)
			return d.take(start)
		}
		j := i + 2
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		code, ok := atoiDigits(s[i+2 : j])
		text, found := msobjsRendered[code]
		if !found {
			text, found = msobjs[code]
		}
		d.sb.b = append(d.sb.b, s[:i]...)
		if ok && found {
			d.sb.b = append(d.sb.b, text...)
		} else {
			d.sb.b = append(d.sb.b, s[i:j]...)
		}
		s = s[j:]
	}
}

// atoiDigits is strconv.Atoi for a string of ASCII digits: it fails on
// the empty string and on values that do not fit in an int64.
func atoiDigits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		if n > math.MaxInt64/10 {
			return 0, false
		}
		n = n*10 + uint64(s[i]-'0')
		if n > math.MaxInt64 {
			return 0, false
		}
	}
	return int(n), true
}

// parseInt is strconv.ParseInt(s, 10, 64) without the error value: an
// optional sign and decimal digits, in range.
func parseInt(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || n > math.MaxInt64/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n), true
	case !neg && n <= math.MaxInt64:
		return int64(n), true
	}
	return 0, false
}

// timeNanos returns event.FormatTimeNanos(ns): UTC, the fraction with as
// many digits as needed, ".000" when there is none.
func (d *doc) timeNanos(ns int64) string {
	c, ok := civilOf(ns)
	if !ok {
		return event.FormatTimeNanos(ns)
	}
	start := d.mark()
	b := c.appendDateTime(d.sb.b)
	frac := c.nanos
	if frac == 0 {
		b = append(b, ".000Z"...)
	} else {
		digits := 9
		for frac%10 == 0 {
			frac /= 10
			digits--
		}
		b = append(b, '.')
		b = datefmt.AppendPadded(b, frac, digits)
		b = append(b, 'Z')
	}
	d.sb.b = b
	return d.take(start)
}

// millis returns event.FormatTime(ns): UTC with milliseconds, as
// Elasticsearch's date processor writes dates.
func (d *doc) millis(ns int64) string {
	c, ok := civilOf(ns)
	if !ok {
		return event.FormatTime(ns)
	}
	start := d.mark()
	b := c.appendDateTime(d.sb.b)
	b = append(b, '.')
	b = datefmt.AppendPadded(b, c.nanos/1e6, 3)
	d.sb.b = append(b, 'Z')
	return d.take(start)
}

// civil is a UTC date and time.
type civil struct {
	year, month, day, hour, minute, sec, nanos int
}

// civilOf converts nanoseconds since the Unix epoch to the UTC date and
// time, in the proleptic Gregorian calendar as package time uses, for
// years 0 to 9999 (ok is false for others).
func civilOf(ns int64) (civil, bool) {
	secs, nanos := ns/1e9, ns%1e9
	if nanos < 0 {
		secs, nanos = secs-1, nanos+1e9
	}
	days, sod := secs/86400, secs%86400
	if sod < 0 {
		days, sod = days-1, sod+86400
	}
	// Days since 1970-01-01 to year, month and day (Howard Hinnant's
	// civil_from_days), with eras of 400 years from 0000-03-01.
	z := days + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	year := yoe + era*400
	if month <= 2 {
		year++
	}
	if year < 0 || year > 9999 {
		return civil{}, false
	}
	return civil{int(year), int(month), int(day), int(sod / 3600), int(sod % 3600 / 60), int(sod % 60), int(nanos)}, true
}

// appendDateTime appends 2006-01-02T15:04:05.
func (c civil) appendDateTime(b []byte) []byte {
	return datefmt.AppendDateTime(b, c.year, c.month, c.day, c.hour, c.minute, c.sec)
}

// parseUtcTime is time.Parse("2006-01-02 15:04:05.000", s) in UTC, as Unix
// nanoseconds; the usual exact form is read directly, anything else goes
// to time.Parse.
func parseUtcTime(s string) (int64, bool) {
	if len(s) == 23 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' && s[19] == '.' {
		year, ok1 := digits(s[0:4])
		month, ok2 := digits(s[5:7])
		day, ok3 := digits(s[8:10])
		hour, ok4 := digits(s[11:13])
		minute, ok5 := digits(s[14:16])
		sec, ok6 := digits(s[17:19])
		ms, ok7 := digits(s[20:23])
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && 1 <= month && month <= 12 && 1 <= day &&
			day <= daysIn(month, year) && hour < 24 && minute < 60 && sec < 60 {
			return time.Date(year, time.Month(month), day, hour, minute, sec, ms*1e6, time.UTC).UnixNano(), true
		}
	}
	t, err := time.Parse("2006-01-02 15:04:05.000", s)
	if err != nil {
		return 0, false
	}
	return t.UnixNano(), true
}

// digits parses a short string of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days of a month of the proleptic Gregorian
// calendar.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
