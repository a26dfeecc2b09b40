package event

// This file holds helpers for code that builds documents itself rather
// than decoding JSON.

// ArrayOf returns an array whose elements are the values of elems; their
// keys must be empty. The slice is not copied. With [Object], which does
// not copy its fields either, a builder can put every object and array of
// a document in one slice of fields, one allocation for the whole tree.
func ArrayOf(elems []Field) Value {
	if elems == nil {
		elems = []Field{}
	}
	return Value{kind: KindArray, kids: elems}
}

// ObjectOf returns an object holding fields in the given order, as
// [Object] does, for a builder that knows whether a key contains a dot:
// dotted must be true if one does. The slice is not copied.
func ObjectOf(fields []Field, dotted bool) Value {
	if fields == nil {
		fields = []Field{}
	}
	v := Value{kind: KindObject, kids: fields}
	if dotted {
		v.num = dottedBit
	}
	return v
}

// Intern returns the canonical copy of name if it is a common ECS or
// Windows field name, and name itself otherwise. Keys of documents built
// with these copies compare with the components of a [Path] by address,
// as the keys of decoded documents do.
func Intern(name string) string { return intern(name) }
