package evtx

import (
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/vigil-sec/vigil/winlog"
)

// MaxProblems is the number of problems Stats keeps; further problems are
// only counted.
const MaxProblems = 100

// Problem is something wrong found in a file that did not stop the reading:
// a corrupt chunk, a bad checksum, a record that could not be decoded.
type Problem struct {
	File     string // the name given to NewReader
	Offset   int64  // byte offset in the file
	RecordID uint64 // event record identifier, or 0 when unknown
	Err      error
}

// Error describes the problem, naming the file and the offset.
func (p Problem) Error() string {
	if p.RecordID != 0 {
		return fmt.Sprintf("%s: offset %d (0x%x), record %d: %v", p.File, p.Offset, p.Offset, p.RecordID, p.Err)
	}
	return fmt.Sprintf("%s: offset %d (0x%x): %v", p.File, p.Offset, p.Offset, p.Err)
}

// Unwrap returns the underlying error.
func (p Problem) Unwrap() error { return p.Err }

// Stats counts what a Reader has read and skipped so far.
type Stats struct {
	Chunks         int  // chunks whose records were read
	ChunksSkipped  int  // chunks that could not be read at all
	Records        int  // records returned
	RecordsSkipped int  // records that could not be decoded, or that a chunk header declares but were not found
	ChecksumErrors int  // header or record-data CRC32 mismatches (the data was used anyway)
	Dirty          bool // the file header has the dirty flag
	Truncated      bool // the file ends in the middle of a chunk or of the file header

	// Problems lists the first MaxProblems problems; ProblemCount counts
	// them all.
	Problems     []Problem
	ProblemCount int
}

// Reader reads the records of an EVTX file one after the other. It reads
// the input sequentially, one 64 KiB chunk at a time, so the input need not
// be seekable (a gzip stream will do) and memory use does not depend on the
// size of the file.
//
// Damage does not stop the reading: a chunk with a bad signature is skipped,
// a record that cannot be decoded is skipped, and reading goes on with the
// next one; each such event is counted in Stats and described by a Problem.
// Checksums are verified but, as evtx_dump and libevtx do, a mismatch does
// not discard the data: it is reported, and every record is still checked
// on its own (signature, size and its copy, binary XML), so what parses is
// kept. A record whose size copy is zero (its write had not finished when
// the file was copied) is taken if its binary XML decodes.
//
// All chunks present in the file are read, whatever the header's chunk
// count says, as libevtx does. Within a chunk, records end at the chunk's
// free-space offset: what lies past it is zeros or stale data from an
// earlier use of the buffer, which Windows does not show either. The one
// exception is a file with the dirty flag set, whose chunk headers may lag
// behind the records: there, complete records past the free-space offset
// that continue the record numbering are taken too.
//
// A Reader is not safe for concurrent use; read several files in parallel
// with one Reader each.
type Reader struct {
	r    io.Reader
	name string

	// For a file in memory (ResetBytes): the file, and the offset of
	// what has not been read yet.
	mem bool
	src []byte
	pos int

	header  FileHeader
	started bool
	err     error // sticky: io.EOF or a fatal error

	buf      []byte
	chunkOff int64 // file offset of the current chunk
	chunkNo  int   // index of the current chunk
	inChunk  bool
	lastData bool // the current chunk was the last (partial) data
	scan     scanner
	chunkHdr ChunkHeader
	good     int
	bad      int

	dec   *decoder
	b     recordBuilder
	stats Stats
}

// NewReader returns a Reader that reads the EVTX file from r. name
// identifies the file in problem reports.
func NewReader(r io.Reader, name string) *Reader {
	rd := &Reader{r: r, name: name, dec: newDecoder()}
	rd.b.in = &rd.dec.in
	return rd
}

// Reset makes r read the EVTX file from in, as NewReader(in, name) would,
// but keeps its buffers and caches, so that reading many files does not
// allocate them for every file.
func (r *Reader) Reset(in io.Reader, name string) {
	buf, dec, b := r.buf, r.dec, r.b
	*r = Reader{r: in, name: name, buf: buf, dec: dec, b: b}
}

// ResetBytes makes r read the EVTX file held in data, as Reset does for a
// stream, with the same results, but without copying each chunk into a
// buffer first: the chunks are decoded where they are. data must not be
// modified until the file has been read; the records do not refer to it.
func (r *Reader) ResetBytes(data []byte, name string) {
	buf, dec, b := r.buf, r.dec, r.b
	*r = Reader{mem: true, src: data, name: name, buf: buf, dec: dec, b: b}
}

// readFull returns the next n bytes of the file, as io.ReadFull reads
// them: with io.EOF if there are none, io.ErrUnexpectedEOF with those
// there are if there are fewer. From a stream they are read into r.buf,
// from memory they are sliced.
func (r *Reader) readFull(n int) ([]byte, error) {
	if r.mem {
		rest := r.src[r.pos:]
		if len(rest) == 0 {
			return nil, io.EOF
		}
		m := min(n, len(rest))
		r.pos += m
		if m < n {
			return rest[:m:m], io.ErrUnexpectedEOF
		}
		return rest[:m:m], nil
	}
	if r.buf == nil {
		r.buf = make([]byte, ChunkSize)
	}
	m, err := io.ReadFull(r.r, r.buf[:n])
	return r.buf[:m], err
}

// Header returns the file header. It is valid once Next has been called.
func (r *Reader) Header() FileHeader { return r.header }

// Stats returns the counts so far. The Problems slice is shared; it must
// not be modified.
func (r *Reader) Stats() Stats { return r.stats }

func (r *Reader) problem(off int64, id uint64, err error) {
	r.stats.ProblemCount++
	if len(r.stats.Problems) < MaxProblems {
		r.stats.Problems = append(r.stats.Problems, Problem{File: r.name, Offset: off, RecordID: id, Err: err})
	}
}

// Next returns the next record. It returns io.EOF after the last record,
// and another error only when reading cannot go on at all: the input is not
// an EVTX file or the underlying reader fails.
func (r *Reader) Next() (*winlog.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		if err := r.readHeader(); err != nil {
			r.err = err
			return nil, err
		}
	}
	for {
		if r.inChunk {
			if rec := r.nextInChunk(); rec != nil {
				r.stats.Records++
				return rec, nil
			}
			r.endChunk()
		}
		if r.lastData {
			r.err = io.EOF
			return nil, r.err
		}
		if err := r.readChunk(); err != nil {
			r.err = err
			return nil, err
		}
	}
}

// All returns an iterator over the remaining records. It stops at the end
// of the file; a fatal error is yielded once, as the last element.
func (r *Reader) All() iter.Seq2[*winlog.Record, error] {
	return func(yield func(*winlog.Record, error) bool) {
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

func (r *Reader) readHeader() error {
	hb, err := r.readFull(FileHeaderSize)
	n := len(hb)
	switch {
	case err == nil:
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		if n < 128 {
			return fmt.Errorf("%s: file header: %w", r.name, io.ErrUnexpectedEOF)
		}
	default:
		return fmt.Errorf("%s: reading file header: %w", r.name, err)
	}
	h, perr := ParseFileHeader(hb[:n])
	if perr != nil {
		return fmt.Errorf("%s: %w", r.name, perr)
	}
	r.header = h
	r.stats.Dirty = h.Dirty()
	if !h.ChecksumValid {
		r.stats.ChecksumErrors++
		r.problem(0, 0, errors.New("file header checksum mismatch"))
	}
	if err != nil {
		r.stats.Truncated = true
		r.problem(int64(n), 0, fmt.Errorf("file truncated inside the file header (%d of %d bytes)", n, FileHeaderSize))
		r.lastData = true
	}
	r.chunkOff = FileHeaderSize
	r.chunkNo = -1
	return nil
}

// readChunk reads the next chunk and prepares its records; a chunk that
// cannot be used is skipped. It returns io.EOF at the end of the input.
func (r *Reader) readChunk() error {
	for {
		if r.chunkNo >= 0 {
			r.chunkOff += ChunkSize
		}
		r.chunkNo++
		data, err := r.readFull(ChunkSize)
		n := len(data)
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			if r.chunkNo < int(r.header.ChunkCount) {
				r.stats.Truncated = true
				r.problem(r.chunkOff, 0, fmt.Errorf("file ends after %d chunks; the header declares %d", r.chunkNo, r.header.ChunkCount))
			}
			return io.EOF
		case errors.Is(err, io.ErrUnexpectedEOF):
			r.lastData = true
			r.stats.Truncated = true
			r.problem(r.chunkOff+int64(n), 0, fmt.Errorf("file truncated: chunk %d has %d of %d bytes", r.chunkNo, n, ChunkSize))
		default:
			return fmt.Errorf("%s: reading chunk at offset %d: %w", r.name, r.chunkOff, err)
		}
		h, herr := ParseChunkHeader(data)
		if herr != nil {
			if allZero(data) {
				// Unused space after the last chunk is zero-filled. A
				// zeroed chunk the header counts as in use is damage.
				if r.chunkNo < int(r.header.ChunkCount) {
					r.stats.ChunksSkipped++
					r.problem(r.chunkOff, 0, fmt.Errorf("chunk %d is zero-filled", r.chunkNo))
				}
			} else {
				r.stats.ChunksSkipped++
				r.problem(r.chunkOff, 0, fmt.Errorf("chunk %d skipped: %w", r.chunkNo, herr))
			}
			if r.lastData {
				return io.EOF
			}
			continue
		}
		if !h.ChecksumValid {
			r.stats.ChecksumErrors++
			r.problem(r.chunkOff, 0, fmt.Errorf("chunk %d header checksum mismatch", r.chunkNo))
		}
		if !h.DataChecksumValid && len(data) == ChunkSize {
			r.stats.ChecksumErrors++
			r.problem(r.chunkOff, 0, fmt.Errorf("chunk %d record data checksum mismatch", r.chunkNo))
		}
		r.chunkHdr = h
		r.dec.setChunk(data)
		r.scan = newScanner(data, &h, r.header.Dirty())
		r.good, r.bad = 0, 0
		r.inChunk = true
		r.stats.Chunks++
		return nil
	}
}

// nextInChunk returns the next decodable record of the current chunk, or
// nil at its end.
func (r *Reader) nextInChunk() *winlog.Record {
	for {
		rr, err, ok := r.scan.next()
		if !ok {
			return nil
		}
		if err == nil {
			rec := &winlog.Record{}
			r.b.reset(rec)
			err = r.dec.decode(rr.Offset+recordHeaderSize, rr.Offset+rr.Size-4, &r.b)
			if err == nil {
				r.b.finish()
				r.good++
				return rec
			}
			r.b.rec = nil
			var de *decodeError
			if errors.As(err, &de) {
				r.problem(r.chunkOff+int64(de.off), rr.ID, fmt.Errorf("record at offset %d: %s", r.chunkOff+int64(rr.Offset), de.msg))
			} else {
				r.problem(r.chunkOff+int64(rr.Offset), rr.ID, err)
			}
		} else {
			r.problem(r.chunkOff+int64(rr.Offset), 0, err)
		}
		r.bad++
	}
}

// endChunk accounts for records the chunk header declares but that were
// not read.
func (r *Reader) endChunk() {
	r.inChunk = false
	skipped := r.bad
	if r.chunkHdr.ChecksumValid {
		if want := r.chunkHdr.RecordCount(); want > r.good+skipped {
			skipped = want - r.good
		}
	}
	r.stats.RecordsSkipped += skipped
}
