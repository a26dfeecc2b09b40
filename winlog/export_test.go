package winlog

// Exported for the external tests (evtx_golden_test.go).
var (
	CompareGolden = compareGolden
	GoldenDir     = goldenDir
	ReadJSONArray = readJSONArray
	StartRate     = startRate
)
