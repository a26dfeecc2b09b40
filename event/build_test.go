package event

import (
	"strings"
	"testing"
	"unsafe"
)

func TestArrayOf(t *testing.T) {
	for _, tc := range []struct {
		name  string
		elems []Field
		want  Value
	}{
		{"nil", nil, Array()},
		{"empty", []Field{}, Array()},
		{"strings", []Field{{Value: String("a")}, {Value: String("b")}}, Strings("a", "b")},
		{"mixed", []Field{{Value: Int(1)}, {Value: Object(Field{Key: "k", Value: Bool(true)})}},
			Array(Int(1), Object(Field{Key: "k", Value: Bool(true)}))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ArrayOf(tc.elems)
			if !Equal(got, tc.want) {
				t.Errorf("ArrayOf = %s, want %s", AppendJSON(nil, got), AppendJSON(nil, tc.want))
			}
			if got.Kind() != KindArray {
				t.Errorf("kind %s", got.Kind())
			}
		})
	}
	// The slice is not copied.
	elems := []Field{{Value: String("a")}}
	v := ArrayOf(elems)
	elems[0].Value = String("b")
	if s, _ := v.Index(0).Str(); s != "b" {
		t.Errorf("ArrayOf copied its elements")
	}
}

func TestObjectOf(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fields []Field
	}{
		{"nil", nil},
		{"plain", []Field{{Key: "a", Value: Int(1)}, {Key: "b", Value: String("x")}}},
		{"dotted", []Field{{Key: "a", Value: Int(1)}, {Key: "b.c", Value: String("x")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dotted := false
			for _, f := range tc.fields {
				dotted = dotted || strings.Contains(f.Key, ".")
			}
			got, want := ObjectOf(tc.fields, dotted), Object(tc.fields...)
			if !Equal(got, want) {
				t.Errorf("ObjectOf = %s, Object = %s", AppendJSON(nil, got), AppendJSON(nil, want))
			}
			for _, f := range tc.fields {
				if v := got.Get(MustPath(f.Key)); !Equal(v, f.Value) {
					t.Errorf("Get(%q) = %s, want %s", f.Key, AppendJSON(nil, v), AppendJSON(nil, f.Value))
				}
			}
		})
	}
}

func TestIntern(t *testing.T) {
	for _, tc := range []struct {
		name      string
		canonical bool
	}{
		{"process", true},
		{"command_line", true},
		{"SubjectUserSid", true},
		{"NotACommonFieldName", false},
	} {
		// Build the name at run time so that it is not a copy of a
		// constant the linker may have merged.
		name := string([]byte(tc.name))
		got := Intern(name)
		if got != tc.name {
			t.Fatalf("Intern(%q) = %q", tc.name, got)
		}
		same := unsafe.StringData(got) == unsafe.StringData(Intern(string([]byte(tc.name))))
		if same != tc.canonical {
			t.Errorf("Intern(%q): canonical copy %v, want %v", tc.name, same, tc.canonical)
		}
	}
	p := MustPath("process.command_line")
	if unsafe.StringData(p.parts[1]) != unsafe.StringData(Intern(string([]byte("command_line")))) {
		t.Errorf("Intern and Path disagree on the copy of command_line")
	}
}
