package winlog

import (
	"sort"
	"unicode/utf16"
)

// javaHashOrder returns keys in the order a java.util.HashMap holding them
// (inserted in the given order) iterates them. Elasticsearch parses the
// params of a pipeline script into HashMaps, so wherever a pipeline builds
// a list by iterating such a map (UAC flag names, Kerberos ticket options,
// permission names, Sysmon hash names) the list comes out in this order,
// and matching the pipeline's output means reproducing it.
func javaHashOrder(keys []string) []string {
	n := 16
	for float64(len(keys)) > float64(n)*0.75 {
		n *= 2
	}
	type entry struct {
		key    string
		bucket int
		pos    int
	}
	es := make([]entry, len(keys))
	for i, k := range keys {
		h := javaStringHash(k)
		h ^= h >> 16
		es[i] = entry{k, int(h & uint32(n-1)), i}
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].bucket != es[j].bucket {
			return es[i].bucket < es[j].bucket
		}
		return es[i].pos < es[j].pos
	})
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.key
	}
	return out
}

// javaStringHash is java.lang.String.hashCode: s[0]*31^(n-1) + ... over the
// UTF-16 code units of s.
func javaStringHash(s string) uint32 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h = 31*h + uint32(r1)
			h = 31*h + uint32(r2)
			continue
		}
		h = 31*h + uint32(r)
	}
	return h
}
