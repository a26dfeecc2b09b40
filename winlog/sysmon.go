package winlog

import (
	"net/netip"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// sysmonCategory is the per-event categorisation of the current sysmon
// pipeline (ecs-mapping.md §3.3).
type sysmonCategory struct {
	category []string
	typ      []string
	outcome  []string
	action   string
}

var sysmonCategories = map[uint32]sysmonCategory{
	1:   {[]string{"process"}, []string{"start"}, nil, "Process creation"},
	2:   {[]string{"file"}, []string{"change"}, nil, "A process changed a file creation time"},
	3:   {[]string{"network"}, []string{"start", "connection", "protocol"}, nil, "Network connection"},
	4:   {[]string{"process"}, []string{"change"}, nil, "Sysmon service state changed"},
	5:   {[]string{"process"}, []string{"end"}, nil, "Process terminated"},
	6:   {[]string{"driver"}, []string{"start"}, nil, "Driver loaded"},
	7:   {[]string{"process"}, []string{"change"}, nil, "Image loaded"},
	8:   {[]string{"process"}, []string{"change"}, nil, "CreateRemoteThread"},
	9:   {[]string{"process"}, []string{"access"}, nil, "RawAccessRead"},
	10:  {[]string{"process"}, []string{"access"}, nil, "ProcessAccess"},
	11:  {[]string{"file"}, []string{"creation"}, nil, "FileCreate"},
	12:  {[]string{"configuration", "registry"}, []string{"change"}, nil, "RegistryEvent (Object create and delete)"},
	13:  {[]string{"configuration", "registry"}, []string{"change"}, nil, "RegistryEvent (Value Set)"},
	14:  {[]string{"configuration", "registry"}, []string{"change"}, nil, "RegistryEvent (Key and Value Rename)"},
	15:  {[]string{"file"}, []string{"access"}, nil, "FileCreateStreamHash"},
	16:  {[]string{"configuration"}, []string{"change"}, nil, "ServiceConfigurationChange"},
	17:  {[]string{"file"}, []string{"creation"}, nil, "PipeEvent (Pipe Created)"},
	18:  {[]string{"file"}, []string{"access"}, nil, "PipeEvent (Pipe Connected)"},
	19:  {[]string{"process"}, []string{"info"}, nil, "WmiEvent (WmiEventFilter activity detected)"},
	20:  {[]string{"process"}, []string{"change"}, nil, "WmiEvent (WmiEventConsumer activity detected)"},
	21:  {[]string{"process"}, []string{"access"}, nil, "WmiEvent (WmiEventConsumerToFilter activity detected)"},
	22:  {[]string{"network"}, []string{"connection", "protocol", "info"}, nil, "DNSEvent (DNS query)"},
	23:  {[]string{"file"}, []string{"deletion"}, nil, "FileDelete (File Delete archived)"},
	24:  {nil, []string{"change"}, nil, "ClipboardChange (New content in the clipboard)"},
	25:  {[]string{"process"}, []string{"change"}, nil, "ProcessTampering (Process image change)"},
	26:  {[]string{"file"}, []string{"deletion"}, nil, "FileDeleteDetected (File Delete logged)"},
	27:  {[]string{"file"}, []string{"creation"}, []string{"failure"}, "FileBlockExecutable"},
	28:  {[]string{"file"}, []string{"deletion"}, nil, "FileBlockShredding"},
	29:  {[]string{"file"}, []string{"creation"}, nil, "FileExecutableDetected"},
	255: {[]string{"process"}, nil, []string{"failure"}, "Error"},
}

// sysmonCategoryOf returns the categorisation of event id, or nil.
func sysmonCategoryOf(id uint32) *sysmonCategory {
	if id < uint32(len(sysmonCategoryArray)) {
		return sysmonCategoryArray[id]
	}
	return nil
}

var sysmonCategoryArray = func() (a [256]*sysmonCategory) {
	for id, c := range sysmonCategories {
		a[id] = &c
	}
	return a
}()

// registryHives maps the first TargetObject component to registry.hive.
var registryHives = map[string]string{
	"HKEY_CLASSES_ROOT": "HKCR", "HKCR": "HKCR",
	"HKEY_CURRENT_CONFIG": "HKCC", "HKCC": "HKCC",
	"HKEY_CURRENT_USER": "HKCU", "HKCU": "HKCU",
	"HKEY_DYN_DATA": "HKDD", "HKDD": "HKDD",
	"HKEY_LOCAL_MACHINE": "HKLM", "HKLM": "HKLM",
	"HKEY_PERFORMANCE_DATA": "HKPD", "HKPD": "HKPD",
	"HKEY_USERS": "HKU", "HKU": "HKU",
}

// Fields the sysmon and other pipelines set.
var (
	fErrorCode         = mkpath("error.code")
	fRuleName          = mkpath("rule.name")
	fRelated           = mkpath("related")
	fRelatedHash       = mkpath("related.hash")
	fRelatedUser       = mkpath("related.user")
	fRelatedIP         = mkpath("related.ip")
	fRelatedHosts      = mkpath("related.hosts")
	fProcessHash       = mkpath("process.hash")
	fProcessHashImp    = mkpath("process.hash.imphash")
	fProcessPEImphash  = mkpath("process.pe.imphash")
	fProcessEntityID   = mkpath("process.entity_id")
	fProcessPID        = mkpath("process.pid")
	fProcessExecutable = mkpath("process.executable")
	fProcessThreadID   = mkpath("process.thread.id")
	fProcessCmdLine    = mkpath("process.command_line")
	fProcessWorkingDir = mkpath("process.working_directory")
	fProcessTitle      = mkpath("process.title")
	fParentEntityID    = mkpath("process.parent.entity_id")
	fParentPID         = mkpath("process.parent.pid")
	fParentExecutable  = mkpath("process.parent.executable")
	fParentCmdLine     = mkpath("process.parent.command_line")
	fFileHash          = mkpath("file.hash")
	fFileHashImp       = mkpath("file.hash.imphash")
	fFilePEImphash     = mkpath("file.pe.imphash")
	fFilePath          = mkpath("file.path")
	fFileName          = mkpath("file.name")
	fFileDirectory     = mkpath("file.directory")
	fFileExtension     = mkpath("file.extension")
	fFileTargetPath    = mkpath("file.target_path")
	fFileSubjectName   = mkpath("file.code_signature.subject_name")
	fFileSigStatus     = mkpath("file.code_signature.status")
	fFileSigValid      = mkpath("file.code_signature.valid")
	fNetTransport      = mkpath("network.transport")
	fNetProtocol       = mkpath("network.protocol")
	fNetDirection      = mkpath("network.direction")
	fNetType           = mkpath("network.type")
	fNetCommunityID    = mkpath("network.community_id")
	fSourceIP          = mkpath("source.ip")
	fSourceDomain      = mkpath("source.domain")
	fSourcePort        = mkpath("source.port")
	fDestIP            = mkpath("destination.ip")
	fDestDomain        = mkpath("destination.domain")
	fDestPort          = mkpath("destination.port")
	fDNSQuestionName   = mkpath("dns.question.name")
	fDNSAnswers        = mkpath("dns.answers")
	fDNSResolvedIP     = mkpath("dns.resolved_ip")
	fUserID            = mkpath("user.id")
	fUserDomain        = mkpath("user.domain")
	fUserName          = mkpath("user.name")
	fSysmonDNSStatus   = mkpath("sysmon.dns.status")
	fSysmonArchived    = mkpath("sysmon.file.archived")
	fSysmonExecutable  = mkpath("sysmon.file.is_executable")
	fRegistry          = mkpath("registry")
)

// The pe fields of process.pe and file.pe.
type peFields struct {
	originalFileName, company, description, fileVersion, product path
}

func newPEFields(prefix string) peFields {
	p := mkpath(prefix)
	return peFields{p.add("original_file_name"), p.add("company"), p.add("description"),
		p.add("file_version"), p.add("product")}
}

var (
	processPE = newPEFields("process.pe")
	filePE    = newPEFields("file.pe")
)

// procFields are the fields of process and process.parent that the
// argument and name processors use.
type procFields struct {
	commandLine, args, argsCount, executable, name path
}

func newProcFields(prefix string) procFields {
	p := mkpath(prefix)
	return procFields{p.add("command_line"), p.add("args"), p.add("args_count"), p.add("executable"), p.add("name")}
}

var (
	procSelf   = newProcFields("process")
	procParent = newProcFields("process.parent")
)

// Sysmon event data names.
var (
	kUtcTime             = intern("UtcTime")
	kID                  = intern("ID")
	kRuleName            = intern("RuleName")
	kType                = intern("Type")
	kHash                = intern("Hash")
	kHashes              = intern("Hashes")
	kProcessGuid         = intern("ProcessGuid")
	kProcessId           = intern("ProcessId")
	kImage               = intern("Image")
	kSourceProcessGuid   = intern("SourceProcessGuid")
	kSourceProcessGUID   = intern("SourceProcessGUID")
	kSourceProcessId     = intern("SourceProcessId")
	kSourceThreadId      = intern("SourceThreadId")
	kSourceImage         = intern("SourceImage")
	kDestination         = intern("Destination")
	kCommandLine         = intern("CommandLine")
	kCurrentDirectory    = intern("CurrentDirectory")
	kParentProcessGuid   = intern("ParentProcessGuid")
	kParentProcessId     = intern("ParentProcessId")
	kParentImage         = intern("ParentImage")
	kParentCommandLine   = intern("ParentCommandLine")
	kOriginalFileName    = intern("OriginalFileName")
	kCompany             = intern("Company")
	kDescription         = intern("Description")
	kFileVersion         = intern("FileVersion")
	kProduct             = intern("Product")
	kTargetFilename      = intern("TargetFilename")
	kDevice              = intern("Device")
	kPipeName            = intern("PipeName")
	kImageLoaded         = intern("ImageLoaded")
	kSignature           = intern("Signature")
	kSignatureStatus     = intern("SignatureStatus")
	kProtocol            = intern("Protocol")
	kDestinationPortName = intern("DestinationPortName")
	kSourcePortName      = intern("SourcePortName")
	kSourceIp            = intern("SourceIp")
	kSourceHostname      = intern("SourceHostname")
	kSourcePort          = intern("SourcePort")
	kDestinationIp       = intern("DestinationIp")
	kDestinationHostname = intern("DestinationHostname")
	kDestinationPort     = intern("DestinationPort")
	kQueryName           = intern("QueryName")
	kInitiated           = intern("Initiated")
	kSourceIsIpv6        = intern("SourceIsIpv6")
	kDestinationIsIpv6   = intern("DestinationIsIpv6")
	kQueryResults        = intern("QueryResults")
	kQueryStatus         = intern("QueryStatus")
	kUser                = intern("User")
	kArchived            = intern("Archived")
	kIsExecutable        = intern("IsExecutable")
	kTargetObject        = intern("TargetObject")
	kDetails             = intern("Details")
	kTargetProcessGuid   = intern("TargetProcessGuid")
	kTargetProcessGUID   = intern("TargetProcessGUID")

	// Registry and hash object keys.
	kPath        = intern("path")
	kHive        = intern("hive")
	kKey         = intern("key")
	kValue       = intern("value")
	rDataStrings = mkpath("data.strings")
	rDataType    = mkpath("data.type")
	kDataField   = intern("data")
	kTypeField   = intern("type")
)

// sysmonDropped are the event data that the sysmon pipeline removes at
// its end.
var sysmonDropped = []sym{kProcessId, kParentProcessId, kSourceProcessId, kSourceThreadId, kSourceIp,
	kSourcePort, kSourcePortName, kDestinationIp, kDestinationPort, kDestinationPortName, kRuleName,
	kUser, kInitiated, kSourceIsIpv6, kDestinationIsIpv6, kQueryStatus, kArchived, kIsExecutable,
	kQueryResults, kUtcTime, kHash, kHashes, kTargetObject, kDetails}

// nullGUID is the GUID Sysmon writes for an unknown one.
const nullGUID = "{00000000-0000-0000-0000-000000000000}"

// mapSysmon applies the sysmon module pipeline (current 8.x generation,
// ecs-mapping.md §3) to the base event.
func (d *doc) mapSysmon(r *Record) {
	ed := d.eventData()
	// Drop empty, "-" and null-GUID values.
	d.dropChildren(ed, func(k event.Kind, s string) bool {
		return k == event.KindString && (s == "" || s == "-" || s == nullGUID)
	})
	d.rename(fWinlogLevel, fLogLevel)
	if tc, ok := d.str(fWinlogTimeCreated); ok {
		if ns, ok := event.ParseTime(tc); ok {
			d.setStr(fEventCreated, d.millis(ns))
		}
	}
	if utc, ok := d.strIn(ed, kUtcTime); ok {
		if ns, ok := parseUtcTime(utc); ok {
			d.setStr(fTimestamp, d.millis(ns))
		}
	}
	d.setStr(fEventModule, "sysmon")
	d.setStr(fEventKind, "event")
	code, _ := d.str(fWinlogEventID)
	d.setStr(fEventCode, code)
	id := r.EventID // code is its decimal form
	if c := sysmonCategoryOf(id); c != nil {
		if c.category != nil {
			d.setStrs(fEventCategory, c.category...)
		}
		if c.typ != nil {
			d.setStrs(fEventType, c.typ...)
		}
		if c.outcome != nil {
			d.setStrs(fEventOutcome, c.outcome...)
		}
		d.setStr(fEventAction, c.action)
	}
	d.stringifyRecordID()
	if id == 255 && d.find(ed, kID) != 0 {
		d.setNode(fErrorCode, d.delIn(ed, kID))
	}
	if d.find(ed, kRuleName) != 0 {
		d.setNode(fRuleName, d.delIn(ed, kRuleName))
	}
	if id == 25 && d.find(ed, kType) != 0 {
		d.setNode(fMessage, d.delIn(ed, kType))
	}
	if d.find(ed, kHash) != 0 {
		d.setNodeIn(ed, kHashes, d.delIn(ed, kHash))
	}

	// Hashes: "SHA1=...,MD5=..." split into a map; empty (all-zero)
	// values skipped; keys and values lower-cased.
	hashes := int32(0)
	if s, ok := d.strIn(ed, kHashes); ok {
		hashes = d.sysmonHashes(s)
	}

	// Process fields.
	if hashes != 0 && (id == 1 || id == 23 || id == 24 || id == 25 || id == 26) {
		d.setNode(fProcessHash, hashes)
		hashes = 0
	}
	d.rename(fProcessHashImp, fProcessPEImphash)
	d.renameNonEmpty(ed, kProcessGuid, fProcessEntityID)
	d.convertLong(ed, kProcessId, fProcessPID)
	d.renameNonEmpty(ed, kImage, fProcessExecutable)
	d.renameNonEmpty(ed, kSourceProcessGuid, fProcessEntityID)
	d.renameNonEmpty(ed, kSourceProcessGUID, fProcessEntityID)
	d.convertLong(ed, kSourceProcessId, fProcessPID)
	d.convertLong(ed, kSourceThreadId, fProcessThreadID)
	d.renameNonEmpty(ed, kSourceImage, fProcessExecutable)
	d.renameNonEmpty(ed, kDestination, fProcessExecutable)
	d.renameNonEmpty(ed, kCommandLine, fProcessCmdLine)
	d.renameNonEmpty(ed, kCurrentDirectory, fProcessWorkingDir)
	d.renameNonEmpty(ed, kParentProcessGuid, fParentEntityID)
	d.convertLong(ed, kParentProcessId, fParentPID)
	d.renameNonEmpty(ed, kParentImage, fParentExecutable)
	d.renameNonEmpty(ed, kParentCommandLine, fParentCmdLine)
	if id != 7 {
		d.peFields(ed, processPE)
	}
	d.splitArgs(procSelf)
	d.splitArgs(procParent)
	d.setProcessName(procSelf)
	d.setProcessName(procParent)

	// File fields.
	if hashes != 0 && (id == 6 || id == 7 || id == 15 || id == 26 || id == 29) {
		d.setNode(fFileHash, hashes)
	}
	d.rename(fFileHashImp, fFilePEImphash)
	d.renameNonEmpty(ed, kTargetFilename, fFilePath)
	d.renameNonEmpty(ed, kDevice, fFilePath)
	d.renameNonEmpty(ed, kPipeName, fFileName)
	d.renameNonEmpty(ed, kImageLoaded, fFilePath)
	d.copyNonEmpty(ed, kSignature, fFileSubjectName)
	d.copyNonEmpty(ed, kSignatureStatus, fFileSigStatus)
	if id == 7 {
		d.peFields(ed, filePE)
	}
	// The pipeline compares Signed with boolean true, which a string
	// never equals, so file.code_signature.signed is never set.
	if s, _ := d.strIn(ed, kSignatureStatus); s == "Valid" {
		d.setBool(fFileSigValid, true)
	}
	if p, ok := d.str(fFilePath); ok && len(p) > 1 {
		d.setFileParts(p, p)
	}

	// Network.
	d.renameNonEmpty(ed, kProtocol, fNetTransport)
	if id != 22 {
		d.renameNonEmpty(ed, kDestinationPortName, fNetProtocol)
		d.renameNonEmpty(ed, kSourcePortName, fNetProtocol)
	} else {
		d.setStr(fNetProtocol, "dns")
	}
	d.convertIP(ed, kSourceIp, fSourceIP)
	d.renameNonEmpty(ed, kSourceHostname, fSourceDomain)
	d.convertLong(ed, kSourcePort, fSourcePort)
	d.convertIP(ed, kDestinationIp, fDestIP)
	d.renameNonEmpty(ed, kDestinationHostname, fDestDomain)
	d.convertLong(ed, kDestinationPort, fDestPort)
	d.renameNonEmpty(ed, kQueryName, fDNSQuestionName)
	switch s, _ := d.strIn(ed, kInitiated); s {
	case "true":
		d.setStr(fNetDirection, "egress")
	case "false":
		d.setStr(fNetDirection, "ingress")
	}
	switch s, _ := d.strIn(ed, kSourceIsIpv6); s {
	case "false":
		d.setStr(fNetType, "ipv4")
	case "true":
		d.setStr(fNetType, "ipv6")
	}
	if s, ok := d.strIn(ed, kQueryResults); ok && s != "" {
		d.dnsAnswers(s)
	}
	if name, ok := d.str(fDNSQuestionName); ok {
		if rd, ok := d.registeredDomain(name); ok {
			rd.apply(d, dnsQuestion)
		}
		if name != "" {
			d.appendUnique(fRelatedHosts, name)
		}
	}
	if ips := d.get(fDNSResolvedIP); d.isStrings(ips) {
		for c := d.nodes[ips].first; c != 0; c = d.nodes[c].next {
			d.appendUnique(fRelatedIP, d.nodes[c].str)
		}
	}
	d.communityID()

	// User.
	if id, ok := d.str(fWinlogUserIdentifier); ok && id != "" {
		d.setStr(fUserID, id)
	}
	if u, ok := d.strIn(ed, kUser); ok {
		if domain, name, ok := splitDomainUser(u); ok {
			if domain != "" {
				d.setStr(fUserDomain, domain)
			}
			d.setStr(fUserName, name)
		}
	}

	// Sysmon fields.
	if s, ok := d.strIn(ed, kQueryStatus); ok {
		d.delIn(ed, kQueryStatus)
		if name, ok := dnsStatus[s]; ok {
			s = name
		}
		d.setStr(fSysmonDNSStatus, s)
	}
	d.convertBool(ed, kArchived, fSysmonArchived)
	d.convertBool(ed, kIsExecutable, fSysmonExecutable)

	// Related.
	if s, ok := d.str(fUserName); ok && s != "" {
		d.appendUnique(fRelatedUser, s)
	}
	if s, ok := d.str(fSourceIP); ok && s != "" {
		d.appendUnique(fRelatedIP, s)
	}
	if s, ok := d.str(fDestIP); ok && s != "" {
		d.appendUnique(fRelatedIP, s)
	}

	// Registry, for 12, 13 and 14 only.
	if target, ok := d.strIn(ed, kTargetObject); ok && (id == 12 || id == 13 || id == 14) {
		d.registryFields(target, ed)
	}

	if d.find(ed, kTargetProcessGuid) != 0 {
		d.setNodeIn(ed, kTargetProcessGUID, d.delIn(ed, kTargetProcessGuid))
	}
	for _, k := range sysmonDropped {
		d.delIn(ed, k)
	}
	d.del(fWinlogTimeCreated)
	d.del(fWinlogLevel)
	d.dropEmptyEventData(ed, true)
}

// sysmonHashes parses Sysmon's Hashes ("SHA1=...,MD5=...") into a
// detached object of lower-cased names and values, in the pipeline's
// order, and sets related.hash.
func (d *doc) sysmonHashes(s string) int32 {
	hashes := d.newNode(event.KindObject)
	var store [8]hashPair
	pairs := store[:0]
	var seen map[string]int // index of each name in pairs, once there are many
	for part := range strings.SplitSeq(s, ",") {
		k, v, found := strings.Cut(part, "=")
		if !found || k == "" {
			continue
		}
		i := -1
		if seen != nil {
			if j, ok := seen[k]; ok {
				i = j
			}
		} else {
			for j := range pairs {
				if pairs[j].k == k {
					i = j
					break
				}
			}
		}
		if i >= 0 {
			pairs[i].v = v // the last value of a name wins
			continue
		}
		pairs = append(pairs, hashPair{k: k, v: v})
		if seen != nil {
			seen[k] = len(pairs) - 1
		} else if len(pairs) > 16 {
			seen = make(map[string]int, 2*len(pairs))
			for j := range pairs {
				seen[pairs[j].k] = j
			}
		}
	}
	related := int32(0)
	var orderStore [8]int
	for _, i := range javaHashOrderOf(pairs, orderStore[:0]) {
		v := d.lower(pairs[i].v)
		if strings.Trim(v, "0") == "" {
			continue // the pipeline skips empty (all-zero) hashes
		}
		d.setStrAt(d.slotDyn(hashes, d.lower(pairs[i].k)), v)
		if related == 0 {
			d.setObj(fRelated)
			related = d.setArr(fRelatedHash)
		}
		d.push(related, v)
	}
	return hashes
}

// hashPair is one NAME=value of Sysmon's Hashes.
type hashPair struct{ k, v string }

// javaHashOrderOf appends to order the indexes of pairs in the order
// javaHashOrder gives their names, and returns it.
func javaHashOrderOf(pairs []hashPair, order []int) []int {
	if len(pairs) > 12 {
		keys := make([]string, len(pairs))
		pos := make(map[string]int, len(pairs))
		for i := range pairs {
			keys[i] = pairs[i].k
			pos[pairs[i].k] = i
		}
		for _, k := range javaHashOrder(keys) {
			order = append(order, pos[k])
		}
		return order
	}
	// A HashMap of up to 12 entries has 16 buckets, and the entries of a
	// bucket keep their insertion order.
	var bucket [12]uint32
	for i := range pairs {
		h := javaStringHash(pairs[i].k)
		bucket[i] = (h ^ h>>16) & 15
		order = append(order, i)
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && bucket[order[j-1]] > bucket[order[j]]; j-- {
			order[j-1], order[j] = order[j], order[j-1]
		}
	}
	return order
}

// registryFields sets registry.* from a Sysmon TargetObject and Details
// (ecs-mapping.md §3.6), including the pipeline's quirks: the key keeps
// the value name and a QWORD is (high << 8) + low.
func (d *doc) registryFields(target string, ed int32) {
	reg := d.setObj(fRegistry)
	d.setStrIn(reg, kPath, target)
	// The pipeline splits on backslashes, trailing empty parts dropped:
	// the hive is the first part, the key the others, the value the last.
	t := strings.TrimRight(target, `\`)
	first, rest, more := strings.Cut(t, `\`)
	if hive, ok := registryHives[first]; ok {
		d.setStrIn(reg, kHive, hive)
		if more {
			d.setStrIn(reg, kKey, rest)
		}
	}
	d.setStrIn(reg, kValue, t[strings.LastIndexByte(t, '\\')+1:])
	data, ok := d.strIn(ed, kDetails)
	if !ok || data == "" {
		return
	}
	var str, typ string
	if hi, lo, ok := parseQword(data); ok {
		str, typ = d.itoa(hi<<8+lo), "SZ_QWORD"
	} else if v, ok := parseDword(data); ok {
		str, typ = d.itoa(v), "SZ_DWORD"
	} else if data == "Binary Data" {
		str, typ = data, "REG_BINARY"
	} else {
		str, typ = data, "REG_SZ"
	}
	strs := d.slotIn(reg, rDataStrings)
	d.clear(strs, event.KindArray)
	d.push(strs, str)
	d.setStrAt(d.slotIn(reg, rDataType), typ)
}

// parseQword matches `(?i)^QWORD \((0x[0-9A-F]{8})-(0x[0-9A-F]{8})\)$` and
// returns the two numbers.
func parseQword(s string) (hi, lo int64, ok bool) {
	if len(s) != 29 || !hasPrefixFold(s, "qword (") || s[17] != '-' || s[28] != ')' {
		return 0, 0, false
	}
	hi, ok1 := parseHex8(s[7:17])
	lo, ok2 := parseHex8(s[18:28])
	return hi, lo, ok1 && ok2
}

// parseDword matches `(?i)^DWORD \((0x[0-9A-F]{8})\)$` and returns the
// number.
func parseDword(s string) (int64, bool) {
	if len(s) != 18 || !hasPrefixFold(s, "dword (") || s[17] != ')' {
		return 0, false
	}
	return parseHex8(s[7:17])
}

// parseHex8 parses "0x" (either case) and eight hexadecimal digits.
func parseHex8(s string) (int64, bool) {
	if len(s) != 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return 0, false
	}
	var n int64
	for i := 2; i < 10; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | int64(c)
	}
	return n, true
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// in any case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// dnsAnswers parses Sysmon's QueryResults (ecs-mapping.md §3.5.6).
func (d *doc) dnsAnswers(results string) {
	answers, hosts := int32(0), int32(0)
	var store [16]string
	ips := store[:0]
	for answer := range strings.SplitSeq(results, ";") {
		if answer == "" {
			continue
		}
		if strings.HasPrefix(answer, "type:") {
			f1, f2, n := blankFields(answer)
			if n < 2 {
				continue // the pipeline fails here; the event keeps the rest
			}
			if answers == 0 {
				answers = d.setArr(fDNSAnswers)
			}
			a := d.pushObj(answers)
			if t, ok := dnsTypes[f1]; ok {
				d.setStrIn(a, kTypeField, t)
			}
			if n == 3 {
				d.setStrIn(a, kDataField, f2)
				if hosts == 0 {
					hosts = d.newNode(event.KindArray)
				}
				d.push(hosts, f2)
			}
			continue
		}
		ips = append(ips, answer)
	}
	// Keep only valid addresses, as the pipeline's ip conversion does.
	valid := ips[:0]
	for _, ip := range ips {
		ip = unmapV4(ip)
		if _, err := netip.ParseAddr(ip); err == nil {
			valid = append(valid, ip)
		}
	}
	for _, ip := range valid {
		if answers == 0 {
			answers = d.setArr(fDNSAnswers)
		}
		a := d.pushObj(answers)
		d.setStrIn(a, kDataField, ip)
		if strings.IndexByte(ip, ':') >= 0 {
			d.setStrIn(a, kTypeField, "AAAA")
		} else {
			d.setStrIn(a, kTypeField, "A")
		}
	}
	if len(valid) > 0 {
		d.setStrs(fDNSResolvedIP, valid...)
	}
	if hosts != 0 {
		d.setNode(fRelatedHosts, hosts)
	}
}

// blankFields splits s on runs of white space (regexp \s: \t \n \f \r and
// space) as the pipeline's split does, trailing empty parts dropped, and
// returns the second and third parts and the number of parts, counting at
// most 4.
func blankFields(s string) (second, third string, n int) {
	var parts [3]string
	for {
		i := 0
		for i < len(s) && !isBlank(s[i]) {
			i++
		}
		if n < 3 {
			parts[n] = s[:i]
		}
		n++
		j := i
		for j < len(s) && isBlank(s[j]) {
			j++
		}
		if j == len(s) || n == 4 {
			break
		}
		s = s[j:]
	}
	// A trailing run of blanks gives an empty last part, which is dropped:
	// it is never counted above, since the loop stops at the end.
	return parts[1], parts[2], n
}

// isBlank reports whether c is white space for regexp's \s.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// unmapV4 returns the IPv4 address of an IPv4-mapped IPv6 address as
// Sysmon writes it ("::ffff:1.2.3.4", optionally in brackets with a
// port), and s otherwise: the match of
// `^\[?::ffff:([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)(?:\](?::[0-9]+)?)?$`.
func unmapV4(s string) string {
	t := strings.TrimPrefix(s, "[")
	if !strings.HasPrefix(t, "::ffff:") {
		return s
	}
	t = t[len("::ffff:"):]
	// Four runs of digits separated by dots.
	i, dots := 0, 0
	for {
		start := i
		for i < len(t) && '0' <= t[i] && t[i] <= '9' {
			i++
		}
		if i == start {
			return s
		}
		if dots == 3 {
			break
		}
		if i == len(t) || t[i] != '.' {
			return s
		}
		i++
		dots++
	}
	addr, tail := t[:i], t[i:]
	if tail == "" || tail == "]" {
		return addr
	}
	if len(tail) > 2 && tail[0] == ']' && tail[1] == ':' {
		for j := 2; j < len(tail); j++ {
			if tail[j] < '0' || tail[j] > '9' {
				return s
			}
		}
		return addr
	}
	return s
}

// eventData returns winlog.event_data, creating it.
func (d *doc) eventData() int32 {
	ed := d.get(fWinlogEventData)
	if ed == 0 || d.nodes[ed].kind != event.KindObject {
		ed = d.setObj(fWinlogEventData)
	}
	return ed
}

// dropChildren removes the children of obj for which drop, given their
// kind and string value, is true.
func (d *doc) dropChildren(obj int32, drop func(event.Kind, string) bool) {
	for c := d.nodes[obj].first; c != 0; {
		next := d.nodes[c].next
		if drop(d.nodes[c].kind, d.nodes[c].str) {
			d.unlink(obj, c)
		}
		c = next
	}
}

// dropEmptyEventData removes empty values (and "-" when dash is set) and
// then the event_data object itself if nothing is left.
func (d *doc) dropEmptyEventData(ed int32, dash bool) {
	d.dropChildren(ed, func(k event.Kind, s string) bool {
		return k == event.KindMissing || k == event.KindNull || k == event.KindString && (s == "" || dash && s == "-")
	})
	if d.nodes[ed].kids == 0 {
		d.del(fWinlogEventData)
	}
}

// stringifyRecordID turns winlog.record_id into a string, as the
// pipelines' convert processor does.
func (d *doc) stringifyRecordID() {
	n := d.get(fWinlogRecordID)
	if v, ok := d.intAt(n); ok {
		d.setStrAt(n, d.itoa(v))
	}
}

// renameNonEmpty moves event_data key to the document path if it holds a
// value other than the empty string.
func (d *doc) renameNonEmpty(ed int32, k sym, p path) {
	c := d.find(ed, k)
	if c == 0 || d.nodes[c].kind == event.KindString && d.nodes[c].str == "" {
		return
	}
	d.unlink(ed, c)
	d.setNode(p, c)
}

// copyNonEmpty copies event_data key to p if it holds a non-empty string.
func (d *doc) copyNonEmpty(ed int32, k sym, p path) {
	if v, ok := d.strIn(ed, k); ok && v != "" {
		d.setStr(p, v)
	}
}

// peFields copies the PE fields of event data to process.pe or file.pe.
func (d *doc) peFields(ed int32, pe peFields) {
	d.renameNonEmpty(ed, kOriginalFileName, pe.originalFileName)
	d.copyNonEmpty(ed, kCompany, pe.company)
	d.copyNonEmpty(ed, kDescription, pe.description)
	d.copyNonEmpty(ed, kFileVersion, pe.fileVersion)
	d.copyNonEmpty(ed, kProduct, pe.product)
}

// convertLong sets p to the integer in event_data key (kept there), as
// the convert processor with type long does; failures are ignored.
func (d *doc) convertLong(ed int32, k sym, p path) {
	s, ok := d.strIn(ed, k)
	if !ok || s == "" {
		return
	}
	if n, ok := parseInt(strings.TrimSpace(s)); ok {
		d.setInt(p, n)
	}
}

// convertIP sets p to the address in event_data key if it is one.
func (d *doc) convertIP(ed int32, k sym, p path) {
	s, ok := d.strIn(ed, k)
	if !ok || s == "" {
		return
	}
	if _, err := netip.ParseAddr(s); err == nil {
		d.setStr(p, s)
	}
}

// convertBool sets p to the boolean in event_data key ("true"/"false",
// any case), as the convert processor does.
func (d *doc) convertBool(ed int32, k sym, p path) {
	s, ok := d.strIn(ed, k)
	if !ok || s == "" {
		return
	}
	switch d.lower(s) {
	case "true":
		d.setBool(p, true)
	case "false":
		d.setBool(p, false)
	}
}

// splitArgs sets <process>.args and .args_count from .command_line with
// the Windows splitter.
func (d *doc) splitArgs(pf procFields) {
	cmd, ok := d.str(pf.commandLine)
	if !ok || cmd == "" {
		return
	}
	arr := d.setArr(pf.args)
	n := int64(0)
	for cmd != "" {
		if cmd[0] == ' ' || cmd[0] == '\t' {
			cmd = cmd[1:]
			continue
		}
		var arg string
		arg, cmd = d.nextArg(cmd)
		d.push(arr, arg)
		n++
	}
	d.setInt(pf.argsCount, n)
}

// nextArg is the package's nextArg, returning a substring of cmd when the
// argument needs no unquoting.
func (d *doc) nextArg(cmd string) (arg, rest string) {
	for i := 0; i < len(cmd); i++ {
		switch cmd[i] {
		case ' ', '\t':
			return cmd[:i], cmd[i+1:]
		case '"':
			start := d.mark()
			var b []byte
			b, rest = appendArg(d.sb.b, cmd)
			d.sb.b = b
			return d.take(start), rest
		}
	}
	return cmd, ""
}

// setProcessName sets <process>.name from .executable: the part after
// the last backslash, and nothing if there is none or it is empty.
func (d *doc) setProcessName(pf procFields) {
	exe, ok := d.str(pf.executable)
	if !ok || len(exe) <= 1 || d.has(pf.name) {
		return
	}
	idx := strings.LastIndexByte(exe, '\\')
	if idx < 0 || idx == len(exe)-1 {
		return
	}
	d.setStr(pf.name, exe[idx+1:])
}

// setFileParts sets file.name, file.directory and file.extension from a
// path as the sysmon and powershell pipelines do; the extension is
// searched for in the whole path (extSource), a pipeline quirk.
func (d *doc) setFileParts(path, extSource string) {
	idx := strings.LastIndexByte(path, '\\')
	if idx < 0 {
		return
	}
	d.setStr(fFileName, path[idx+1:])
	d.setStr(fFileDirectory, path[:idx])
	if e := strings.LastIndexByte(extSource, '.'); e >= 0 {
		d.setStr(fFileExtension, extSource[e+1:])
	}
}

// splitDomainUser splits DOMAIN\name as the pipelines do (a split on
// backslashes, trailing empty parts dropped, exactly two parts wanted).
// The name is never empty.
func splitDomainUser(u string) (domain, name string, ok bool) {
	t := strings.TrimRight(u, `\`)
	domain, name, ok = strings.Cut(t, `\`)
	if !ok || strings.IndexByte(name, '\\') >= 0 {
		return "", "", false
	}
	return domain, name, true
}
