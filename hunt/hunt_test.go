package hunt

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
)

func ev(t *testing.T, s string) *event.Event {
	var d event.Decoder
	v, err := d.Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return &event.Event{Doc: v, Raw: []byte(s)}
}

func TestHunter(t *testing.T) {
	rules := []*Rule{
		{ID: "r1", Name: "cmd", Severity: "high", Techniques: []string{"T1559.001"},
			Query: eql.MustCompile(`process where process.name == "cmd.exe"`, eql.Options{})},
		{ID: "r2", Name: "seq", Severity: "medium", Techniques: []string{"T1559.001", "T1021.003"},
			Query: eql.MustCompile(`sequence by host.name [process where true] [network where true]`, eql.Options{})},
		{ID: "r3", Name: "never", Severity: "low", Techniques: []string{"T1053.005"},
			Query: eql.MustCompile(`file where true`, eql.Options{})},
	}
	var alerts []*Alert
	h := New(rules, func(a *Alert) { alerts = append(alerts, a) })
	h.Push(ev(t, `{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"process"},"host":{"name":"h1"},"process":{"name":"cmd.exe"}}`))
	h.Push(ev(t, `{"@timestamp":"2026-01-01T00:00:05Z","event":{"category":"network"},"host":{"name":"h1"}}`))
	h.Close()
	if len(alerts) != 2 {
		t.Fatalf("%d alerts", len(alerts))
	}
	seq := alerts[1]
	if seq.Rule.ID != "r2" || !seq.Sequence || seq.HostName != "h1" || event.FormatTime(seq.Timestamp) != "2026-01-01T00:00:05.000Z" {
		t.Errorf("sequence alert %+v", seq)
	}
	js := string(seq.AppendJSON(nil))
	for _, want := range []string{`"@timestamp":"2026-01-01T00:00:05.000Z"`, `"rule":{"id":"r2","name":"seq","severity":"medium"}`,
		`"threat":{"technique":{"id":["T1559.001","T1021.003"]}}`, `"host":{"name":"h1"}`, `"join_keys":["h1"]`, `"events":[{"@timestamp"`} {
		if !strings.Contains(js, want) {
			t.Errorf("alert JSON lacks %s:\n%s", want, js)
		}
	}
	s := h.Summary()
	if s.Total != 2 || s.ByRule[2].Rule.ID != "r3" || s.ByRule[2].Count != 0 {
		t.Errorf("summary by rule %+v", s.ByRule)
	}
	want := map[string][2]int{"T1021.003": {1, 1}, "T1053.005": {0, 0}, "T1559.001": {2, 2}}
	for _, tc := range s.ByTechnique {
		if w := want[tc.Technique]; tc.Count != w[0] || tc.Rules != w[1] {
			t.Errorf("technique %s: %d alerts from %d rules, want %v", tc.Technique, tc.Count, tc.Rules, w)
		}
	}
}

// TestHunterTransient pushes events whose buffers are reused after each
// push, as a stream of deferred NDJSON hands them out: the alerts must
// still show the events that raised them.
func TestHunterTransient(t *testing.T) {
	rules := []*Rule{{ID: "r1", Name: "seq", Severity: "high",
		Query: eql.MustCompile(`sequence by host.name [process where process.name == "cmd.exe"] [network where true]`, eql.Options{})}}
	var alerts []*Alert
	h := New(rules, func(a *Alert) { alerts = append(alerts, a) })
	h.SetTransient(true)
	var d event.Decoder
	d.Reuse = true
	buf := make([]byte, 0, 256)
	for _, s := range []string{
		`{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"process"},"host":{"name":"h1"},"process":{"name":"cmd.exe"}}`,
		`{"@timestamp":"2026-01-01T00:00:05Z","event":{"category":"network"},"host":{"name":"h1"}}`,
		`{"@timestamp":"2026-01-01T00:00:09Z","event":{"category":"process"},"host":{"name":"h2"},"process":{"name":"zzz.exe"}}`,
	} {
		buf = append(buf[:0], s...)
		v, err := d.Decode(buf)
		if err != nil {
			t.Fatal(err)
		}
		h.Push(&event.Event{Doc: v, Raw: buf})
	}
	h.Close()
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1", len(alerts))
	}
	js := string(alerts[0].AppendJSON(nil))
	for _, want := range []string{`"join_keys":["h1"]`, `"process":{"name":"cmd.exe"}`, `"@timestamp":"2026-01-01T00:00:05Z","event":{"category":"network"}`} {
		if !strings.Contains(js, want) {
			t.Errorf("alert JSON lacks %s:\n%s", want, js)
		}
	}
}
