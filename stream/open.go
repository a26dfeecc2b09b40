package stream

import (
	"fmt"
	"io/fs"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/ingest"
)

// maxBuffered bounds the events Open's merger holds across all inputs when
// no window is given: a million events, about 1 GB of NDJSON lines held
// undecoded (ingest.Options.Deferred), more for decoded EVTX events; each
// input gets an equal share, at most DefaultWindow.
const maxBuffered = 1 << 20

// Stream is the ordered event stream of a list of inputs: one ingest
// reader per file, merged by timestamp.
type Stream struct {
	*Merger
	readers []*ingest.Reader
}

// Open expands inputs (files, directories, globs, archives, "-") and
// merges their events in order.
func Open(inputs []string, in ingest.Options, o Order) (*Stream, error) {
	files, err := ingest.Expand(inputs)
	if err != nil {
		return nil, err
	}
	return open(files, o, func(f string) (*ingest.Reader, error) { return ingest.Open([]string{f}, in) })
}

// open opens each path with openOne and merges them.
func open(paths []string, o Order, openOne func(string) (*ingest.Reader, error)) (*Stream, error) {
	s := &Stream{}
	var srcs []Source
	for _, p := range paths {
		r, err := openOne(p)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("open %s: %w", p, err)
		}
		s.readers = append(s.readers, r)
		srcs = append(srcs, r)
	}
	if o.Window <= 0 && len(srcs) > 0 {
		// Bound the events held across all inputs.
		o.Window = min(DefaultWindow, max(64, maxBuffered/len(srcs)))
	}
	s.Merger = NewMerger(srcs, o)
	return s, nil
}

// IngestStats sums the reading statistics of every input.
func (s *Stream) IngestStats() ingest.Stats {
	var total ingest.Stats
	for _, r := range s.readers {
		st := r.Stats()
		total.Files += st.Files
		total.FilesSkipped += st.FilesSkipped
		total.Events += st.Events
		total.Skipped += st.Skipped
		total.ProblemCount += st.ProblemCount
		for _, p := range st.Problems {
			if len(total.Problems) < ingest.DefaultMaxProblems {
				total.Problems = append(total.Problems, p)
			}
		}
	}
	return total
}

// Progress sums the progress of every input: events read, bytes read and
// total bytes (-1 when unknown).
func (s *Stream) Progress() (events, done, total int64) {
	for _, r := range s.readers {
		e, d, t := r.Progress()
		events += e
		done += d
		if t < 0 || total < 0 {
			total = -1
		} else {
			total += t
		}
	}
	return events, done, total
}

// Close closes every input.
func (s *Stream) Close() error {
	var first error
	for _, r := range s.readers {
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Next returns the next event in order, decoding it first if its reader
// left that to the consumer (ingest.Options.Deferred): such an event's
// document and Raw are then valid only until the next call, as the
// reader reuses their storage, and a consumer that keeps events must copy
// them (eql.Run.SetTransient does). An event that fails to decode is
// reported by its reader and passed over.
func (s *Stream) Next() (*event.Event, error) {
	for {
		ev, src, err := s.Merger.next()
		if err != nil || s.readers[src].Decode(ev) {
			return ev, err
		}
	}
}

// All iterates over the ordered events.
func (s *Stream) All(yield func(*event.Event) bool) {
	for {
		ev, err := s.Next()
		if err != nil || !yield(ev) {
			return
		}
	}
}

// OpenFS is Open for files of a file system such as an embedded vault.
func OpenFS(fsys fs.FS, paths []string, in ingest.Options, o Order) (*Stream, error) {
	return open(paths, o, func(p string) (*ingest.Reader, error) { return ingest.OpenFS(fsys, []string{p}, in) })
}
