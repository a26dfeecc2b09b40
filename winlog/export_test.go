package winlog

import "github.com/vigil-sec/vigil/event"

// Exported for the external tests (evtx_golden_test.go).
var (
	CompareGolden = compareGolden
	GoldenDir     = goldenDir
	StartRate     = startRate
)

func mustPath(s string) event.Path { return event.MustPath(s) }

type eventDecoder struct{ d event.Decoder }

func (e *eventDecoder) array(tb interface{ Fatal(...any) }, data []byte) []event.Value {
	v, err := e.d.Decode(data)
	if err != nil || v.Kind() != event.KindArray {
		tb.Fatal("not a JSON array", err)
	}
	out := make([]event.Value, v.Len())
	for i := range out {
		out[i] = v.Index(i)
	}
	return out
}
