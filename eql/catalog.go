package eql

import (
	_ "embed"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/suggest"
)

//go:embed catalog/fields.txt
var knownFieldsText string

// Catalog is a list of known field names, for catching typos such as
// proces.name in rules that run without an index mapping.
type Catalog struct {
	names []string        // sorted
	set   map[string]bool // names and every prefix of them (objects)
	open  []string        // prefixes under which any name is accepted
}

// NewCatalog returns a catalog of the given field names; any field below
// one of the open prefixes (such as "winlog.event_data.") is accepted too.
func NewCatalog(names []string, open ...string) *Catalog {
	c := &Catalog{set: map[string]bool{}, open: open}
	for _, n := range names {
		if n == "" || c.set[n] {
			continue
		}
		c.names = append(c.names, n)
		c.set[n] = true
		for i := strings.IndexByte(n, '.'); i >= 0; i = strings.IndexByte(n[i+1:], '.') + i + 1 {
			c.set[n[:i]] = true
			if strings.IndexByte(n[i+1:], '.') < 0 {
				break
			}
		}
	}
	sort.Strings(c.names)
	return c
}

// ECSCatalog returns the catalog Vigil checks rules against: every field
// read by Elastic's EQL detection rules and every field of Elastic's
// golden Winlogbeat documents for Sysmon, Security and PowerShell, with
// the free-form namespaces open (raw Windows event data, labels, and
// Elastic Defend's Ext objects).
func ECSCatalog() *Catalog {
	return NewCatalog(strings.Fields(knownFieldsText),
		"winlog.event_data.", "winlog.user_data.", "labels.", "Endpoint.", "Effective_process.")
}

// Known reports whether name is in the catalog.
func (c *Catalog) Known(name string) bool {
	if c.set[name] {
		return true
	}
	for _, p := range c.open {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	// Elastic Defend adds Ext objects to many ECS objects.
	return strings.Contains(name, ".Ext.") || strings.HasSuffix(name, ".Ext")
}

// Nearest suggests the known field closest to a misspelt name.
func (c *Catalog) Nearest(name string) string {
	return suggest.Nearest(name, c.names)
}
