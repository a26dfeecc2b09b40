package eql

import (
	"cmp"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// constant is a literal prepared for fast comparison against field values
// of any type: its text, numeric and date forms are computed once.
type constant struct {
	v      event.Value
	str    string // text form
	hasStr bool
	folded string // lower-cased text form
	num    float64
	isNum  bool
	i      int64
	isInt  bool
	ns     int64 // as a date
	isTime bool
	isBool bool
	b      bool
}

func newConstant(v event.Value) *constant {
	c := &constant{v: v}
	if s, ok := v.Text(); ok {
		c.str, c.hasStr = s, true
		c.folded = foldString(s)
	}
	switch v.Kind() {
	case event.KindInt:
		c.i, c.isInt = v.Int()
		c.num, c.isNum = float64(c.i), true
	case event.KindFloat:
		c.num, c.isNum = v.Float()
		if c.num == math.Trunc(c.num) && math.Abs(c.num) < 1<<62 {
			c.i, c.isInt = int64(c.num), true
		}
	case event.KindString:
		s, _ := v.Str()
		t := strings.TrimSpace(s)
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			c.i, c.isInt, c.num, c.isNum = n, true, float64(n), true
		} else if f, err := strconv.ParseFloat(t, 64); err == nil && !math.IsNaN(f) {
			c.num, c.isNum = f, true
		}
		if s == "true" || s == "false" {
			c.isBool, c.b = true, s == "true"
		}
	case event.KindBool:
		c.b, c.isBool = v.Bool()
	}
	if ns, ok := event.Time(v); ok && (v.Kind() != event.KindString || !c.isNum || strings.ContainsAny(c.str, "-T:")) {
		c.ns, c.isTime = ns, true
	} else if c.isNum {
		c.ns, c.isTime = int64(c.num*1e6), true // epoch millis
	}
	return c
}

// compareConst orders a field value against a constant, reading the value
// as its field type says (or by its own kind when the type is unknown). ok
// is false when the two cannot be compared.
func compareConst(x event.Value, c *constant, t FieldType) (int, bool) {
	switch t {
	case TypeDate:
		ns, ok := event.Time(x)
		if !ok || !c.isTime {
			return 0, false
		}
		return cmp.Compare(ns, c.ns), true
	case TypeVersion:
		s, ok := x.Text()
		if !ok || !c.hasStr {
			return 0, false
		}
		return compareVersions(s, c.str), true
	case TypeLong, TypeDouble:
		x = coerce(x, t)
	case TypeKeyword, TypeText:
		s, ok := x.Text()
		if !ok || !c.hasStr {
			return 0, false
		}
		return strings.Compare(s, c.str), true
	case TypeIP:
		s, ok := x.Str()
		if !ok || !c.hasStr {
			return 0, false
		}
		a, ok1 := parseIP(s)
		b, ok2 := parseIP(c.str)
		if !ok1 || !ok2 {
			return strings.Compare(s, c.str), true
		}
		return a.Compare(b), true
	}
	switch x.Kind() {
	case event.KindString:
		s, _ := x.Str()
		if !c.hasStr {
			return 0, false
		}
		return strings.Compare(s, c.str), true
	case event.KindInt:
		i, _ := x.Int()
		if c.isInt {
			return cmp.Compare(i, c.i), true
		}
		if c.isNum {
			return cmpFloat(float64(i), c.num), true
		}
	case event.KindFloat:
		f, _ := x.Float()
		if c.isNum {
			return cmpFloat(f, c.num), true
		}
	case event.KindBool:
		b, _ := x.Bool()
		if c.isBool {
			return cmpBool(b, c.b), true
		}
	}
	return 0, false
}

// cmpFloat orders a and b by < and >; unlike cmp.Compare it does not
// order NaN before every number.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// cmpOK applies a comparison operator to the result of a three-way compare.
func cmpOK(op Token, c int) bool {
	switch op {
	case EQ:
		return c == 0
	case NEQ:
		return c != 0
	case LT:
		return c < 0
	case LTE:
		return c <= 0
	case GT:
		return c > 0
	case GTE:
		return c >= 0
	}
	return false
}

// flip mirrors a comparison so that its operands can be swapped.
func flip(op Token) Token {
	switch op {
	case LT:
		return GT
	case LTE:
		return GTE
	case GT:
		return LT
	case GTE:
		return LTE
	}
	return op
}

// forEachScalar calls f for v itself, or for each element of an array,
// stopping when f returns true; it reports whether f did.
func anyScalar(v event.Value, f func(event.Value) bool) bool {
	if v.Kind() == event.KindArray {
		for i, n := 0, v.Len(); i < n; i++ {
			if e := v.Index(i); !e.IsNull() && f(e) {
				return true
			}
		}
		return false
	}
	if v.IsNull() {
		return false
	}
	return f(v)
}

// ---------------------------------------------------------------------------
// Script-context values (three-valued logic: a null operand gives null)

var (
	vNull  = event.Null()
	vTrue  = event.Bool(true)
	vFalse = event.Bool(false)
)

func boolValue(b bool) event.Value {
	if b {
		return vTrue
	}
	return vFalse
}

func isTrue(v event.Value) bool {
	b, ok := v.Bool()
	return ok && b
}

// scalar reduces a multi-valued field to its first value for functions
// that take one value.
func scalar(v event.Value) event.Value {
	if v.Kind() == event.KindArray {
		if v.Len() == 0 {
			return vNull
		}
		return v.Index(0)
	}
	return v
}

// compareValues orders two script values; ok is false for null or
// incomparable operands.
func compareValues(a, b event.Value) (int, bool) {
	a, b = scalar(a), scalar(b)
	if a.IsNull() || b.IsNull() {
		return 0, false
	}
	if b.Kind() == event.KindString && a.Kind() != event.KindString {
		c, ok := compareConst(b, newConstant(a), TypeUnknown)
		return -c, ok
	}
	return compareConst(a, newConstant(b), TypeUnknown)
}

// numeric returns v as an int64 or float64 for arithmetic.
func numeric(v event.Value) (int64, float64, bool, bool) {
	v = scalar(v)
	switch v.Kind() {
	case event.KindInt:
		i, _ := v.Int()
		return i, float64(i), true, true
	case event.KindFloat:
		f, _ := v.Float()
		return 0, f, false, true
	}
	return 0, 0, false, false
}

// arith applies + - * / % with integer arithmetic when both operands are
// integers, as Elasticsearch does; overflow and division by zero give null.
func arith(op Token, a, b event.Value) event.Value {
	ai, af, aInt, ok1 := numeric(a)
	bi, bf, bInt, ok2 := numeric(b)
	if !ok1 || !ok2 {
		return vNull
	}
	if aInt && bInt {
		switch op {
		case PLUS:
			r := ai + bi
			if (r > ai) == (bi > 0) {
				return event.Int(r)
			}
		case MINUS:
			r := ai - bi
			if (r < ai) == (bi > 0) {
				return event.Int(r)
			}
		case STAR:
			if ai == 0 || bi == 0 {
				return event.Int(0)
			}
			r := ai * bi
			if r/bi == ai && !(ai == -1 && bi == math.MinInt64) && !(bi == -1 && ai == math.MinInt64) {
				return event.Int(r)
			}
		case SLASH:
			if bi != 0 && !(ai == math.MinInt64 && bi == -1) {
				return event.Int(ai / bi)
			}
		case PERCENT:
			if bi != 0 {
				return event.Int(ai % bi)
			}
		}
		return vNull
	}
	var r float64
	switch op {
	case PLUS:
		r = af + bf
	case MINUS:
		r = af - bf
	case STAR:
		r = af * bf
	case SLASH:
		if bf == 0 {
			return vNull
		}
		r = af / bf
	case PERCENT:
		if bf == 0 {
			return vNull
		}
		r = math.Mod(af, bf)
	}
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return vNull
	}
	return event.Float(r)
}
