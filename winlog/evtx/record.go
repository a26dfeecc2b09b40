package evtx

import (
	"strings"
	"time"

	"github.com/vigil-sec/vigil/winlog"
)

// capture says what the character data of the element being captured is
// for.
type capture uint8

const (
	capNone    capture = iota
	capNumber          // System numeric field, parsed at the end of the element
	capIntern          // low-cardinality System string, interned
	capVal             // per-record string kept in the value buffer
	capData            // EventData entry
	capPair            // UserData name/value pair
	capKeyword         // RenderingInfo/Keywords/Keyword
)

// Slots of the System fields that are interned, for the last-value cache.
const (
	slotProvider = iota
	slotProviderGUID
	slotEventSourceName
	slotChannel
	slotComputer
	slotUserID
	numSlots
)

// span is a string still to be cut out of the record's value buffer.
type span struct {
	name string
	a, b int32
}

// pending is a record field to be set from the value buffer.
type pending struct {
	dst  *string
	a, b int32
}

const maxTrackedDepth = 8

// recordBuilder is the sink that maps a decoded event document to a
// winlog.Record. Per-record strings are collected in one buffer and turned
// into a single string at the end, which every field then slices, so a
// record costs a handful of allocations whatever its number of values.
type recordBuilder struct {
	in  *interner
	rec *winlog.Record

	depth int
	path  [maxTrackedDepth]nameID

	capLevel int // level of the element whose text is captured, or -1
	capKind  capture
	capField nameID  // which System field, for capNumber
	capDst   *string // for capIntern and capVal
	capSlot  int     // for capIntern
	capStart int
	curName  string // Name of the EventData entry or UserData pair

	inUserChild  bool // inside the first child of UserData
	sawUserChild bool

	last [numSlots]string // last value of each interned System field

	scratch  []byte
	vbuf     []byte
	pend     []pending
	data     []span
	pairs    []span
	keywords []span
}

func (b *recordBuilder) reset(rec *winlog.Record) {
	b.rec = rec
	b.depth = 0
	b.capLevel = -1
	b.capKind = capNone
	b.inUserChild, b.sawUserChild = false, false
	b.vbuf = b.vbuf[:0]
	b.pend = b.pend[:0]
	b.data = b.data[:0]
	b.pairs = b.pairs[:0]
	b.keywords = b.keywords[:0]
}

func (b *recordBuilder) at(level int) nameID {
	if level < maxTrackedDepth {
		return b.path[level]
	}
	return nameOther
}

func (b *recordBuilder) begin(kind capture, level int) {
	b.capKind = kind
	b.capLevel = level
	b.capStart = len(b.vbuf)
	b.scratch = b.scratch[:0]
}

// localName strips a namespace prefix.
func localName(s string) string {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func (b *recordBuilder) start(name string, id nameID) {
	level := b.depth
	if level < maxTrackedDepth {
		b.path[level] = id
	}
	b.depth++
	if b.capLevel >= 0 {
		return // an element inside captured text: its text is not captured
	}
	switch level {
	case 1:
		if id == nameRenderingInfo && b.rec.Rendering == nil {
			b.rec.Rendering = &winlog.Rendering{}
		}
	case 2:
		switch b.at(1) {
		case nameSystem:
			switch id {
			case nameOpcode:
				b.rec.HasOpcode = true
				fallthrough
			case nameEventID, nameVersion, nameLevel, nameTask, nameKeywords, nameEventRecordID:
				b.begin(capNumber, level)
				b.capField = id
			case nameChannel:
				b.begin(capIntern, level)
				b.capDst = &b.rec.Channel
				b.capSlot = slotChannel
			case nameComputer:
				b.begin(capIntern, level)
				b.capDst = &b.rec.Computer
				b.capSlot = slotComputer
			}
		case nameEventData:
			switch id {
			case nameBinary:
				b.begin(capVal, level)
				b.capDst = &b.rec.Binary
			case nameData:
				b.begin(capData, level)
				b.curName = ""
			default:
				b.begin(capData, level)
				b.curName = localName(name)
			}
		case nameUserData:
			if !b.sawUserChild {
				b.sawUserChild = true
				b.inUserChild = true
				b.rec.UserData = &winlog.UserData{Name: localName(name)}
			}
		case nameRenderingInfo:
			r := b.rec.Rendering
			var dst *string
			switch id {
			case nameMessage:
				dst = &r.Message
			case nameLevel:
				dst = &r.Level
			case nameTask:
				dst = &r.Task
			case nameOpcode:
				dst = &r.Opcode
			case nameChannel:
				dst = &r.Channel
			case nameProvider:
				dst = &r.Provider
			}
			if dst != nil {
				b.begin(capVal, level)
				b.capDst = dst
			}
		}
	case 3:
		switch {
		case b.at(1) == nameUserData && b.inUserChild:
			b.begin(capPair, level)
			b.curName = localName(name)
		case b.at(1) == nameRenderingInfo && b.at(2) == nameKeywords && id == nameKeyword:
			b.begin(capKeyword, level)
		}
	}
}

func (b *recordBuilder) attr(_ string, id nameID, v value) {
	level := b.depth - 1
	switch {
	case level == 2 && b.at(1) == nameSystem:
		rec := b.rec
		switch b.at(2) {
		case nameProvider:
			switch id {
			case nameName:
				rec.Provider = b.internSlot(slotProvider, v)
			case nameGUID:
				rec.ProviderGUID = b.internSlot(slotProviderGUID, v)
			case nameEventSourceName:
				rec.EventSourceName = b.internSlot(slotEventSourceName, v)
			}
		case nameEventID:
			if id == nameQualifiers {
				rec.Qualifiers = uint16(b.number(v))
			}
		case nameTimeCreated:
			if id == nameSystemTime {
				rec.TimeCreated = b.time(v)
			}
		case nameCorrelation:
			switch id {
			case nameActivityID:
				b.keep(&rec.ActivityID, v)
			case nameRelatedActivityID:
				b.keep(&rec.RelatedActivityID, v)
			}
		case nameExecution:
			switch id {
			case nameProcessID:
				rec.ProcessID = uint32(b.number(v))
			case nameThreadID:
				rec.ThreadID = uint32(b.number(v))
			}
		case nameSecurity:
			if id == nameUserID {
				rec.UserID = b.internSlot(slotUserID, v)
			}
		}
	case id == nameName && b.capLevel == level && (b.capKind == capData || b.capKind == capPair):
		b.curName = b.intern(v)
	case level == 1 && id == nameCulture && b.at(1) == nameRenderingInfo && b.rec.Rendering != nil:
		b.keep(&b.rec.Rendering.Culture, v)
	}
}

func (b *recordBuilder) text(v value) {
	if b.capLevel != b.depth-1 {
		return
	}
	switch b.capKind {
	case capNumber, capIntern:
		b.scratch = appendValue(b.scratch, &v)
	case capVal, capData, capPair, capKeyword:
		b.vbuf = appendValue(b.vbuf, &v)
	}
}

func (b *recordBuilder) end(bool) {
	level := b.depth - 1
	b.depth--
	if level == 2 && b.inUserChild && b.at(1) == nameUserData {
		b.inUserChild = false
	}
	if b.capLevel != level {
		return
	}
	a, z := int32(b.capStart), int32(len(b.vbuf))
	switch b.capKind {
	case capNumber:
		n := parseNumber(b.scratch)
		rec := b.rec
		switch b.capField {
		case nameEventID:
			rec.EventID = uint32(n)
		case nameVersion:
			rec.Version = uint8(n)
		case nameLevel:
			rec.Level = uint8(n)
		case nameTask:
			rec.Task = uint16(n)
		case nameOpcode:
			rec.Opcode = uint8(n)
		case nameKeywords:
			rec.Keywords = n
		case nameEventRecordID:
			rec.RecordID = n
		}
	case capIntern:
		*b.capDst = b.internBytes(b.capSlot, b.scratch)
	case capVal:
		b.pend = append(b.pend, pending{dst: b.capDst, a: a, b: z})
	case capData:
		b.data = append(b.data, span{name: b.curName, a: a, b: z})
	case capPair:
		b.pairs = append(b.pairs, span{name: b.curName, a: a, b: z})
	case capKeyword:
		b.keywords = append(b.keywords, span{a: a, b: z})
	}
	b.capLevel = -1
	b.capKind = capNone
}

// intern renders v and returns it as a shared string.
func (b *recordBuilder) intern(v value) string {
	if v.typ == typeLiteral {
		if v.str != "" {
			return v.str
		}
		return b.in.intern(v.data)
	}
	b.scratch = appendValue(b.scratch[:0], &v)
	return b.in.intern(b.scratch)
}

// internSlot is intern for a System field that mostly repeats from one
// record to the next: the last value is checked before the intern table.
func (b *recordBuilder) internSlot(slot int, v value) string {
	if v.typ == typeLiteral && v.str != "" {
		return v.str
	}
	b.scratch = appendValue(b.scratch[:0], &v)
	return b.internBytes(slot, b.scratch)
}

func (b *recordBuilder) internBytes(slot int, s []byte) string {
	if string(s) == b.last[slot] {
		return b.last[slot]
	}
	str := b.in.intern(s)
	b.last[slot] = str
	return str
}

// keep renders v into the value buffer and arranges for dst to be set.
func (b *recordBuilder) keep(dst *string, v value) {
	a := len(b.vbuf)
	b.vbuf = appendValue(b.vbuf, &v)
	b.pend = append(b.pend, pending{dst: dst, a: int32(a), b: int32(len(b.vbuf))})
}

// number returns the integer value of v, read directly for integer types
// and parsed from the text otherwise.
func (b *recordBuilder) number(v value) uint64 {
	switch v.typ {
	case typeUint8, typeInt8, typeUint16, typeInt16, typeUint32, typeInt32, typeHexInt32,
		typeUint64, typeInt64, typeHexInt64, typeSizeT:
		var n uint64
		for i := len(v.data) - 1; i >= 0 && i < 8; i-- {
			n = n<<8 | uint64(v.data[i])
		}
		return n
	}
	b.scratch = appendValue(b.scratch[:0], &v)
	return parseNumber(b.scratch)
}

// time returns TimeCreated/@SystemTime as Unix nanoseconds.
func (b *recordBuilder) time(v value) int64 {
	if v.typ == typeFileTime && len(v.data) == 8 {
		return fileTimeToUnixNano(uint64(v.data[0]) | uint64(v.data[1])<<8 | uint64(v.data[2])<<16 |
			uint64(v.data[3])<<24 | uint64(v.data[4])<<32 | uint64(v.data[5])<<40 |
			uint64(v.data[6])<<48 | uint64(v.data[7])<<56)
	}
	b.scratch = appendValue(b.scratch[:0], &v)
	t, err := time.Parse(time.RFC3339Nano, string(b.scratch))
	if err != nil {
		return 0
	}
	return t.UnixNano()
}

// parseNumber parses a decimal or 0x-prefixed hexadecimal unsigned
// integer, ignoring surrounding spaces. It returns 0 for anything else.
func parseNumber(s []byte) uint64 {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\r' || s[len(s)-1] == '\n') {
		s = s[:len(s)-1]
	}
	var n uint64
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for _, c := range s[2:] {
			var d byte
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'a' && c <= 'f':
				d = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return 0
			}
			n = n<<4 | uint64(d)
		}
		return n
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}

// finish sets the fields that slice the value buffer.
func (b *recordBuilder) finish() {
	s := string(b.vbuf)
	for _, p := range b.pend {
		*p.dst = s[p.a:p.b]
	}
	rec := b.rec
	if len(b.data) > 0 {
		rec.EventData = make([]winlog.Data, len(b.data))
		for i, sp := range b.data {
			rec.EventData[i] = winlog.Data{Name: sp.name, Value: s[sp.a:sp.b]}
		}
	}
	if rec.UserData != nil && len(b.pairs) > 0 {
		rec.UserData.Pairs = make([]winlog.Data, len(b.pairs))
		for i, sp := range b.pairs {
			rec.UserData.Pairs[i] = winlog.Data{Name: sp.name, Value: s[sp.a:sp.b]}
		}
	}
	if rec.Rendering != nil && len(b.keywords) > 0 {
		rec.Rendering.Keywords = make([]string, len(b.keywords))
		for i, sp := range b.keywords {
			rec.Rendering.Keywords[i] = s[sp.a:sp.b]
		}
	}
	b.rec = nil
}
