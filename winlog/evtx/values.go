package evtx

import (
	"encoding/binary"
	"github.com/vigil-sec/vigil/internal/datefmt"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Binary XML value types.
const (
	typeNull       = 0x00
	typeString     = 0x01
	typeAnsiString = 0x02
	typeInt8       = 0x03
	typeUint8      = 0x04
	typeInt16      = 0x05
	typeUint16     = 0x06
	typeInt32      = 0x07
	typeUint32     = 0x08
	typeInt64      = 0x09
	typeUint64     = 0x0a
	typeReal32     = 0x0b
	typeReal64     = 0x0c
	typeBool       = 0x0d
	typeBinary     = 0x0e
	typeGUID       = 0x0f
	typeSizeT      = 0x10
	typeFileTime   = 0x11
	typeSysTime    = 0x12
	typeSID        = 0x13
	typeHexInt32   = 0x14
	typeHexInt64   = 0x15
	typeEvtHandle  = 0x20
	typeBinXML     = 0x21
	typeEvtXML     = 0x23
	typeArray      = 0x80

	// typeLiteral marks a value that is literal text from the binary XML
	// (value text, CDATA, character and entity references), already
	// decoded to UTF-8 in value.data.
	typeLiteral = 0xff
)

// value is one piece of character data: a typed substitution value whose
// raw bytes live in the chunk, or literal text.
type value struct {
	typ  uint8
	pos  int32  // chunk offset of data, for substitution values
	data []byte // raw little-endian bytes, or UTF-8 text for typeLiteral
	str  string // for typeLiteral, the text as an interned string, when known
}

// isEmpty reports whether v renders as the empty string.
func (v *value) isEmpty() bool {
	switch v.typ {
	case typeLiteral:
		return len(v.data) == 0
	case typeNull:
		return true
	case typeString, typeEvtXML:
		return len(v.data) < 2 || (v.data[0] == 0 && v.data[1] == 0)
	case typeAnsiString:
		return len(v.data) == 0 || v.data[0] == 0
	case typeBinXML:
		return true // rendered as elements, never as text
	}
	return len(v.data) == 0
}

// fixedSize returns the size of one value of scalar type t, or 0 for
// variable-size types.
func fixedSize(t uint8) int {
	switch t {
	case typeInt8, typeUint8:
		return 1
	case typeInt16, typeUint16:
		return 2
	case typeInt32, typeUint32, typeReal32, typeBool, typeHexInt32:
		return 4
	case typeInt64, typeUint64, typeReal64, typeFileTime, typeHexInt64:
		return 8
	case typeGUID, typeSysTime:
		return 16
	}
	return 0
}

// itemSize returns the size of the items of an array of scalar type et
// whose payload is data, or 0 for variable-size items. size_t items are 8
// bytes, or 4 when the payload is not a multiple of 8.
func itemSize(et uint8, data []byte) int {
	if et == typeSizeT {
		if len(data)%8 != 0 {
			return 4
		}
		return 8
	}
	return fixedSize(et)
}

// nextItem splits the first item off an array payload of variable-size
// items of scalar type et: NUL-terminated strings (the last terminator may
// be missing) and SIDs, which carry their own length.
func nextItem(et uint8, data []byte) (item, rest []byte, ok bool) {
	switch et {
	case typeString, typeEvtXML:
		if len(data) < 2 {
			return nil, nil, false
		}
		n := 0
		for n+1 < len(data) && (data[n] != 0 || data[n+1] != 0) {
			n += 2
		}
		return data[:n], data[min(n+2, len(data)):], true
	case typeAnsiString:
		if len(data) == 0 {
			return nil, nil, false
		}
		n := 0
		for n < len(data) && data[n] != 0 {
			n++
		}
		return data[:n], data[min(n+1, len(data)):], true
	case typeSID:
		if len(data) < 8 {
			return nil, nil, false
		}
		n := min(8+4*int(data[1]), len(data))
		return data[:n], data[n:], true
	}
	return nil, nil, false
}

// arrayItem returns the scalar type and raw bytes of item k of the array
// value data of array type t, and whether item k exists.
func arrayItem(t uint8, data []byte, k int) (uint8, []byte, bool) {
	et := t &^ typeArray
	if size := itemSize(et, data); size > 0 {
		if k < 0 || (k+1)*size > len(data) {
			return et, nil, false
		}
		return et, data[k*size : (k+1)*size], true
	}
	for i := 0; ; i++ {
		item, rest, ok := nextItem(et, data)
		if !ok {
			return et, nil, false
		}
		if i == k {
			return et, item, true
		}
		data = rest
	}
}

// arrayLen returns the number of items in the array value data of array
// type t, counting at most maxArrayItems.
func arrayLen(t uint8, data []byte) int {
	et := t &^ typeArray
	if size := itemSize(et, data); size > 0 {
		return min(len(data)/size, maxArrayItems)
	}
	n := 0
	for n < maxArrayItems {
		_, rest, ok := nextItem(et, data)
		if !ok {
			break
		}
		data = rest
		n++
	}
	return n
}

// appendValue appends the text form of v to dst, the way the Windows event
// XML renderer writes it.
func appendValue(dst []byte, v *value) []byte {
	if v.typ == typeLiteral {
		return append(dst, v.data...)
	}
	return appendTyped(dst, v.typ, v.data)
}

const hexUpper = "0123456789ABCDEF"

// appendTyped appends the text form of a value of type t with raw bytes b.
// Values too short for their type render as nothing.
func appendTyped(dst []byte, t uint8, b []byte) []byte {
	le := binary.LittleEndian
	switch t {
	case typeNull, typeBinXML:
		return dst
	case typeString, typeEvtXML:
		return appendUTF16(dst, b)
	case typeAnsiString:
		return appendANSI(dst, b)
	case typeInt8:
		if len(b) >= 1 {
			return strconv.AppendInt(dst, int64(int8(b[0])), 10)
		}
	case typeUint8:
		if len(b) >= 1 {
			return strconv.AppendUint(dst, uint64(b[0]), 10)
		}
	case typeInt16:
		if len(b) >= 2 {
			return strconv.AppendInt(dst, int64(int16(le.Uint16(b))), 10)
		}
	case typeUint16:
		if len(b) >= 2 {
			return strconv.AppendUint(dst, uint64(le.Uint16(b)), 10)
		}
	case typeInt32:
		if len(b) >= 4 {
			return strconv.AppendInt(dst, int64(int32(le.Uint32(b))), 10)
		}
	case typeUint32:
		if len(b) >= 4 {
			return strconv.AppendUint(dst, uint64(le.Uint32(b)), 10)
		}
	case typeInt64:
		if len(b) >= 8 {
			return strconv.AppendInt(dst, int64(le.Uint64(b)), 10)
		}
	case typeUint64:
		if len(b) >= 8 {
			return strconv.AppendUint(dst, le.Uint64(b), 10)
		}
	case typeReal32:
		if len(b) >= 4 {
			return appendFloat(dst, float64(math.Float32frombits(le.Uint32(b))), 32)
		}
	case typeReal64:
		if len(b) >= 8 {
			return appendFloat(dst, math.Float64frombits(le.Uint64(b)), 64)
		}
	case typeBool:
		for _, c := range b {
			if c != 0 {
				return append(dst, "true"...)
			}
		}
		return append(dst, "false"...)
	case typeBinary:
		for _, c := range b {
			dst = append(dst, hexUpper[c>>4], hexUpper[c&15])
		}
		return dst
	case typeGUID:
		if len(b) >= 16 {
			return appendGUID(dst, b)
		}
	case typeSizeT, typeHexInt32, typeHexInt64, typeEvtHandle:
		switch {
		case len(b) >= 8:
			return appendHex(dst, le.Uint64(b))
		case len(b) >= 4:
			return appendHex(dst, uint64(le.Uint32(b)))
		}
	case typeFileTime:
		if len(b) >= 8 {
			return appendFileTime(dst, le.Uint64(b))
		}
	case typeSysTime:
		if len(b) >= 16 {
			return appendSystemTime(dst, b)
		}
	case typeSID:
		return appendSID(dst, b)
	default:
		if t&typeArray != 0 {
			// The decoder expands arrays into repeated elements and
			// never renders one whole; an array rendered on its own
			// has its items joined with commas.
			et := t &^ typeArray
			size := itemSize(et, b)
			for k := 0; k < maxArrayItems; k++ {
				var item []byte
				if size > 0 {
					if len(b) < size {
						break
					}
					item, b = b[:size], b[size:]
				} else {
					var ok bool
					if item, b, ok = nextItem(et, b); !ok {
						break
					}
				}
				if k > 0 {
					dst = append(dst, ',')
				}
				dst = appendTyped(dst, et, item)
			}
		}
	}
	return dst
}

func appendHex(dst []byte, v uint64) []byte {
	dst = append(dst, '0', 'x')
	return strconv.AppendUint(dst, v, 16)
}

// appendFloat writes a float in the shortest form that reads back to the
// same value, with Windows' spellings of the special values.
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "1.#INF"...)
	case math.IsInf(f, -1):
		return append(dst, "-1.#INF"...)
	case math.IsNaN(f):
		return append(dst, "-1.#IND"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// appendGUID writes a GUID as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}; the
// first three fields are little-endian.
func appendGUID(dst []byte, b []byte) []byte {
	order := [16]int{3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11}
	dst = append(dst, '{')
	for _, i := range order {
		if i < 0 {
			dst = append(dst, '-')
			continue
		}
		dst = append(dst, hexUpper[b[i]>>4], hexUpper[b[i]&15])
	}
	for i := 12; i < 16; i++ {
		dst = append(dst, hexUpper[b[i]>>4], hexUpper[b[i]&15])
	}
	return append(dst, '}')
}

// appendSID writes a security identifier as S-1-5-21-....
func appendSID(dst []byte, b []byte) []byte {
	if len(b) < 8 {
		return dst
	}
	n := int(b[1])
	if len(b) < 8+4*n {
		return dst
	}
	dst = append(dst, 'S', '-')
	dst = strconv.AppendUint(dst, uint64(b[0]), 10)
	dst = append(dst, '-')
	var auth uint64
	for _, c := range b[2:8] {
		auth = auth<<8 | uint64(c)
	}
	if auth >= 1<<32 {
		dst = append(dst, '0', 'x')
		for _, c := range b[2:8] {
			dst = append(dst, hexUpper[c>>4], hexUpper[c&15])
		}
	} else {
		dst = strconv.AppendUint(dst, auth, 10)
	}
	for i := 0; i < n; i++ {
		dst = append(dst, '-')
		dst = strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32(b[8+4*i:])), 10)
	}
	return dst
}

// fileTimeEpochDelta is the number of 100 ns intervals between 1601-01-01
// and 1970-01-01.
const fileTimeEpochDelta = 116444736000000000

// fileTimeToUnixNano converts a FILETIME to nanoseconds since the Unix
// epoch. Values outside the int64 nanosecond range are clamped.
func fileTimeToUnixNano(ft uint64) int64 {
	d := int64(ft) - fileTimeEpochDelta
	if ft > math.MaxInt64 {
		d = math.MaxInt64 - fileTimeEpochDelta
	}
	const maxTicks = math.MaxInt64 / 100
	if d > maxTicks {
		return math.MaxInt64 / 100 * 100
	}
	if d < -maxTicks {
		return -maxTicks * 100
	}
	return d * 100
}

// appendFileTime writes a FILETIME as 2019-03-19T23:34:25.1234567Z, the
// form Windows uses for TimeCreated/@SystemTime.
func appendFileTime(dst []byte, ft uint64) []byte {
	secs := ft / 10000000
	frac := ft % 10000000
	// Seconds since 1601 to a civil date, without time.Time's range limits
	// getting in the way: 1601-01-01 is 11644473600 s before the Unix epoch.
	t := time.Unix(int64(secs)-11644473600, 0).UTC()
	dst = datefmt.AppendDateTime(dst, t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
	dst = append(dst, '.')
	dst = datefmt.AppendPadded(dst, int(frac), 7)
	return append(dst, 'Z')
}

// appendSystemTime writes a SYSTEMTIME (year, month, day of week, day,
// hour, minute, second, milliseconds) in the same form as a FILETIME.
func appendSystemTime(dst []byte, b []byte) []byte {
	le := binary.LittleEndian
	dst = datefmt.AppendDateTime(dst, int(le.Uint16(b)), int(le.Uint16(b[2:])), int(le.Uint16(b[6:])),
		int(le.Uint16(b[8:])), int(le.Uint16(b[10:])), int(le.Uint16(b[12:])))
	dst = append(dst, '.')
	dst = datefmt.AppendPadded(dst, int(le.Uint16(b[14:]))*10000, 7)
	return append(dst, 'Z')
}

// appendUTF16 decodes little-endian UTF-16 up to the first NUL and appends
// it as UTF-8. Unpaired surrogates become U+FFFD.
func appendUTF16(dst []byte, b []byte) []byte {
	n := len(b) &^ 1
	i := 0
	// ASCII fast path, four characters at a time: every high byte zero,
	// every low byte below 0x80 and not NUL.
	for ; i+8 <= n; i += 8 {
		v := binary.LittleEndian.Uint64(b[i:])
		if v&0xff80ff80ff80ff80 != 0 || (v-0x0001000100010001)&^v&0x0080008000800080 != 0 {
			break
		}
		dst = append(dst, byte(v), byte(v>>16), byte(v>>32), byte(v>>48))
	}
	for ; i < n; i += 2 {
		c := b[i]
		if b[i+1] != 0 || c >= 0x80 || c == 0 {
			break
		}
		dst = append(dst, c)
	}
	for ; i < n; i += 2 {
		u := rune(b[i]) | rune(b[i+1])<<8
		switch {
		case u == 0:
			return dst
		case u < 0x80:
			dst = append(dst, byte(u))
		case utf16.IsSurrogate(u):
			r := utf8.RuneError
			if u < 0xdc00 && i+3 < n {
				u2 := rune(b[i+2]) | rune(b[i+3])<<8
				if u2 >= 0xdc00 && u2 < 0xe000 {
					r = utf16.DecodeRune(u, u2)
					i += 2
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = utf8.AppendRune(dst, u)
		}
	}
	return dst
}

// cp1252 maps the bytes 0x80-0x9f of Windows code page 1252 to runes; the
// other high bytes map to the same code point (Latin-1).
var cp1252 = [32]rune{
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
}

// appendANSI decodes an ANSI (code page 1252) string up to the first NUL.
func appendANSI(dst []byte, b []byte) []byte {
	for _, c := range b {
		switch {
		case c == 0:
			return dst
		case c < 0x80:
			dst = append(dst, c)
		case c < 0xa0:
			dst = utf8.AppendRune(dst, cp1252[c-0x80])
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}
