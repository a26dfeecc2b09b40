package eql

import (
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// valueTest is a test of one scalar field value. Leaves of the where clause
// are built from these so that the hot path runs without closures or
// copies of values.
type valueTest interface {
	test(v *event.Value) bool
}

// anyValue reports whether v, or any non-null element of v when it is an
// array, passes t: Lucene's semantics for multi-valued fields.
func anyValue(v *event.Value, t valueTest) bool {
	if v == nil {
		return false
	}
	switch v.Kind() {
	case event.KindArray:
		for i, n := 0, v.Len(); i < n; i++ {
			if e := v.Elem(i); !e.IsNull() && t.test(e) {
				return true
			}
		}
		return false
	case event.KindNull, event.KindMissing:
		return false
	}
	return t.test(v)
}

// ref returns a pointer to the field's value in the document, or nil.
func (f *fieldRef) ref(ctx *evalCtx) *event.Value {
	if !f.plain || ctx.bind == f {
		v := f.get(ctx)
		if !v.Exists() {
			return nil
		}
		return &v
	}
	if f.id < len(ctx.hints) {
		return ctx.doc.RefHint(&f.path, ctx.hints[f.id])
	}
	return ctx.doc.Ref(&f.path)
}

// eqString is field == "constant" on a keyword (or untyped) field.
type eqString struct {
	s string
	k *constant
}

func (t *eqString) test(v *event.Value) bool {
	if s, ok := v.Str(); ok {
		return s == t.s
	}
	r, ok := compareConst(*v, t.k, TypeUnknown)
	return ok && r == 0
}

// cmpConst is field <op> constant for any type.
type cmpConst struct {
	k  *constant
	t  FieldType
	op Token
}

func (t *cmpConst) test(v *event.Value) bool {
	r, ok := compareConst(*v, t.k, t.t)
	return ok && cmpOK(t.op, r)
}

// setTest is field in (...).
type setTest struct{ set *constSet }

func (t setTest) test(v *event.Value) bool { return t.set.contains(*v) }

// matchTest is field : / like / regex patterns.
type matchTest struct{ m *matcher }

func (t matchTest) test(v *event.Value) bool { return t.m.matchValue(*v) }

// prefixTest is startsWith(field, "x") and stringContains(field, "x").
type prefixTest struct {
	s        string
	fold     bool
	contains bool
}

func (t *prefixTest) test(v *event.Value) bool {
	s, ok := v.Text()
	if !ok {
		return false
	}
	if t.fold {
		if isASCII(s) {
			// t.s is folded: compare without folding a copy of s.
			if t.contains {
				return indexFoldASCII(s, t.s) >= 0
			}
			return len(s) >= len(t.s) && equalFoldASCII(s[:len(t.s)], t.s)
		}
		s = foldString(s)
	}
	if t.contains {
		return strings.Contains(s, t.s)
	}
	return strings.HasPrefix(s, t.s)
}

// cidrTest is cidrMatch(field, ...).
type cidrTest struct{ args []event.Value }

func (t *cidrTest) test(v *event.Value) bool {
	return isTrue(fnCIDRMatch(append([]event.Value{*v}, t.args...), false))
}

// leafOf makes a predicate that applies t to the field (any value matches).
func leafOf(ref *fieldRef, t valueTest) pred {
	return func(ctx *evalCtx) bool { return anyValue(ref.ref(ctx), t) }
}

// notLeafOf is the negation of leafOf: true when no value matches, and
// when the field is missing.
func notLeafOf(ref *fieldRef, t valueTest) pred {
	return func(ctx *evalCtx) bool { return !anyValue(ref.ref(ctx), t) }
}
