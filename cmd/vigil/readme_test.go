package main

import (
	"os"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/eql"
)

// The README's first lines give a newcomer the two commands, and its EQL
// tour only shows queries that compile. In an eql block a line that starts
// at the left margin starts a new query.
func TestReadme(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	head := strings.Join(strings.SplitN(text, "\n", 8)[:7], "\n")
	for _, want := range []string{"go run ./cmd/vigil test", "go test ./..."} {
		if !strings.Contains(head, want) {
			t.Errorf("the README's first lines lack %q", want)
		}
	}
	blocks := 0
	for _, block := range strings.Split(text, "```eql\n")[1:] {
		blocks++
		body := block[:strings.Index(block, "```")]
		var queries []string
		for _, line := range strings.Split(body, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			if line[0] != ' ' || len(queries) == 0 {
				queries = append(queries, line)
			} else {
				queries[len(queries)-1] += "\n" + line
			}
		}
		for _, q := range queries {
			if _, err := eql.Compile(q, eql.Options{Catalog: eql.ECSCatalog(), StrictFields: true}); err != nil {
				t.Errorf("README query does not compile:\n%s\n%v", q, err)
			}
		}
	}
	if blocks == 0 {
		t.Error("the README has no EQL tour")
	}
}
