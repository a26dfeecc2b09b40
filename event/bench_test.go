package event

import "testing"

const benchDoc = `{"@timestamp":"2026-01-01T00:00:00.000Z","event":{"category":["process"],"type":["start"],"kind":"event","code":"1"},"host":{"name":"host-01","id":"h","os":{"type":"windows"}},"process":{"name":"cmd.exe","pid":1234,"executable":"C:\\Windows\\System32\\cmd.exe","command_line":"cmd.exe /c whoami","args":["cmd.exe","/c","whoami"],"parent":{"name":"explorer.exe","pid":99},"entity_id":"{1}"},"user":{"name":"a"},"file":{"path":"C:\\x"},"destination":{"ip":"10.0.0.1","port":443}}`

func BenchmarkGet(b *testing.B) {
	var d Decoder
	v, err := d.Decode([]byte(benchDoc))
	if err != nil {
		b.Fatal(err)
	}
	p := MustPath("process.command_line")
	for b.Loop() {
		_ = v.Get(p)
	}
}

func BenchmarkDecode(b *testing.B) {
	data := []byte(benchDoc)
	var d Decoder
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := d.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
