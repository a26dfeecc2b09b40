// Package datefmt writes the fixed-width numbers and date-times of event
// timestamps straight into a byte slice, without fmt or time.Format, for
// the readers and mappers that write one per event.
package datefmt

// AppendPadded appends n in decimal, zero-padded to at least width digits;
// a negative n is written as 0.
func AppendPadded(dst []byte, n, width int) []byte {
	n = max(n, 0)
	var buf [20]byte
	i := len(buf)
	for n >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	buf[i] = byte('0' + n)
	return append(dst, buf[i:]...)
}

// AppendDateTime appends year-month-dayThour:minute:sec, each part
// zero-padded (2006-01-02T15:04:05).
func AppendDateTime(dst []byte, year, month, day, hour, minute, sec int) []byte {
	dst = AppendPadded(dst, year, 4)
	dst = append(dst, '-')
	dst = AppendPadded(dst, month, 2)
	dst = append(dst, '-')
	dst = AppendPadded(dst, day, 2)
	dst = append(dst, 'T')
	dst = AppendPadded(dst, hour, 2)
	dst = append(dst, ':')
	dst = AppendPadded(dst, minute, 2)
	dst = append(dst, ':')
	return AppendPadded(dst, sec, 2)
}
