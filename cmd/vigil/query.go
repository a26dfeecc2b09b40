package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/ingest"
	"github.com/vigil-sec/vigil/stream"
)

// engineFlags are the options shared by the commands that run EQL.
type engineFlags struct {
	timestamp   string
	tiebreaker  string
	category    string
	mapping     string
	size        int
	maxPartials int
	window      int
	endgame     bool
}

func (f *engineFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.timestamp, "timestamp", "@timestamp", "field holding the event time (Elasticsearch's timestamp_field)")
	fl.StringVar(&f.tiebreaker, "tiebreaker", "", "field that orders events with equal timestamps (Elasticsearch's tiebreaker_field)")
	fl.StringVar(&f.category, "category-field", "event.category", "field holding the event category (Elasticsearch's event_category_field)")
	fl.StringVar(&f.mapping, "mapping", "", "Elasticsearch index mapping (JSON) giving field types and aliases")
	fl.IntVar(&f.size, "size", 0, "return at most this many results when no head or tail pipe is given (0: all; Elasticsearch defaults to 10)")
	fl.IntVar(&f.maxPartials, "max-partials", eql.DefaultMaxPartials, "cap on live partial sequences per query; the oldest are dropped and counted")
	fl.IntVar(&f.window, "window", 0, fmt.Sprintf("events held per input to put it in time order (0: %d, less with many inputs)", stream.DefaultWindow))
	fl.BoolVar(&f.endgame, "endgame", false, "original EQL semantics: strings compare case-insensitively and * in an == literal is a wildcard")
}

func (f *engineFlags) options(extensions bool) (eql.Options, error) {
	o := eql.Options{
		TimestampField:  f.timestamp,
		TiebreakerField: f.tiebreaker,
		CategoryField:   f.category,
		Size:            f.size,
		MaxPartials:     f.maxPartials,
		Extensions:      extensions,
		Endgame:         f.endgame,
	}
	if f.mapping != "" {
		data, err := os.ReadFile(f.mapping)
		if err != nil {
			return o, err
		}
		s, err := eql.ParseMapping(data)
		if err != nil {
			return o, fmt.Errorf("%s: %w", f.mapping, err)
		}
		o.Schema = s
	}
	return o, nil
}

func newQueryCmd() *cobra.Command {
	var ef engineFlags
	cmd := &cobra.Command{
		Use:   "query 'EQL' FILE...",
		Short: "Run an EQL query over telemetry and print the results as NDJSON",
		Long: `Query runs one EQL statement over the events of the inputs (ECS NDJSON, JSON
arrays, EVTX, event XML and the other shapes 'vigil convert' reads; "-" is
stdin) in timestamp order, and prints one JSON line per result: the event of
an event query, {"join_keys": [...], "events": [...]} for a sequence or
sample, in Elasticsearch's order.

Besides Elasticsearch's head and tail, the hunting pipes of the original EQL
(count, unique, unique_count, filter, sort) are available as extensions.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := ef.options(true)
			if err != nil {
				return err
			}
			return runQuery(args[0], args[1:], opts, ef.window, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	ef.register(cmd)
	return cmd
}

func runQuery(src string, inputs []string, opts eql.Options, window int, stdin io.Reader, stdout, stderr io.Writer) error {
	q, err := eql.Compile(src, opts)
	if err != nil {
		return reportQueryErrors(stderr, "query", err)
	}
	// Decode only what the query reads (the output uses each line's
	// original text).
	fields := eql.FieldSet([]*eql.Query{q})
	st, err := stream.Open(inputs, ingest.Options{Stdin: stdin, Select: fields, Deferred: true}, stream.Order{
		TimestampField: opts.TimestampField, TiebreakerField: opts.TiebreakerField, Window: window})
	if err != nil {
		return err
	}
	defer st.Close()
	w := bufio.NewWriterSize(stdout, 1<<16)
	var buf []byte
	var werr error
	run := q.NewRun(func(r *eql.Result) {
		buf = appendResult(buf[:0], r)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil && werr == nil {
			werr = err
		}
	})
	// The stream decodes NDJSON lines as it hands them out, into reused
	// buffers (ingest.Options.Deferred): the run copies what it keeps.
	run.SetTransient(true)
	for ev := range st.All {
		run.Push(ev)
		if run.Done() || werr != nil {
			break
		}
	}
	run.Close()
	if err := w.Flush(); err != nil && werr == nil {
		werr = err
	}
	if werr != nil {
		return werr
	}
	reportStream(stderr, "query", st, run.Stats())
	return nil
}

// reportQueryErrors prints compile errors with their context and returns
// the exit status for them.
func reportQueryErrors(stderr io.Writer, name string, err error) error {
	if el, ok := err.(eql.ErrorList); ok {
		fmt.Fprint(stderr, el.Format(name))
		return exitError{1}
	}
	return err
}

func printWarnings(stderr io.Writer, name string, w eql.ErrorList) {
	if len(w) > 0 {
		fmt.Fprint(stderr, w.Format(name))
	}
}

// reportStream prints what was read and skipped, and the run's counters
// that a user should know about.
func reportStream(stderr io.Writer, cmd string, st *stream.Stream, rs eql.RunStats) {
	is := st.IngestStats()
	reportProblems(stderr, cmd, is)
	ms := st.Stats()
	fmt.Fprintf(stderr, "vigil %s: %d events from %d inputs, %d results; %d records and %d inputs skipped",
		cmd, is.Events, is.Files, rs.Results, is.Skipped, is.FilesSkipped)
	if rs.NoTimestamp > 0 {
		fmt.Fprintf(stderr, "; %d events without a timestamp ignored", rs.NoTimestamp)
	}
	if ms.Late > 0 {
		fmt.Fprintf(stderr, "; %d events out of order beyond the window (raise --window)", ms.Late)
	}
	if rs.DroppedPartials > 0 {
		fmt.Fprintf(stderr, "; %d partial sequences dropped at the --max-partials cap", rs.DroppedPartials)
	}
	fmt.Fprintln(stderr)
}

// reportProblems lists the records and inputs that were skipped. Files that
// are not telemetry at all (notes and metadata beside the logs in a
// directory) are summed up in one line.
func reportProblems(stderr io.Writer, cmd string, is ingest.Stats) {
	var notTelemetry []string
	listed := 0
	for _, p := range is.Problems {
		if strings.HasPrefix(p.Msg, "unrecognised content") {
			notTelemetry = append(notTelemetry, p.Source)
			continue
		}
		fmt.Fprintf(stderr, "vigil %s: skipped %s\n", cmd, p)
		listed++
	}
	if n := len(notTelemetry); n > 0 {
		eg := notTelemetry[:min(n, 3)]
		fmt.Fprintf(stderr, "vigil %s: %d files are not telemetry and were skipped (%s", cmd, n, strings.Join(eg, ", "))
		if n > len(eg) {
			fmt.Fprint(stderr, ", ...")
		}
		fmt.Fprintln(stderr, ")")
	}
	if more := is.ProblemCount - len(is.Problems); more > 0 {
		fmt.Fprintf(stderr, "vigil %s: ... and %d more problems\n", cmd, more)
	}
}

// appendResult renders a result as one JSON object: the event of an event
// query, {"join_keys":[...],"events":[...]} for sequences and samples, and
// {"count":...} objects for the count pipe.
func appendResult(dst []byte, r *eql.Result) []byte {
	switch r.Kind {
	case eql.ResultEvent:
		if r.Count > 0 {
			dst = append(dst, `{"count":`...)
			dst = event.AppendJSON(dst, event.Int(r.Count))
			dst = append(dst, `,"percent":`...)
			dst = event.AppendJSON(dst, event.Float(r.Percent))
			dst = append(dst, `,"event":`...)
			dst = r.Events[0].AppendJSON(dst)
			return append(dst, '}')
		}
		return r.Events[0].AppendJSON(dst)
	case eql.ResultCount:
		dst = append(dst, `{"count":`...)
		dst = event.AppendJSON(dst, event.Int(r.Count))
		if r.Key != nil {
			dst = append(dst, `,"key":`...)
			if len(r.Key) == 1 {
				dst = event.AppendJSON(dst, r.Key[0])
			} else {
				dst = event.AppendJSON(dst, event.Array(r.Key...))
			}
		}
		dst = append(dst, `,"percent":`...)
		dst = event.AppendJSON(dst, event.Float(r.Percent))
		return append(dst, '}')
	}
	dst = append(dst, `{"join_keys":`...)
	keys := r.JoinKeys
	if keys == nil {
		keys = []event.Value{}
	}
	dst = event.AppendJSON(dst, event.Array(keys...))
	if r.Count > 0 {
		dst = append(dst, `,"count":`...)
		dst = event.AppendJSON(dst, event.Int(r.Count))
	}
	dst = append(dst, `,"events":[`...)
	for i, e := range r.Events {
		if i > 0 {
			dst = append(dst, ',')
		}
		if e == nil {
			dst = append(dst, `{"missing":true}`...)
			continue
		}
		dst = e.AppendJSON(dst)
	}
	return append(dst, "]}"...)
}
