package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchNDJSON builds n ECS documents shaped like mapped Sysmon events
// (about 1.3 KB each).
func benchNDJSON(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"@timestamp":"2019-03-18T16:57:%02d.%03dZ","event":{"code":"1","kind":"event","provider":"Microsoft-Windows-Sysmon","action":"Process creation","module":"sysmon","category":["process"],"type":["start"],"dataset":"windows.sysmon_operational"},"host":{"name":"ws1.corp.local","os":{"type":"windows","family":"windows","platform":"windows"},"id":"ws1.corp.local"},"log":{"level":"information"},"process":{"entity_id":"{42F11C3B-CE01-5C8F-0000-0010C73E%04X}","pid":%d,"executable":"C:\\Windows\\System32\\cmd.exe","command_line":"cmd.exe /c whoami /all","args":["cmd.exe","/c","whoami","/all"],"args_count":4,"name":"cmd.exe","parent":{"entity_id":"{42F11C3B-CE01-5C8F-0000-0010C73E2A00}","pid":4212,"executable":"C:\\Windows\\System32\\mmc.exe","command_line":"\"C:\\Windows\\system32\\mmc.exe\" -Embedding","args":["C:\\Windows\\system32\\mmc.exe","-Embedding"],"args_count":2,"name":"mmc.exe"},"hash":{"sha1":"ac93c3b38e57a2715572933dbcb2a1c2892dbc5e"},"working_directory":"C:\\Windows\\system32\\"},"user":{"id":"S-1-5-18","domain":"CORP","name":"admin"},"related":{"user":["admin"],"hash":["ac93c3b38e57a2715572933dbcb2a1c2892dbc5e"]},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","computer_name":"ws1.corp.local","event_data":{"IntegrityLevel":"High","LogonGuid":"{42F11C3B-0000-0000-0000-000000000000}","LogonId":"0x3e7","TerminalSessionId":"0"},"event_id":"1","record_id":"%d","task":"Process Create (rule: ProcessCreate)","version":5},"ecs":{"version":"8.17.0"}}`+"\n",
			i%60, i%1000, i&0xffff, 1000+i, i)
	}
	return b.Bytes()
}

// BenchmarkNDJSON measures NDJSON bytes to events, the engine's hot path
// for vigil query: MB/s from -benchmem's SetBytes and events/s reported.
//
//	go test ./ingest/ -run XXX -bench NDJSON -benchmem
func BenchmarkNDJSON(b *testing.B) {
	data := benchNDJSON(20000)
	dir := b.TempDir()
	p := filepath.Join(dir, "bench.ndjson")
	if err := writeBench(p, data); err != nil {
		b.Fatal(err)
	}
	for _, src := range []string{"file", "stdin"} {
		b.Run(src, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			events := 0
			start := time.Now()
			for b.Loop() {
				in, opts := []string{p}, Options{}
				if src == "stdin" {
					in, opts = []string{"-"}, Options{Stdin: bytes.NewReader(data)}
				}
				r, err := Open(in, opts)
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					events++
				}
				r.Close()
			}
			b.ReportMetric(float64(events)/time.Since(start).Seconds(), "events/s")
		})
	}
}

func writeBench(p string, data []byte) error {
	return writeFileErr(p, data)
}

func writeFileErr(p string, data []byte) error { return os.WriteFile(p, data, 0o644) }
