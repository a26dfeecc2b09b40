package ingest

import (
	"bufio"
	"errors"
	"io"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/winlog"
	"github.com/vigil-sec/vigil/winlog/evtx"
)

// xmlSource reads Windows event XML.
type xmlSource struct {
	r    *Reader
	name string
	x    *winlog.XMLReader
	m    winlog.Mapper
	c    io.Closer
}

func newXMLSource(r *Reader, name string, br *bufio.Reader, c io.Closer) *xmlSource {
	s := &xmlSource{r: r, name: name, x: winlog.NewXMLReader(br, name), c: c}
	s.m.Reuse = r.opts.Transient
	return s
}

func (s *xmlSource) close() error { return s.c.Close() }

func (s *xmlSource) next() (*event.Event, error) {
	for {
		rec, err := s.x.Next()
		var re *winlog.RecordError
		if errors.As(err, &re) {
			s.r.skip(Problem{Source: s.name, Line: re.Line, Offset: -1, Record: re.Index, Msg: re.Err.Error()})
			continue
		}
		if err != nil {
			return nil, err
		}
		return &event.Event{Doc: s.m.ToECS(rec), Src: event.Source{Name: s.name, Index: int64(s.x.Line())}}, nil
	}
}

// evtxSource reads an EVTX file with package winlog/evtx.
type evtxSource struct {
	r        *Reader
	name     string
	x        *evtx.Reader
	m        winlog.Mapper
	c        io.Closer
	reported bool
}

func newEVTXSource(r *Reader, name string, br *bufio.Reader, c io.Closer) *evtxSource {
	s := &evtxSource{r: r, name: name, x: evtx.NewReader(br, name), c: c}
	s.m.Reuse = r.opts.Transient
	return s
}

// report moves the EVTX reader's problems into the ingest stats, once.
func (s *evtxSource) report() {
	if s.reported {
		return
	}
	s.reported = true
	st := s.x.Stats()
	s.r.stats.Skipped += int64(st.RecordsSkipped)
	for _, p := range st.Problems {
		s.r.problem(Problem{Source: s.name, Offset: p.Offset, Record: int64(p.RecordID), Msg: p.Err.Error()})
	}
	if extra := st.ProblemCount - len(st.Problems); extra > 0 {
		s.r.stats.ProblemCount += extra
	}
}

func (s *evtxSource) close() error {
	s.report()
	return s.c.Close()
}

func (s *evtxSource) next() (*event.Event, error) {
	rec, err := s.x.Next()
	if err != nil {
		s.report()
		return nil, err
	}
	return &event.Event{Doc: s.m.ToECS(rec), Src: event.Source{Name: s.name, Index: int64(rec.RecordID)}}, nil
}
