package event

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomText returns n bytes drawn mostly from the bytes the index
// classifies, so that runs of backslashes, escaped quotes and control
// characters meet block boundaries often.
func randomText(rng *rand.Rand, n int) []byte {
	const alphabet = "\"\\\\\\a \x01\x1f\x7f\xff:{"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return b
}

func TestClassifyBlocks(t *testing.T) {
	if !haveIndex {
		t.Skip("this machine has no vector block classifier (AVX2 on amd64): the decoder does not index here")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + rng.IntN(6)
		data := randomText(rng, n*64)
		got, want := make([]blockMasks, n), make([]blockMasks, n)
		classifyBlocks(&data[0], n, &got[0])
		classifyGo(data, want)
		for k := range want {
			if got[k] != want[k] {
				t.Fatalf("block %d of %q: vector %+v, Go %+v", k, data, got[k], want[k])
			}
		}
	}
}

// TestIndex checks the index's answers for every position of random texts
// against a byte loop: the next quote is the next one after an even run
// of backslashes, the next special byte the next backslash or control
// character.
func TestIndex(t *testing.T) {
	if !haveIndex {
		t.Skip("this machine has no vector block classifier (AVX2 on amd64): the decoder does not index here")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var ix strIndex
	for range 3000 {
		data := randomText(rng, rng.IntN(300))
		ix.build(data)
		wantQuote, wantSpecial := len(data), len(data)
		// Walking back, the wants are the answers for i+1.
		for i := len(data) - 1; i >= -1; i-- {
			if got := ix.nextQuote(i + 1); got != wantQuote {
				t.Fatalf("nextQuote(%d) in %q = %d, want %d", i+1, data, got, wantQuote)
			}
			if got := ix.nextSpecial(i + 1); got != wantSpecial {
				t.Fatalf("nextSpecial(%d) in %q = %d, want %d", i+1, data, got, wantSpecial)
			}
			if i < 0 {
				break
			}
			switch c := data[i]; {
			case c == '"':
				run := 0
				for k := i - 1; k >= 0 && data[k] == '\\'; k-- {
					run++
				}
				if run%2 == 0 {
					wantQuote = i
				}
			case c == '\\' || c < 0x20:
				wantSpecial = i
			}
		}
	}
}

// FuzzIndexed decodes each input with the string index and without it,
// in full and selectively, and wants the same value or the same error,
// offset and message alike.
func FuzzIndexed(f *testing.F) {
	for _, s := range []string{
		`{"a":"x\\\"y","b":["\\\\",{"c":"\u00e9"}],"d":"e\"f"}`,
		`{"a":"x\\","b":"unterminated`,
		`{"a":"tab	in","b":1}`,
		`{"event":{"category":["process"]},"process":{"name":"x\\y","parent":{"name":"\"q\""}}}`,
	} {
		f.Add([]byte(s))
	}
	paths := []string{"a", "b", "event.category", "process.parent.name"}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !haveIndex {
			t.Skip("no vector block classifier on this machine")
		}
		for _, fs := range []*FieldSet{nil, NewFieldSet(paths...)} {
			var plain, indexed Decoder
			plain.indexing, indexed.indexing = indexNever, indexAlways
			sameDecoding(t, fmt.Sprintf("field set %v", fs), &plain, &indexed, fs, data)
		}
		perr, ierr := scan(data, indexNever), scan(data, indexAlways)
		if (perr == nil) != (ierr == nil) || perr != nil && perr.Error() != ierr.Error() {
			t.Fatalf("Scan: without index %v, with index %v", perr, ierr)
		}
	})
}

// TestIndexedStrings decodes documents whose strings mix plain runs of
// every length with escapes of every kind, valid and not, and control
// characters, at all offsets across block boundaries: with the string
// index and without it, the values and errors must be the same.
func TestIndexedStrings(t *testing.T) {
	if !haveIndex {
		t.Skip("this machine has no vector block classifier (AVX2 on amd64): the decoder does not index here")
	}
	pieces := []string{`a`, `bcdefgh`, `0123456789abcdef0123`, `\\`, `\"`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`,
		`\u00e9`, `\ud83d\ude00`, `\ud83d`, `\x`, "\x01", `é`, ` `}
	rng := rand.New(rand.NewPCG(7, 8))
	// A pair of decoders that reuse their buffers from one document to
	// the next, beside fresh ones.
	reusing := [2]Decoder{{Reuse: true, indexing: indexNever}, {Reuse: true, indexing: indexAlways}}
	for range 5000 {
		var doc []byte
		doc = append(doc, `{"pad":"`...)
		doc = append(doc, make([]byte, rng.IntN(70))...)
		for i := len(`{"pad":"`); i < len(doc); i++ {
			doc[i] = 'p'
		}
		doc = append(doc, `","s":"`...)
		for n := rng.IntN(12); n > 0; n-- {
			doc = append(doc, pieces[rng.IntN(len(pieces))]...)
		}
		doc = append(doc, `","t":["`...)
		for n := rng.IntN(6); n > 0; n-- {
			doc = append(doc, pieces[rng.IntN(len(pieces))]...)
		}
		doc = append(doc, `"]}`...)
		for _, fs := range []*FieldSet{nil, NewFieldSet("s"), nil} {
			plain, indexed := &Decoder{indexing: indexNever}, &Decoder{indexing: indexAlways}
			if fs == nil && rng.IntN(2) == 0 {
				plain, indexed = &reusing[0], &reusing[1]
			}
			sameDecoding(t, fmt.Sprintf("%q", doc), plain, indexed, fs, doc)
		}
	}
}

// sameDecoding decodes data with the selection fs by a decoder that does
// not index it and one that does, and fails unless both give the same
// value or the same error; what names the case in the message.
func sameDecoding(t *testing.T, what string, plain, indexed *Decoder, fs *FieldSet, data []byte) {
	t.Helper()
	plain.Select(fs)
	indexed.Select(fs)
	pv, perr := plain.Decode(data)
	iv, ierr := indexed.Decode(data)
	if (perr == nil) != (ierr == nil) || perr != nil && perr.Error() != ierr.Error() {
		t.Fatalf("%s: without index %v, with index %v", what, perr, ierr)
	}
	if perr == nil && !Equal(pv, iv) {
		t.Fatalf("%s: without index %s, with index %s", what, pv, iv)
	}
}
