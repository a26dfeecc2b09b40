package winlog

import (
	"crypto/sha1"
	"encoding/base64"
	"strings"
	"unsafe"

	"github.com/vigil-sec/vigil/event"
)

// Fields the PowerShell pipelines set.
var (
	fTemp                = mkpath("_temp")
	fSourceUser          = mkpath("source.user")
	fSourceUserName      = mkpath("source.user.name")
	fSourceUserDomain    = mkpath("source.user.domain")
	fDestUserName        = mkpath("destination.user.name")
	fDestUserDomain      = mkpath("destination.user.domain")
	fPSEngineNewState    = mkpath("powershell.engine.new_state")
	fPSEnginePrevState   = mkpath("powershell.engine.previous_state")
	fPSProviderNewState  = mkpath("powershell.provider.new_state")
	fPSProviderName      = mkpath("powershell.provider.name")
	fPSTotal             = mkpath("powershell.total")
	fPSSequence          = mkpath("powershell.sequence")
	fPSEngineVersion     = mkpath("powershell.engine.version")
	fPSPipelineID        = mkpath("powershell.pipeline_id")
	fPSRunspaceID        = mkpath("powershell.runspace_id")
	fPSExecutableVersion = mkpath("powershell.process.executable_version")
	fPSCommandValue      = mkpath("powershell.command.value")
	fPSCommandPath       = mkpath("powershell.command.path")
	fPSCommandName       = mkpath("powershell.command.name")
	fPSCommandType       = mkpath("powershell.command.type")
	fPSID                = mkpath("powershell.id")
	fPSScriptBlockID     = mkpath("powershell.file.script_block_id")
	fPSScriptBlockText   = mkpath("powershell.file.script_block_text")
	fPSScriptBlockHash   = mkpath("powershell.file.script_block_hash")
	fPSInvocation        = mkpath("powershell.command.invocation_details")

	userSelf   = userNameFields{fUserDomain, fUserName}
	userSource = userNameFields{fSourceUserDomain, fSourceUserName}
)

// userNameFields are the domain and name fields psUser sets.
type userNameFields struct {
	domain, name path
}

// PowerShell event data names.
var (
	kParam1              = intern("param1")
	kParam2              = intern("param2")
	kParam3              = intern("param3")
	kSequenceNumber      = intern("SequenceNumber")
	kHostId              = intern("HostId")
	kHostID              = intern("HostID")
	kHostApplication     = intern("HostApplication")
	kHostName            = intern("HostName")
	kUserId              = intern("UserId")
	kNewEngineState      = intern("NewEngineState")
	kPreviousEngineState = intern("PreviousEngineState")
	kNewProviderState    = intern("NewProviderState")
	kProviderName        = intern("ProviderName")
	kDetailTotal         = intern("DetailTotal")
	kDetailSequence      = intern("DetailSequence")
	kEngineVersion       = intern("EngineVersion")
	kPipelineId          = intern("PipelineId")
	kPipelineID          = intern("PipelineID")
	kRunspaceId          = intern("RunspaceId")
	kRunspaceID          = intern("RunspaceID")
	kHostVersion         = intern("HostVersion")
	kCommandPath         = intern("CommandPath")
	kCommandName         = intern("CommandName")
	kCommandType         = intern("CommandType")
	kContextInfo         = intern("ContextInfo")
	kConnectedUser       = intern("ConnectedUser")
	kMessageNumber       = intern("MessageNumber")
	kMessageTotal        = intern("MessageTotal")
	kShellID             = intern("ShellID")
	kScriptBlockId       = intern("ScriptBlockId")
	kScriptBlockText     = intern("ScriptBlockText")
	kPayload             = intern("Payload")
	kScriptPath          = intern("Path")
	kScriptName          = intern("ScriptName")
	kSeverity            = intern("Severity")

	kRelatedCommand = intern("related_command")
	kName           = intern("name")

	psClassicDropped = []sym{kParam1, kParam2, kParam3, kSequenceNumber, kDetailTotal, kDetailSequence, kUserId}
	psOperDropped    = []sym{kSequenceNumber, kUser, kConnectedUser, kContextInfo, kSeverity, kMessageTotal,
		kMessageNumber, kPayload}
)

// kvSplit is Elasticsearch's kv processor: s is split on fieldSplit, each
// part on the first valueSplit, keys and values trimmed of the characters
// in trim; a key seen twice collects its values in a list. Parts without
// the value separator are skipped (the processor would fail the event).
func (d *doc) kvSplit(ed int32, s, fieldSplit, valueSplit, trim string) {
	for part := range strings.SplitSeq(s, fieldSplit) {
		k, v, ok := strings.Cut(part, valueSplit)
		if !ok {
			continue
		}
		k = strings.Trim(k, trim)
		v = strings.Trim(v, trim)
		if k == "" {
			continue
		}
		switch n := d.getDyn(ed, k); {
		case n == 0:
			d.setStrAt(d.slotDyn(ed, k), v)
		case d.nodes[n].kind == event.KindString:
			old := d.nodes[n].str
			d.clear(n, event.KindArray)
			d.push(n, old)
			d.push(n, v)
		case d.isStrings(n):
			d.push(n, v)
		}
	}
}

// psCommon is the part of both PowerShell pipelines before the fields
// specific to each.
func (d *doc) psCommon() (ed int32, code string) {
	d.setStr(fEventModule, "powershell")
	d.setStr(fEventKind, "event")
	code, _ = d.str(fWinlogEventID)
	d.setStr(fEventCode, code)
	d.setStrs(fEventCategory, "process")
	return d.eventData(), code
}

func (d *doc) psTime() {
	if lvl, ok := d.str(fWinlogLevel); ok && lvl != "" {
		d.setStr(fLogLevel, lvl)
	}
	if tc, ok := d.str(fWinlogTimeCreated); ok {
		if ns, ok := event.ParseTime(tc); ok {
			d.setStr(fTimestamp, d.millis(ns))
		}
	}
}

// psConvertLong sets p to the integer in event_data key, if it is one.
func (d *doc) psConvertLong(ed int32, k sym, p path) {
	if s, ok := d.strIn(ed, k); ok {
		if n, ok := parseInt(strings.TrimSpace(s)); ok {
			d.setInt(p, n)
		}
	}
}

// psUser splits DOMAIN\name in event_data key into the domain and name
// fields when it has exactly two parts.
func (d *doc) psUser(ed int32, k sym, u userNameFields) {
	s, ok := d.strIn(ed, k)
	if !ok {
		return
	}
	if domain, name, ok := splitDomainUser(s); ok {
		if domain != "" {
			d.setStr(u.domain, domain)
		}
		d.setStr(u.name, name)
	}
}

// psInvocationDetails parses command invocation lines
// ("ParameterBinding(Out-Null): name="x"; value="y"") into objects; classic
// selects the pattern of the classic channel.
func (d *doc) psInvocationDetails(s string, classic bool) {
	// The lines of s, trailing empty lines dropped.
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return
	}
	details := d.setArr(fPSInvocation)
	for raw := range strings.SplitSeq(s, "\n") {
		o := d.pushObj(details)
		typ, cmd, rest, ok := invocationOperation(raw)
		if classic {
			typ, cmd, rest, ok = invocationClassic(raw)
		}
		switch {
		case !ok:
			d.setStrIn(o, kValue, raw)
		case typ != "ParameterBinding":
			d.setStrIn(o, kTypeField, typ)
			d.setStrIn(o, kRelatedCommand, cmd)
			if rest != "" {
				d.setStrIn(o, kValue, rest)
			}
		default:
			if name, value, ok := parameterBinding(rest); ok {
				d.setStrIn(o, kTypeField, typ)
				d.setStrIn(o, kRelatedCommand, cmd)
				d.setStrIn(o, kName, name)
				d.setStrIn(o, kValue, value)
			} else {
				d.setStrIn(o, kValue, rest)
			}
		}
	}
}

// invocationOperation matches `^(.+)\((.+)\):\s*(.+)?$` (the operational
// channel's pattern) against a line without newlines: the type runs to
// the last '(' that leaves room for a command before the last "):".
func invocationOperation(s string) (typ, cmd, rest string, ok bool) {
	end := strings.LastIndex(s, "):")
	if end < 3 {
		return "", "", "", false
	}
	open := strings.LastIndexByte(s[:end-1], '(')
	if open < 1 {
		return "", "", "", false
	}
	return s[:open], s[open+1 : end], trimBlanksLeft(s[end+2:]), true
}

// invocationClassic matches `^([^:(]+)\((.+)\):\s*(.+)?$` (the classic
// channel's pattern) against a line without newlines: the type runs to
// the first '(' if no ':' comes before it.
func invocationClassic(s string) (typ, cmd, rest string, ok bool) {
	open := strings.IndexAny(s, ":(")
	if open < 1 || s[open] != '(' {
		return "", "", "", false
	}
	end := strings.LastIndex(s, "):")
	if end < open+2 {
		return "", "", "", false
	}
	return s[:open], s[open+1 : end], trimBlanksLeft(s[end+2:]), true
}

// trimBlanksLeft removes leading regexp white space (\s).
func trimBlanksLeft(s string) string {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return s[i:]
}

// parameterBinding matches `^name=(.+);\s*value=(.+)$` against a string
// without newlines: the name runs to the last ';' that is followed by
// blanks, "value=" and at least one character.
func parameterBinding(s string) (name, value string, ok bool) {
	if !strings.HasPrefix(s, "name=") {
		return "", "", false
	}
	for k := len(s) - 1; k > len("name="); k-- {
		if s[k] != ';' {
			continue
		}
		rest := trimBlanksLeft(s[k+1:])
		if len(rest) > len("value=") && strings.HasPrefix(rest, "value=") {
			return s[len("name="):k], rest[len("value="):], true
		}
	}
	return "", "", false
}

// psScriptFile sets file.* from event_data ScriptName.
func (d *doc) psScriptFile(ed int32) {
	if p, ok := d.strIn(ed, kScriptName); ok && len(p) > 1 {
		d.setFileParts(p, p)
	}
	if p, ok := d.strIn(ed, kScriptName); ok && p != "" {
		d.delIn(ed, kScriptName)
		d.setStr(fFilePath, p)
	}
}

func (d *doc) psCleanup(ed int32, keys []sym) {
	d.del(fTemp)
	for _, k := range keys {
		d.delIn(ed, k)
	}
	d.del(fWinlogTimeCreated)
	d.del(fWinlogLevel)
	d.dropEmptyEventData(ed, false)
	d.setStr(fHostOSType, "windows")
	d.setStr(fHostOSFamily, "windows")
}

// mapPowerShell applies the powershell module pipeline for the classic
// "Windows PowerShell" channel (events 400, 403, 600, 800).
func (d *doc) mapPowerShell() {
	ed, code := d.psCommon()
	if code == "800" {
		if s, ok := d.strIn(ed, kParam2); ok {
			d.kvSplit(ed, s, "\n\t", "=", "\n\t")
		}
	} else if s, ok := d.strIn(ed, kParam3); ok {
		d.kvSplit(ed, s, "\n\t", "=", "\n\t")
	}
	d.psTime()
	d.psEventType(code, "400", "403")
	d.psConvertLong(ed, kSequenceNumber, fEventSequence)
	d.stringifyRecordID()
	d.renameNonEmpty(ed, kHostId, fProcessEntityID)
	d.renameNonEmpty(ed, kHostApplication, fProcessCmdLine)
	d.renameNonEmpty(ed, kHostName, fProcessTitle)
	d.psUser(ed, kUserId, userSelf)
	if s, ok := d.str(fUserName); ok {
		d.appendUnique(fRelatedUser, s)
	}
	d.renameNonEmpty(ed, kNewEngineState, fPSEngineNewState)
	d.renameNonEmpty(ed, kPreviousEngineState, fPSEnginePrevState)
	d.renameNonEmpty(ed, kNewProviderState, fPSProviderNewState)
	d.renameNonEmpty(ed, kProviderName, fPSProviderName)
	d.psConvertLong(ed, kDetailTotal, fPSTotal)
	d.psConvertLong(ed, kDetailSequence, fPSSequence)
	d.renameNonEmpty(ed, kEngineVersion, fPSEngineVersion)
	d.renameNonEmpty(ed, kPipelineId, fPSPipelineID)
	d.renameNonEmpty(ed, kRunspaceId, fPSRunspaceID)
	d.psHostCommand(ed)
	if code == "800" {
		if s, ok := d.strIn(ed, kParam3); ok {
			d.psInvocationDetails(s, true)
		}
	}
	d.splitArgs(procSelf)
	d.psScriptFile(ed)
	d.psCleanup(ed, psClassicDropped)
}

// psEventType sets event.type from the event code: start and end name the
// codes of the start and end events, any other is "info".
func (d *doc) psEventType(code, start, end string) {
	switch code {
	case start:
		d.setStrs(fEventType, "start")
	case end:
		d.setStrs(fEventType, "end")
	default:
		d.setStrs(fEventType, "info")
	}
}

// psHostCommand moves the host version and the command fields both
// PowerShell pipelines take from the event data, in their order.
func (d *doc) psHostCommand(ed int32) {
	d.renameNonEmpty(ed, kHostVersion, fPSExecutableVersion)
	d.renameNonEmpty(ed, kCommandLine, fPSCommandValue)
	d.renameNonEmpty(ed, kCommandPath, fPSCommandPath)
	d.renameNonEmpty(ed, kCommandName, fPSCommandName)
	d.renameNonEmpty(ed, kCommandType, fPSCommandType)
}

// mapPowerShellOperational applies the powershell_operational pipeline
// (events 4103, 4104, 4105, 4106 of Microsoft-Windows-PowerShell/Operational).
func (d *doc) mapPowerShellOperational() {
	ed := d.eventData()
	if code, _ := d.str(fWinlogEventID); code == "4103" {
		if s, ok := d.strIn(ed, kContextInfo); ok {
			d.kvSplit(ed, s, "\n", "=", " \n\t")
		}
	}
	d.removeKeyBlanks(ed)
	_, code := d.psCommon()
	d.psTime()
	d.psEventType(code, "4105", "4106")
	d.psConvertLong(ed, kSequenceNumber, fEventSequence)
	d.stringifyRecordID()
	d.renameNonEmpty(ed, kHostID, fProcessEntityID)
	d.renameNonEmpty(ed, kHostApplication, fProcessCmdLine)
	d.renameNonEmpty(ed, kHostName, fProcessTitle)
	if id, ok := d.str(fWinlogUserIdentifier); ok && id != "" {
		d.setStr(fUserID, id)
	}
	d.psUser(ed, kUser, userSelf)
	if s, ok := d.str(fUserName); ok {
		d.appendUnique(fRelatedUser, s)
	}
	d.psUser(ed, kConnectedUser, userSource)
	if s, ok := d.str(fSourceUserName); ok {
		d.appendUnique(fRelatedUser, s)
	}
	if d.has(fSourceUser) {
		d.rename(fUserDomain, fDestUserDomain)
		d.rename(fUserName, fDestUserName)
		if s, ok := d.str(fSourceUserDomain); ok && s != "" {
			d.setStr(fUserDomain, s)
		}
		if s, ok := d.str(fSourceUserName); ok && s != "" {
			d.setStr(fUserName, s)
		}
	}
	d.psConvertLong(ed, kMessageNumber, fPSSequence)
	d.psConvertLong(ed, kMessageTotal, fPSTotal)
	d.renameNonEmpty(ed, kShellID, fPSID)
	d.renameNonEmpty(ed, kEngineVersion, fPSEngineVersion)
	d.renameNonEmpty(ed, kPipelineID, fPSPipelineID)
	d.renameNonEmpty(ed, kRunspaceID, fPSRunspaceID)
	d.renameNonEmpty(ed, kRunspaceId, fPSRunspaceID)
	d.psHostCommand(ed)
	d.renameNonEmpty(ed, kScriptBlockId, fPSScriptBlockID)
	d.renameNonEmpty(ed, kScriptBlockText, fPSScriptBlockText)
	if text, ok := d.str(fPSScriptBlockText); ok {
		d.setStr(fPSScriptBlockHash, d.fingerprint(text))
	}
	if code == "4103" {
		if s, ok := d.strIn(ed, kPayload); ok {
			d.psInvocationDetails(s, false)
		}
	}
	d.splitArgs(procSelf)
	if p, ok := d.strIn(ed, kScriptPath); ok && p != "" {
		d.delIn(ed, kScriptPath)
		d.setStrIn(ed, kScriptName, p)
	}
	d.psScriptFile(ed)
	d.psCleanup(ed, psOperDropped)
}

// zeroByte is what the fingerprint processor hashes before the value.
var zeroByte = []byte{0}

// fingerprint is the fingerprint processor on one string: base64 of the
// SHA-1 of a zero byte and the text.
func (d *doc) fingerprint(text string) string {
	h := sha1.New()
	h.Write(zeroByte)
	// Hashing does not change or keep its input: the text need not be
	// copied into a []byte.
	h.Write(unsafe.Slice(unsafe.StringData(text), len(text)))
	var sum [sha1.Size]byte
	start := d.mark()
	d.sb.b = base64.StdEncoding.AppendEncode(d.sb.b, h.Sum(sum[:0]))
	return d.take(start)
}

// removeKeyBlanks removes regexp white space (\s) from every event_data
// key, as the pipeline's script does: a key that becomes another's gives
// that key its value and goes, and keys left empty go.
func (d *doc) removeKeyBlanks(ed int32) {
	var store [64]int32
	kids := store[:0]
	changed := false
	for c := d.nodes[ed].first; c != 0; c = d.nodes[c].next {
		kids = append(kids, c)
		k := d.keyOf(c)
		changed = changed || k == "" || strings.ContainsAny(k, " \t\n\f\r")
	}
	if !changed {
		return
	}
	for _, c := range kids {
		k := d.keyOf(c)
		nk := d.removeBlanks(k)
		if nk == k {
			continue
		}
		j := int32(0)
		for _, x := range kids {
			if d.keyOf(x) == nk {
				j = x
				break
			}
		}
		if j != 0 && j != c {
			d.moveAt(j, c)
			d.nodes[c].key, d.nodes[c].sym = "", 0
			continue
		}
		s := symOf(nk)
		d.nodes[c].sym = s
		if s == 0 {
			d.nodes[c].key = nk
		} else {
			d.nodes[c].key = ""
		}
		d.nodes[ed].num |= symBit(s)
	}
	for _, c := range kids {
		if d.keyOf(c) == "" {
			d.unlink(ed, c)
		}
	}
}

// removeBlanks returns s without regexp white space (\s).
func (d *doc) removeBlanks(s string) string {
	if !strings.ContainsAny(s, " \t\n\f\r") {
		return s
	}
	start := d.mark()
	for i := 0; i < len(s); i++ {
		if !isBlank(s[i]) {
			d.sb.b = append(d.sb.b, s[i])
		}
	}
	return d.take(start)
}
