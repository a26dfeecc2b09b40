// Package evtx reads Windows XML Event Log (EVTX) files into winlog.Record
// values, streaming, with bounded memory, and without Windows.
//
// Reader reads a file from any io.Reader, one chunk at a time:
//
//	r := evtx.NewReader(f, "Security.evtx")
//	for rec, err := range r.All() {
//		if err != nil {
//			return err // not an EVTX file, or the input failed
//		}
//		// use rec
//	}
//	stats := r.Stats() // records read and skipped, problems found
//
// Reset lets one Reader read many files without allocating its buffers
// again; ResetBytes reads a file held in memory in place, without copying
// its chunks. ParseChunk decodes a single chunk, and DecodeFragment and
// AppendFragmentXML a single binary XML fragment; they serve tools and
// fuzzing.
//
// # Format
//
// An EVTX file is a 4096-byte file header followed by 64 KiB chunks. Each
// chunk has a 512-byte header (record numbers, free space offset, CRC32s,
// and hash tables of names and template definitions) followed by event
// records: a "**\0\0" signature, the record size, the record identifier,
// the time written, binary XML, and a copy of the size. The binary XML
// ([MS-EVEN6] section 3.1.4.7) is a token stream. A record is normally one
// template instance: a reference to a template definition (stored inline
// the first time a chunk uses it, then referenced by chunk offset) and an
// array of typed substitution values. Element and attribute names are
// stored once per chunk and referenced by offset too.
//
// # Decoding
//
// Template definitions are compiled once per chunk into a flat list of
// operations and replayed for each record with its values. A Reader keeps
// compiled templates from chunk to chunk and file to file, and uses one
// again where a chunk holds the same definition at the same offset, with
// the same names (the first template of a chunk often is). The renderer
// follows the Windows rules: an element whose dependency value or optional
// substitution is NULL is left out, an attribute with an empty value is
// left out, an element holding an array value (in its content or its
// attributes) is repeated once per item, an empty array giving one empty
// element, and substitution values that
// are themselves binary XML (type 0x21, used for EventData and UserData)
// are decoded in place, recursively.
//
// Values are rendered as the Windows event XML renderer writes them, which
// is what Winlogbeat sees: integers in decimal, hexadecimal integers and
// size_t as lower-case "0x..." without padding, GUIDs as upper-case
// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (Windows Server 2012 R2 and
// older wrote them in lower case), SIDs as "S-1-5-...", binary data as
// upper-case hex digits, booleans as "true"/"false", FILETIMEs as
// "2019-03-19T23:34:25.1234567Z" (SYSTEMTIMEs the same way, the
// milliseconds padded to seven digits), ANSI strings as code page 1252,
// strings up to their first NUL, trailing spaces kept. Floating-point
// values use the shortest decimal form that reads back exactly ("1.#INF"
// and "-1.#IND" for the special values); the exact Windows spelling of
// floats is not documented and not covered by the test corpus.
//
// The mapping to winlog.Record follows Winlogbeat's reading of the same
// XML: EventData children in order (unnamed <Data> get an empty Name,
// <Binary> goes to Record.Binary, other elements are named after
// themselves), and for UserData the first child element, whose children
// are pairs named by their Name attribute or else their element name.
// Parameter references such as "%%1833" are kept as they are: resolving
// them needs the provider's message files, which are not in the EVTX.
//
// # Damaged files
//
// Reader never panics and never stops on damaged data; see Reader for what
// it skips and how it reports it. All sizes and offsets read from the file
// are checked against the chunk before use, so no allocation depends on
// them beyond one chunk, and recursion and repetition are capped (element
// nesting, binary XML nesting, array items, and a per-record budget of
// work), so no input makes decoding loop for long.
package evtx
