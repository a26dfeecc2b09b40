package event

// The shape nearly every source writes its timestamps in,
// "2006-01-02T15:04:05.000Z" (any fraction of up to nine digits, or
// none), is read here without the general parser, which spends most of
// its time in time.Date: a timestamp is read once per event, and twice
// where a time-ordered merge reads it first.

// parseUTC parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z" exactly as the general
// parser does, including its range checks (hour 24 and second 60 roll
// over), or reports false to send s to it.
func parseUTC(s string) (int64, bool) {
	if !utcShape(s) {
		return 0, false
	}
	minute, ok := parseMinute(s)
	if !ok {
		return 0, false
	}
	sec, ok := parseSeconds(s)
	if !ok {
		return 0, false
	}
	return minute + sec, true
}

// utcShape reports whether s has the length and separators of the shape
// parseUTC reads.
func utcShape(s string) bool {
	return len(s) >= 20 && len(s) <= 30 && s[len(s)-1] == 'Z' && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':'
}

// parseMinute returns the time in nanoseconds at the start of the minute
// that s[:16], "YYYY-MM-DDTHH:MM", names; s has the shape of utcShape.
func parseMinute(s string) (int64, bool) {
	year := int64(digit(s[0]))*1000 + int64(digit(s[1]))*100 + int64(digit(s[2]))*10 + int64(digit(s[3]))
	month := two(s[5], s[6])
	day := two(s[8], s[9])
	hour := two(s[11], s[12])
	minute := two(s[14], s[15])
	// A non-digit makes its two-digit number (or year) out of range.
	if year < 1970 || year > 2261 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 ||
		digit(s[0])|digit(s[1])|digit(s[2])|digit(s[3]) > 9 {
		return 0, false
	}
	days := daysFromCivil(year, month, day)
	return (days*86400 + hour*3600 + minute*60) * 1e9, true
}

// parseSeconds returns the nanoseconds that s[17:], "SS[.fraction]Z",
// adds to the start of the minute; s has the shape of utcShape.
func parseSeconds(s string) (int64, bool) {
	sec := two(s[17], s[18])
	if sec > 60 {
		return 0, false
	}
	nanos := int64(0)
	if len(s) > 20 {
		// A fraction of 1 to 9 digits.
		if s[19] != '.' || len(s) == 21 {
			return 0, false
		}
		for i := 20; i < len(s)-1; i++ {
			d := digit(s[i])
			if d > 9 {
				return 0, false
			}
			nanos = nanos*10 + int64(d)
		}
		for n := len(s) - 21; n < 9; n++ {
			nanos *= 10
		}
	}
	return sec*1e9 + nanos, true
}

// TimeCache is [Time] for a stream of timestamps: consecutive events
// nearly always fall in the same minute, so it remembers the last minute
// it parsed and reads only the seconds and fraction of a timestamp in it.
// It keeps a copy of the minute's text, as the timestamp may lie in a
// buffer that the reader reuses. The zero TimeCache is ready to use.
type TimeCache struct {
	text  [16]byte // "YYYY-MM-DDTHH:MM" of the minute, when ok
	start int64    // the minute's start in nanoseconds
	ok    bool
}

// Time returns what [Time](*v) does.
func (c *TimeCache) Time(v *Value) (int64, bool) {
	if v.kind != KindString || !utcShape(v.str) {
		return Time(*v)
	}
	s := v.str
	if !c.ok || s[:16] != string(c.text[:]) {
		start, ok := parseMinute(s)
		if !ok {
			return Time(*v)
		}
		copy(c.text[:], s)
		c.start, c.ok = start, true
	}
	if sec, ok := parseSeconds(s); ok {
		return c.start + sec, true
	}
	return Time(*v)
}

// digit returns the value of a decimal digit, or more than 9 for any
// other byte.
func digit(c byte) byte { return c - '0' }

// two returns the value of two decimal digits, or more than 99 if either
// is not a digit.
func two(a, b byte) int64 {
	x, y := digit(a), digit(b)
	if x > 9 || y > 9 {
		return 100
	}
	return int64(x)*10 + int64(y)
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (year >= 0). It is linear in day, so a day past
// the end of its month rolls over as time.Date makes it.
func daysFromCivil(year, month, day int64) int64 {
	if month <= 2 {
		year--
	}
	era := year / 400
	yoe := year - era*400
	mp := (month + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
