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

// Fields of the base event and of the additions.
var (
	fTimestamp               = mkpath("@timestamp")
	fEventCode               = mkpath("event.code")
	fEventKind               = mkpath("event.kind")
	fEventProvider           = mkpath("event.provider")
	fEventAction             = mkpath("event.action")
	fEventOutcome            = mkpath("event.outcome")
	fEventModule             = mkpath("event.module")
	fEventCategory           = mkpath("event.category")
	fEventType               = mkpath("event.type")
	fEventCreated            = mkpath("event.created")
	fEventDataset            = mkpath("event.dataset")
	fEventSequence           = mkpath("event.sequence")
	fHostName                = mkpath("host.name")
	fHostID                  = mkpath("host.id")
	fHostOSType              = mkpath("host.os.type")
	fHostOSFamily            = mkpath("host.os.family")
	fHostOSPlatform          = mkpath("host.os.platform")
	fLogLevel                = mkpath("log.level")
	fMessage                 = mkpath("message")
	fECSVersion              = mkpath("ecs.version")
	fDataStreamType          = mkpath("data_stream.type")
	fDataStreamDataset       = mkpath("data_stream.dataset")
	fDataStreamNamespace     = mkpath("data_stream.namespace")
	fWinlogChannel           = mkpath("winlog.channel")
	fWinlogComputerName      = mkpath("winlog.computer_name")
	fWinlogEventData         = mkpath("winlog.event_data")
	fWinlogEventID           = mkpath("winlog.event_id")
	fWinlogKeywords          = mkpath("winlog.keywords")
	fWinlogOpcode            = mkpath("winlog.opcode")
	fWinlogProcessPID        = mkpath("winlog.process.pid")
	fWinlogThreadID          = mkpath("winlog.process.thread.id")
	fWinlogProviderGUID      = mkpath("winlog.provider_guid")
	fWinlogProviderName      = mkpath("winlog.provider_name")
	fWinlogRecordID          = mkpath("winlog.record_id")
	fWinlogTimeCreated       = mkpath("winlog.time_created")
	fWinlogTask              = mkpath("winlog.task")
	fWinlogLevel             = mkpath("winlog.level")
	fWinlogActivityID        = mkpath("winlog.activity_id")
	fWinlogRelatedActivityID = mkpath("winlog.related_activity_id")
	fWinlogUserIdentifier    = mkpath("winlog.user.identifier")
	fWinlogUserDomain        = mkpath("winlog.user.domain")
	fWinlogUserName          = mkpath("winlog.user.name")
	fWinlogUserType          = mkpath("winlog.user.type")
	fWinlogUserData          = mkpath("winlog.user_data")
	fWinlogVersion           = mkpath("winlog.version")

	kXMLName = intern("xml_name")
)

// docNodes is the number of nodes ToECS keeps on its stack, enough for
// nearly every event; bigger ones move to the heap as they grow.
const docNodes = 160

// ToECS maps r to the ECS document that Winlogbeat and the ingest pipeline
// of its module (sysmon, security or powershell, chosen by channel as the
// routing pipeline does) would index, plus Vigil's documented additions:
// the raw winlog.event_data values the pipeline removes, host.os.*,
// host.id, data_stream.* and event.dataset. See MAPPING.md.
func ToECS(r *Record) event.Value {
	return mapInput(&input{rec: r})
}

func mapInput(in *input) event.Value {
	var store [docNodes]node
	sb := strBuf{b: make([]byte, 0, 128)}
	// Built here rather than by a constructor: assignments through a
	// pointer would move store and sb to the heap.
	d := doc{nodes: store[:1], sb: &sb}
	d.nodes[root].kind = event.KindObject
	var rawStore [32]rawPair
	d.mapRecord(in, rawStore[:0])
	v, _ := d.value(nil)
	return v
}

// A Mapper maps records to ECS documents as ToECS does, keeping its
// scratch memory from one record to the next. With Reuse set it keeps the
// memory of the documents too: mapping then allocates nothing once its
// buffers have grown, and each document is valid only until the next
// call (keep one with event.Value.Clone), as with event.Decoder's Reuse.
// A Mapper is not safe for concurrent use; the zero Mapper is ready.
type Mapper struct {
	// Reuse makes documents live in the Mapper's own buffers, valid until
	// the next call.
	Reuse bool

	nodes  []node
	sb     strBuf
	fields []event.Field
	raw    []rawPair
}

// ToECS maps r as the function ToECS does.
func (m *Mapper) ToECS(r *Record) event.Value {
	if m.nodes == nil {
		m.nodes = make([]node, 0, docNodes)
	}
	clear(m.nodes) // the nodes of the previous record
	if m.Reuse {
		m.sb.b = m.sb.b[:0]
	} else {
		m.sb.b = make([]byte, 0, 128)
	}
	d := doc{nodes: m.nodes[:1], sb: &m.sb}
	d.nodes[root].kind = event.KindObject
	raw := d.mapRecord(&input{rec: r}, m.raw[:0])
	clear(raw)
	m.raw = raw[:0]
	var v event.Value
	if m.Reuse {
		v, m.fields = d.value(m.fields)
	} else {
		v, _ = d.value(nil)
	}
	m.nodes = d.nodes
	return v
}

// mapRecord builds the document of in in the empty document d, using raw
// for the base event data pairs, and returns raw.
func (d *doc) mapRecord(in *input, raw []rawPair) []rawPair {
	raw = d.baseEvent(in, raw)
	module := ""
	switch channel, provider := in.rec.Channel, in.rec.Provider; {
	case channel == channelSysmon:
		module = "sysmon"
		d.mapSysmon(in.rec)
	case channel == channelSecurity && (provider == providerEventlog || provider == providerSecurity):
		module = "security"
		d.mapSecurity()
	case channel == channelPowerShell:
		module = "powershell"
		d.mapPowerShell()
	case channel == channelPowerShellOp:
		module = "powershell_operational"
		d.mapPowerShellOperational()
	}
	d.keepRawEventData(raw)
	d.enrich(in.rec, module)
	return raw
}

// rawPair is an event data pair of the base event, with the sym of its
// name (0 for a name with a dot).
type rawPair struct {
	name, value string
	sym         sym
	dotted      bool
}

// keepRawEventData puts back every base event_data value that the module
// pipeline removed or renamed, so Sigma rules can still use the raw
// Windows field names. Values the pipeline changed in place keep the
// pipeline's form, which is what the golden documents hold.
func (d *doc) keepRawEventData(raw []rawPair) {
	if len(raw) == 0 {
		return
	}
	ed := d.get(fWinlogEventData)
	if ed == 0 || d.nodes[ed].kind != event.KindObject {
		ed = d.setObj(fWinlogEventData)
	}
	for _, kv := range raw {
		if !kv.dotted && d.findSym(ed, kv.sym, kv.name) == 0 {
			d.setStrAt(d.appendChild(ed, kv.sym, kv.name), kv.value)
		}
	}
}

// enrich adds the fields Winlogbeat and the Elastic Agent take from the
// collecting host or their configuration, which rules rely on.
func (d *doc) enrich(r *Record, module string) {
	d.setStrIn(d.objIn(root, fECSVersion.s[0]), fECSVersion.leaf(), ECSVersion)
	host := d.objIn(root, fHostOSType.s[0])
	os := d.objIn(host, fHostOSType.s[1])
	d.setStrIn(os, fHostOSType.leaf(), "windows")
	d.setStrIn(os, fHostOSFamily.leaf(), "windows")
	d.setStrIn(os, fHostOSPlatform.leaf(), "windows")
	if r.Computer != "" {
		d.setStrIn(host, fHostID.leaf(), d.lower(r.Computer))
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
	ds := d.objIn(root, fDataStreamType.s[0])
	d.setStrIn(ds, fDataStreamType.leaf(), "logs")
	d.setStrIn(ds, fDataStreamDataset.leaf(), dataset)
	d.setStrIn(ds, fDataStreamNamespace.leaf(), "default")
	d.setStrIn(d.objIn(root, fEventDataset.s[0]), fEventDataset.leaf(), dataset)
}

// baseEvent builds Winlogbeat's event for in (Record.ToEvent in
// Winlogbeat) in the empty document and appends the event data pairs it
// holds to raw, for keepRawEventData. Each field is new, so they are
// added under their objects without lookups.
func (d *doc) baseEvent(in *input, raw []rawPair) []rawPair {
	r := in.rec
	if !in.noTimestamp {
		d.addStr(root, fTimestamp.leaf(), d.timeNanos(r.TimeCreated))
	}
	code := d.itoa(int64(r.EventID))
	ev := d.addObj(root, fEventCode.s[0])
	d.addStr(ev, fEventCode.leaf(), code)
	d.addStr(ev, fEventKind.leaf(), "event")
	if r.Provider != "" {
		d.addStr(ev, fEventProvider.leaf(), r.Provider)
	}
	task := taskName(r)
	if task != "" {
		d.addStr(ev, fEventAction.leaf(), task)
	}
	switch {
	case r.Keywords&keywordAuditSuccess != 0 || hasKeyword(r, "Audit Success"):
		d.addStr(ev, fEventOutcome.leaf(), "success")
	case r.Keywords&keywordAuditFailure != 0 || hasKeyword(r, "Audit Failure"):
		d.addStr(ev, fEventOutcome.leaf(), "failure")
	}
	if r.Computer != "" {
		d.addStr(d.addObj(root, fHostName.s[0]), fHostName.leaf(), r.Computer)
	}
	if level := d.levelName(r); level != "" {
		d.addStr(d.addObj(root, fLogLevel.s[0]), fLogLevel.leaf(), level)
	}
	if r.Rendering != nil && r.Rendering.Message != "" {
		d.addStr(root, fMessage.leaf(), d.replace(r.Rendering.Message, "\r\n", "\n"))
	}
	w := d.addObj(root, fWinlogChannel.s[0])
	if r.Channel != "" {
		d.addStr(w, fWinlogChannel.leaf(), r.Channel)
	}
	if r.Computer != "" {
		d.addStr(w, fWinlogComputerName.leaf(), r.Computer)
	}
	raw = d.eventDataPairs(r, w, raw)
	d.addStr(w, fWinlogEventID.leaf(), code)
	d.addKeywords(r, w)
	if op := opcodeName(r); op != "" {
		d.addStr(w, fWinlogOpcode.leaf(), op)
	}
	if r.ProcessID != 0 || r.ThreadID != 0 {
		p := d.addObj(w, fWinlogProcessPID.s[1])
		d.addInt(p, fWinlogProcessPID.leaf(), int64(r.ProcessID))
		d.addInt(d.addObj(p, fWinlogThreadID.s[2]), fWinlogThreadID.leaf(), int64(r.ThreadID))
	}
	if r.ProviderGUID != "" {
		d.addStr(w, fWinlogProviderGUID.leaf(), r.ProviderGUID)
	}
	if r.Provider != "" {
		d.addStr(w, fWinlogProviderName.leaf(), r.Provider)
	}
	d.addInt(w, fWinlogRecordID.leaf(), int64(r.RecordID))
	if in.hasTimeCreated {
		d.addStr(w, fWinlogTimeCreated.leaf(), in.timeCreated)
	}
	if task != "" {
		d.addStr(w, fWinlogTask.leaf(), task)
	}
	if r.ActivityID != "" {
		d.addStr(w, fWinlogActivityID.leaf(), r.ActivityID)
	}
	if r.RelatedActivityID != "" {
		d.addStr(w, fWinlogRelatedActivityID.leaf(), r.RelatedActivityID)
	}
	if r.UserID != "" {
		u := d.addObj(w, fWinlogUserIdentifier.s[1])
		d.addStr(u, fWinlogUserIdentifier.leaf(), r.UserID)
		acct := in.account
		if acct == nil {
			if wk, ok := wellKnownSIDs[r.UserID]; ok {
				acct = &Account{Name: wk[0], Domain: wk[1], Type: wk[2]}
			}
		}
		if acct != nil {
			if acct.Domain != "" {
				d.addStr(u, fWinlogUserDomain.leaf(), acct.Domain)
			}
			if acct.Name != "" {
				d.addStr(u, fWinlogUserName.leaf(), acct.Name)
			}
			if acct.Type != "" {
				d.addStr(u, fWinlogUserType.leaf(), acct.Type)
			}
		}
	}
	if r.UserData != nil {
		d.userData(r.UserData, w, r.Provider == providerSecurity)
	}
	if r.Version != 0 {
		d.addInt(w, fWinlogVersion.leaf(), int64(r.Version))
	}
	return raw
}

// eventDataPairs adds winlog.event_data under w: the pairs in order, empty
// values dropped, unnamed ones numbered, the first of duplicate names
// kept, with Winlogbeat's rendering of the values. It appends the pairs
// to raw. While no name has a dot, the event_data object has exactly the
// names kept so far.
func (d *doc) eventDataPairs(r *Record, w int32, raw []rawPair) []rawPair {
	render := r.Provider == providerSecurity
	ed := int32(0)
	dotted := false
	for i, kv := range r.EventData {
		name := kv.Name
		if name == "" || name == "Data" {
			name = d.paramName(i + 1)
		}
		v := d.eventText(kv.Value, render)
		if v == "" {
			continue
		}
		if ed == 0 {
			ed = d.addObj(w, fWinlogEventData.leaf())
		}
		if strings.IndexByte(name, '.') >= 0 {
			if hasPair(raw, name) {
				continue
			}
			dotted = true
			raw = append(raw, rawPair{name: name, value: v, dotted: true})
			d.setStrAt(d.slotDyn(ed, name), v)
			continue
		}
		s := symOf(name)
		if dotted {
			if hasPair(raw, name) {
				continue
			}
			raw = append(raw, rawPair{name: name, value: v, sym: s})
			d.setStrAt(d.slotDyn(ed, name), v)
			continue
		}
		if d.findSym(ed, s, name) != 0 {
			continue
		}
		raw = append(raw, rawPair{name: name, value: v, sym: s})
		d.setStrAt(d.appendChild(ed, s, name), v)
	}
	return raw
}

// userData adds winlog.user_data under w: the pairs with a name and a
// value, the first of duplicate names kept, and xml_name. An element
// without values (1100's <ServiceShutdown/>) gives no user_data at all.
func (d *doc) userData(u *UserData, w int32, render bool) {
	ud := int32(0)
	for _, kv := range u.Pairs {
		v := d.eventText(kv.Value, render)
		if v == "" || kv.Name == "" {
			continue
		}
		if ud == 0 {
			ud = d.addObj(w, fWinlogUserData.leaf())
		} else if d.getDyn(ud, kv.Name) != 0 {
			continue
		}
		d.setStrAt(d.slotDyn(ud, kv.Name), v)
	}
	if ud != 0 && u.Name != "" {
		d.setStrIn(ud, kXMLName, u.Name)
	}
}

// paramNames are the names of unnamed event data.
var paramNames = func() (s [64]string) {
	for i := range s {
		s[i] = "param" + strconv.Itoa(i)
	}
	return s
}()

// paramName returns "param<n>".
func (d *doc) paramName(n int) string {
	if n < len(paramNames) {
		return paramNames[n]
	}
	return d.concat("param", d.itoa(int64(n)))
}

func hasPair(pairs []rawPair, name string) bool {
	for _, p := range pairs {
		if p.name == name {
			return true
		}
	}
	return false
}

// addKeywords adds winlog.keywords under w: the rendered keywords, or the
// names of the standard keyword bits.
func (d *doc) addKeywords(r *Record, w int32) {
	if r.Rendering != nil && len(r.Rendering.Keywords) > 0 {
		arr := d.addArr(w, fWinlogKeywords.leaf())
		for _, k := range r.Rendering.Keywords {
			d.push(arr, k)
		}
		return
	}
	arr := int32(0)
	for _, k := range keywordNames {
		if r.Keywords&k.bit != 0 {
			if arr == 0 {
				arr = d.addArr(w, fWinlogKeywords.leaf())
			}
			d.push(arr, k.name)
		}
	}
}

// hasKeyword reports whether the keyword names of r include name.
func hasKeyword(r *Record, name string) bool {
	if r.Rendering != nil && len(r.Rendering.Keywords) > 0 {
		for _, k := range r.Rendering.Keywords {
			if k == name {
				return true
			}
		}
		return false
	}
	for _, k := range keywordNames {
		if r.Keywords&k.bit != 0 && k.name == name {
			return true
		}
	}
	return false
}

func taskName(r *Record) string {
	if r.Rendering != nil && r.Rendering.Task != "" {
		return r.Rendering.Task
	}
	if r.Provider == providerSysmon {
		return sysmonTask(r.Task)
	}
	if r.Provider == providerSecurity {
		return msobjs[int(r.Task)]
	}
	return providerTasks[r.Provider][r.Task]
}

func (d *doc) levelName(r *Record) string {
	if r.Rendering != nil && r.Rendering.Level != "" {
		return d.lower(r.Rendering.Level)
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
