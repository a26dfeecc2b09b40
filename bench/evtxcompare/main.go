// Command evtxcompare compares Vigil's EVTX reader (winlog/evtx), and its
// whole path from EVTX to ECS documents (winlog/evtx and winlog.ToECS),
// with github.com/0xrawsec/golang-evtx on the same files in the same run:
// events per second of wall time and of CPU time, MB/s, allocations and
// peak memory. Each parser runs in its own child process, so that peak
// resident memory is measured for it alone.
//
// This is a separate module so that Vigil never depends on golang-evtx.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	rawsec "github.com/0xrawsec/golang-evtx/evtx"
	"github.com/vigil-sec/vigil/winlog"
	"github.com/vigil-sec/vigil/winlog/evtx"
)

// result is what a child process reports.
type result struct {
	Parser      string  `json:"parser"`
	Files       int     `json:"files"`
	Rounds      int     `json:"rounds"`
	Events      int64   `json:"events"`
	Bytes       int64   `json:"bytes"`
	WallSec     float64 `json:"wall_sec"`
	CPUSec      float64 `json:"cpu_sec"`
	TotalAlloc  uint64  `json:"total_alloc"`
	Mallocs     uint64  `json:"mallocs"`
	PeakHeap    uint64  `json:"peak_heap"`
	MaxRSSBytes int64   `json:"max_rss"`
	InputBytes  int64   `json:"input_bytes"`
	PerRound    int64   `json:"events_per_round"`
}

// parsers are what a child can run:
//
//   - vigil: winlog/evtx records, each file read as a stream (Reset), as
//     from a file;
//   - vigil-mem: the same from memory (ResetBytes), chunks decoded in place;
//   - vigil-ecs, vigil-ecs-mem: the same, each record mapped to its ECS
//     document with winlog.ToECS;
//   - vigil-ecs-transient: vigil-ecs-mem with a winlog.Mapper that reuses
//     its memory, each document valid until the next, as a consumer of
//     transient events (ingest.Options.Transient) would use it;
//   - 0xrawsec: golang-evtx's events (FastEvents).
var parsers = []string{"vigil", "vigil-mem", "vigil-ecs", "vigil-ecs-mem", "vigil-ecs-transient", "0xrawsec"}

// baseline is the parser the others are compared with.
const baseline = "0xrawsec"

func main() {
	child := flag.String("child", "", "run one parser in this process (used by the parent)")
	mb := flag.Int("mb", 100, "parse at least this many MB of EVTX per parser")
	procs := flag.Int("procs", 1, "GOMAXPROCS of the child processes")
	only := flag.String("parsers", strings.Join(parsers, ","), "comma-separated parsers to run")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: evtxcompare [-mb N] [-procs N] [-parsers list] [file.evtx|dir ...]\n"+
			"Files default to the EVTX testdata of winlog and winlog/evtx. Directories are searched for *.evtx.\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	paths, err := evtxFiles(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "evtxcompare:", err)
		os.Exit(1)
	}
	if *child != "" {
		res, err := runChild(*child, paths, int64(*mb)<<20)
		if err != nil {
			fmt.Fprintln(os.Stderr, "evtxcompare:", err)
			os.Exit(1)
		}
		json.NewEncoder(os.Stdout).Encode(res)
		return
	}
	if err := runParent(paths, *mb, *procs, strings.Split(*only, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "evtxcompare:", err)
		os.Exit(1)
	}
}

// evtxFiles expands the arguments into a sorted list of EVTX files.
func evtxFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		args = []string{filepath.Join("..", "..", "winlog", "testdata"), filepath.Join("..", "..", "winlog", "evtx", "testdata")}
	}
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".evtx") {
				out = append(out, p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no .evtx files")
	}
	sort.Strings(out)
	return out, nil
}

func runParent(paths []string, mb, procs int, run []string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("%d files, >= %d MB of EVTX per parser, GOMAXPROCS=%d in each child, %s/%s, %d CPUs\n\n",
		len(paths), mb, procs, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	var results []result
	for _, p := range run {
		args := append([]string{"-child", p, "-mb", fmt.Sprint(mb)}, paths...)
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		var r result
		if err := json.Unmarshal(out, &r); err != nil {
			return fmt.Errorf("%s: bad child output %q: %w", p, out, err)
		}
		results = append(results, r)
	}
	var base *result
	for i := range results {
		if results[i].Parser == baseline {
			base = &results[i]
		}
	}
	fmt.Printf("%-19s %9s %10s %12s %8s %10s %10s %8s %9s %9s\n",
		"parser", "events", "events/s", "events/cpu-s", "MB/s", "allocs/ev", "bytes/ev", "vs "+baseline, "peak heap", "max RSS")
	for _, r := range results {
		ratio := "-"
		if base != nil {
			ratio = fmt.Sprintf("%.2fx", cpuRate(r)/cpuRate(*base))
		}
		fmt.Printf("%-19s %9d %10.0f %12.0f %8.1f %10.1f %10.0f %8s %8.1fM %8.1fM\n",
			r.Parser, r.Events, float64(r.Events)/r.WallSec, cpuRate(r),
			float64(r.Bytes)/(1<<20)/r.WallSec, float64(r.Mallocs)/float64(r.Events),
			float64(r.TotalAlloc)/float64(r.Events), ratio, float64(r.PeakHeap)/(1<<20), float64(r.MaxRSSBytes)/(1<<20))
	}
	for _, r := range results[1:] {
		if r.PerRound != results[0].PerRound {
			fmt.Printf("\nnote: events per pass over the files differ: %s %d, %s %d\n",
				results[0].Parser, results[0].PerRound, r.Parser, r.PerRound)
		}
	}
	if len(results) > 0 {
		fmt.Printf("\nvs %s: events per CPU-second relative to it. Input held in memory: %.1f MB (included in max RSS).\n",
			baseline, float64(results[0].InputBytes)/(1<<20))
	}
	return nil
}

// cpuRate returns the events per CPU-second of r.
func cpuRate(r result) float64 { return float64(r.Events) / r.CPUSec }

func runChild(parser string, paths []string, volume int64) (result, error) {
	res := result{Parser: parser, Files: len(paths)}
	var files [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return res, err
		}
		files = append(files, b)
		res.InputBytes += int64(len(b))
	}
	var parse func([]byte) (int64, error)
	switch parser {
	case "vigil", "vigil-mem", "vigil-ecs", "vigil-ecs-mem", "vigil-ecs-transient":
		r := evtx.NewReader(nil, "")
		var in bytes.Reader
		mem := strings.HasSuffix(parser, "-mem") || parser == "vigil-ecs-transient"
		ecs := strings.HasPrefix(parser, "vigil-ecs")
		m := winlog.Mapper{Reuse: parser == "vigil-ecs-transient"}
		parse = func(b []byte) (int64, error) {
			if mem {
				r.ResetBytes(b, "input.evtx")
			} else {
				in.Reset(b)
				r.Reset(&in, "input.evtx")
			}
			var n int64
			for {
				rec, err := r.Next()
				if err == io.EOF {
					return n, nil
				}
				if err != nil {
					return n, err
				}
				switch {
				case m.Reuse:
					_ = m.ToECS(rec)
				case ecs:
					_ = winlog.ToECS(rec)
				}
				n++
			}
		}
	case "0xrawsec":
		parse = func(b []byte) (int64, error) {
			ef, err := rawsec.New(bytes.NewReader(b))
			if err != nil {
				return 0, err
			}
			var n int64
			for ev := range ef.FastEvents() {
				_ = ev
				n++
			}
			return n, nil
		}
	default:
		return res, fmt.Errorf("unknown parser %q (want one of %v)", parser, parsers)
	}

	peak := samplePeakHeap()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	start := time.Now()
	for res.Bytes < volume || res.Rounds == 0 {
		var perRound int64
		for _, f := range files {
			n, err := parse(f)
			if err != nil {
				return res, err
			}
			perRound += n
			res.Bytes += int64(len(f))
		}
		res.Events += perRound
		res.PerRound = perRound
		res.Rounds++
	}
	res.WallSec = time.Since(start).Seconds()
	res.CPUSec = (cpuTime() - cpu0).Seconds()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	res.TotalAlloc = after.TotalAlloc - before.TotalAlloc
	res.Mallocs = after.Mallocs - before.Mallocs
	res.PeakHeap = peak()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		res.MaxRSSBytes = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return res, nil
}

// cpuTime returns the user and system CPU time of the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// samplePeakHeap samples the live heap every few milliseconds and returns
// a function that stops the sampling and reports the highest value seen.
func samplePeakHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}
