package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/event"
)

// Format is an input format recognised by content.
type Format int

// The formats Sniff recognises.
const (
	FormatUnknown    Format = iota
	FormatNDJSON            // one JSON document per line
	FormatJSONStream        // JSON array(s) or pretty-printed documents (evtx_dump's "Record N" lines allowed)
	FormatXML               // Windows event XML
	FormatEVTX              // EVTX binary
	FormatGzip              // gzip stream
	FormatZip               // zip archive
	FormatUTF16             // UTF-16 text with a byte-order mark
)

var formatNames = [...]string{"unknown", "ndjson", "json", "xml", "evtx", "gzip", "zip", "utf-16"}

// String returns the format's name.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("format(%d)", int(f))
}

var (
	evtxMagic = []byte("ElfFile\x00")
	zipMagic  = []byte("PK\x03\x04")
	gzipMagic = []byte{0x1f, 0x8b}
	utf8BOM   = []byte{0xef, 0xbb, 0xbf}
)

// Sniff recognises the format of the data that starts with head (the first
// line, or 64 KiB of it, is enough).
func Sniff(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, evtxMagic):
		return FormatEVTX
	case bytes.HasPrefix(head, gzipMagic):
		return FormatGzip
	case bytes.HasPrefix(head, zipMagic):
		return FormatZip
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return FormatUTF16
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	text := bytes.TrimLeft(head, " \t\r\n")
	if len(text) == 0 {
		return FormatUnknown
	}
	switch text[0] {
	case '<':
		return FormatXML
	case '[':
		return FormatJSONStream
	case 'R':
		if bytes.HasPrefix(text, []byte("Record ")) {
			return FormatJSONStream
		}
	case '{':
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i]
		} else if len(head) >= bufSize {
			return FormatNDJSON // one huge first line
		}
		var dec event.Decoder
		if _, err := dec.Decode(line); err == nil {
			return FormatNDJSON
		}
		return FormatJSONStream
	}
	return FormatUnknown
}

// sniff opens the source for in, whose content br holds.
func (r *Reader) sniff(in *input, br *bufio.Reader, rc io.Closer) (source, error) {
	head, err := br.Peek(bufSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	f := Sniff(head)
	switch f {
	case FormatGzip:
		if in.depth >= maxArchiveDepth {
			return nil, fmt.Errorf("archive nested deeper than %d levels", maxArchiveDepth)
		}
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		inner := &input{name: in.name, depth: in.depth + 1}
		src, err := r.sniff(inner, bufio.NewReaderSize(gz, bufSize), multiCloser{gz, rc})
		return src, err
	case FormatZip:
		return r.queueZip(in, br, rc)
	case FormatUTF16:
		return r.sniff(&input{name: in.name, depth: in.depth}, bufio.NewReaderSize(newUTF16Reader(br), bufSize), rc)
	case FormatEVTX:
		r.stats.Files++
		return newEVTXSource(r, in.name, br, rc), nil
	case FormatXML:
		r.stats.Files++
		return newXMLSource(r, in.name, br, rc), nil
	case FormatNDJSON:
		r.stats.Files++
		return newNDJSONSource(r, in.name, br, rc), nil
	case FormatJSONStream:
		r.stats.Files++
		return newJSONStreamSource(r, in.name, br, rc), nil
	}
	if len(bytes.TrimSpace(head)) == 0 {
		r.stats.Files++ // an empty file is read, with no events
		return emptySource{rc}, nil
	}
	return nil, errors.New("unrecognised content (not EVTX, event XML, JSON or NDJSON, gzip or zip)")
}

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var errs []error
	for _, c := range m {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// utf16Reader transcodes UTF-16 text with a byte-order mark to UTF-8
// (PowerShell's Out-File and > write XML this way).
type utf16Reader struct {
	r         *bufio.Reader
	bigEndian bool
	started   bool
	out       []byte
	err       error
}

func newUTF16Reader(r *bufio.Reader) io.Reader { return &utf16Reader{r: r} }

func (u *utf16Reader) Read(p []byte) (int, error) {
	if !u.started {
		u.started = true
		bom := make([]byte, 2)
		if _, err := io.ReadFull(u.r, bom); err != nil {
			return 0, err
		}
		u.bigEndian = bom[0] == 0xfe
	}
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) unit() (uint16, bool) {
	var b [2]byte
	if _, err := io.ReadFull(u.r, b[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			u.err = errors.New("UTF-16 text ends in the middle of a character")
		} else {
			u.err = err
		}
		return 0, false
	}
	if u.bigEndian {
		return uint16(b[0])<<8 | uint16(b[1]), true
	}
	return uint16(b[1])<<8 | uint16(b[0]), true
}

func (u *utf16Reader) fill() {
	buf := u.out[:0]
	for len(buf) < 16<<10 {
		c, ok := u.unit()
		if !ok {
			break
		}
		r := rune(c)
		if utf16.IsSurrogate(r) {
			if c2, ok := u.unit(); ok {
				r = utf16.DecodeRune(r, rune(c2))
			} else {
				r = utf8.RuneError
			}
		}
		buf = utf8.AppendRune(buf, r)
	}
	u.out = buf
}
