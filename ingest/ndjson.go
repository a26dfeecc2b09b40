package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"unsafe"

	"github.com/vigil-sec/vigil/event"
)

// ndjsonSource reads one JSON document per line.
type ndjsonSource struct {
	r    *Reader
	name string
	br   *bufio.Reader
	c    io.Closer
	dec  event.Decoder
	line int
	long []byte // accumulates a line longer than the bufio buffer
	ecsMode
	events []event.Event // a block of deferred events, handed out in turn
	ev     event.Event   // reused for transient events
}

// ecsMode is how a JSON source reads the documents after its first one,
// once that one has shown whether the input holds ECS documents.
type ecsMode struct {
	checked bool
	// selective is set for ECS documents when Options.Select is: only
	// its fields are decoded (Raw keeps the whole document).
	selective bool
	// deferred is set for ECS documents when Options.Deferred is: their
	// text is handed on undecoded, for Reader.Decode.
	deferred bool
}

// learn settles the mode from the input's first event, decoded by dec.
func (m *ecsMode) learn(ev *event.Event, opts Options, dec *event.Decoder) {
	if m.checked {
		return
	}
	m.checked = true
	if ev.Raw != nil && opts.Select != nil {
		m.selective = true
		dec.Select(opts.Select)
	}
	m.deferred = ev.Raw != nil && opts.Deferred
}

func newNDJSONSource(r *Reader, name string, br *bufio.Reader, c io.Closer) *ndjsonSource {
	s := &ndjsonSource{r: r, name: name, br: br, c: c}
	s.dec.Reuse = r.opts.Transient
	return s
}

func (s *ndjsonSource) close() error { return s.c.Close() }

// readLine returns the next line without its end, or io.EOF. A line over
// the size limit is consumed and reported with tooLong.
func (s *ndjsonSource) readLine() (line []byte, tooLong bool, err error) {
	frag, err := s.br.ReadSlice('\n')
	if err == nil || (errors.Is(err, io.EOF) && len(frag) > 0) {
		s.line++
		return frag, false, nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return nil, false, err
	}
	// A long line: gather it, up to the limit.
	s.long = append(s.long[:0], frag...)
	for {
		frag, err = s.br.ReadSlice('\n')
		if len(s.long)+len(frag) > s.r.opts.MaxRecordSize {
			tooLong = true
			s.long = s.long[:0]
		}
		if !tooLong {
			s.long = append(s.long, frag...)
		}
		if err == nil || errors.Is(err, io.EOF) {
			s.line++
			if err != nil && tooLong {
				return nil, true, nil
			}
			return s.long, tooLong, nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, false, err
		}
	}
}

// copyLine copies one line for its event: the event's Raw and the strings
// of its document point into the copy, so an event held by the engine
// (in a partial sequence) keeps exactly its own line alive. Transient
// reading uses the line in place.
func (s *ndjsonSource) copyLine(line []byte) []byte {
	if s.r.opts.Transient {
		return line
	}
	return append([]byte(nil), line...)
}

// Deferred events are held in a merge window by the thousand; they and
// their lines are allocated in blocks rather than one by one. A block of
// lines is reused once every line in it has been decoded and passed on
// (see lineStore), so that holding a window of lines neither makes
// garbage nor grows the heap beyond the window.
const (
	eventBlock     = 512
	lineBlockSize  = 256 << 10
	maxFreeBlocks  = 4 // empty blocks kept for reuse: 1 MB
	maxHeldBlocks  = 1 << 12
	ownLineMinimum = lineBlockSize / 4 // longer lines get an allocation of their own
)

// lineStore keeps copies of the lines of deferred events in large blocks
// and reuses a block when none of its lines is held any more: a line is
// held from copy until release, which Reader.Decode calls for an event's
// line at the next Decode.
type lineStore struct {
	cur  *lineBlock
	held []*lineBlock // blocks with lines not released yet, oldest first
	free []*lineBlock // empty blocks, at most maxFreeBlocks
	last int          // index in held of the block find found last
}

// lineBlock is one block of lines.
type lineBlock struct {
	buf  []byte // lines carved so far; cap lineBlockSize
	live int    // lines carved and not released
}

// copy returns a copy of b, carved out of the current block, or in an
// allocation of its own when b is long.
func (a *lineStore) copy(b []byte) []byte {
	if len(b) > ownLineMinimum {
		return append([]byte(nil), b...)
	}
	if a.cur == nil || len(b) > cap(a.cur.buf)-len(a.cur.buf) {
		if old := a.cur; old != nil && old.live == 0 {
			// Every line of the full block has been released already
			// (the window is smaller than a block): no release will
			// come to free it, so it is freed here. It is the newest
			// held block.
			a.held = a.held[:len(a.held)-1]
			if len(a.free) < maxFreeBlocks {
				a.free = append(a.free, old)
			}
		}
		if n := len(a.free); n > 0 {
			a.cur, a.free = a.free[n-1], a.free[:n-1]
			a.cur.buf = a.cur.buf[:0]
		} else {
			a.cur = &lineBlock{buf: make([]byte, 0, lineBlockSize)}
		}
		if len(a.held) == maxHeldBlocks {
			// Lines of events that never reach Decode (a consumer that
			// stopped early) must not grow the list without end: the
			// oldest block is forgotten, and left to the garbage
			// collector.
			a.held = a.held[1:]
		}
		a.held = append(a.held, a.cur)
	}
	start := len(a.cur.buf)
	a.cur.buf = append(a.cur.buf, b...)
	a.cur.live++
	return a.cur.buf[start:len(a.cur.buf):len(a.cur.buf)]
}

// release lets go of a line copy returned (or of a part of one): once
// every line of its block is let go, the block is reused. A line that copy
// did not carve out of a block is left to the garbage collector.
func (a *lineStore) release(line []byte) {
	i := a.find(line)
	if i < 0 {
		return
	}
	blk := a.held[i]
	if blk.live--; blk.live == 0 && blk != a.cur {
		a.held = slices.Delete(a.held, i, i+1)
		if len(a.free) < maxFreeBlocks {
			a.free = append(a.free, blk)
		}
	}
}

// find returns the index in a.held of the block holding line, or -1.
// Events leave a merge nearly in the order they were read, so the line
// is nearly always in the oldest block; failing that, lines released one
// after the other (a file read newest first, say) share blocks, so the
// block found last is tried next.
func (a *lineStore) find(line []byte) int {
	if cap(line) == 0 || len(a.held) == 0 {
		return -1
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(line)))
	in := func(i int) bool {
		base := uintptr(unsafe.Pointer(unsafe.SliceData(a.held[i].buf)))
		return p >= base && p < base+uintptr(cap(a.held[i].buf))
	}
	if in(0) {
		return 0
	}
	if a.last < len(a.held) && in(a.last) {
		return a.last
	}
	for i := range a.held {
		if in(i) {
			a.last = i
			return i
		}
	}
	return -1
}

// jsonProblem reports a line of JSON text that could not be decoded: a
// syntax error is located by its column, lead being the white space
// before the text the decoder saw.
func jsonProblem(name string, line, lead int, err error) Problem {
	p := Problem{Source: name, Line: line, Offset: -1, Msg: err.Error()}
	var se *event.SyntaxError
	if errors.As(err, &se) {
		p.Column = lead + se.Offset + 1
		p.Msg = "malformed JSON: " + se.Msg
	}
	return p
}

func (s *ndjsonSource) next() (*event.Event, error) {
	for {
		line, tooLong, err := s.readLine()
		if err != nil {
			return nil, err
		}
		if tooLong {
			s.r.skip(Problem{Source: s.name, Line: s.line, Offset: -1,
				Msg: fmt.Sprintf("line longer than %d bytes", s.r.opts.MaxRecordSize)})
			continue
		}
		end := len(line)
		for end > 0 && (line[end-1] == ' ' || line[end-1] == '\t' || line[end-1] == '\r' || line[end-1] == '\n') {
			end--
		}
		lead := 0
		for lead < end && (line[lead] == ' ' || line[lead] == '\t') {
			lead++
		}
		if lead == end {
			continue
		}
		src := event.Source{Name: s.name, Index: int64(s.line)}
		if s.deferred {
			if len(s.events) == 0 {
				s.events = make([]event.Event, eventBlock)
			}
			ev := &s.events[0]
			s.events = s.events[1:]
			ev.Raw, ev.Src = s.r.lines.copy(line[:end]), src
			return ev, nil
		}
		raw := s.copyLine(line[lead:end])
		doc, err := s.dec.Decode(raw)
		if err != nil {
			s.r.skip(jsonProblem(s.name, s.line, lead, err))
			continue
		}
		if s.selective {
			if err := checkObject(doc); err != nil {
				s.r.skip(Problem{Source: s.name, Line: s.line, Offset: -1, Msg: err.Error()})
				continue
			}
			if s.r.opts.Transient {
				s.ev = event.Event{Doc: doc, Raw: raw, Src: src}
				return &s.ev, nil
			}
			return &event.Event{Doc: doc, Raw: raw, Src: src}, nil
		}
		ev, err := toEvent(doc, raw, src)
		if err != nil {
			s.r.skip(Problem{Source: s.name, Line: s.line, Offset: -1, Msg: err.Error()})
			continue
		}
		s.learn(ev, s.r.opts, &s.dec)
		return ev, nil
	}
}
