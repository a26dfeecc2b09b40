package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/ingest"
)

// newConvertCmd returns "vigil convert": read telemetry in any supported
// shape and write the ECS documents the engine sees, one per line.
func newConvertCmd() *cobra.Command {
	var (
		format      string
		strict      bool
		maxProblems int
		noProgress  bool
	)
	cmd := &cobra.Command{
		Use:   "convert FILE...",
		Short: "Convert Windows telemetry to ECS NDJSON",
		Long: `Convert reads EVTX files, Windows event XML, evtx_dump JSON, raw Winlogbeat
output, NXLog/OTRF JSON lines and ECS NDJSON (Winlogbeat, Elastic Agent,
Elastic Defend) - recognised by content, not by name - from files,
directories, globs, .gz and .zip archives, or stdin ("-"), and writes the
ECS documents Winlogbeat and its ingest pipelines would index, as NDJSON.
Records that cannot be read are skipped and reported on stderr.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ecs" {
				return fmt.Errorf("convert: unknown output format %q (want ecs)", format)
			}
			showProgress := false
			if f, ok := cmd.ErrOrStderr().(*os.File); ok && !noProgress {
				showProgress = term.IsTerminal(int(f.Fd()))
			}
			return runConvert(args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr(), convertOptions{
				strict: strict, maxProblems: maxProblems, progress: showProgress,
			})
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "ecs", "output format: ecs (NDJSON)")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit with status 1 if any input or record was skipped")
	cmd.Flags().IntVar(&maxProblems, "max-problems", ingest.DefaultMaxProblems, "number of problems to list")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not show the progress bar on a terminal")
	return cmd
}

type convertOptions struct {
	strict      bool
	maxProblems int
	progress    bool
}

func runConvert(inputs []string, stdin io.Reader, stdout, stderr io.Writer, opts convertOptions) (err error) {
	r, err := ingest.Open(inputs, ingest.Options{Stdin: stdin, MaxProblems: opts.maxProblems})
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	defer func() {
		if cerr := r.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("convert: %w", cerr)
		}
	}()
	var stop func()
	if opts.progress {
		stop = startProgress(r, stderr)
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	var buf []byte
	for {
		ev, nerr := r.Next()
		if nerr == io.EOF {
			break
		}
		if nerr != nil {
			err = nerr
			break
		}
		buf = append(ev.AppendJSON(buf[:0]), '\n')
		if _, werr := w.Write(buf); werr != nil {
			err = werr
			break
		}
	}
	if stop != nil {
		stop()
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	st := r.Stats()
	for _, p := range st.Problems {
		fmt.Fprintln(stderr, "vigil convert:", p)
	}
	if more := st.ProblemCount - len(st.Problems); more > 0 {
		fmt.Fprintf(stderr, "vigil convert: ... and %d more problems\n", more)
	}
	fmt.Fprintf(stderr, "vigil convert: %d events from %d inputs; %d records and %d inputs skipped\n",
		st.Events, st.Files, st.Skipped, st.FilesSkipped)
	if opts.strict && (st.Skipped > 0 || st.FilesSkipped > 0) {
		return exitError{1}
	}
	return nil
}

// progressSource reports reading progress: events read, input bytes read,
// and the total input size (-1 when unknown). ingest.Reader and
// stream.Stream have it.
type progressSource interface {
	Progress() (events, bytesRead, total int64)
}

// startProgress shows a progress bar of input bytes (or of events when the
// size is unknown) with the event rate, until the returned stop is called.
func startProgress(r progressSource, out io.Writer) (stop func()) {
	p := mpb.New(mpb.WithOutput(out), mpb.WithRefreshRate(200*time.Millisecond))
	start := time.Now()
	_, _, total := r.Progress()
	rate := decor.Any(func(decor.Statistics) string {
		events, _, _ := r.Progress()
		secs := time.Since(start).Seconds()
		if secs <= 0 {
			return ""
		}
		return fmt.Sprintf("%d events, %.0f events/s", events, float64(events)/secs)
	})
	var bar *mpb.Bar
	if total > 0 {
		bar = p.AddBar(total,
			mpb.PrependDecorators(decor.Name("converting "), decor.CountersKibiByte("% .1f / % .1f")),
			mpb.AppendDecorators(rate))
	} else {
		bar = p.New(0, mpb.SpinnerStyle(), mpb.PrependDecorators(decor.Name("converting ")), mpb.AppendDecorators(rate))
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_, n, _ := r.Progress()
				if total > 0 {
					bar.SetCurrent(min(n, total))
				} else {
					bar.SetCurrent(n)
				}
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		if total > 0 {
			bar.SetCurrent(total) // completes the bar
		} else {
			_, n, _ := r.Progress()
			bar.SetCurrent(n)
			bar.SetTotal(-1, true)
		}
		p.Wait()
	}
}
