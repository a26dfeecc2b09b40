package main

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

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
// counted.
func elasticRules(fsys fs.FS, prefix string, opts eql.Options, problems io.Writer) ([]*hunt.Rule, elasticRuleStats, error) {
	var rules []*hunt.Rule
	var st elasticRuleStats
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".toml" {
			return nil
		}
		name := path.Join(prefix, p)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		r, err := parseElasticRule(data)
		if err != nil {
			st.Broken++
			fmt.Fprintf(problems, "%s: %v\n", name, err)
			return nil
		}
		if r.Rule.Query == "" && r.Rule.RuleID == "" {
			return nil // not a rule: a TOML file of another kind
		}
		st.Files++
		switch {
		case r.Rule.Language != "eql":
			st.OtherLanguage++
			return nil
		case r.Metadata.Maturity == "deprecated":
			st.Deprecated++
			return nil
		}
		q, err := eql.Compile(r.Rule.Query, opts)
		if err != nil {
			st.Broken++
			if el, ok := err.(eql.ErrorList); ok {
				fmt.Fprint(problems, el.Shifted(r.queryLine).Format(name))
			} else {
				fmt.Fprintf(problems, "%s: %v\n", name, err)
			}
			return nil
		}
		st.EQL++
		rules = append(rules, &hunt.Rule{ID: r.Rule.RuleID, Name: r.Rule.Name, Severity: r.Rule.Severity,
			RiskScore: r.Rule.RiskScore, Techniques: r.techniques(), Query: q})
		return nil
	})
	return rules, st, err
}
