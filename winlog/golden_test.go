package winlog

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/event"
)

const goldenDir = "testdata/winlogbeat-golden"

// goldenIgnored are the fields SOURCE.md says upstream's harness ignores
// or removes, per module ("" applies to all).
var goldenIgnored = map[string][]string{
	"":       {"event.ingested", "message", "event.created"},
	"sysmon": {"event.action", "winlog.opcode", "winlog.task", "winlog.user.type", "winlog.user.name", "winlog.user.domain"},
}

// allowedExtra reports whether a field Vigil writes and the golden lacks
// is one of the documented additions (MAPPING.md).
func allowedExtra(path string) bool {
	for _, p := range []string{"winlog.event_data.", "host.os.", "data_stream."} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	switch path {
	case "host.id", "event.dataset", "event.created", "winlog.event_data":
		return true
	}
	return false
}

var bracedGUID = regexp.MustCompile(`^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$`)

// flatten turns a document into dotted leaf paths; arrays are leaves
// (compared whole, in order), so are empty objects.
func flatten(v event.Value, prefix string, out map[string]event.Value) {
	if v.Kind() == event.KindObject && v.Len() > 0 {
		for _, f := range v.Fields() {
			p := f.Key
			if prefix != "" {
				p = prefix + "." + f.Key
			}
			flatten(f.Value, p, out)
		}
		return
	}
	out[prefix] = v
}

// normalize lower-cases braced GUIDs, as the upstream harness does.
func normalize(v event.Value) event.Value {
	switch v.Kind() {
	case event.KindString:
		s, _ := v.Str()
		if bracedGUID.MatchString(s) {
			return event.String(strings.ToLower(s))
		}
	case event.KindArray:
		elems := make([]event.Value, v.Len())
		for i := range elems {
			elems[i] = normalize(v.Index(i))
		}
		return event.Array(elems...)
	case event.KindObject:
		fields := make([]event.Field, 0, v.Len())
		for _, f := range v.Fields() {
			fields = append(fields, event.Field{Key: f.Key, Value: normalize(f.Value)})
		}
		sort.Slice(fields, func(i, j int) bool { return fields[i].Key < fields[j].Key })
		return event.Object(fields...)
	}
	return v
}

// compareGolden reports the differences between Vigil's document got and
// the golden want, and the number of golden fields compared.
func compareGolden(module string, got, want event.Value) (diffs []string, compared int) {
	g, w := map[string]event.Value{}, map[string]event.Value{}
	flatten(got, "", g)
	flatten(want, "", w)
	ignored := map[string]bool{}
	for _, m := range []string{"", module} {
		for _, p := range goldenIgnored[m] {
			ignored[p] = true
		}
	}
	for p, wv := range w {
		if ignored[p] {
			continue
		}
		compared++
		gv, ok := g[p]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("missing %s = %s", p, wv))
			continue
		}
		if p == "@timestamp" {
			gt, ok1 := event.Time(gv)
			wt, ok2 := event.Time(wv)
			if !ok1 || !ok2 || gt != wt {
				diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", p, gv, wv))
			}
			continue
		}
		if !event.Equal(normalize(gv), normalize(wv)) {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", p, gv, wv))
		}
	}
	for p, gv := range g {
		if _, ok := w[p]; ok || ignored[p] || allowedExtra(p) {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("extra %s = %s", p, gv))
	}
	sort.Strings(diffs)
	return diffs, compared
}

// readJSONArray reads a file holding a JSON array and returns its elements.
func readJSONArray(t testing.TB, path string) []event.Value {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var dec event.Decoder
	v, err := dec.Decode(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if v.Kind() != event.KindArray {
		t.Fatalf("%s: not a JSON array", path)
	}
	out := make([]event.Value, v.Len())
	for i := range out {
		out[i] = v.Index(i)
	}
	return out
}

// goldenPair is one case: collection (raw Winlogbeat) and ingest (ECS).
type goldenPair struct {
	module, name       string
	collection, ingest string
}

func goldenPairs(t *testing.T) []goldenPair {
	var pairs []goldenPair
	for _, module := range []string{"sysmon", "security", "powershell"} {
		files, err := filepath.Glob(filepath.Join(goldenDir, module, "collection", "*.evtx.golden.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".evtx.golden.json")
			pairs = append(pairs, goldenPair{module, name, f, filepath.Join(goldenDir, module, "ingest", name+".golden.json")})
		}
	}
	if len(pairs) == 0 {
		t.Fatalf("no golden pairs under %s", goldenDir)
	}
	return pairs
}

// TestGoldenWinlogbeat maps every collection golden (Winlogbeat output
// before the pipelines) and compares it with the ingest golden (the
// pipeline's ECS output), field by field.
func TestGoldenWinlogbeat(t *testing.T) {
	events, fields := 0, 0
	for _, p := range goldenPairs(t) {
		t.Run(p.module+"/"+p.name, func(t *testing.T) {
			in := readJSONArray(t, p.collection)
			want := readJSONArray(t, p.ingest)
			if len(in) != len(want) {
				t.Fatalf("%d collection events, %d ingest events", len(in), len(want))
			}
			for i := range in {
				got, err := WinlogbeatToECS(in[i])
				if err != nil {
					t.Fatalf("event %d: %v", i, err)
				}
				diffs, n := compareGolden(p.module, got, want[i])
				events++
				fields += n
				for _, d := range diffs {
					t.Errorf("event %d: %s", i, d)
				}
			}
		})
	}
	t.Logf("compared %d events, %d golden fields", events, fields)
}
