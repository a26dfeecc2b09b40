package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/eql"
	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/hunt"
	"github.com/vigil-sec/vigil/ingest"
	"github.com/vigil-sec/vigil/stream"
	"github.com/vigil-sec/vigil/vault"
)

func newHuntCmd() *cobra.Command {
	var (
		rulesDir    string
		output      string
		window      int
		maxPartials int
		noProgress  bool
	)
	cmd := &cobra.Command{
		Use:   "hunt [--rules DIR] INPUT...",
		Short: "Run every rule of the vault over telemetry and print the alerts",
		Long: `Hunt runs every detection rule of the vault (--rules DIR, or the vault built
into vigil) over the inputs, which may be anything 'vigil convert' reads:
EVTX, event XML, ECS NDJSON and the other JSON shapes, in files,
directories, globs, archives or stdin ("-"). The events of all inputs are
merged in time order, so sequences can span files.

--rules may also name a folder of Elastic detection rules (the .toml files
of the detection-rules repository, searched recursively): its EQL rules
run, each with its rule_id, name, severity, risk score and ATT&CK
techniques; rules in other languages and deprecated rules are counted
and left, and a rule that does not parse or compile is reported with
its file and line and skipped.

Alerts are printed as a table on a terminal and as NDJSON otherwise (-o to
choose), each with @timestamp, rule.id, rule.name, rule.severity,
threat.technique.id, host.name and the matched events. A summary by
technique and rule follows on stderr.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var dirArgs []string
			if rulesDir != "" {
				dirArgs = []string{rulesDir}
			}
			fsys, prefix, err := openVault(dirArgs, embeddedVault)
			if err != nil {
				return err
			}
			v, err := vault.Load(fsys)
			if err != nil {
				return err
			}
			opts := eql.Options{MaxPartials: maxPartials}
			var rules []*hunt.Rule
			if len(v.Rules) > 0 || rulesDir == "" {
				if rules, err = huntRules(v, opts); err != nil {
					return err
				}
			} else {
				// Not a vault: a folder of Elastic detection rules.
				var st elasticRuleStats
				if rules, st, err = elasticRules(fsys, prefix, opts, cmd.ErrOrStderr()); err != nil {
					return err
				}
				if st.Files == 0 {
					return fmt.Errorf("%s holds neither vault rules nor Elastic detection rules (.toml)", rulesDir)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "hunt: %d Elastic EQL rules from %s; %d rules of other languages and %d deprecated ones left, %d files that do not parse or compile skipped\n",
					st.EQL, rulesDir, st.OtherLanguage, st.Deprecated, st.Broken)
				if len(rules) == 0 {
					return fmt.Errorf("%s has no Elastic EQL rule that compiles", rulesDir)
				}
			}
			out := cmd.OutOrStdout()
			if output == "" {
				output = "ndjson"
				if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					output = "table"
				}
			}
			progress := false
			if f, ok := cmd.ErrOrStderr().(*os.File); ok && !noProgress {
				progress = term.IsTerminal(int(f.Fd()))
			}
			return runHunt(rules, args, huntOptions{output: output, window: window, progress: progress},
				cmd.InOrStdin(), out, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&rulesDir, "rules", "", "vault folder, or folder of Elastic detection rules, whose rules to run (default: the built-in vault)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "alert format: table, ndjson or json (default: table on a terminal, ndjson otherwise)")
	cmd.Flags().IntVar(&window, "window", 0, "events held per input to put it in time order (0: automatic)")
	cmd.Flags().IntVar(&maxPartials, "max-partials", eql.DefaultMaxPartials, "cap on live partial sequences per rule; the oldest are dropped and counted")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not show the progress bar on a terminal")
	return cmd
}

// huntRules compiles the rules of a vault with the options opts.
func huntRules(v *vault.Vault, opts eql.Options) ([]*hunt.Rule, error) {
	var rules []*hunt.Rule
	for _, r := range v.Rules {
		q, err := eql.Compile(r.Query, opts)
		if err != nil {
			if el, ok := err.(eql.ErrorList); ok {
				return nil, fmt.Errorf("rule %s does not compile:\n%s", r.ID, el.Shifted(r.QueryLine-1).Format(r.Note.Path))
			}
			return nil, fmt.Errorf("rule %s: %w", r.ID, err)
		}
		rules = append(rules, &hunt.Rule{ID: r.ID, Name: r.Name, Severity: r.Severity, RiskScore: r.RiskScore,
			Techniques: r.Techniques, Query: q})
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("the vault has no rules")
	}
	return rules, nil
}

type huntOptions struct {
	output   string
	window   int
	progress bool
}

func runHunt(rules []*hunt.Rule, inputs []string, opts huntOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	if opts.output != "table" && opts.output != "ndjson" && opts.output != "json" {
		return fmt.Errorf("hunt: unknown output format %q (want table, ndjson or json)", opts.output)
	}
	// Alerts read their host and time, and the table what the event did.
	fields := eql.FieldSet(hunt.Queries(rules), append([]string{"host.name", "@timestamp"}, alertWhatFields...)...)
	// The merge window holds NDJSON lines undecoded; each is decoded into
	// reused buffers as it comes out, so the hunt sees transient events.
	st, err := stream.Open(inputs, ingest.Options{Stdin: stdin, Select: fields, Deferred: true}, stream.Order{Window: opts.window})
	if err != nil {
		return err
	}
	defer st.Close()
	var stop func()
	if opts.progress {
		stop = startProgress(st, stderr)
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	var buf []byte
	var alerts []*hunt.Alert
	first := true
	var werr error
	h := hunt.New(rules, func(a *hunt.Alert) {
		switch opts.output {
		case "ndjson":
			buf = append(a.AppendJSON(buf[:0]), '\n')
			if _, err := w.Write(buf); err != nil && werr == nil {
				werr = err
			}
		case "json":
			if first {
				w.WriteString("[\n")
			} else {
				w.WriteString(",\n")
			}
			first = false
			buf = a.AppendJSON(buf[:0])
			if _, err := w.Write(buf); err != nil && werr == nil {
				werr = err
			}
		default:
			alerts = append(alerts, a)
		}
	})
	h.SetTransient(true)
	for ev := range st.All {
		h.Push(ev)
		if werr != nil {
			break
		}
	}
	h.Close()
	if stop != nil {
		stop()
	}
	switch opts.output {
	case "json":
		if first {
			w.WriteString("[")
		}
		w.WriteString("\n]\n")
	case "table":
		writeAlertTable(w, alerts)
	}
	if err := w.Flush(); err != nil && werr == nil {
		werr = err
	}
	if werr != nil {
		return werr
	}
	writeHuntSummary(stderr, h, st)
	return nil
}

// writeAlertTable prints alerts for people: time, severity, rule, host and
// what the first event was doing.
func writeAlertTable(w io.Writer, alerts []*hunt.Alert) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSEVERITY\tRULE\tHOST\tEVENTS\tWHAT")
	for _, a := range alerts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", event.FormatTime(a.Timestamp), a.Rule.Severity, a.Rule.Name,
			a.HostName, len(a.Events), alertWhat(a))
	}
	tw.Flush()
}

// alertWhatFields are the fields alertWhat shows, the first present first.
var alertWhatFields = []string{"process.command_line", "registry.path", "powershell.file.script_block_text", "file.path", "process.name"}

var alertWhatPaths = func() []event.Path {
	var ps []event.Path
	for _, f := range alertWhatFields {
		ps = append(ps, event.MustPath(f))
	}
	return ps
}()

// alertWhat summarises the first event of an alert in a few words.
func alertWhat(a *hunt.Alert) string {
	for _, e := range a.Events {
		if e == nil {
			continue
		}
		for _, p := range alertWhatPaths {
			if s, ok := e.Doc.Get(p).Text(); ok && s != "" {
				s = strings.Join(strings.Fields(s), " ")
				if len(s) > 90 {
					s = s[:87] + "..."
				}
				return s
			}
		}
		return e.Src.String()
	}
	return ""
}

func writeHuntSummary(w io.Writer, h *hunt.Hunter, st *stream.Stream) {
	s := h.Summary()
	is := st.IngestStats()
	reportProblems(w, "hunt", is)
	fmt.Fprintf(w, "\n%d alerts from %d events in %d inputs (%d records and %d inputs skipped)\n",
		s.Total, is.Events, is.Files, is.Skipped, is.FilesSkipped)
	if late := st.Stats().Late; late > 0 {
		fmt.Fprintf(w, "%d events were out of time order beyond the merge window (raise --window)\n", late)
	}
	for _, r := range s.ByRule {
		if r.DroppedPartials > 0 {
			fmt.Fprintf(w, "rule %s: %d partial sequences dropped at the --max-partials cap; alerts may be missing\n",
				r.Rule.ID, r.DroppedPartials)
		}
	}
	// A small rule set is listed whole, to show what was looked for; of a
	// rule library, only what fired.
	all := len(s.ByRule) <= maxListedRules
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TECHNIQUE\tALERTS\tRULES FIRED")
	quiet := 0
	for _, t := range s.ByTechnique {
		if all || t.Count > 0 {
			fmt.Fprintf(tw, "%s\t%d\t%d\n", t.Technique, t.Count, t.Rules)
		} else {
			quiet++
		}
	}
	fmt.Fprintln(tw, "\nRULE\tALERTS\tSEVERITY")
	silent := 0
	for _, r := range s.ByRule {
		if all || r.Count > 0 {
			fmt.Fprintf(tw, "%s (%s)\t%d\t%s\n", r.Rule.Name, r.Rule.ID, r.Count, r.Rule.Severity)
		} else {
			silent++
		}
	}
	tw.Flush()
	if silent > 0 {
		fmt.Fprintf(w, "%d more rules, of %d more techniques, did not fire\n", silent, quiet)
	}
}

// maxListedRules is the most rules a hunt summary lists when they did not
// fire.
const maxListedRules = 50
