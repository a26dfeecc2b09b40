package winlog

import (
	"crypto/sha1"
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

var (
	blankRun         = regexp.MustCompile(`\s`)
	detailOperation  = regexp.MustCompile(`^(.+)\((.+)\):\s*(.+)?$`)
	detailClassic    = regexp.MustCompile(`^([^:(]+)\((.+)\):\s*(.+)?$`)
	parameterBinding = regexp.MustCompile(`^name=(.+);\s*value=(.+)$`)
)

// kvSplit is Elasticsearch's kv processor: s is split on fieldSplit, each
// part on the first valueSplit, keys and values trimmed of the characters
// in trim; a key seen twice collects its values in a list. Parts without
// the value separator are skipped (the processor would fail the event).
func kvSplit(ed *obj, s, fieldSplit, valueSplit, trim string) {
	for _, part := range strings.Split(s, fieldSplit) {
		k, v, ok := strings.Cut(part, valueSplit)
		if !ok {
			continue
		}
		k = strings.Trim(k, trim)
		v = strings.Trim(v, trim)
		if k == "" {
			continue
		}
		switch old := ed.get(k).(type) {
		case nil:
			ed.set(k, v)
		case string:
			ed.set(k, []string{old, v})
		case []string:
			ed.set(k, append(old, v))
		}
	}
}

// psCommon is the part of both PowerShell pipelines before the fields
// specific to each.
func psCommon(d *obj) (ed *obj, code string) {
	d.set("event.module", "powershell")
	d.set("event.kind", "event")
	code, _ = d.str("winlog.event_id")
	d.set("event.code", code)
	d.set("event.category", []string{"process"})
	return eventData(d), code
}

func psTime(d *obj) {
	if lvl, ok := d.str("winlog.level"); ok && lvl != "" {
		d.set("log.level", lvl)
	}
	if tc, ok := d.str("winlog.time_created"); ok {
		if ns, ok := event.ParseTime(tc); ok {
			d.set("@timestamp", formatMillis(ns))
		}
	}
}

// psRename renames event_data key to path unless it is empty.
func psRename(d *obj, ed *obj, key, path string) {
	v := ed.get(key)
	if v == nil {
		return
	}
	if s, ok := v.(string); ok && s == "" {
		return
	}
	ed.del(key)
	d.set(path, v)
}

func psConvertLong(d *obj, ed *obj, key, path string) {
	if s, ok := ed.str(key); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			d.set(path, n)
		}
	}
}

// psUser splits DOMAIN\name in event_data key into <prefix>.domain and
// <prefix>.name when it has exactly two parts.
func psUser(d *obj, ed *obj, key, prefix string) {
	u, ok := ed.str(key)
	if !ok {
		return
	}
	parts := javaSplit(u, `\`)
	if len(parts) != 2 {
		return
	}
	if parts[0] != "" {
		d.set(prefix+".domain", parts[0])
	}
	if parts[1] != "" {
		d.set(prefix+".name", parts[1])
	}
}

// psInvocationDetails parses command invocation lines
// ("ParameterBinding(Out-Null): name="x"; value="y"") into objects.
func psInvocationDetails(d *obj, lines []string, re *regexp.Regexp) {
	var details []*obj
	for _, raw := range lines {
		o := newObj()
		m := re.FindStringSubmatch(raw)
		switch {
		case m == nil:
			o.set("value", raw)
		case m[1] != "ParameterBinding":
			o.set("type", m[1])
			o.set("related_command", m[2])
			if m[3] != "" {
				o.set("value", m[3])
			}
		default:
			if nv := parameterBinding.FindStringSubmatch(m[3]); nv != nil {
				o.set("type", m[1])
				o.set("related_command", m[2])
				o.set("name", nv[1])
				o.set("value", nv[2])
			} else {
				o.set("value", m[3])
			}
		}
		details = append(details, o)
	}
	if len(details) > 0 {
		d.set("powershell.command.invocation_details", details)
	}
}

func psArgs(d *obj) {
	if cmd, ok := d.str("process.command_line"); ok && cmd != "" {
		args := nonNil(SplitCommandLine(cmd))
		d.set("process.args", args)
		d.set("process.args_count", int64(len(args)))
	}
}

func psScriptFile(d *obj, ed *obj) {
	if p, ok := ed.str("ScriptName"); ok && len(p) > 1 {
		setFileParts(d, p, p)
	}
	if p, ok := ed.str("ScriptName"); ok && p != "" {
		ed.del("ScriptName")
		d.set("file.path", p)
	}
}

func psCleanup(d *obj, ed *obj, keys ...string) {
	d.del("_temp")
	for _, k := range keys {
		ed.del(k)
	}
	d.del("winlog.time_created")
	d.del("winlog.level")
	dropEmptyEventData(d, ed, false)
	d.set("host.os.type", "windows")
	d.set("host.os.family", "windows")
}

// mapPowerShell applies the powershell module pipeline for the classic
// "Windows PowerShell" channel (events 400, 403, 600, 800).
func mapPowerShell(d *obj) {
	ed, code := psCommon(d)
	if code == "800" {
		if s, ok := ed.str("param2"); ok {
			kvSplit(ed, s, "\n\t", "=", "\n\t")
		}
	} else if s, ok := ed.str("param3"); ok {
		kvSplit(ed, s, "\n\t", "=", "\n\t")
	}
	psTime(d)
	switch code {
	case "400":
		d.set("event.type", []string{"start"})
	case "403":
		d.set("event.type", []string{"end"})
	default:
		d.set("event.type", []string{"info"})
	}
	psConvertLong(d, ed, "SequenceNumber", "event.sequence")
	stringifyRecordID(d)
	psRename(d, ed, "HostId", "process.entity_id")
	psRename(d, ed, "HostApplication", "process.command_line")
	psRename(d, ed, "HostName", "process.title")
	psUser(d, ed, "UserId", "user")
	if s, ok := d.str("user.name"); ok {
		d.appendUnique("related.user", s)
	}
	psRename(d, ed, "NewEngineState", "powershell.engine.new_state")
	psRename(d, ed, "PreviousEngineState", "powershell.engine.previous_state")
	psRename(d, ed, "NewProviderState", "powershell.provider.new_state")
	psRename(d, ed, "ProviderName", "powershell.provider.name")
	psConvertLong(d, ed, "DetailTotal", "powershell.total")
	psConvertLong(d, ed, "DetailSequence", "powershell.sequence")
	psRename(d, ed, "EngineVersion", "powershell.engine.version")
	psRename(d, ed, "PipelineId", "powershell.pipeline_id")
	psRename(d, ed, "RunspaceId", "powershell.runspace_id")
	psRename(d, ed, "HostVersion", "powershell.process.executable_version")
	psRename(d, ed, "CommandLine", "powershell.command.value")
	psRename(d, ed, "CommandPath", "powershell.command.path")
	psRename(d, ed, "CommandName", "powershell.command.name")
	psRename(d, ed, "CommandType", "powershell.command.type")
	if code == "800" {
		if s, ok := ed.str("param3"); ok {
			psInvocationDetails(d, javaSplit(s, "\n"), detailClassic)
		}
	}
	psArgs(d)
	psScriptFile(d, ed)
	psCleanup(d, ed, "param1", "param2", "param3", "SequenceNumber", "DetailTotal", "DetailSequence", "UserId")
}

// mapPowerShellOperational applies the powershell_operational pipeline
// (events 4103, 4104, 4105, 4106 of Microsoft-Windows-PowerShell/Operational).
func mapPowerShellOperational(d *obj) {
	ed := eventData(d)
	if code, _ := d.str("winlog.event_id"); code == "4103" {
		if s, ok := ed.str("ContextInfo"); ok {
			kvSplit(ed, s, "\n", "=", " \n\t")
		}
	}
	// Remove white space from every event_data key.
	for i, k := range ed.keys {
		if nk := blankRun.ReplaceAllString(k, ""); nk != k {
			if j := ed.index(nk); j >= 0 && j != i {
				ed.vals[j] = ed.vals[i]
				ed.keys[i] = "" // dropped below
				continue
			}
			ed.keys[i] = nk
		}
	}
	for i := len(ed.keys) - 1; i >= 0; i-- {
		if ed.keys[i] == "" {
			ed.delAt(i)
		}
	}
	_, code := psCommon(d)
	psTime(d)
	switch code {
	case "4105":
		d.set("event.type", []string{"start"})
	case "4106":
		d.set("event.type", []string{"end"})
	default:
		d.set("event.type", []string{"info"})
	}
	psConvertLong(d, ed, "SequenceNumber", "event.sequence")
	stringifyRecordID(d)
	psRename(d, ed, "HostID", "process.entity_id")
	psRename(d, ed, "HostApplication", "process.command_line")
	psRename(d, ed, "HostName", "process.title")
	if id, ok := d.str("winlog.user.identifier"); ok && id != "" {
		d.set("user.id", id)
	}
	psUser(d, ed, "User", "user")
	if s, ok := d.str("user.name"); ok {
		d.appendUnique("related.user", s)
	}
	psUser(d, ed, "ConnectedUser", "source.user")
	if s, ok := d.str("source.user.name"); ok {
		d.appendUnique("related.user", s)
	}
	if d.has("source.user") {
		d.rename("user.domain", "destination.user.domain")
		d.rename("user.name", "destination.user.name")
		if s, ok := d.str("source.user.domain"); ok && s != "" {
			d.set("user.domain", s)
		}
		if s, ok := d.str("source.user.name"); ok && s != "" {
			d.set("user.name", s)
		}
	}
	psConvertLong(d, ed, "MessageNumber", "powershell.sequence")
	psConvertLong(d, ed, "MessageTotal", "powershell.total")
	psRename(d, ed, "ShellID", "powershell.id")
	psRename(d, ed, "EngineVersion", "powershell.engine.version")
	psRename(d, ed, "PipelineID", "powershell.pipeline_id")
	psRename(d, ed, "RunspaceID", "powershell.runspace_id")
	psRename(d, ed, "RunspaceId", "powershell.runspace_id")
	psRename(d, ed, "HostVersion", "powershell.process.executable_version")
	psRename(d, ed, "CommandLine", "powershell.command.value")
	psRename(d, ed, "CommandPath", "powershell.command.path")
	psRename(d, ed, "CommandName", "powershell.command.name")
	psRename(d, ed, "CommandType", "powershell.command.type")
	psRename(d, ed, "ScriptBlockId", "powershell.file.script_block_id")
	psRename(d, ed, "ScriptBlockText", "powershell.file.script_block_text")
	if text, ok := d.str("powershell.file.script_block_text"); ok {
		// The fingerprint processor: SHA-1 over a zero byte and the text.
		h := sha1.New()
		h.Write([]byte{0})
		h.Write([]byte(text))
		d.set("powershell.file.script_block_hash", base64.StdEncoding.EncodeToString(h.Sum(nil)))
	}
	if code == "4103" {
		if s, ok := ed.str("Payload"); ok {
			psInvocationDetails(d, javaSplit(s, "\n"), detailOperation)
		}
	}
	psArgs(d)
	if p, ok := ed.str("Path"); ok && p != "" {
		ed.del("Path")
		ed.set("ScriptName", p)
	}
	psScriptFile(d, ed)
	psCleanup(d, ed, "SequenceNumber", "User", "ConnectedUser", "ContextInfo", "Severity", "MessageTotal",
		"MessageNumber", "Payload")
}
