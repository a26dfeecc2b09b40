package evtx

import "github.com/vigil-sec/vigil/winlog"

// DecodeFragment decodes the binary XML in chunk[off:end] into a Record.
// chunk is the chunk that holds the fragment: names and template
// definitions referred to by offset are looked up in it. It is meant for
// tools and tests; readers of files should use Reader or ParseChunk.
func DecodeFragment(chunk []byte, off, end int) (*winlog.Record, error) {
	d := newDecoder()
	d.setChunk(chunk)
	b := recordBuilder{in: &d.in}
	rec := &winlog.Record{}
	b.reset(rec)
	if err := d.decode(off, end, &b); err != nil {
		return nil, err
	}
	b.finish()
	return rec, nil
}

// AppendFragmentXML decodes the binary XML in chunk[off:end], as
// DecodeFragment does, and appends it to dst as event XML.
func AppendFragmentXML(dst, chunk []byte, off, end int) ([]byte, error) {
	d := newDecoder()
	d.setChunk(chunk)
	x := xmlWriter{buf: dst}
	if err := d.decode(off, end, &x); err != nil {
		return dst, err
	}
	return x.buf, nil
}
