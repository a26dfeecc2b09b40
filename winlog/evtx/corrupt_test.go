package evtx

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// threeChunkFile builds a valid three-chunk EVTX file from the single-chunk
// files in testdata, and returns it with the chunk-relative offsets of the
// records of each chunk.
func threeChunkFile(t *testing.T) ([]byte, [3][]int) {
	t.Helper()
	var out []byte
	var offsets [3][]int
	for i, name := range []string{"sysmon-9.01", "powershell-4104", "security-1102"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".evtx"))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			out = append(out, b[:FileHeaderSize]...)
		}
		chunk := b[FileHeaderSize : FileHeaderSize+ChunkSize]
		c, err := ParseChunk(chunk)
		if err != nil {
			t.Fatal(err)
		}
		for rr, err := range c.RawRecords() {
			if err != nil {
				t.Fatal(err)
			}
			offsets[i] = append(offsets[i], rr.Offset)
		}
		out = append(out, chunk...)
	}
	binary.LittleEndian.PutUint64(out[16:], 2) // last chunk
	binary.LittleEndian.PutUint16(out[42:], 3) // chunk count
	fixFileHeaderCRC(out)
	return out, offsets
}

func fixFileHeaderCRC(b []byte) {
	binary.LittleEndian.PutUint32(b[124:], crc32.ChecksumIEEE(b[:120]))
}

func chunkStart(i int) int { return FileHeaderSize + i*ChunkSize }

func TestReaderDamagedFiles(t *testing.T) {
	base, offs := threeChunkFile(t)
	n := [3]int{len(offs[0]), len(offs[1]), len(offs[2])}
	total := n[0] + n[1] + n[2]
	if n[0] < 4 || n[1] < 1 || n[2] < 1 {
		t.Fatalf("test file too small: %v records per chunk", n)
	}
	recOff := func(chunk, k int) int { return chunkStart(chunk) + offs[chunk][k] }

	tests := []struct {
		name          string
		damage        func(b []byte) []byte
		records       int
		skipped       int // records
		chunksSkipped int
		checksumErrs  int
		truncated     bool
		dirty         bool
		problemAt     int64 // file offset of the first problem, or -1 for none
	}{
		{
			name:      "intact",
			damage:    func(b []byte) []byte { return b },
			records:   total,
			problemAt: -1,
		},
		{
			name: "zeroed chunk",
			damage: func(b []byte) []byte {
				clear(b[chunkStart(1):chunkStart(2)])
				return b
			},
			records:       n[0] + n[2],
			chunksSkipped: 1,
			problemAt:     int64(chunkStart(1)),
		},
		{
			name: "bad chunk signature",
			damage: func(b []byte) []byte {
				b[chunkStart(1)+3] = 'X'
				return b
			},
			records:       n[0] + n[2],
			chunksSkipped: 1,
			problemAt:     int64(chunkStart(1)),
		},
		{
			name: "truncated inside a record",
			damage: func(b []byte) []byte {
				return b[:recOff(1, n[1]-1)+40]
			},
			records:   n[0] + n[1] - 1,
			truncated: true,
			// The chunk's data checksum cannot be checked on a partial
			// chunk; the first problem is the truncation itself.
			problemAt: int64(recOff(1, n[1]-1) + 40),
			skipped:   1,
		},
		{
			name:      "truncated at a chunk boundary",
			damage:    func(b []byte) []byte { return b[:chunkStart(2)] },
			records:   n[0] + n[1],
			truncated: true,
			problemAt: int64(chunkStart(2)),
		},
		{
			name:      "truncated inside a chunk header",
			damage:    func(b []byte) []byte { return b[:chunkStart(1)+100] },
			records:   n[0],
			truncated: true,
			// The 100-byte chunk is counted as skipped.
			chunksSkipped: 1,
			problemAt:     int64(chunkStart(1) + 100),
		},
		{
			name:      "truncated inside the file header",
			damage:    func(b []byte) []byte { return b[:1000] },
			records:   0,
			truncated: true,
			problemAt: 1000,
		},
		{
			name: "bad record size",
			damage: func(b []byte) []byte {
				binary.LittleEndian.PutUint32(b[recOff(0, 2)+4:], 0xfff0)
				return b
			},
			records:      total - 1,
			skipped:      1,
			checksumErrs: 1, // the record data CRC no longer matches
			problemAt:    int64(chunkStart(0)),
		},
		{
			name: "record size and its copy disagree",
			damage: func(b []byte) []byte {
				size := int(binary.LittleEndian.Uint32(b[recOff(0, 3)+4:]))
				binary.LittleEndian.PutUint32(b[recOff(0, 3)+size-4:], uint32(size+8))
				return b
			},
			records:      total - 1,
			skipped:      1,
			checksumErrs: 1,
			problemAt:    int64(chunkStart(0)),
		},
		{
			name: "bad template offset",
			damage: func(b []byte) []byte {
				setTemplateOffset(t, b, recOff(0, 2), 0x10) // inside the chunk header
				return b
			},
			records:      total - 1,
			skipped:      1,
			checksumErrs: 1,
			problemAt:    int64(chunkStart(0)),
		},
		{
			name: "template offset outside the chunk",
			damage: func(b []byte) []byte {
				setTemplateOffset(t, b, recOff(0, 1), 0xffffff00)
				return b
			},
			records:      total - 1,
			skipped:      1,
			checksumErrs: 1,
			problemAt:    int64(chunkStart(0)),
		},
		{
			name: "record data checksum mismatch",
			damage: func(b []byte) []byte {
				b[recOff(2, 0)+16] ^= 1 // the record's written time
				return b
			},
			records:      total,
			checksumErrs: 1,
			problemAt:    int64(chunkStart(2)),
		},
		{
			name: "file header checksum mismatch",
			damage: func(b []byte) []byte {
				b[60] ^= 1 // a reserved byte covered by the CRC
				return b
			},
			records:      total,
			checksumErrs: 1,
			problemAt:    0,
		},
		{
			name: "dirty file",
			damage: func(b []byte) []byte {
				b[120] |= FlagDirty
				fixFileHeaderCRC(b)
				return b
			},
			records:   total,
			dirty:     true,
			problemAt: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.damage(bytes.Clone(base))
			recs, s := readAll(t, NewReader(bytes.NewReader(data), "damaged.evtx"))
			if len(recs) != tt.records || s.Records != tt.records {
				t.Errorf("read %d records (stats %d), want %d", len(recs), s.Records, tt.records)
			}
			if s.RecordsSkipped != tt.skipped || s.ChunksSkipped != tt.chunksSkipped || s.ChecksumErrors != tt.checksumErrs {
				t.Errorf("skipped %d records, %d chunks, %d checksum errors; want %d, %d, %d",
					s.RecordsSkipped, s.ChunksSkipped, s.ChecksumErrors, tt.skipped, tt.chunksSkipped, tt.checksumErrs)
			}
			if s.Truncated != tt.truncated || s.Dirty != tt.dirty {
				t.Errorf("truncated %v, dirty %v; want %v, %v", s.Truncated, s.Dirty, tt.truncated, tt.dirty)
			}
			if tt.problemAt < 0 {
				if s.ProblemCount != 0 {
					t.Errorf("problems in an intact file: %v", s.Problems)
				}
				return
			}
			if s.ProblemCount == 0 || len(s.Problems) == 0 {
				t.Fatal("no problem reported")
			}
			for _, p := range s.Problems {
				t.Log(p)
			}
			if p := s.Problems[0]; p.Offset != tt.problemAt {
				t.Errorf("first problem at offset %d, want %d: %v", p.Offset, tt.problemAt, p)
			}
			for _, p := range s.Problems {
				if msg := p.Error(); !strings.Contains(msg, "damaged.evtx: offset ") {
					t.Errorf("problem %q does not name the file and offset", msg)
				}
			}
			// Every record read is one of the intact file's records.
			intact, _ := readAll(t, NewReader(bytes.NewReader(base), "intact.evtx"))
			want := byRecordID(intact)
			for _, r := range recs {
				if w, ok := want[r.RecordID]; !ok || diffRecords(*r, *w) != "" {
					t.Errorf("record %d differs from the intact file's", r.RecordID)
				}
			}
		})
	}
}

// setTemplateOffset changes the template definition offset of the record
// at off, which must reference its template (not define it inline).
func setTemplateOffset(t *testing.T, b []byte, off int, to uint32) {
	t.Helper()
	p := off + recordHeaderSize
	if b[p] != tokFragment {
		t.Fatalf("record at %d does not start with a fragment header", off)
	}
	p += 4
	if b[p] != tokTemplate {
		t.Fatalf("record at %d does not hold a template instance", off)
	}
	chunkOff := (off - FileHeaderSize) % ChunkSize
	defField := p + 6
	if int(binary.LittleEndian.Uint32(b[defField:])) == chunkOff+(defField-off)+4 {
		t.Fatalf("record at %d defines its template inline; pick a later record", off)
	}
	binary.LittleEndian.PutUint32(b[defField:], to)
}

// TestProblemsAreCapped checks that the problem list stops growing while
// the count goes on.
func TestProblemsAreCapped(t *testing.T) {
	base, _ := threeChunkFile(t)
	var data []byte
	data = append(data, base[:FileHeaderSize]...)
	bad := bytes.Repeat([]byte{0xAB}, ChunkSize)
	for i := 0; i < MaxProblems+20; i++ {
		data = append(data, bad...)
	}
	data = append(data, base[chunkStart(0):chunkStart(1)]...)
	recs, s := readAll(t, NewReader(bytes.NewReader(data), "many.evtx"))
	if s.ChunksSkipped != MaxProblems+20 || s.ProblemCount != MaxProblems+20 || len(s.Problems) != MaxProblems {
		t.Errorf("skipped %d chunks, %d problems counted, %d kept; want %d, %d, %d",
			s.ChunksSkipped, s.ProblemCount, len(s.Problems), MaxProblems+20, MaxProblems+20, MaxProblems)
	}
	if len(recs) == 0 {
		t.Error("the good chunk after the bad ones was not read")
	}
}
