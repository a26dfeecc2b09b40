package vault

import (
	"fmt"
	"testing"
	"testing/fstest"
)

// syntheticVault returns a vault of the upstream catalogue's size: 625
// technique notes with their two query blocks, and rules spread over them.
func syntheticVault(rules int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range 625 {
		id := fmt.Sprintf("T%04d", 1000+i)
		fsys["Techniques/"+id+" - X.md"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntactics: Execution\nurl: https://attack.mitre.org/techniques/%s\ntags: [%s, techniques, Execution]\n---\n\n## X\n\n### Description\n\nText.\n\n### Detection Rule\n\n```query\ntag: detection_rule\ntag: %s\n```\n\n### Rule Testing\n\n```query\ntag: atomic_test\ntag: %s\n```\n",
			id, id, id, id))}
	}
	for i := range rules {
		id := fmt.Sprintf("T%04d", 1000+i%625)
		fsys[fmt.Sprintf("Rules/r%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\nid: r%d\nname: R\ntags: [detection_rule, %s]\nseverity: low\nconfidence: low\nrisk_score: 1\n---\n## R\n### Description\nx\n### Query\n```eql\nprocess where process.name == \"x%d.exe\" and process.args : \"-c\"\n```\n",
			i, id, i))}
	}
	return fsys
}

func BenchmarkLoadCheck(b *testing.B) {
	fsys := syntheticVault(3000)
	b.ReportAllocs()
	for b.Loop() {
		v, err := Load(fsys)
		if err != nil {
			b.Fatal(err)
		}
		// There are no tests, so the 625 Rule Testing blocks find nothing.
		if ps := v.Check(); len(ps) != 625 {
			b.Fatalf("%d problems, first %v", len(ps), ps[0])
		}
	}
}
