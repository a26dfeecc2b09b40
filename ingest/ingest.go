// Package ingest reads telemetry for the engine: it expands the inputs
// (files, directories, globs, .gz and .zip archives, stdin), recognises
// each input's format by its content, not its name, and streams the
// events as ECS documents. Windows telemetry (EVTX, event XML, evtx_dump
// JSON, raw Winlogbeat output, flat NXLog/OTRF JSON) is mapped to ECS by
// package winlog; ECS documents (Winlogbeat, Elastic Agent, Elastic
// Defend) are taken as they are.
//
// Bad records never stop the reading: each one is skipped, counted and
// described (file and line, offset or record) in Stats.
package ingest

import (
	"archive/zip"
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math"
	"os"
	"slices"
	"sync/atomic"

	"github.com/vigil-sec/vigil/event"
)

// Defaults of Options.
const (
	DefaultMaxProblems   = 100
	DefaultMaxRecordSize = 64 << 20
	maxArchiveDepth      = 4
	bufSize              = 64 << 10 // read buffer per open input; also the sniffing window
)

// Options control a Reader.
type Options struct {
	// Stdin is read for the input "-"; nil means os.Stdin.
	Stdin io.Reader
	// MaxProblems caps Stats.Problems (0: DefaultMaxProblems); further
	// problems are only counted.
	MaxProblems int
	// MaxRecordSize bounds one record (an NDJSON line, a JSON array
	// element, an XML event); larger ones are skipped (0:
	// DefaultMaxRecordSize).
	MaxRecordSize int
	// TempDir is where zip archives that cannot be read in place (from
	// stdin, inside gzip or another zip) are spooled; "" means
	// os.TempDir().
	TempDir string
	// Select, when set, names the only fields the consumer reads. NDJSON
	// files of ECS documents (recognised by their first line) are then
	// decoded selectively, skipping every other field, while Raw keeps
	// each line whole for output. Windows shapes are always mapped in
	// full.
	Select *event.FieldSet
	// Transient lets readers reuse their buffers: an event (its document
	// and Raw) is then valid only until the next call to Next, and a
	// consumer that keeps events must copy them (eql.Run.SetTransient
	// does). NDJSON reading then allocates nothing per line.
	Transient bool
	// Deferred leaves the decoding of NDJSON lines of ECS documents to
	// the consumer: after a file's first line, which shows what the file
	// holds, Next returns such events with Raw (a copy of the line, kept
	// whatever Transient says) and no document, and Decode decodes one,
	// with Select, when it is used; call it on every event, as it leaves
	// decoded ones as they are. Once decoded, an event's document and Raw
	// are valid until the next call to Decode, whose storage reuses them.
	// A merger can then hold many events as compact text and decode each,
	// while it is in cache, as it hands it on. Other formats are decoded
	// by Next as usual.
	Deferred bool
}

// Problem is a record or input that was skipped, located as precisely as
// the format allows.
type Problem struct {
	Source string // file name, "a.zip:member", or "-"
	Line   int    // 1-based line, or 0
	Column int    // 1-based byte column within the line, or 0
	Offset int64  // byte offset (binary formats), or -1
	Record int64  // record number or id, or 0
	Msg    string
}

// String renders the problem as "source:line:column: message" (or with
// the offset or record number when there is no line).
func (p Problem) String() string {
	s := p.Source
	switch {
	case p.Line > 0 && p.Column > 0:
		s += fmt.Sprintf(":%d:%d", p.Line, p.Column)
	case p.Line > 0:
		s += fmt.Sprintf(":%d", p.Line)
	case p.Offset >= 0:
		s += fmt.Sprintf(": offset %d", p.Offset)
	}
	if p.Record > 0 && p.Line == 0 {
		s += fmt.Sprintf(": record %d", p.Record)
	}
	return s + ": " + p.Msg
}

// Stats counts what has been read so far.
type Stats struct {
	Files        int   // inputs read (an archive member is one input)
	FilesSkipped int   // inputs skipped: unrecognised content or unreadable
	Events       int64 // events returned
	Skipped      int64 // records skipped: malformed, undecodable or not an event
	Problems     []Problem
	ProblemCount int // all problems, including those not kept in Problems
}

// Reader streams the events of a list of inputs. It is not safe for
// concurrent use, except for Progress, which may be called from another
// goroutine.
type Reader struct {
	opts    Options
	pending []*input // inputs still to open, next first
	cur     source
	curIn   *input
	stats   Stats
	temps   []string
	closers []io.Closer

	events    atomic.Int64
	bytesRead atomic.Int64
	total     int64

	dec          event.Decoder // decodes deferred events, into reused buffers
	decodeFaults bool          // Decode found a broken line
	lines        lineStore     // the lines of deferred events
	decodedLine  []byte        // the line of the last event Decode decoded
}

// newReader returns a Reader with opts completed by their defaults.
func newReader(opts Options) *Reader {
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = DefaultMaxProblems
	}
	if opts.MaxRecordSize <= 0 {
		opts.MaxRecordSize = DefaultMaxRecordSize
	}
	r := &Reader{opts: opts}
	r.dec.Reuse = true
	r.dec.Select(opts.Select)
	return r
}

// Decode completes an event that Next returned undecoded (see
// Options.Deferred) by decoding its Raw into its Doc; the document and
// Raw are valid until the next call to Decode. An event that has its
// document is left as it is. A line that is not a JSON object is reported
// as a skipped record, located as Next would have located it, is no
// longer counted as an event, and makes Decode return false.
func (r *Reader) Decode(ev *event.Event) bool {
	if ev.Doc.Exists() || ev.Raw == nil {
		return true
	}
	// The last decoded event, its document and its line are done with:
	// its line's storage may now be reused.
	r.lines.release(r.decodedLine)
	r.decodedLine = ev.Raw
	// The line was kept with its leading white space, so that a fault is
	// located by its column; the event's text starts at the document.
	lead := 0
	for lead < len(ev.Raw) && (ev.Raw[lead] == ' ' || ev.Raw[lead] == '\t') {
		lead++
	}
	doc, err := r.dec.Decode(ev.Raw[lead:])
	if err == nil {
		err = checkObject(doc)
	}
	if err != nil {
		r.stats.Events--
		r.events.Add(-1)
		r.decodeFaults = true
		if ev.Src.Line > 0 {
			r.skip(streamProblem(ev.Src, err)) // a document of a JSON stream
		} else {
			r.skip(jsonProblem(ev.Src.Name, int(ev.Src.Index), lead, err))
		}
		return false
	}
	ev.Doc, ev.Raw = doc, ev.Raw[lead:]
	return true
}

// input is one thing to read: a file, stdin, or an archive member.
type input struct {
	name  string
	open  func() (io.ReadCloser, error)
	file  string // path of a regular file, for reading zips in place
	depth int    // archive nesting
}

// source yields the events of one input.
type source interface {
	// next returns the next event, io.EOF at the end, or a fatal error
	// for this input. Skipped records are reported through problem.
	next() (*event.Event, error)
	close() error
}

// Open expands inputs (see Expand) and returns a Reader of their events.
// An input that does not exist or a glob that matches nothing is an error.
func Open(inputs []string, opts Options) (*Reader, error) {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	r := newReader(opts)
	files, err := Expand(inputs)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f == "-" {
			r.total = -1
			r.pending = append(r.pending, &input{name: "-", open: func() (io.ReadCloser, error) {
				return io.NopCloser(opts.Stdin), nil
			}})
			continue
		}
		if r.total >= 0 {
			if fi, err := os.Stat(f); err == nil {
				r.total += fi.Size()
			}
		}
		path := f
		r.pending = append(r.pending, &input{name: path, file: path, open: func() (io.ReadCloser, error) {
			return os.Open(path)
		}})
	}
	return r, nil
}

// Next returns the next event, or io.EOF after the last one. Problems
// with single records or inputs do not make it fail; they are in Stats.
// The event's Src names the input ("a.zip:member" for archive members,
// "-" for stdin) and its Index is the line for text formats (NDJSON,
// event XML), the document number for JSON arrays and streams, and the
// record id for EVTX. Events decoded from JSON keep their text in Raw
// only when they are taken as they are (ECS); mapped events have no Raw.
func (r *Reader) Next() (*event.Event, error) {
	for {
		if r.cur == nil {
			if len(r.pending) == 0 {
				return nil, io.EOF
			}
			in := r.pending[0]
			r.pending = r.pending[1:]
			r.cur = r.openInput(in)
			r.curIn = in
			continue
		}
		ev, err := r.cur.next()
		if err == nil {
			r.stats.Events++
			r.events.Add(1)
			return ev, nil
		}
		if !errors.Is(err, io.EOF) {
			r.problem(Problem{Source: r.curIn.name, Offset: -1, Msg: err.Error()})
		}
		if cerr := r.cur.close(); cerr != nil {
			r.problem(Problem{Source: r.curIn.name, Offset: -1, Msg: cerr.Error()})
		}
		r.cur, r.curIn = nil, nil
	}
}

// All returns an iterator over the remaining events.
func (r *Reader) All() iter.Seq[*event.Event] {
	return func(yield func(*event.Event) bool) {
		for {
			ev, err := r.Next()
			if err != nil || !yield(ev) {
				return
			}
		}
	}
}

// Stats returns the counts so far.
func (r *Reader) Stats() Stats {
	s := r.stats
	s.Problems = append([]Problem(nil), s.Problems...)
	if r.decodeFaults {
		// Deferred lines are decoded, and their faults found, in time
		// order: list each input's problems in line order again, with
		// those of no line (a read error, which ends the input) last.
		first := map[string]int{}
		for _, p := range s.Problems {
			if _, ok := first[p.Source]; !ok {
				first[p.Source] = len(first)
			}
		}
		line := func(p Problem) int {
			if p.Line == 0 {
				return math.MaxInt
			}
			return p.Line
		}
		slices.SortStableFunc(s.Problems, func(a, b Problem) int {
			return cmp.Or(cmp.Compare(first[a.Source], first[b.Source]), cmp.Compare(line(a), line(b)))
		})
	}
	return s
}

// Progress returns the events returned and the input bytes consumed so
// far (compressed bytes for compressed inputs), and the total size of the
// named input files, or -1 when it is unknown (stdin). It is safe to call
// from another goroutine.
func (r *Reader) Progress() (events, bytesRead, total int64) {
	return r.events.Load(), r.bytesRead.Load(), r.total
}

// Close releases the open input and removes spooled archives.
func (r *Reader) Close() error {
	var errs []error
	if r.cur != nil {
		errs = append(errs, r.cur.close())
		r.cur = nil
	}
	for _, c := range r.closers {
		errs = append(errs, c.Close())
	}
	r.closers = nil
	for _, t := range r.temps {
		errs = append(errs, os.Remove(t))
	}
	r.temps = nil
	return errors.Join(errs...)
}

func (r *Reader) problem(p Problem) {
	r.stats.ProblemCount++
	if len(r.stats.Problems) < r.opts.MaxProblems {
		r.stats.Problems = append(r.stats.Problems, p)
	}
}

// skip records a skipped record.
func (r *Reader) skip(p Problem) {
	r.stats.Skipped++
	r.problem(p)
}

// emptySource is an input that yields nothing (an archive whose members
// were queued, or a skipped input).
type emptySource struct{ c io.Closer }

func (e emptySource) next() (*event.Event, error) { return nil, io.EOF }
func (e emptySource) close() error {
	if e.c != nil {
		return e.c.Close()
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// zipProgress counts a zip member's compressed bytes as it is read.
type zipProgress struct {
	io.ReadCloser
	n     *atomic.Int64
	ratio float64
	acc   float64
}

func (z *zipProgress) Read(p []byte) (int, error) {
	n, err := z.ReadCloser.Read(p)
	z.acc += float64(n) * z.ratio
	if whole := int64(z.acc); whole > 0 {
		z.n.Add(whole)
		z.acc -= float64(whole)
	}
	return n, err
}

// openInput opens in, recognises its content and returns its source.
func (r *Reader) openInput(in *input) source {
	rc, err := in.open()
	if err != nil {
		r.stats.FilesSkipped++
		r.problem(Problem{Source: in.name, Offset: -1, Msg: err.Error()})
		return emptySource{}
	}
	var rd io.Reader = rc
	if in.depth == 0 {
		rd = countingReader{rc, &r.bytesRead}
	}
	br := bufio.NewReaderSize(rd, bufSize)
	src, err := r.sniff(in, br, rc)
	if err != nil {
		r.stats.FilesSkipped++
		r.problem(Problem{Source: in.name, Offset: -1, Msg: err.Error()})
		rc.Close()
		return emptySource{}
	}
	return src
}

// queueZip queues the members of a zip archive, read in place from the
// regular file when possible and spooled to a temporary file otherwise.
func (r *Reader) queueZip(in *input, br *bufio.Reader, rc io.Closer) (source, error) {
	if in.depth >= maxArchiveDepth {
		return nil, fmt.Errorf("archive nested deeper than %d levels", maxArchiveDepth)
	}
	var ra io.ReaderAt
	var size int64
	if f, ok := rc.(*os.File); ok && in.file != "" {
		fi, err := f.Stat()
		if err != nil {
			return nil, err
		}
		ra, size = f, fi.Size()
		r.closers = append(r.closers, f)
	} else {
		tmp, err := os.CreateTemp(r.opts.TempDir, "vigil-zip-*")
		if err != nil {
			return nil, fmt.Errorf("spooling zip archive: %w", err)
		}
		r.temps = append(r.temps, tmp.Name())
		r.closers = append(r.closers, tmp)
		n, err := io.Copy(tmp, br)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("spooling zip archive: %w", err)
		}
		ra, size = tmp, n
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("reading zip archive: %w", err)
	}
	inPlace := in.depth == 0 && in.file != ""
	var members []*input
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		zf := zf
		members = append(members, &input{
			name:  in.name + ":" + zf.Name,
			depth: in.depth + 1,
			open: func() (io.ReadCloser, error) {
				rc, err := zf.Open()
				if err != nil || !inPlace || zf.UncompressedSize64 == 0 {
					return rc, err
				}
				// The archive is read through ReaderAt, not the counting
				// reader: count compressed bytes in proportion to the
				// member's bytes read.
				return &zipProgress{ReadCloser: rc, n: &r.bytesRead,
					ratio: float64(zf.CompressedSize64) / float64(zf.UncompressedSize64)}, nil
			},
		})
	}
	r.pending = append(members, r.pending...)
	return emptySource{}, nil
}

// OpenFS is Open for files of a file system such as an embedded vault:
// paths are slash-separated names in fsys, read as they are (no globs or
// directory expansion).
func OpenFS(fsys fs.FS, paths []string, opts Options) (*Reader, error) {
	r := newReader(opts)
	for _, p := range paths {
		fi, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, err
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory", p)
		}
		r.total += fi.Size()
		name := p
		r.pending = append(r.pending, &input{name: name, open: func() (io.ReadCloser, error) {
			return fsys.Open(name)
		}})
	}
	return r, nil
}
