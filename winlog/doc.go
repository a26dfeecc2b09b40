package winlog

import (
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// obj is the mutable document the mapping works on, shaped like the
// ingest pipeline's ctx: an ordered map whose values are string, int64,
// bool, []string, []*obj or *obj. It becomes an event.Value at the end.
type obj struct {
	keys []string
	vals []any
	kb   [6]string // inline storage for small objects: one allocation each
	vb   [6]any
}

func newObj() *obj {
	o := &obj{}
	o.keys, o.vals = o.kb[:0], o.vb[:0]
	return o
}

func (o *obj) index(key string) int {
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// get returns the value at the dotted path, or nil.
func (o *obj) get(path string) any {
	cur := o
	for {
		dot := strings.IndexByte(path, '.')
		key := path
		if dot >= 0 {
			key = path[:dot]
		}
		i := cur.index(key)
		if i < 0 {
			return nil
		}
		if dot < 0 {
			return cur.vals[i]
		}
		next, ok := cur.vals[i].(*obj)
		if !ok {
			return nil
		}
		cur, path = next, path[dot+1:]
	}
}

// str returns the string at path, and whether there is one.
func (o *obj) str(path string) (string, bool) {
	s, ok := o.get(path).(string)
	return s, ok
}

// has reports whether path holds a value.
func (o *obj) has(path string) bool { return o.get(path) != nil }

// set stores v at path, creating intermediate objects (and replacing
// non-objects on the way, as the pipeline's set does).
func (o *obj) set(path string, v any) {
	cur := o
	for {
		dot := strings.IndexByte(path, '.')
		if dot < 0 {
			if i := cur.index(path); i >= 0 {
				cur.vals[i] = v
			} else {
				cur.keys = append(cur.keys, path)
				cur.vals = append(cur.vals, v)
			}
			return
		}
		key := path[:dot]
		i := cur.index(key)
		var next *obj
		if i >= 0 {
			n, ok := cur.vals[i].(*obj)
			if !ok {
				n = newObj()
				cur.vals[i] = n
			}
			next = n
		} else {
			next = newObj()
			cur.keys = append(cur.keys, key)
			cur.vals = append(cur.vals, next)
		}
		cur, path = next, path[dot+1:]
	}
}

// del removes the value at path and returns it (nil if absent).
func (o *obj) del(path string) any {
	cur := o
	for {
		dot := strings.IndexByte(path, '.')
		key := path
		if dot >= 0 {
			key = path[:dot]
		}
		i := cur.index(key)
		if i < 0 {
			return nil
		}
		if dot < 0 {
			v := cur.vals[i]
			cur.keys = append(cur.keys[:i], cur.keys[i+1:]...)
			cur.vals = append(cur.vals[:i], cur.vals[i+1:]...)
			return v
		}
		next, ok := cur.vals[i].(*obj)
		if !ok {
			return nil
		}
		cur, path = next, path[dot+1:]
	}
}

// delAt removes the i-th key of o.
func (o *obj) delAt(i int) {
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
}

// rename moves the value at from to to (if present), as the pipeline's
// rename processor does, and reports whether it moved anything.
func (o *obj) rename(from, to string) bool {
	v := o.del(from)
	if v == nil {
		return false
	}
	o.set(to, v)
	return true
}

// appendUnique appends s to the string list at path unless it is already
// there (the append processor with allow_duplicates: false).
func (o *obj) appendUnique(path, s string) {
	list, _ := o.get(path).([]string)
	for _, x := range list {
		if x == s {
			return
		}
	}
	o.set(path, append(list, s))
}

// size returns the number of keys.
func (o *obj) size() int { return len(o.keys) }

// value converts the document to an event.Value, keeping key order.
func (o *obj) value() event.Value {
	fields := make([]event.Field, 0, len(o.keys))
	for i, k := range o.keys {
		fields = append(fields, event.Field{Key: k, Value: toValue(o.vals[i])})
	}
	return event.Object(fields...)
}

func toValue(v any) event.Value {
	switch x := v.(type) {
	case string:
		return event.String(x)
	case int64:
		return event.Int(x)
	case int:
		return event.Int(int64(x))
	case uint64:
		return event.Int(int64(x))
	case bool:
		return event.Bool(x)
	case []string:
		return event.Strings(x...)
	case []*obj:
		elems := make([]event.Value, len(x))
		for i, e := range x {
			elems[i] = e.value()
		}
		return event.Array(elems...)
	case *obj:
		return x.value()
	case event.Value:
		return x
	}
	return event.Null()
}
