package main

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pelletier/go-toml/v2"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/hunt"
)

// elasticRule is what Vigil reads of a rule file of Elastic's
// detection-rules repository.
type elasticRule struct {
	Metadata struct {
		Maturity string `toml:"maturity"`
	} `toml:"metadata"`
	Rule struct {
		RuleID    string `toml:"rule_id"`
		Name      string `toml:"name"`
		Severity  string `toml:"severity"`
		RiskScore int    `toml:"risk_score"`
		Language  string `toml:"language"`
		Query     string `toml:"query"`
		Threat    []struct {
			Framework string `toml:"framework"`
			Technique []struct {
				ID           string `toml:"id"`
				Subtechnique []struct {
					ID string `toml:"id"`
				} `toml:"subtechnique"`
			} `toml:"technique"`
		} `toml:"threat"`
	} `toml:"rule"`
	// queryLine is the number of lines before the query in the file, to
	// locate its errors.
	queryLine int
}

// parseElasticRule reads an Elastic detection rule.
func parseElasticRule(data []byte) (*elasticRule, error) {
	var r elasticRule
	if err := toml.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	q := r.Rule.Query
	text := string(data)
	if i := strings.Index(text, strings.TrimSpace(q)); i >= 0 {
		// Count lines up to where the query text starts, allowing for the
		// leading white space TOML kept.
		lead := len(q) - len(strings.TrimLeft(q, " \t\r\n"))
		r.queryLine = strings.Count(text[:i], "\n") - strings.Count(q[:lead], "\n")
	}
	return &r, nil
}

// techniques returns the ATT&CK techniques of the rule, its
// sub-techniques in place of their technique.
func (r *elasticRule) techniques() []string {
	var out []string
	for _, t := range r.Rule.Threat {
		if t.Framework != "" && t.Framework != "MITRE ATT&CK" {
			continue
		}
		for _, tech := range t.Technique {
			if len(tech.Subtechnique) == 0 && !slices.Contains(out, tech.ID) {
				out = append(out, tech.ID)
			}
			for _, s := range tech.Subtechnique {
				if !slices.Contains(out, s.ID) {
					out = append(out, s.ID)
				}
			}
		}
	}
	return out
}

// elasticRuleStats counts what loading a folder of Elastic rules found.
type elasticRuleStats struct {
	Files, EQL, OtherLanguage, Deprecated, Broken int
}

// elasticRules compiles with opts the EQL rules of the Elastic detection
// rule files (.toml) under fsys, in file name order. Rules of other
// languages, and deprecated ones (metadata.maturity), are counted and
// left; a file that does not parse or a query that does not compile is
// reported on problems, with its file (under prefix) and line, and
// counted. Files are read and compiled on every core, which halves the
// time to load Elastic's pack on two; what is reported and returned is
// in file order all the same.
func elasticRules(fsys fs.FS, prefix string, opts eql.Options, problems io.Writer) ([]*hunt.Rule, elasticRuleStats, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".toml" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, elasticRuleStats{}, err
	}
	loaded := make([]loadedRule, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
				loaded[i] = loadElasticRule(fsys, files[i], path.Join(prefix, files[i]), opts)
			}
		}()
	}
	wg.Wait()
	var rules []*hunt.Rule
	var st elasticRuleStats
	for _, l := range loaded {
		if l.err != nil {
			return nil, st, l.err
		}
		fmt.Fprint(problems, l.problem)
		switch l.kind {
		case ruleBroken:
			st.Broken++
		case ruleOther:
			st.Files++
			st.OtherLanguage++
		case ruleDeprecated:
			st.Files++
			st.Deprecated++
		case ruleEQL:
			st.Files++
			st.EQL++
			rules = append(rules, l.rule)
		}
	}
	return rules, st, nil
}

// loadedRule is what one file of a folder of Elastic rules gave.
type loadedRule struct {
	kind    ruleKind
	rule    *hunt.Rule
	problem string // for problems
	err     error  // the file could not be read
}

type ruleKind uint8

const (
	ruleNone       ruleKind = iota // a TOML file that is not a rule
	ruleEQL                        // an EQL rule, compiled
	ruleOther                      // a rule of another language
	ruleDeprecated                 // a deprecated EQL rule
	ruleBroken                     // a file that does not parse or a query that does not compile
)

// loadElasticRule reads and compiles the rule file p of fsys, called name
// in what it reports.
func loadElasticRule(fsys fs.FS, p, name string, opts eql.Options) loadedRule {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return loadedRule{err: err}
	}
	r, err := parseElasticRule(data)
	switch {
	case err != nil:
		return loadedRule{kind: ruleBroken, problem: fmt.Sprintf("%s: %v\n", name, err)}
	case r.Rule.Query == "" && r.Rule.RuleID == "":
		return loadedRule{kind: ruleNone}
	case r.Rule.Language != "eql":
		return loadedRule{kind: ruleOther}
	case r.Metadata.Maturity == "deprecated":
		return loadedRule{kind: ruleDeprecated}
	}
	q, err := eql.Compile(r.Rule.Query, opts)
	if err != nil {
		if el, ok := err.(eql.ErrorList); ok {
			return loadedRule{kind: ruleBroken, problem: el.Shifted(r.queryLine).Format(name)}
		}
		return loadedRule{kind: ruleBroken, problem: fmt.Sprintf("%s: %v\n", name, err)}
	}
	return loadedRule{kind: ruleEQL, rule: &hunt.Rule{ID: r.Rule.RuleID, Name: r.Rule.Name, Severity: r.Rule.Severity,
		RiskScore: r.Rule.RiskScore, Techniques: r.techniques(), Query: q}}
}
