package evtx

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/winlog"
)

// bx writes binary XML into a fake chunk, so that tests can build every
// token the format has. Offsets written are chunk offsets; names are stored
// inline at their point of use.
type bx struct {
	b     []byte
	inDef bool // element starts carry a dependency identifier
}

func newBX() *bx { return &bx{b: make([]byte, fragmentBase)} }

func (w *bx) u8(v byte)    { w.b = append(w.b, v) }
func (w *bx) u16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }
func (w *bx) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

// name writes a name offset pointing just after itself, and the name.
func (w *bx) name(s string) {
	w.u32(uint32(len(w.b) + 4))
	w.u32(0) // next name in bucket
	w.u16(0) // hash, not checked
	u := utf16s(s)
	w.u16(uint16(len(u) / 2))
	w.b = append(w.b, u...)
	w.u16(0)
}

func (w *bx) fragment() { w.b = append(w.b, tokFragment, 1, 1, 0) }

// open writes an element start; attrs says whether attributes follow.
func (w *bx) open(name string, attrs bool, dep uint16) {
	tok := byte(tokOpenStart)
	if attrs {
		tok |= tokMore
	}
	w.u8(tok)
	if w.inDef {
		w.u16(dep)
	}
	w.u32(0) // element size, not needed
	w.name(name)
	if attrs {
		w.u32(0) // attribute list size, not needed
	}
}

func (w *bx) attr(name string)  { w.u8(tokAttribute); w.name(name) }
func (w *bx) closeStart()       { w.u8(tokCloseStart) }
func (w *bx) closeEmpty()       { w.u8(tokCloseEmpty) }
func (w *bx) end()              { w.u8(tokEndElement) }
func (w *bx) eof()              { w.u8(tokEOF) }
func (w *bx) charRef(r uint16)  { w.u8(tokCharRef); w.u16(r) }
func (w *bx) entity(n string)   { w.u8(tokEntityRef); w.name(n) }
func (w *bx) piTarget(n string) { w.u8(tokPITarget); w.name(n) }

func (w *bx) text(s string) {
	w.u8(tokValue)
	w.u8(typeString)
	u := utf16s(s)
	w.u16(uint16(len(u) / 2))
	w.b = append(w.b, u...)
}

func (w *bx) cdata(s string) {
	w.u8(tokCDATA)
	u := utf16s(s)
	w.u16(uint16(len(u) / 2))
	w.b = append(w.b, u...)
}

func (w *bx) piData(s string) {
	w.u8(tokPIData)
	u := utf16s(s)
	w.u16(uint16(len(u) / 2))
	w.b = append(w.b, u...)
}

func (w *bx) subst(idx uint16, typ byte, optional bool) {
	tok := byte(tokSubst)
	if optional {
		tok = tokOptionalSubst
	}
	w.u8(tok)
	w.u16(idx)
	w.u8(typ)
}

// tv is a substitution value.
type tv struct {
	typ  byte
	data []byte
}

// instance writes a template instance whose definition is inline, built by
// body, followed by the values. It returns the chunk offset of the
// definition, for later instances that refer to it.
func (w *bx) instance(id uint32, body func(w *bx), vals []tv) uint32 {
	w.u8(tokTemplate)
	w.u8(1)
	w.u32(id)
	defOff := uint32(len(w.b) + 4)
	w.u32(defOff)
	w.u32(0)                               // next definition
	w.u32(id)                              // first 4 bytes of the GUID
	w.b = append(w.b, make([]byte, 12)...) // rest of the GUID
	sizeAt := len(w.b)
	w.u32(0)
	start := len(w.b)
	w.inDef = true
	w.fragment()
	body(w)
	w.eof()
	w.inDef = false
	binary.LittleEndian.PutUint32(w.b[sizeAt:], uint32(len(w.b)-start))
	w.values(vals)
	return defOff
}

// reference writes a template instance that refers to the definition at
// defOff.
func (w *bx) reference(id, defOff uint32, vals []tv) {
	w.u8(tokTemplate)
	w.u8(1)
	w.u32(id)
	w.u32(defOff)
	w.values(vals)
}

func (w *bx) values(vals []tv) {
	w.u32(uint32(len(vals)))
	for _, v := range vals {
		w.u16(uint16(len(v.data)))
		w.u8(v.typ)
		w.u8(0)
	}
	for _, v := range vals {
		w.b = append(w.b, v.data...)
	}
}

// eventTemplate is a typical event template: System with a Provider and
// EventID, and an EventData whose content is substitution 2 (binary XML).
func eventTemplate(w *bx) {
	w.open("Event", false, 0xffff)
	w.closeStart()
	w.open("System", false, 0xffff)
	w.closeStart()
	w.open("Provider", true, 0xffff)
	w.attr("Name")
	w.subst(0, typeString, true)
	w.closeEmpty()
	w.open("EventID", false, 0xffff)
	w.closeStart()
	w.subst(1, typeUint16, false)
	w.end()
	w.end()
	w.open("EventData", false, 0xffff)
	w.closeStart()
	w.subst(2, typeBinXML, true)
	w.end()
	w.end()
}

func TestBinXMLTokens(t *testing.T) {
	tests := []struct {
		name    string
		build   func(w *bx) int // returns where the fragment to decode starts, or 0
		wantXML string
		check   func(t *testing.T, r *winlog.Record)
	}{
		{
			name: "plain elements, text, CDATA, references, PI",
			build: func(w *bx) int {
				w.fragment()
				w.piTarget("xml-stylesheet")
				w.piData("href='x'")
				w.open("Event", false, 0)
				w.closeStart()
				w.open("EventData", false, 0)
				w.closeStart()
				w.open("Data", true, 0)
				w.attr("Name")
				w.text("Cmd")
				w.closeStart()
				w.text("a")
				w.entity("lt")
				w.entity("amp")
				w.charRef('>')
				w.cdata("<b>")
				w.entity("nbsp")
				w.end()
				w.end()
				w.end()
				w.eof()
				return 0
			},
			wantXML: `<Event><EventData><Data Name='Cmd'>a&lt;&amp;&gt;&lt;b&gt;&amp;nbsp;</Data></EventData></Event>`,
			check: func(t *testing.T, r *winlog.Record) {
				want := []winlog.Data{{Name: "Cmd", Value: "a<&><b>&nbsp;"}}
				if !reflect.DeepEqual(r.EventData, want) {
					t.Errorf("EventData = %#v, want %#v", r.EventData, want)
				}
			},
		},
		{
			name: "template with nested binary XML holding another template",
			build: func(w *bx) int {
				w.fragment()
				// The EventData value is itself a fragment with a template.
				nested := func(base int) []byte {
					n := &bx{b: make([]byte, base)}
					n.fragment()
					n.instance(0x22222222, func(w *bx) {
						w.open("Data", true, 0xffff)
						w.attr("Name")
						w.text("User")
						w.closeStart()
						w.subst(0, typeSID, false)
						w.end()
						w.open("Data", true, 0xffff)
						w.attr("Name")
						w.text("Count")
						w.closeStart()
						w.subst(1, typeUint32, false)
						w.end()
					}, []tv{{typeSID, cat([]byte{1, 1, 0, 0, 0, 0, 0, 5}, le32(18))}, {typeUint32, le32(7)}})
					n.eof()
					return n.b[base:]
				}
				// Values of the outer instance come after its definition,
				// so the nested fragment's offsets are computed by writing
				// the outer instance twice: once to measure, once for real.
				probe := &bx{b: append([]byte(nil), w.b...)}
				probe.instance(0x11111111, eventTemplate, []tv{{typeString, utf16s("Prov")}, {typeUint16, le16(4624)}, {typeBinXML, make([]byte, 1)}})
				valueAt := len(probe.b) - 1
				data := nested(valueAt)
				w.instance(0x11111111, eventTemplate, []tv{{typeString, utf16s("Prov")}, {typeUint16, le16(4624)}, {typeBinXML, data}})
				w.eof()
				return 0
			},
			wantXML: `<Event><System><Provider Name='Prov'/><EventID>4624</EventID></System><EventData><Data Name='User'>S-1-5-18</Data><Data Name='Count'>7</Data></EventData></Event>`,
			check: func(t *testing.T, r *winlog.Record) {
				if r.Provider != "Prov" || r.EventID != 4624 {
					t.Errorf("System = %q %d", r.Provider, r.EventID)
				}
				want := []winlog.Data{{Name: "User", Value: "S-1-5-18"}, {Name: "Count", Value: "7"}}
				if !reflect.DeepEqual(r.EventData, want) {
					t.Errorf("EventData = %#v, want %#v", r.EventData, want)
				}
			},
		},
		{
			name: "NULL optional substitutions and dependencies leave elements and attributes out",
			build: func(w *bx) int {
				w.fragment()
				w.instance(0x33333333, func(w *bx) {
					w.open("Event", false, 0xffff)
					w.closeStart()
					w.open("System", false, 0xffff)
					w.closeStart()
					w.open("Provider", true, 0xffff)
					w.attr("Name")
					w.subst(0, typeString, true)
					w.attr("Guid")
					w.subst(1, typeGUID, true) // NULL: attribute left out
					w.closeEmpty()
					w.open("Version", false, 1) // depends on NULL value 1
					w.closeStart()
					w.text("3")
					w.end()
					w.open("Opcode", false, 0xffff)
					w.closeStart()
					w.subst(1, typeUint8, true) // NULL: element left out
					w.end()
					w.open("Level", false, 0xffff)
					w.closeStart()
					w.subst(2, typeUint8, false)
					w.end()
					w.open("Security", true, 0xffff)
					w.attr("UserID")
					w.subst(1, typeSID, true)
					w.closeEmpty()
					w.end()
					w.end()
				}, []tv{{typeString, utf16s("P")}, {typeNull, nil}, {typeUint8, []byte{4}}})
				w.eof()
				return 0
			},
			wantXML: `<Event><System><Provider Name='P'/><Level>4</Level><Security/></System></Event>`,
			check: func(t *testing.T, r *winlog.Record) {
				if r.HasOpcode || r.Version != 0 || r.Level != 4 || r.ProviderGUID != "" {
					t.Errorf("record = %+v", r)
				}
			},
		},
		{
			name: "array values repeat their element",
			build: func(w *bx) int {
				w.fragment()
				w.instance(0x44444444, func(w *bx) {
					w.open("Event", false, 0xffff)
					w.closeStart()
					w.open("EventData", false, 0xffff)
					w.closeStart()
					w.open("Data", true, 0xffff)
					w.attr("Name")
					w.text("Names")
					w.closeStart()
					w.subst(0, typeString|typeArray, false)
					w.end()
					w.open("Data", true, 0xffff)
					w.attr("Name")
					w.text("Empty")
					w.closeStart()
					w.subst(1, typeUint32|typeArray, false)
					w.end()
					w.open("Data", true, 0xffff)
					w.attr("Name")
					w.text("Ports")
					w.closeStart()
					w.subst(2, typeUint16|typeArray, false)
					w.end()
					w.end()
					w.end()
				}, []tv{{typeString | typeArray, utf16z("a", "b c")}, {typeUint32 | typeArray, nil}, {typeUint16 | typeArray, cat(le16(80), le16(443), le16(8080))}})
				w.eof()
				return 0
			},
			wantXML: `<Event><EventData><Data Name='Names'>a</Data><Data Name='Names'>b c</Data><Data Name='Empty'></Data>` +
				`<Data Name='Ports'>80</Data><Data Name='Ports'>443</Data><Data Name='Ports'>8080</Data></EventData></Event>`,
		},
		{
			name: "template referenced by offset",
			build: func(w *bx) int {
				w.fragment()
				body := func(w *bx) {
					w.open("Event", false, 0xffff)
					w.closeStart()
					w.open("EventData", false, 0xffff)
					w.closeStart()
					w.open("Data", false, 0xffff)
					w.closeStart()
					w.subst(0, typeString, false)
					w.end()
					w.end()
					w.end()
				}
				// A first fragment defines the template; the decoded one
				// (the second) refers to it.
				def := w.instance(0x55555555, body, []tv{{typeString, utf16s("first")}})
				w.eof()
				second := len(w.b)
				w.fragment()
				w.reference(0x55555555, def, []tv{{typeString, utf16s("second")}})
				w.eof()
				return second
			},
			wantXML: `<Event><EventData><Data>second</Data></EventData></Event>`,
			check: func(t *testing.T, r *winlog.Record) {
				if len(r.EventData) != 1 || r.EventData[0] != (winlog.Data{Value: "second"}) {
					t.Errorf("EventData = %#v", r.EventData)
				}
			},
		},
		{
			name: "UserData and RenderingInfo",
			build: func(w *bx) int {
				w.fragment()
				w.open("Event", false, 0)
				w.closeStart()
				w.open("UserData", false, 0)
				w.closeStart()
				w.open("ns:LogFileCleared", false, 0)
				w.closeStart()
				w.open("SubjectUserName", false, 0)
				w.closeStart()
				w.text("admin")
				w.end()
				w.open("Param", true, 0)
				w.attr("Name")
				w.text("Named")
				w.closeStart()
				w.text("v")
				w.end()
				w.end()
				w.end()
				w.open("RenderingInfo", true, 0)
				w.attr("Culture")
				w.text("en-US")
				w.closeStart()
				w.open("Message", false, 0)
				w.closeStart()
				w.text("The log was cleared.")
				w.end()
				w.open("Keywords", false, 0)
				w.closeStart()
				w.open("Keyword", false, 0)
				w.closeStart()
				w.text("Audit Success")
				w.end()
				w.end()
				w.end()
				w.end()
				w.eof()
				return 0
			},
			wantXML: `<Event><UserData><ns:LogFileCleared><SubjectUserName>admin</SubjectUserName><Param Name='Named'>v</Param></ns:LogFileCleared></UserData>` +
				`<RenderingInfo Culture='en-US'><Message>The log was cleared.</Message><Keywords><Keyword>Audit Success</Keyword></Keywords></RenderingInfo></Event>`,
			check: func(t *testing.T, r *winlog.Record) {
				wantUD := &winlog.UserData{Name: "LogFileCleared", Pairs: []winlog.Data{{Name: "SubjectUserName", Value: "admin"}, {Name: "Named", Value: "v"}}}
				if !reflect.DeepEqual(r.UserData, wantUD) {
					t.Errorf("UserData = %+v, want %+v", r.UserData, wantUD)
				}
				wantR := &winlog.Rendering{Culture: "en-US", Message: "The log was cleared.", Keywords: []string{"Audit Success"}}
				if !reflect.DeepEqual(r.Rendering, wantR) {
					t.Errorf("Rendering = %+v, want %+v", r.Rendering, wantR)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newBX()
			start := tt.build(w)
			if start == 0 {
				start = fragmentBase
			}
			x, err := AppendFragmentXML(nil, w.b, start, len(w.b))
			if err != nil {
				t.Fatalf("AppendFragmentXML: %v", err)
			}
			if string(x) != tt.wantXML {
				t.Errorf("XML\n got %s\nwant %s", x, tt.wantXML)
			}
			rec, err := DecodeFragment(w.b, start, len(w.b))
			if err != nil {
				t.Fatalf("DecodeFragment: %v", err)
			}
			if tt.check != nil {
				tt.check(t, rec)
			}
		})
	}
}

func TestBinXMLErrors(t *testing.T) {
	tests := []struct {
		name  string
		build func(w *bx)
		want  string
	}{
		{"empty", func(w *bx) { w.eof() }, "no element"},
		{"unexpected token", func(w *bx) { w.u8(0x1f) }, "unexpected token"},
		{"unclosed element", func(w *bx) {
			w.open("Event", false, 0)
			w.closeStart()
			w.text("x")
		}, "not closed"},
		{"substitution outside a template", func(w *bx) {
			w.open("Event", false, 0)
			w.closeStart()
			w.subst(0, typeString, false)
			w.end()
		}, "substitution outside a template"},
		{"name offset outside the chunk", func(w *bx) {
			w.u8(tokOpenStart)
			w.u32(0)
			w.u32(0x7fffffff)
		}, "outside chunk"},
		{"template id mismatch", func(w *bx) {
			def := w.instance(1, func(w *bx) {
				w.open("Event", false, 0xffff)
				w.closeEmpty()
			}, nil)
			w.reference(2, def, nil)
		}, "does not match"},
		{"too many values", func(w *bx) {
			w.u8(tokTemplate)
			w.u8(1)
			w.u32(1)
			w.u32(0x100)
			w.u32(0xffffffff)
		}, "do not fit"},
		{"elements nested too deep", func(w *bx) {
			for i := 0; i < maxElementDepth+1; i++ {
				w.open("E", false, 0)
				w.closeStart()
			}
		}, "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newBX()
			tt.build(w)
			_, err := DecodeFragment(w.b, fragmentBase, len(w.b))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestArrayBomb checks that an element repeated by a large array inside an
// element repeated by another array is cut off by the record budget instead
// of taking unbounded time.
func TestArrayBomb(t *testing.T) {
	w := newBX()
	w.fragment()
	items := make([]byte, 2*maxArrayItems) // maxArrayItems uint16 items
	var body func(w *bx)
	body = func(w *bx) {
		w.open("A", false, 0xffff)
		w.closeStart()
		w.subst(0, typeUint16|typeArray, false)
		for i := 0; i < 8; i++ {
			w.open("B", false, 0xffff)
			w.closeStart()
			w.subst(0, typeUint16|typeArray, false)
			w.end()
		}
		w.end()
	}
	w.instance(7, body, []tv{{typeUint16 | typeArray, items}})
	w.eof()
	_, err := DecodeFragment(w.b, fragmentBase, len(w.b))
	if !errors.Is(err, errTooComplex) {
		t.Fatalf("error %v, want %v", err, errTooComplex)
	}
}
