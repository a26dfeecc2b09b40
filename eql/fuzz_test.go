package eql

import (
	"testing"
	"time"
)

var fuzzSeeds = []string{
	`process where process.name == "cmd.exe" and not process.args : ("-c", "*x*")`,
	`sequence by host.id with maxspan=5m [process where true] by process.pid ![file where true] [network where true] with runs=2 until [process where false]`,
	`sample by host.id [process where true] [file where true]`,
	`file where file.path like~ """C:\Windows\*""" or file.path regex~ "[a-z]+\\.dll" | head 5 | tail 2`,
	`process where startsWith~(process.name, "cmd") and between(a, "x", "y", true) == "z" and cidrMatch(ip, "10.0.0.0/8")`,
	`process where 1 + 2 * -3 < x - (4 - 5) % 2 and ?y.z != null and w in~ ("a", "b") and v not in (1, 2.5)`,
	"process where /* c */ a == \"\\u{1F600}\\t\" // d\n | unique a b | count c | sort d | filter e > 1 | unique_count f",
	`sequence [a where a = 1] pipe sequence [b where 'x']`,
	"process where `a.b`.c == 1 and events[0].x == 2",
}

func FuzzLexer(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		l := lexer{src: src, errh: func(pos, end Pos, msg, hint string) {
			if pos < 0 || int(pos) > len(src) || end < pos {
				t.Fatalf("error position %d-%d outside input of %d bytes", pos, end, len(src))
			}
		}}
		last := Pos(0)
		for i := 0; ; i++ {
			it := l.next()
			if it.pos < last || it.end < it.pos || int(it.end) > len(src) {
				t.Fatalf("token %v at %d-%d after %d (input %d bytes)", it.tok, it.pos, it.end, last, len(src))
			}
			last = it.end
			if it.tok == EOF {
				break
			}
			if i > len(src)+1 {
				t.Fatalf("lexer does not advance")
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			fuzzParseOne(t, src)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("parsing and compiling %q takes more than 10s", src)
		}
	})
}

func fuzzParseOne(t *testing.T, src string) {
	{
		st, err := Parse(src)
		if err != nil {
			el, ok := err.(ErrorList)
			if !ok || len(el) == 0 {
				t.Fatalf("Parse error is %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range el {
				if e.Line < 1 || e.Column < 1 || e.Msg == "" {
					t.Fatalf("badly located error %+v", e)
				}
				_ = e.Context("  ")
			}
			_ = el.Format("q")
			return
		}
		// A statement that parses prints as text that parses to the same
		// statement.
		printed := st.String()
		st2, err := Parse(printed)
		if err != nil {
			t.Fatalf("printed form %q of %q does not parse: %v", printed, src, err)
		}
		if again := st2.String(); again != printed {
			t.Fatalf("printing is not stable: %q then %q", printed, again)
		}
		// Compiling must not panic either, with or without extensions.
		for _, ext := range []bool{false, true} {
			if q, err := CompileStatement(src, st, Options{Extensions: ext}); err == nil {
				r := q.NewRun(func(*Result) {})
				r.Push(doc(t, `{"@timestamp":1,"event":{"category":"process"},"a":1}`))
				r.Close()
			}
		}
	}
}
