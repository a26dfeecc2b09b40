package winlog

import (
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// ECSVersion is the ecs.version Vigil writes, the version of Elastic's
// current pipelines and golden files.
const ECSVersion = "8.17.0"

// Account is the result of a SID lookup that Winlogbeat performs on the
// collecting host and writes as winlog.user.{name,domain,type}.
type Account struct {
	Name, Domain, Type string
}

// input is one event to map: the Record plus what a pre-mapped source
// (raw Winlogbeat output) carries beyond it.
type input struct {
	rec     *Record
	account *Account // nil: reproduce the lookup for well-known SIDs only

	// timeCreated is winlog.time_created of Winlogbeat output that has no
	// @timestamp (the synthetic golden events); when set, no @timestamp
	// is written and the modules parse this field as their pipelines do.
	timeCreated    string
	hasTimeCreated bool
	noTimestamp    bool
}

// ToECS maps r to the ECS document that Winlogbeat and the ingest pipeline
// of its module (sysmon, security or powershell, chosen by channel as the
// routing pipeline does) would index, plus Vigil's documented additions:
// the raw winlog.event_data values the pipeline removes, host.os.*,
// host.id, data_stream.* and event.dataset. See MAPPING.md.
func ToECS(r *Record) event.Value {
	return mapInput(&input{rec: r})
}

func mapInput(in *input) event.Value {
	d, raw := baseEvent(in)
	module := ""
	switch channel, provider := in.rec.Channel, in.rec.Provider; {
	case channel == channelSysmon:
		module = "sysmon"
		mapSysmon(d)
	case channel == channelSecurity && (provider == providerEventlog || provider == providerSecurity):
		module = "security"
		mapSecurity(d)
	case channel == channelPowerShell:
		module = "powershell"
		mapPowerShell(d)
	case channel == channelPowerShellOp:
		module = "powershell_operational"
		mapPowerShellOperational(d)
	}
	keepRawEventData(d, raw)
	enrich(d, in.rec, module)
	return d.value()
}

// keepRawEventData puts back every base event_data value that the module
// pipeline removed or renamed, so Sigma rules can still use the raw
// Windows field names. Values the pipeline changed in place keep the
// pipeline's form, which is what the golden documents hold.
func keepRawEventData(d *obj, raw []Data) {
	if len(raw) == 0 {
		return
	}
	ed, _ := d.get("winlog.event_data").(*obj)
	if ed == nil {
		ed = newObj()
	}
	for _, kv := range raw {
		if ed.index(kv.Name) < 0 && !strings.Contains(kv.Name, ".") {
			ed.keys = append(ed.keys, kv.Name)
			ed.vals = append(ed.vals, kv.Value)
		}
	}
	d.set("winlog.event_data", ed)
}

// enrich adds the fields Winlogbeat and the Elastic Agent take from the
// collecting host or their configuration, which rules rely on.
func enrich(d *obj, r *Record, module string) {
	d.set("ecs.version", ECSVersion)
	d.set("host.os.type", "windows")
	d.set("host.os.family", "windows")
	d.set("host.os.platform", "windows")
	if r.Computer != "" {
		d.set("host.id", strings.ToLower(r.Computer))
	}
	dataset := "winlog.winlog"
	switch module {
	case "sysmon":
		dataset = "windows.sysmon_operational"
	case "security":
		dataset = "system.security"
	case "powershell":
		dataset = "windows.powershell"
	case "powershell_operational":
		dataset = "windows.powershell_operational"
	}
	d.set("data_stream.type", "logs")
	d.set("data_stream.dataset", dataset)
	d.set("data_stream.namespace", "default")
	d.set("event.dataset", dataset)
}

// baseEvent builds Winlogbeat's event for r (Record.ToEvent in Winlogbeat)
// and returns it with the event data pairs it holds, for
// keepRawEventData.
func baseEvent(in *input) (*obj, []Data) {
	r := in.rec
	d := newObj()
	if !in.noTimestamp {
		d.set("@timestamp", event.FormatTimeNanos(r.TimeCreated))
	}
	d.set("event.code", strconv.FormatUint(uint64(r.EventID), 10))
	d.set("event.kind", "event")
	if r.Provider != "" {
		d.set("event.provider", r.Provider)
	}
	task := taskName(r)
	if task != "" {
		d.set("event.action", task)
	}
	keywords := keywordList(r)
	switch {
	case r.Keywords&keywordAuditSuccess != 0 || contains(keywords, "Audit Success"):
		d.set("event.outcome", "success")
	case r.Keywords&keywordAuditFailure != 0 || contains(keywords, "Audit Failure"):
		d.set("event.outcome", "failure")
	}
	if r.Computer != "" {
		d.set("host.name", r.Computer)
	}
	if level := levelName(r); level != "" {
		d.set("log.level", level)
	}
	if r.Rendering != nil && r.Rendering.Message != "" {
		d.set("message", normalizeNewlines(r.Rendering.Message))
	}
	if r.Channel != "" {
		d.set("winlog.channel", r.Channel)
	}
	if r.Computer != "" {
		d.set("winlog.computer_name", r.Computer)
	}

	// Event data: the pairs in order, empty values dropped, unnamed ones
	// numbered, the first of duplicate names kept.
	var pairs []Data
	render := r.Provider == providerSecurity
	for i, kv := range r.EventData {
		name := kv.Name
		if name == "" || name == "Data" {
			name = "param" + strconv.Itoa(i+1)
		}
		v := normalizeNewlines(kv.Value)
		if render {
			v = renderInsertions(v)
		}
		if v == "" || hasPair(pairs, name) {
			continue
		}
		pairs = append(pairs, Data{Name: name, Value: v})
	}
	if len(pairs) > 0 {
		ed := newObj()
		for _, kv := range pairs {
			ed.set(kv.Name, kv.Value)
		}
		d.set("winlog.event_data", ed)
	}
	d.set("winlog.event_id", strconv.FormatUint(uint64(r.EventID), 10))
	if len(keywords) > 0 {
		d.set("winlog.keywords", keywords)
	}
	if op := opcodeName(r); op != "" {
		d.set("winlog.opcode", op)
	}
	if r.ProcessID != 0 || r.ThreadID != 0 {
		d.set("winlog.process.pid", int64(r.ProcessID))
		d.set("winlog.process.thread.id", int64(r.ThreadID))
	}
	if r.ProviderGUID != "" {
		d.set("winlog.provider_guid", r.ProviderGUID)
	}
	if r.Provider != "" {
		d.set("winlog.provider_name", r.Provider)
	}
	d.set("winlog.record_id", int64(r.RecordID))
	if in.hasTimeCreated {
		d.set("winlog.time_created", in.timeCreated)
	}
	if task != "" {
		d.set("winlog.task", task)
	}
	if r.ActivityID != "" {
		d.set("winlog.activity_id", r.ActivityID)
	}
	if r.RelatedActivityID != "" {
		d.set("winlog.related_activity_id", r.RelatedActivityID)
	}
	if r.UserID != "" {
		d.set("winlog.user.identifier", r.UserID)
		acct := in.account
		if acct == nil {
			if wk, ok := wellKnownSIDs[r.UserID]; ok {
				acct = &Account{Name: wk[0], Domain: wk[1], Type: wk[2]}
			}
		}
		if acct != nil {
			if acct.Domain != "" {
				d.set("winlog.user.domain", acct.Domain)
			}
			if acct.Name != "" {
				d.set("winlog.user.name", acct.Name)
			}
			if acct.Type != "" {
				d.set("winlog.user.type", acct.Type)
			}
		}
	}
	if r.UserData != nil {
		ud := newObj()
		for _, kv := range r.UserData.Pairs {
			v := normalizeNewlines(kv.Value)
			if render {
				v = renderInsertions(v)
			}
			if v == "" || kv.Name == "" || ud.has(kv.Name) {
				continue
			}
			ud.set(kv.Name, v)
		}
		// An element without values (1100's <ServiceShutdown/>) gives no
		// user_data at all.
		if ud.size() > 0 && r.UserData.Name != "" {
			ud.set("xml_name", r.UserData.Name)
		}
		if ud.size() > 0 {
			d.set("winlog.user_data", ud)
		}
	}
	if r.Version != 0 {
		d.set("winlog.version", int64(r.Version))
	}
	return d, pairs
}

func hasPair(pairs []Data, name string) bool {
	for _, p := range pairs {
		if p.Name == name {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// normalizeNewlines turns CRLF into LF, as Winlogbeat does for messages
// and event data.
func normalizeNewlines(s string) string {
	if strings.Contains(s, "\r\n") {
		return strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}

func taskName(r *Record) string {
	if r.Rendering != nil && r.Rendering.Task != "" {
		return r.Rendering.Task
	}
	if r.Provider == providerSysmon {
		return sysmonTasks[r.Task]
	}
	if r.Provider == providerSecurity {
		return msobjs[int(r.Task)]
	}
	return providerTasks[r.Provider][r.Task]
}

func levelName(r *Record) string {
	if r.Rendering != nil && r.Rendering.Level != "" {
		return strings.ToLower(r.Rendering.Level)
	}
	return levelNames[r.Level]
}

func opcodeName(r *Record) string {
	if r.Rendering != nil && r.Rendering.Opcode != "" {
		return r.Rendering.Opcode
	}
	if !r.HasOpcode {
		return ""
	}
	if name, ok := providerOpcodes[r.Provider][r.Opcode]; ok {
		return name
	}
	return opcodeNames[r.Opcode]
}

func keywordList(r *Record) []string {
	if r.Rendering != nil && len(r.Rendering.Keywords) > 0 {
		return r.Rendering.Keywords
	}
	var names []string
	for _, k := range keywordNames {
		if r.Keywords&k.bit != 0 {
			names = append(names, k.name)
		}
	}
	return names
}
