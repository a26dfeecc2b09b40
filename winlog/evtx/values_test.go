package evtx

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
	"unicode/utf16"
)

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// utf16z encodes strings as UTF-16LE, each followed by a NUL.
func utf16z(ss ...string) []byte {
	var b []byte
	for _, s := range ss {
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		b = append(b, 0, 0)
	}
	return b
}

func utf16s(s string) []byte { b := utf16z(s); return b[:len(b)-2] }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// filetime converts a time to a FILETIME.
func filetime(t time.Time) uint64 {
	return uint64(t.UnixNano()/100 + fileTimeEpochDelta)
}

func TestAppendTyped(t *testing.T) {
	guid := []byte{0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9}
	sid := cat([]byte{1, 5, 0, 0, 0, 0, 0, 5}, le32(21), le32(2297499104), le32(2362337018), le32(4092230427), le32(1000))
	tm := time.Date(2019, 3, 19, 23, 34, 25, 123456700, time.UTC)
	tests := []struct {
		name string
		typ  uint8
		data []byte
		want string
	}{
		{"null", typeNull, nil, ""},
		{"string", typeString, utf16s("C:\\Windows\\Sysmon.exe"), `C:\Windows\Sysmon.exe`},
		{"string stops at NUL", typeString, utf16z("abc", "def"), "abc"},
		{"string non-ASCII", typeString, utf16s("Microsoft® Windows® Operating System"), "Microsoft® Windows® Operating System"},
		{"string surrogate pair", typeString, utf16s("log 😀 end"), "log 😀 end"},
		{"string unpaired surrogate", typeString, cat(le16(0xd800), le16('a')), "\uFFFDa"},
		{"string odd length", typeString, []byte{'a', 0, 'b'}, "a"},
		{"ansi string", typeAnsiString, []byte("caf\xe9 \x80\x00ignored"), "café €"},
		{"int8", typeInt8, []byte{0xff}, "-1"},
		{"uint8", typeUint8, []byte{0xff}, "255"},
		{"int16", typeInt16, le16(0x8000), "-32768"},
		{"uint16", typeUint16, le16(4624), "4624"},
		{"int32", typeInt32, le32(0xfffffffe), "-2"},
		{"uint32", typeUint32, le32(4294967295), "4294967295"},
		{"int64", typeInt64, le64(math.MaxUint64), "-1"},
		{"uint64", typeUint64, le64(math.MaxUint64), "18446744073709551615"},
		{"real32", typeReal32, le32(math.Float32bits(1.5)), "1.5"},
		{"real64", typeReal64, le64(math.Float64bits(-0.25)), "-0.25"},
		{"real64 infinity", typeReal64, le64(math.Float64bits(math.Inf(1))), "1.#INF"},
		{"bool true", typeBool, le32(1), "true"},
		{"bool false", typeBool, le32(0), "false"},
		{"bool irregular", typeBool, le32(0x100), "true"},
		{"binary", typeBinary, []byte{0x00, 0xab, 0x0f, 0xff}, "00AB0FFF"},
		{"guid", typeGUID, guid, "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"},
		{"guid too short", typeGUID, guid[:15], ""},
		{"size_t 64", typeSizeT, le64(0x7ff6b3b30000), "0x7ff6b3b30000"},
		{"size_t 32", typeSizeT, le32(18), "0x12"},
		{"hexint32", typeHexInt32, le32(0x50e87), "0x50e87"},
		{"hexint64", typeHexInt64, le64(0x8020000000000000), "0x8020000000000000"},
		{"filetime", typeFileTime, le64(filetime(tm)), "2019-03-19T23:34:25.1234567Z"},
		{"filetime epoch", typeFileTime, le64(0), "1601-01-01T00:00:00.0000000Z"},
		{"systemtime", typeSysTime, cat(le16(2019), le16(3), le16(2), le16(19), le16(23), le16(34), le16(25), le16(123)), "2019-03-19T23:34:25.1230000Z"},
		{"sid", typeSID, sid, "S-1-5-21-2297499104-2362337018-4092230427-1000"},
		{"sid local system", typeSID, cat([]byte{1, 1, 0, 0, 0, 0, 0, 5}, le32(18)), "S-1-5-18"},
		{"sid large authority", typeSID, []byte{1, 0, 1, 2, 3, 4, 5, 6}, "S-1-0x010203040506"},
		{"sid truncated", typeSID, []byte{1, 2, 0, 0, 0, 0, 0, 5, 1, 0, 0, 0}, ""},
		{"evt handle", typeEvtHandle, le64(0x1234), "0x1234"},
		{"string array joined", typeString | typeArray, utf16z("a", "bc"), "a,bc"},
		{"uint16 array joined", typeUint16 | typeArray, cat(le16(1), le16(2), le16(3)), "1,2,3"},
		{"uint32 too short", typeUint32, []byte{1, 2}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendTyped(nil, tt.typ, tt.data)); got != tt.want {
				t.Errorf("appendTyped(0x%02x, % x) = %q, want %q", tt.typ, tt.data, got, tt.want)
			}
		})
	}
}

func TestArrayItems(t *testing.T) {
	sid := func(sub uint32) []byte { return cat([]byte{1, 1, 0, 0, 0, 0, 0, 5}, le32(sub)) }
	tests := []struct {
		name string
		typ  uint8
		data []byte
		want []string
	}{
		{"strings", typeString | typeArray, utf16z("one", "", "three"), []string{"one", "", "three"}},
		{"strings without final NUL", typeString | typeArray, append(utf16z("one"), utf16s("two")...), []string{"one", "two"}},
		{"empty", typeString | typeArray, nil, nil},
		{"ansi strings", typeAnsiString | typeArray, []byte("ab\x00cd\x00"), []string{"ab", "cd"}},
		{"uint32", typeUint32 | typeArray, cat(le32(7), le32(8)), []string{"7", "8"}},
		{"uint32 partial item ignored", typeUint32 | typeArray, cat(le32(7), []byte{1}), []string{"7"}},
		{"guids", typeGUID | typeArray, make([]byte, 32), []string{"{00000000-0000-0000-0000-000000000000}", "{00000000-0000-0000-0000-000000000000}"}},
		{"sids", typeSID | typeArray, cat(sid(18), sid(19)), []string{"S-1-5-18", "S-1-5-19"}},
		{"hexint64", typeHexInt64 | typeArray, cat(le64(1), le64(255)), []string{"0x1", "0xff"}},
		{"size_t 32-bit", typeSizeT | typeArray, cat(le32(1), le32(2), le32(3)), []string{"0x1", "0x2", "0x3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := arrayLen(tt.typ, tt.data)
			var got []string
			d := newDecoder()
			d.setChunk(tt.data)
			v := &sval{typ: tt.typ, size: int32(len(tt.data))}
			for k := 0; k < n; k++ {
				et, item, ok := d.arrayItem(v, k)
				if !ok {
					t.Fatalf("item %d of %d missing", k, n)
				}
				got = append(got, string(appendTyped(nil, et, item)))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("items %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("item %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
			if _, _, ok := d.arrayItem(v, n); ok {
				t.Errorf("item %d exists past the length", n)
			}
		})
	}
}

func TestFileTimeToUnixNano(t *testing.T) {
	tests := []struct {
		ft   uint64
		want int64
	}{
		{fileTimeEpochDelta, 0},
		{fileTimeEpochDelta + 1, 100},
		{filetime(time.Date(2022, 3, 22, 2, 3, 11, 310667200, time.UTC)), time.Date(2022, 3, 22, 2, 3, 11, 310667200, time.UTC).UnixNano()},
		{math.MaxUint64, math.MaxInt64 / 100 * 100},
	}
	for _, tt := range tests {
		if got := fileTimeToUnixNano(tt.ft); got != tt.want {
			t.Errorf("fileTimeToUnixNano(%d) = %d, want %d", tt.ft, got, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
	}{
		{"4624", 4624},
		{" 12 ", 12},
		{"0x8020000000000000", 0x8020000000000000},
		{"0XfF", 255},
		{"", 0},
		{"12a", 0},
		{"0x", 0},
	}
	for _, tt := range tests {
		if got := parseNumber([]byte(tt.in)); got != tt.want {
			t.Errorf("parseNumber(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
