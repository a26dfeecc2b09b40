package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/stream"
)

// vigil --help states the default cap on sequence state, as users need
// to know how much memory a hunt may take.
func TestHelpStatesBounds(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--help"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("vigil --help: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		fmt.Sprintf("at most %d live\npartial sequences (--max-partials", eql.DefaultMaxPartials),
		fmt.Sprintf("at most %d events per input", stream.DefaultWindow),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("vigil --help lacks %q:\n%s", want, out.String())
		}
	}
}
