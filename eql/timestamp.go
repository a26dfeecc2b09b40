package eql

import (
	"github.com/vigil-sec/vigil/event"
)

// eventTime is event.Time with a fast path for the shape nearly every
// source writes, "2006-01-02T15:04:05.000Z" (any fraction of up to nine
// digits, or none): it is read once per event, and the general parser
// spends most of its time in time.Date. Every other value, and a value
// of this shape outside the years 1970 to 2261, goes to event.Time.
func eventTime(v event.Value) (int64, bool) {
	if s, ok := v.Str(); ok {
		if ns, ok := parseUTC(s); ok {
			return ns, true
		}
	}
	return event.Time(v)
}

// parseUTC parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z" exactly as the general
// parser does, including its range checks (hour 24 and second 60 roll
// over), or reports false to send s to it.
func parseUTC(s string) (int64, bool) {
	if len(s) < 20 || s[len(s)-1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || year < 1970 || year > 2261 ||
		month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || sec > 60 {
		return 0, false
	}
	nanos := int64(0)
	if frac := s[19 : len(s)-1]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return 0, false
		}
		n, ok := digits(frac[1:])
		if !ok {
			return 0, false
		}
		for i := len(frac) - 1; i < 9; i++ {
			n *= 10
		}
		nanos = n
	}
	days := daysFromCivil(year, month, day)
	secs := days*86400 + hour*3600 + minute*60 + sec
	return secs*1e9 + nanos, true
}

// digits parses a run of decimal digits.
func digits(s string) (int64, bool) {
	n := int64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
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
