// Package benchgen makes the synthetic telemetry and the query sets that
// Vigil's benchmarks run on, so that `go test -bench` and `vigil bench`
// measure the same thing.
package benchgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vigil-sec/vigil/event"
)

// Start is the timestamp of the first synthetic event.
var Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Queries are the three engine benchmarks: a single-event filter, a
// 3-stage sequence by host, and a 2-stage sequence by host with maxspan
// and a per-stage key.
var Queries = []struct{ Name, EQL string }{
	{"filter", `process where process.name == "dllhost.exe" and process.command_line : "*xxxx*"`},
	{"sequence3", `sequence by host.name with maxspan=1m
		[process where process.name == "cmd.exe"]
		[file where file.path : "*.tmp"]
		[network where destination.port == 443]`},
	{"sequence2-by-pid", `sequence by host.name with maxspan=5m
		[process where process.name in ("powershell.exe", "cmd.exe")] by process.pid
		[network where destination.port == 443] by process.pid`},
}

// Rules is a set of ten detection rules of the kinds a Windows rule pack
// holds (event filters with lists, wildcards and negations, and keyed
// sequences), for end-to-end measurements.
var Rules = []string{
	`process where event.type == "start" and process.name : ("powershell.exe", "pwsh.exe") and process.args : ("-enc", "-EncodedCommand", "*FromBase64String*")`,
	`process where event.type == "start" and process.parent.name : "dllhost.exe" and process.name : ("cmd.exe", "powershell.exe", "rundll32.exe", "regsvr32.exe")`,
	`process where process.name : "rundll32.exe" and process.command_line : ("*javascript:*", "*mshtml*RunHTMLApplication*") and not process.parent.name : "explorer.exe"`,
	`file where event.type == "creation" and file.path : ("C:\\Users\\*\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\*") and not process.name : "explorer.exe"`,
	`registry where registry.path : "*\\Software\\Classes\\CLSID\\*\\InprocServer32\\*" and not registry.data.strings : ("C:\\Windows\\System32\\*", "C:\\Program Files\\*")`,
	`network where destination.port in (4444, 8080, 1337) and not cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16")`,
	`process where process.name : "svchost.exe" and not process.parent.name : ("services.exe", "MsMpEng.exe")`,
	`process where startsWith~(process.executable, "C:\\Users\\") and process.name : "*.scr"`,
	`sequence by host.name with maxspan=1m [process where process.name : "cmd.exe"] [file where file.path : "*.tmp"]`,
	`sequence by host.name with maxspan=5m [process where process.name : "powershell.exe"] by process.pid [network where destination.port == 443] by process.pid`,
}

var (
	names = []string{"svchost.exe", "explorer.exe", "cmd.exe", "powershell.exe", "dllhost.exe", "chrome.exe", "conhost.exe", "rundll32.exe"}
	cats  = []string{"process", "file", "network"}
)

// Doc returns the JSON text of synthetic event i: a Winlogbeat-like ECS
// document of about 1 KB.
func Doc(rng *rand.Rand, i int) []byte {
	cat := cats[rng.IntN(len(cats))]
	name := names[rng.IntN(len(names))]
	pid := 1000 + rng.IntN(5000)
	host := fmt.Sprintf("host-%02d", rng.IntN(100))
	ts := Start.Add(time.Duration(i) * time.Millisecond).UnixNano()
	typ := map[string]string{"process": "start", "file": "creation", "network": "connection"}[cat]
	return fmt.Appendf(nil, `{"@timestamp":%q,"event":{"category":[%q],"type":[%q],"kind":"event","code":"1","module":"sysmon","provider":"Microsoft-Windows-Sysmon"},`+
		`"host":{"name":%q,"id":"%s-id","os":{"type":"windows","family":"windows"}},`+
		`"process":{"name":%q,"pid":%d,"executable":"C:\\Windows\\System32\\%s","command_line":"C:\\Windows\\System32\\%s -k netsvcs -p %d",`+
		`"args":["C:\\Windows\\System32\\%s","-k","netsvcs"],"parent":{"name":"services.exe","pid":%d,"executable":"C:\\Windows\\System32\\services.exe"},"entity_id":"{%08d-0000-0000-0000-000000000000}"},`+
		`"user":{"name":"SYSTEM","domain":"NT AUTHORITY","id":"S-1-5-18"},"file":{"path":"C:\\Users\\a\\AppData\\Local\\Temp\\x%d.tmp"},`+
		`"destination":{"ip":"10.0.%d.%d","port":443},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"1","record_id":"%d",`+
		`"computer_name":%q,"event_data":{"RuleName":"-","LogonId":"0x3e7","IntegrityLevel":"System","TerminalSessionId":"0"}}}`,
		event.FormatTime(ts), cat, typ, host, host, name, pid, name, name, i, name, pid/2, pid, i,
		rng.IntN(255), rng.IntN(255), i, host)
}

// Events returns n synthetic events, decoded, one millisecond apart.
func Events(n int) []*event.Event { return SelectedEvents(n, nil) }

// SelectedEvents is Events decoded with only the fields of fs, as Vigil's
// readers hand events to a rule set (nil: every field).
func SelectedEvents(n int, fs *event.FieldSet) []*event.Event {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]*event.Event, n)
	var d event.Decoder
	d.Select(fs)
	for i := range out {
		v, err := d.Decode(Doc(rng, i))
		if err != nil {
			panic(err) // the generator writes valid JSON
		}
		out[i] = &event.Event{Doc: v}
	}
	return out
}

// Lines returns the n lines of NDJSON(n), without their newlines.
func Lines(n int) [][]byte {
	return bytes.Split(bytes.TrimSuffix(NDJSON(n), []byte("\n")), []byte("\n"))
}

// NDJSON returns n synthetic events as NDJSON.
func NDJSON(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b []byte
	for i := 0; i < n; i++ {
		b = append(b, Doc(rng, i)...)
		b = append(b, '\n')
	}
	return b
}
