package evtx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"iter"

	"github.com/vigil-sec/vigil/winlog"
)

// Chunk is one chunk of an EVTX file: a header with the string and template
// tables, and event records whose binary XML refers to names and template
// definitions elsewhere in the chunk by offset. A Chunk caches what it
// decodes and is not safe for concurrent use.
type Chunk struct {
	Header ChunkHeader
	data   []byte
	dec    *decoder
	b      recordBuilder
}

// ParseChunk parses the chunk in data, normally ChunkSize bytes long; a
// shorter (truncated) chunk is accepted and its complete records can still
// be read. It fails when data is shorter than a chunk header or does not
// start with the chunk signature. Checksum mismatches are not errors: they
// are reported in the header, and records are validated one by one.
// The chunk refers to data, which must not be modified while it is in use.
func ParseChunk(data []byte) (*Chunk, error) {
	if len(data) > ChunkSize {
		data = data[:ChunkSize]
	}
	h, err := ParseChunkHeader(data)
	if err != nil {
		return nil, err
	}
	c := &Chunk{Header: h, data: data, dec: newDecoder()}
	c.dec.setChunk(data)
	c.b.in = &c.dec.in
	return c, nil
}

// RecordError describes a record that could not be read. Offset is relative
// to the start of the chunk.
type RecordError struct {
	Offset   int
	RecordID uint64 // 0 when the record header itself is unreadable
	Err      error
}

// Error implements error.
func (e *RecordError) Error() string {
	if e.RecordID != 0 {
		return fmt.Sprintf("record %d at chunk offset 0x%x: %v", e.RecordID, e.Offset, e.Err)
	}
	return fmt.Sprintf("record at chunk offset 0x%x: %v", e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *RecordError) Unwrap() error { return e.Err }

// RawRecord is an event record of a chunk, not yet decoded.
type RawRecord struct {
	Offset  int    // offset of the record in the chunk
	Size    int    // size of the record, header and trailer included
	ID      uint64 // event record identifier
	Written int64  // time the record was written, Unix nanoseconds
	c       *Chunk
}

// Record decodes the record into a winlog.Record.
func (r RawRecord) Record() (*winlog.Record, error) {
	rec := &winlog.Record{}
	if err := r.c.decodeInto(rec, r.Offset, r.Size); err != nil {
		return nil, &RecordError{Offset: r.Offset, RecordID: r.ID, Err: err}
	}
	return rec, nil
}

// AppendXML decodes the record and appends its event XML to dst.
func (r RawRecord) AppendXML(dst []byte) ([]byte, error) {
	x := xmlWriter{buf: dst}
	if err := r.c.dec.decode(r.Offset+recordHeaderSize, r.Offset+r.Size-4, &x); err != nil {
		return dst, &RecordError{Offset: r.Offset, RecordID: r.ID, Err: err}
	}
	return x.buf, nil
}

func (c *Chunk) decodeInto(rec *winlog.Record, off, size int) error {
	c.b.reset(rec)
	if err := c.dec.decode(off+recordHeaderSize, off+size-4, &c.b); err != nil {
		c.b.rec = nil
		return err
	}
	c.b.finish()
	return nil
}

// RawRecords iterates over the records of the chunk in order. A stretch of
// the chunk that holds no valid record is yielded as a *RecordError, after
// which iteration resumes at the next valid record header.
func (c *Chunk) RawRecords() iter.Seq2[RawRecord, error] {
	return func(yield func(RawRecord, error) bool) {
		s := newScanner(c.data, &c.Header, false)
		for {
			rr, err, ok := s.next()
			if !ok {
				return
			}
			rr.c = c
			if !yield(rr, err) {
				return
			}
		}
	}
}

// Records iterates over the decoded records of the chunk. Records that
// cannot be decoded are yielded as a nil record with a *RecordError, and
// iteration goes on with the next record.
func (c *Chunk) Records() iter.Seq2[*winlog.Record, error] {
	return func(yield func(*winlog.Record, error) bool) {
		for rr, err := range c.RawRecords() {
			var rec *winlog.Record
			if err == nil {
				rec, err = rr.Record()
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

// scanner finds the event records of a chunk. Records are laid out back to
// back from the end of the chunk header to the free space offset; each
// starts with a signature and its size, and ends with a copy of the size.
// A record whose size is inconsistent is skipped by scanning forward for the
// next plausible record header, as libevtx does when recovering records.
//
// The bytes past the free space offset are not records of the chunk: they
// are zeros or stale data from an earlier use of the buffer (exported logs
// often carry such leftovers), which Windows does not show. The exception
// is a dirty file, whose chunk header may not have been updated before the
// file was copied: there, complete records that continue the record
// numbering are taken.
type scanner struct {
	data      []byte
	pos       int
	free      int  // end of the record area the header declares
	pastFree  bool // take continuing records past free (dirty file)
	lastID    uint64
	hasLastID bool
}

func newScanner(data []byte, h *ChunkHeader, dirty bool) scanner {
	free := len(data)
	if f := int(h.FreeSpaceOffset); f >= ChunkHeaderSize && f <= len(data) {
		free = f
	}
	return scanner{data: data, pos: ChunkHeaderSize, free: free, pastFree: dirty}
}

// validAt reports whether a plausible record starts at p and returns its
// size.
func (s *scanner) validAt(p int) (int, bool) {
	data := s.data
	if p+minRecordSize > len(data) || !bytes.Equal(data[p:p+4], recordMagic) {
		return 0, false
	}
	size := int(binary.LittleEndian.Uint32(data[p+4:]))
	if size < minRecordSize || size > len(data)-p {
		return size, false
	}
	// A copy of zero is a record whose write had not finished when the
	// file was copied: the size is taken as it is, and the binary XML
	// decoding decides whether the record is usable.
	copied := int(binary.LittleEndian.Uint32(data[p+size-4:]))
	return size, copied == size || copied == 0
}

// next returns the next record, or an error for a stretch of unreadable
// bytes, and ok=false at the end of the records.
func (s *scanner) next() (RawRecord, error, bool) {
	data := s.data
	p := s.pos
	if p >= len(data) || p+minRecordSize > len(data) {
		if p < s.free && !allZero(data[p:s.free]) {
			s.pos = len(data)
			return RawRecord{Offset: p}, fmt.Errorf("%d bytes of partial record data at the end of the chunk", len(data)-p), true
		}
		return RawRecord{}, nil, false
	}
	size, ok := s.validAt(p)
	if ok && p >= s.free {
		id := binary.LittleEndian.Uint64(data[p+8:])
		if !s.pastFree || !s.hasLastID || id != s.lastID+1 {
			return RawRecord{}, nil, false
		}
	}
	if ok {
		s.pos = p + size
		le := binary.LittleEndian
		rr := RawRecord{
			Offset:  p,
			Size:    size,
			ID:      le.Uint64(data[p+8:]),
			Written: fileTimeToUnixNano(le.Uint64(data[p+16:])),
		}
		s.lastID, s.hasLastID = rr.ID, true
		return rr, nil, true
	}
	if p >= s.free || allZero(data[p:s.free]) {
		return RawRecord{}, nil, false
	}
	var err error
	switch {
	case !bytes.Equal(data[p:p+4], recordMagic):
		err = fmt.Errorf("bad record signature % x", data[p:p+4])
	case size < minRecordSize || size > len(data)-p:
		if size > len(data)-p && p+minRecordSize <= len(data) && len(data) < ChunkSize {
			err = fmt.Errorf("record of %d bytes is cut off by the end of the data (truncated file)", size)
		} else {
			err = fmt.Errorf("bad record size %d", size)
		}
	default:
		err = fmt.Errorf("record size %d does not match its copy %d", size, binary.LittleEndian.Uint32(data[p+size-4:]))
	}
	// Resynchronise on the next plausible record header before the free
	// space offset.
	q := p + 1
	for q < s.free {
		i := bytes.Index(data[q:s.free], recordMagic)
		if i < 0 {
			q = s.free
			break
		}
		q += i
		if _, ok := s.validAt(q); ok {
			break
		}
		q++
	}
	if q >= s.free {
		q = len(data) // nothing more before the free space: stop
	}
	s.pos = q
	return RawRecord{Offset: p}, err, true
}

// allZero reports whether b holds only zero bytes. Unused chunks are
// 64 KiB of zeros, so it reads eight words at a time.
func allZero(b []byte) bool {
	le := binary.LittleEndian
	for len(b) >= 64 {
		if le.Uint64(b)|le.Uint64(b[8:])|le.Uint64(b[16:])|le.Uint64(b[24:])|
			le.Uint64(b[32:])|le.Uint64(b[40:])|le.Uint64(b[48:])|le.Uint64(b[56:]) != 0 {
			return false
		}
		b = b[64:]
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
