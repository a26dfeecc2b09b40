package evtx

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/winlog"
)

// Names Winlogbeat gives to the standard keyword bits, opcodes and levels
// (winmeta.xml); provider-specific names cannot be derived from the file.
var (
	standardKeywords = map[string]uint64{
		"Response Time":    0x1000000000000,
		"WDI Diag":         0x4000000000000,
		"Sqm":              0x8000000000000,
		"Audit Failure":    0x10000000000000,
		"Audit Success":    0x20000000000000,
		"Correlation Hint": 0x40000000000000,
		"Classic":          0x80000000000000,
	}
	standardOpcodes = map[string]uint8{
		"Info": 0, "Start": 1, "Stop": 2, "DCStart": 3, "DCStop": 4, "Extension": 5,
		"Reply": 6, "Resume": 7, "Suspend": 8, "Send": 9, "Receive": 240,
	}
	standardLevels = map[uint8]string{
		0: "information", 1: "critical", 2: "error", 3: "warning", 4: "information", 5: "verbose",
	}
)

// goldenEvent is the part of Winlogbeat's output that comes from the event
// record itself.
type goldenEvent struct {
	Timestamp string `json:"@timestamp"`
	Event     struct {
		Code     string `json:"code"`
		Provider string `json:"provider"`
	} `json:"event"`
	Log struct {
		Level string `json:"level"`
	} `json:"log"`
	Winlog map[string]any `json:"winlog"`
}

func loadGolden(path string) ([]goldenEvent, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var evs []goldenEvent
	if err := json.Unmarshal(b, &evs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return evs, nil
}

// removeWindowsLineEndings is what Winlogbeat applies to event data
// values: CRLF to LF, trailing line feeds removed (trailing spaces and tabs
// are kept).
func removeWindowsLineEndings(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// insertionString matches the parameter references (%%1833) that the
// Windows renderer replaces with text from the provider's parameter
// message file. That file is not in the EVTX, so such values cannot be
// compared; the ECS mapping resolves the common ones.
var insertionString = regexp.MustCompile(`%%[0-9]+`)

// winlogbeatPairs maps name/value pairs the way Winlogbeat's AddPairs does:
// empty values dropped, unnamed values called paramN, the first of
// duplicate names kept.
func winlogbeatPairs(pairs []winlog.Data) map[string]any {
	m := map[string]any{}
	for i, p := range pairs {
		if p.Value == "" {
			continue
		}
		k := p.Name
		if k == "" || k == "Data" {
			k = "param" + strconv.Itoa(i+1)
		}
		if _, dup := m[k]; !dup {
			m[k] = removeWindowsLineEndings(p.Value)
		}
	}
	return m
}

// compareGolden checks every field of the golden event that comes from the
// record, and returns the differences.
func compareGolden(rec *winlog.Record, g goldenEvent) []string {
	var diffs []string
	check := func(field string, got, want any) {
		if reflect.DeepEqual(got, want) {
			return
		}
		g, gok := got.(map[string]any)
		w, wok := want.(map[string]any)
		if !gok || !wok {
			diffs = append(diffs, fmt.Sprintf("%s: got %#v, want %#v", field, got, want))
			return
		}
		for k, wv := range w {
			if gv, ok := g[k]; !ok || gv != wv {
				diffs = append(diffs, fmt.Sprintf("%s.%s: got %#v, want %#v", field, k, gv, wv))
			}
		}
		for k, gv := range g {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: got %#v, not in the golden", field, k, gv))
			}
		}
	}
	w := g.Winlog
	str := func(k string) string { s, _ := w[k].(string); return s }

	check("winlog.event_id", strconv.FormatUint(uint64(rec.EventID), 10), str("event_id"))
	check("event.code", strconv.FormatUint(uint64(rec.EventID), 10), g.Event.Code)
	check("winlog.record_id", float64(rec.RecordID), w["record_id"])
	check("winlog.provider_name", rec.Provider, str("provider_name"))
	check("event.provider", rec.Provider, g.Event.Provider)
	check("winlog.provider_guid", normGUID(rec.ProviderGUID), normGUID(str("provider_guid")))
	check("winlog.channel", rec.Channel, str("channel"))
	check("winlog.computer_name", rec.Computer, str("computer_name"))
	check("winlog.activity_id", normGUID(rec.ActivityID), normGUID(str("activity_id")))
	check("winlog.related_activity_id", normGUID(rec.RelatedActivityID), normGUID(str("related_activity_id")))

	var pid, tid any
	if p, ok := w["process"].(map[string]any); ok {
		pid = p["pid"]
		if th, ok := p["thread"].(map[string]any); ok {
			tid = th["id"]
		}
	}
	optNum := func(n uint64) any {
		if n == 0 {
			return nil
		}
		return float64(n)
	}
	check("winlog.process.pid", optNum(uint64(rec.ProcessID)), pid)
	check("winlog.process.thread.id", optNum(uint64(rec.ThreadID)), tid)
	check("winlog.version", optNum(uint64(rec.Version)), w["version"])

	var uid any
	if u, ok := w["user"].(map[string]any); ok {
		uid = u["identifier"]
	}
	if rec.UserID != "" || uid != nil {
		check("winlog.user.identifier", rec.UserID, uid)
	}

	if g.Timestamp != "" {
		ts, err := time.Parse(time.RFC3339Nano, g.Timestamp)
		if err != nil {
			diffs = append(diffs, fmt.Sprintf("@timestamp: %v", err))
		} else {
			check("@timestamp", rec.TimeCreated, ts.UnixNano())
		}
	}
	if kws, ok := w["keywords"].([]any); ok {
		for _, k := range kws {
			name, _ := k.(string)
			if bit, known := standardKeywords[name]; known && rec.Keywords&bit == 0 {
				diffs = append(diffs, fmt.Sprintf("winlog.keywords: %q but keywords are 0x%x", name, rec.Keywords))
			}
		}
	}
	if op, ok := w["opcode"].(string); ok {
		if code, known := standardOpcodes[op]; known {
			check("winlog.opcode", fmt.Sprint(rec.HasOpcode, rec.Opcode), fmt.Sprint(true, code))
		}
	}
	if g.Log.Level != "" {
		if name, known := standardLevels[rec.Level]; known {
			check("log.level", name, g.Log.Level)
		}
	}

	var want any = w["event_data"]
	pairs := rec.EventData
	if rec.Binary != "" {
		pairs = append(append([]winlog.Data(nil), pairs...), winlog.Data{Name: "Binary", Value: rec.Binary})
	}
	var got any
	if m := winlogbeatPairs(pairs); len(m) > 0 {
		got = m
	}
	dropInserts(got, want)
	check("winlog.event_data", got, want)

	want = w["user_data"]
	got = nil
	if rec.UserData != nil {
		m := winlogbeatPairs(rec.UserData.Pairs)
		if len(m) > 0 {
			m["xml_name"] = rec.UserData.Name
			got = m
		}
	}
	dropInserts(got, want)
	check("winlog.user_data", got, want)
	return diffs
}

// dropInserts removes from both maps the values that hold parameter
// references, when the golden has them resolved.
func dropInserts(got, want any) {
	g, _ := got.(map[string]any)
	w, _ := want.(map[string]any)
	for k, v := range g {
		s, _ := v.(string)
		ws, _ := w[k].(string)
		if insertionString.MatchString(s) && !insertionString.MatchString(ws) {
			delete(g, k)
			delete(w, k)
		}
	}
}
