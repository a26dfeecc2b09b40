package evtx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// seedFiles returns the EVTX files shipped in testdata.
func seedFiles(f *testing.F) [][]byte {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.evtx"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no testdata EVTX files: %v", err)
	}
	var files [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, b)
	}
	return files
}

// FuzzChunk feeds arbitrary bytes to the chunk parser and to the streaming
// reader (behind a valid file header), and checks that both agree.
func FuzzChunk(f *testing.F) {
	files := seedFiles(f)
	for _, b := range files {
		chunk := b[FileHeaderSize:min(len(b), FileHeaderSize+ChunkSize)]
		f.Add(chunk)
		// A shortened chunk, to seed the truncation paths.
		f.Add(chunk[:min(len(chunk), 4096)])
	}
	fileHeader := files[0][:FileHeaderSize]
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data)()
		if len(data) > ChunkSize {
			data = data[:ChunkSize]
		}
		fromChunk := 0
		if c, err := ParseChunk(data); err == nil {
			for rr, err := range c.RawRecords() {
				if err != nil {
					continue
				}
				rec, rerr := rr.Record()
				_, xerr := rr.AppendXML(nil)
				if (rerr == nil) != (xerr == nil) {
					t.Fatalf("record at 0x%x: Record error %v but XML error %v", rr.Offset, rerr, xerr)
				}
				if rerr == nil {
					if rec == nil {
						t.Fatal("nil record without error")
					}
					fromChunk++
				}
			}
		}
		if fromChunk > len(data)/minRecordSize {
			t.Fatalf("%d records from %d bytes", fromChunk, len(data))
		}

		file := append(append([]byte(nil), fileHeader...), data...)
		r := NewReader(bytes.NewReader(file), "fuzz.evtx")
		n := 0
		for _, err := range r.All() {
			if err != nil {
				t.Fatalf("fatal error from reader: %v", err)
			}
			n++
		}
		s := r.Stats()
		if n != fromChunk || s.Records != n {
			t.Fatalf("reader returned %d records (stats %d), chunk parser %d", n, s.Records, fromChunk)
		}
		if len(s.Problems) > MaxProblems || s.ProblemCount < len(s.Problems) {
			t.Fatalf("problems: kept %d, counted %d", len(s.Problems), s.ProblemCount)
		}
	})
}

// watchdog crashes the fuzzing process if one input takes more than a few
// seconds, so that the fuzzer records it: inputs decode in microseconds,
// and one that does not has found a loop that fails to progress. It
// returns the function that disarms it.
func watchdog(input []byte) func() {
	t := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("input of %d bytes still being decoded after 10s", len(input)))
	})
	return func() { t.Stop() }
}

// fragmentBase is where FuzzBinXML places the fragment in its fake chunk:
// where the binary XML of the first record of a chunk starts, so that seeds
// cut from real chunks keep their offsets.
const fragmentBase = ChunkHeaderSize + recordHeaderSize

// FuzzBinXML feeds arbitrary binary XML to the fragment decoder, with both
// sinks, and checks that they agree.
func FuzzBinXML(f *testing.F) {
	for _, b := range seedFiles(f) {
		chunk := b[FileHeaderSize:min(len(b), FileHeaderSize+ChunkSize)]
		size := int(binary.LittleEndian.Uint32(chunk[ChunkHeaderSize+4:]))
		if size >= minRecordSize && ChunkHeaderSize+size <= len(chunk) {
			// The first record of a chunk defines its names and templates
			// inline, so it decodes on its own.
			f.Add(chunk[fragmentBase : ChunkHeaderSize+size-4])
		}
	}
	f.Fuzz(func(t *testing.T, frag []byte) {
		defer watchdog(frag)()
		if len(frag) > ChunkSize-fragmentBase {
			frag = frag[:ChunkSize-fragmentBase]
		}
		buf := make([]byte, fragmentBase+len(frag))
		copy(buf[fragmentBase:], frag)
		rec, rerr := DecodeFragment(buf, fragmentBase, len(buf))
		x, xerr := AppendFragmentXML(nil, buf, fragmentBase, len(buf))
		if (rerr == nil) != (xerr == nil) {
			t.Fatalf("Record error %v but XML error %v", rerr, xerr)
		}
		if rerr == nil && (rec == nil || len(x) == 0) {
			t.Fatalf("decoded without error but record %v, XML %q", rec, x)
		}
	})
}
