// Package event holds Vigil's in-memory event: an ECS document made of
// nested objects, arrays, strings, numbers, booleans and nulls, with fast
// access by dotted field path.
//
// A document is a [Value] of kind [KindObject]. Readers build documents
// directly with [Object], [Array] and the scalar constructors, or with
// [Value.Set] for dotted paths; JSON input is decoded by a [Decoder] without
// an intermediate representation. Queries resolve a field with [Value.Get]
// and a [Path] parsed once at compile time.
package event

import (
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// Kind is the type of a [Value].
type Kind uint8

// The kinds of value. The zero Value has kind KindMissing: a field that is
// not present in the document. KindNull is an explicit JSON null.
const (
	KindMissing Kind = iota
	KindNull
	KindBool
	KindInt
	KindFloat
	KindString
	KindArray
	KindObject
)

var kindNames = [...]string{"missing", "null", "bool", "int", "float", "string", "array", "object"}

// String returns the lower-case name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one node of a document. It is a small value type; copying it does
// not copy the elements of an array or the fields of an object.
type Value struct {
	kind Kind
	// num holds a bool (0/1), int64 bits or float64 bits. An object keeps
	// dottedBit in it when one of its keys holds a dot.
	num  uint64
	str  string  // string payload
	kids []Field // array elements (Key unused) or object fields, in input order
}

// Field is one member of an object: a key, which may itself contain dots as
// Elasticsearch accepts ({"process.name": "x"}), and its value.
type Field struct {
	Key   string
	Value Value
}

// Missing is the value of a field that is absent.
var Missing = Value{}

// Null returns a JSON null.
func Null() Value { return Value{kind: KindNull} }

// Bool returns a boolean value.
func Bool(b bool) Value {
	v := Value{kind: KindBool}
	if b {
		v.num = 1
	}
	return v
}

// Int returns an integer value.
func Int(i int64) Value { return Value{kind: KindInt, num: uint64(i)} }

// Float returns a floating-point value.
func Float(f float64) Value { return Value{kind: KindFloat, num: math.Float64bits(f)} }

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, str: s} }

// Array returns an array holding elems. The slice is not copied.
func Array(elems ...Value) Value {
	kids := make([]Field, len(elems))
	for i, e := range elems {
		kids[i].Value = e
	}
	return Value{kind: KindArray, kids: kids}
}

// Strings returns an array of string values.
func Strings(ss ...string) Value {
	kids := make([]Field, len(ss))
	for i, s := range ss {
		kids[i].Value = String(s)
	}
	return Value{kind: KindArray, kids: kids}
}

// Object returns an object holding fields in the given order. The slice is
// not copied.
func Object(fields ...Field) Value {
	if fields == nil {
		fields = []Field{}
	}
	v := Value{kind: KindObject, kids: fields}
	for _, f := range fields {
		if strings.IndexByte(f.Key, '.') >= 0 {
			v.num = dottedBit
			break
		}
	}
	return v
}

// Kind reports the kind of v.
func (v Value) Kind() Kind { return v.kind }

// Exists reports whether v is present (any kind but KindMissing).
func (v Value) Exists() bool { return v.kind != KindMissing }

// IsNull reports whether v is missing or an explicit null, the two cases EQL
// treats as null.
func (v Value) IsNull() bool { return v.kind <= KindNull }

// Bool returns the boolean held by v and whether v is a boolean.
func (v Value) Bool() (bool, bool) { return v.num != 0, v.kind == KindBool }

// Int returns the integer held by v and whether v is an integer.
func (v Value) Int() (int64, bool) { return int64(v.num), v.kind == KindInt }

// Float returns v as a float64 if it is a number (int or float).
func (v Value) Float() (float64, bool) {
	switch v.kind {
	case KindFloat:
		return math.Float64frombits(v.num), true
	case KindInt:
		return float64(int64(v.num)), true
	}
	return 0, false
}

// Str returns the string held by v and whether v is a string.
func (v Value) Str() (string, bool) { return v.str, v.kind == KindString }

// Len returns the number of elements of an array or fields of an object, and
// 0 for any other kind.
func (v Value) Len() int { return len(v.kids) }

// Index returns element i of an array (or the value of field i of an object).
func (v Value) Index(i int) Value { return v.kids[i].Value }

// Fields returns the fields of an object (or the elements of an array, with
// empty keys). The caller must not modify the slice.
func (v Value) Fields() []Field { return v.kids }

// Text renders a scalar as Elasticsearch renders it in a keyword field: the
// string itself, numbers in their shortest form, booleans as true/false. It
// returns false for null, missing, arrays and objects.
func (v Value) Text() (string, bool) {
	switch v.kind {
	case KindString:
		return v.str, true
	case KindInt:
		return strconv.FormatInt(int64(v.num), 10), true
	case KindFloat:
		return strconv.FormatFloat(math.Float64frombits(v.num), 'g', -1, 64), true
	case KindBool:
		if v.num != 0 {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// Lookup returns the value of the field named key in an object, matching the
// key exactly (no dotted-path interpretation).
func (v Value) Lookup(key string) (Value, bool) {
	if v.kind != KindObject {
		return Missing, false
	}
	for i := range v.kids {
		if v.kids[i].Key == key {
			return v.kids[i].Value, true
		}
	}
	return Missing, false
}

// Equal reports whether a and b are the same value: same kind and payload,
// arrays element by element, objects field by field in order.
func Equal(a, b Value) bool {
	if a.kind != b.kind || a.str != b.str || len(a.kids) != len(b.kids) {
		return false
	}
	if a.kind < KindArray && a.num != b.num {
		return false // a composite's num is a lookup hint its keys show
	}
	for i := range a.kids {
		if a.kids[i].Key != b.kids[i].Key || !Equal(a.kids[i].Value, b.kids[i].Value) {
			return false
		}
	}
	return true
}

// Clone returns a deep copy of v that shares no memory with it: its
// fields in one new slice and its strings in one new buffer. Use it to
// keep a value decoded with [Decoder.Reuse].
func (v Value) Clone() Value {
	nFields, nBytes := cloneSize(v)
	c := cloner{fields: make([]Field, 0, nFields), bytes: make([]byte, 0, nBytes)}
	return c.clone(v)
}

func cloneSize(v Value) (fields, bytes int) {
	bytes = len(v.str)
	for i := range v.kids {
		f, b := cloneSize(v.kids[i].Value)
		fields += 1 + f
		bytes += len(v.kids[i].Key) + b
	}
	return fields, bytes
}

type cloner struct {
	fields []Field
	bytes  []byte
}

func (c *cloner) str(s string) string {
	if s == "" {
		return ""
	}
	start := len(c.bytes)
	c.bytes = append(c.bytes, s...)
	return unsafe.String(&c.bytes[start], len(s))
}

func (c *cloner) clone(v Value) Value {
	out := Value{kind: v.kind, num: v.num, str: c.str(v.str)}
	if v.kind == KindArray || v.kind == KindObject {
		start := len(c.fields)
		c.fields = c.fields[:start+len(v.kids)]
		kids := c.fields[start : start+len(v.kids) : start+len(v.kids)]
		for i := range v.kids {
			kids[i] = Field{Key: c.str(v.kids[i].Key), Value: c.clone(v.kids[i].Value)}
		}
		out.kids = kids
	}
	return out
}
