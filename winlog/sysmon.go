package winlog

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

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

var sysmonCategories = map[string]sysmonCategory{
	"1":   {[]string{"process"}, []string{"start"}, nil, "Process creation"},
	"2":   {[]string{"file"}, []string{"change"}, nil, "A process changed a file creation time"},
	"3":   {[]string{"network"}, []string{"start", "connection", "protocol"}, nil, "Network connection"},
	"4":   {[]string{"process"}, []string{"change"}, nil, "Sysmon service state changed"},
	"5":   {[]string{"process"}, []string{"end"}, nil, "Process terminated"},
	"6":   {[]string{"driver"}, []string{"start"}, nil, "Driver loaded"},
	"7":   {[]string{"process"}, []string{"change"}, nil, "Image loaded"},
	"8":   {[]string{"process"}, []string{"change"}, nil, "CreateRemoteThread"},
	"9":   {[]string{"process"}, []string{"access"}, nil, "RawAccessRead"},
	"10":  {[]string{"process"}, []string{"access"}, nil, "ProcessAccess"},
	"11":  {[]string{"file"}, []string{"creation"}, nil, "FileCreate"},
	"12":  {[]string{"configuration", "registry"}, []string{"change"}, nil, "RegistryEvent (Object create and delete)"},
	"13":  {[]string{"configuration", "registry"}, []string{"change"}, nil, "RegistryEvent (Value Set)"},
	"14":  {[]string{"configuration", "registry"}, []string{"change"}, nil, "RegistryEvent (Key and Value Rename)"},
	"15":  {[]string{"file"}, []string{"access"}, nil, "FileCreateStreamHash"},
	"16":  {[]string{"configuration"}, []string{"change"}, nil, "ServiceConfigurationChange"},
	"17":  {[]string{"file"}, []string{"creation"}, nil, "PipeEvent (Pipe Created)"},
	"18":  {[]string{"file"}, []string{"access"}, nil, "PipeEvent (Pipe Connected)"},
	"19":  {[]string{"process"}, []string{"info"}, nil, "WmiEvent (WmiEventFilter activity detected)"},
	"20":  {[]string{"process"}, []string{"change"}, nil, "WmiEvent (WmiEventConsumer activity detected)"},
	"21":  {[]string{"process"}, []string{"access"}, nil, "WmiEvent (WmiEventConsumerToFilter activity detected)"},
	"22":  {[]string{"network"}, []string{"connection", "protocol", "info"}, nil, "DNSEvent (DNS query)"},
	"23":  {[]string{"file"}, []string{"deletion"}, nil, "FileDelete (File Delete archived)"},
	"24":  {nil, []string{"change"}, nil, "ClipboardChange (New content in the clipboard)"},
	"25":  {[]string{"process"}, []string{"change"}, nil, "ProcessTampering (Process image change)"},
	"26":  {[]string{"file"}, []string{"deletion"}, nil, "FileDeleteDetected (File Delete logged)"},
	"27":  {[]string{"file"}, []string{"creation"}, []string{"failure"}, "FileBlockExecutable"},
	"28":  {[]string{"file"}, []string{"deletion"}, nil, "FileBlockShredding"},
	"29":  {[]string{"file"}, []string{"creation"}, nil, "FileExecutableDetected"},
	"255": {[]string{"process"}, nil, []string{"failure"}, "Error"},
}

var (
	emptyHash  = regexp.MustCompile(`^0*$`)
	qwordRegex = regexp.MustCompile(`(?i)^QWORD \(((0x[0-9A-F]{8})-(0x[0-9A-F]{8}))\)$`)
	dwordRegex = regexp.MustCompile(`(?i)^DWORD \((0x[0-9A-F]{8})\)$`)
	v4Mapped   = regexp.MustCompile(`^\[?::ffff:([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)(?:\](?::[0-9]+)?)?$`)
	blanks     = regexp.MustCompile(`\s+`)
)

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

// mapSysmon applies the sysmon module pipeline (current 8.x generation,
// ecs-mapping.md §3) to the base event d.
func mapSysmon(d *obj) {
	ed := eventData(d)
	// Drop empty, "-" and null-GUID values.
	for i := 0; i < len(ed.keys); i++ {
		if s, ok := ed.vals[i].(string); ok && (s == "" || s == "-" || s == "{00000000-0000-0000-0000-000000000000}") {
			ed.delAt(i)
			i--
		}
	}
	d.rename("winlog.level", "log.level")
	if tc, ok := d.str("winlog.time_created"); ok {
		if ns, ok := event.ParseTime(tc); ok {
			d.set("event.created", formatMillis(ns))
		}
	}
	if utc, ok := ed.str("UtcTime"); ok {
		if t, err := time.Parse("2006-01-02 15:04:05.000", utc); err == nil {
			d.set("@timestamp", formatMillis(t.UnixNano()))
		}
	}
	d.set("event.module", "sysmon")
	d.set("event.kind", "event")
	code, _ := d.str("winlog.event_id")
	d.set("event.code", code)
	if c, ok := sysmonCategories[code]; ok {
		if c.category != nil {
			d.set("event.category", c.category)
		}
		if c.typ != nil {
			d.set("event.type", c.typ)
		}
		if c.outcome != nil {
			d.set("event.outcome", c.outcome)
		}
		d.set("event.action", c.action)
	}
	stringifyRecordID(d)
	if code == "255" && ed.has("ID") {
		d.set("error.code", ed.del("ID"))
	}
	if ed.has("RuleName") {
		d.set("rule.name", ed.del("RuleName"))
	}
	if code == "25" && ed.has("Type") {
		d.set("message", ed.del("Type"))
	}
	if ed.has("Hash") {
		ed.set("Hashes", ed.del("Hash"))
	}

	// Hashes: "SHA1=...,MD5=..." split into a map; empty (all-zero)
	// values skipped; keys and values lower-cased.
	var hashes *obj
	if s, ok := ed.str("Hashes"); ok {
		hashes = newObj()
		var keys []string
		vals := map[string]string{}
		for _, part := range strings.Split(s, ",") {
			k, v, found := strings.Cut(part, "=")
			if !found || k == "" {
				continue
			}
			if _, dup := vals[k]; !dup {
				keys = append(keys, k)
			}
			vals[k] = v
		}
		var related []string
		for _, k := range javaHashOrder(keys) {
			v := strings.ToLower(vals[k])
			if emptyHash.MatchString(v) {
				continue
			}
			hashes.set(strings.ToLower(k), v)
			related = append(related, v)
		}
		if len(related) > 0 {
			d.set("related", newObj())
			d.set("related.hash", related)
		}
	}

	// Process fields.
	if hashes != nil && in(code, "1", "23", "24", "25", "26") {
		d.set("process.hash", hashes)
		hashes = nil
	}
	d.rename("process.hash.imphash", "process.pe.imphash")
	renameNonEmpty(d, ed, "ProcessGuid", "process.entity_id")
	convertLong(d, ed, "ProcessId", "process.pid")
	renameNonEmpty(d, ed, "Image", "process.executable")
	renameNonEmpty(d, ed, "SourceProcessGuid", "process.entity_id")
	renameNonEmpty(d, ed, "SourceProcessGUID", "process.entity_id")
	convertLong(d, ed, "SourceProcessId", "process.pid")
	convertLong(d, ed, "SourceThreadId", "process.thread.id")
	renameNonEmpty(d, ed, "SourceImage", "process.executable")
	renameNonEmpty(d, ed, "Destination", "process.executable")
	renameNonEmpty(d, ed, "CommandLine", "process.command_line")
	renameNonEmpty(d, ed, "CurrentDirectory", "process.working_directory")
	renameNonEmpty(d, ed, "ParentProcessGuid", "process.parent.entity_id")
	convertLong(d, ed, "ParentProcessId", "process.parent.pid")
	renameNonEmpty(d, ed, "ParentImage", "process.parent.executable")
	renameNonEmpty(d, ed, "ParentCommandLine", "process.parent.command_line")
	pe := "process.pe"
	if code == "7" {
		pe = "file.pe"
	}
	if code != "7" {
		renameNonEmpty(d, ed, "OriginalFileName", "process.pe.original_file_name")
		copyNonEmpty(d, ed, "Company", "process.pe.company")
		copyNonEmpty(d, ed, "Description", "process.pe.description")
		copyNonEmpty(d, ed, "FileVersion", "process.pe.file_version")
		copyNonEmpty(d, ed, "Product", "process.pe.product")
	}
	splitArgs(d, "process")
	splitArgs(d, "process.parent")
	setProcessName(d, "process")
	setProcessName(d, "process.parent")

	// File fields.
	if hashes != nil && in(code, "6", "7", "15", "26", "29") {
		d.set("file.hash", hashes)
	}
	d.rename("file.hash.imphash", "file.pe.imphash")
	renameNonEmpty(d, ed, "TargetFilename", "file.path")
	renameNonEmpty(d, ed, "Device", "file.path")
	renameNonEmpty(d, ed, "PipeName", "file.name")
	renameNonEmpty(d, ed, "ImageLoaded", "file.path")
	copyNonEmpty(d, ed, "Signature", "file.code_signature.subject_name")
	copyNonEmpty(d, ed, "SignatureStatus", "file.code_signature.status")
	if pe == "file.pe" {
		renameNonEmpty(d, ed, "OriginalFileName", "file.pe.original_file_name")
		copyNonEmpty(d, ed, "Company", "file.pe.company")
		copyNonEmpty(d, ed, "Description", "file.pe.description")
		copyNonEmpty(d, ed, "FileVersion", "file.pe.file_version")
		copyNonEmpty(d, ed, "Product", "file.pe.product")
	}
	// The pipeline compares Signed with boolean true, which a string
	// never equals, so file.code_signature.signed is never set.
	if s, _ := ed.str("SignatureStatus"); s == "Valid" {
		d.set("file.code_signature.valid", true)
	}
	if p, ok := d.str("file.path"); ok && len(p) > 1 {
		setFileParts(d, p, p)
	}

	// Network.
	renameNonEmpty(d, ed, "Protocol", "network.transport")
	if code != "22" {
		renameNonEmpty(d, ed, "DestinationPortName", "network.protocol")
		renameNonEmpty(d, ed, "SourcePortName", "network.protocol")
	} else {
		d.set("network.protocol", "dns")
	}
	convertIP(d, ed, "SourceIp", "source.ip")
	renameNonEmpty(d, ed, "SourceHostname", "source.domain")
	convertLong(d, ed, "SourcePort", "source.port")
	convertIP(d, ed, "DestinationIp", "destination.ip")
	renameNonEmpty(d, ed, "DestinationHostname", "destination.domain")
	convertLong(d, ed, "DestinationPort", "destination.port")
	renameNonEmpty(d, ed, "QueryName", "dns.question.name")
	switch s, _ := ed.str("Initiated"); s {
	case "true":
		d.set("network.direction", "egress")
	case "false":
		d.set("network.direction", "ingress")
	}
	switch s, _ := ed.str("SourceIsIpv6"); s {
	case "false":
		d.set("network.type", "ipv4")
	case "true":
		d.set("network.type", "ipv6")
	}
	if s, ok := ed.str("QueryResults"); ok && s != "" {
		dnsAnswers(d, s)
	}
	if name, ok := d.str("dns.question.name"); ok {
		if rd, ok := registeredDomain(name); ok {
			rd.apply(d, "dns.question")
		}
		if name != "" {
			d.appendUnique("related.hosts", name)
		}
	}
	if ips, ok := d.get("dns.resolved_ip").([]string); ok {
		for _, ip := range ips {
			d.appendUnique("related.ip", ip)
		}
	}
	communityID(d)

	// User.
	if id, ok := d.str("winlog.user.identifier"); ok && id != "" {
		d.set("user.id", id)
	}
	if u, ok := ed.str("User"); ok {
		if parts := javaSplit(u, `\`); len(parts) == 2 {
			if parts[0] != "" {
				d.set("user.domain", parts[0])
			}
			if parts[1] != "" {
				d.set("user.name", parts[1])
			}
		}
	}

	// Sysmon fields.
	if s, ok := ed.str("QueryStatus"); ok {
		ed.del("QueryStatus")
		if name, ok := dnsStatus[s]; ok {
			s = name
		}
		d.set("sysmon.dns.status", s)
	}
	convertBool(d, ed, "Archived", "sysmon.file.archived")
	convertBool(d, ed, "IsExecutable", "sysmon.file.is_executable")

	// Related.
	if s, ok := d.str("user.name"); ok && s != "" {
		d.appendUnique("related.user", s)
	}
	if s, ok := d.str("source.ip"); ok && s != "" {
		d.appendUnique("related.ip", s)
	}
	if s, ok := d.str("destination.ip"); ok && s != "" {
		d.appendUnique("related.ip", s)
	}

	// Registry, for 12, 13 and 14 only.
	if target, ok := ed.str("TargetObject"); ok && in(code, "12", "13", "14") {
		registryFields(d, target, ed)
	}

	if ed.has("TargetProcessGuid") {
		ed.set("TargetProcessGUID", ed.del("TargetProcessGuid"))
	}
	for _, k := range []string{"ProcessId", "ParentProcessId", "SourceProcessId", "SourceThreadId", "SourceIp",
		"SourcePort", "SourcePortName", "DestinationIp", "DestinationPort", "DestinationPortName", "RuleName",
		"User", "Initiated", "SourceIsIpv6", "DestinationIsIpv6", "QueryStatus", "Archived", "IsExecutable",
		"QueryResults", "UtcTime", "Hash", "Hashes", "TargetObject", "Details"} {
		ed.del(k)
	}
	d.del("winlog.time_created")
	d.del("winlog.level")
	dropEmptyEventData(d, ed, true)
}

// registryFields sets registry.* from a Sysmon TargetObject and Details
// (ecs-mapping.md §3.6), including the pipeline's quirks: the key keeps
// the value name and a QWORD is (high << 8) + low.
func registryFields(d *obj, target string, ed *obj) {
	reg := newObj()
	d.set("registry", reg)
	reg.set("path", target)
	tokens := javaSplit(target, `\`)
	if len(tokens) == 0 {
		tokens = []string{""}
	}
	if hive, ok := registryHives[tokens[0]]; ok {
		reg.set("hive", hive)
		if len(tokens) > 1 {
			reg.set("key", strings.Join(tokens[1:], `\`))
		}
	}
	reg.set("value", tokens[len(tokens)-1])
	data, ok := ed.str("Details")
	if !ok || data == "" {
		return
	}
	if m := qwordRegex.FindStringSubmatch(data); m != nil {
		hi, err1 := strconv.ParseInt(m[2][2:], 16, 64)
		lo, err2 := strconv.ParseInt(m[3][2:], 16, 64)
		if err1 == nil && err2 == nil {
			reg.set("data.strings", []string{strconv.FormatInt((hi<<8)+lo, 10)})
			reg.set("data.type", "SZ_QWORD")
		}
		return
	}
	if m := dwordRegex.FindStringSubmatch(data); m != nil {
		v, err := strconv.ParseInt(m[1][2:], 16, 64)
		if err == nil {
			reg.set("data.strings", []string{strconv.FormatInt(v, 10)})
			reg.set("data.type", "SZ_DWORD")
		}
		return
	}
	if data == "Binary Data" {
		reg.set("data.strings", []string{data})
		reg.set("data.type", "REG_BINARY")
		return
	}
	reg.set("data.strings", []string{data})
	reg.set("data.type", "REG_SZ")
}

// dnsAnswers parses Sysmon's QueryResults (ecs-mapping.md §3.5.6).
func dnsAnswers(d *obj, results string) {
	var answers []*obj
	var ips, hosts []string
	for _, answer := range javaSplit(results, ";") {
		if answer == "" {
			continue
		}
		if strings.HasPrefix(answer, "type:") {
			parts := javaSplitRegex(answer, blanks)
			if len(parts) < 2 {
				continue // the pipeline fails here; the event keeps the rest
			}
			a := newObj()
			if t, ok := dnsTypes[parts[1]]; ok {
				a.set("type", t)
			}
			if len(parts) == 3 {
				a.set("data", parts[2])
				hosts = append(hosts, parts[2])
			}
			answers = append(answers, a)
			continue
		}
		ips = append(ips, answer)
	}
	for i, ip := range ips {
		if m := v4Mapped.FindStringSubmatch(ip); m != nil {
			ips[i] = m[1]
		}
	}
	// Keep only valid addresses, as the pipeline's ip conversion does.
	valid := ips[:0]
	for _, ip := range ips {
		if _, err := netip.ParseAddr(ip); err == nil {
			valid = append(valid, ip)
		}
	}
	ips = valid
	for _, ip := range ips {
		a := newObj()
		a.set("data", ip)
		if strings.Contains(ip, ":") {
			a.set("type", "AAAA")
		} else {
			a.set("type", "A")
		}
		answers = append(answers, a)
	}
	if len(answers) > 0 {
		d.set("dns.answers", answers)
	}
	if len(ips) > 0 {
		d.set("dns.resolved_ip", ips)
	}
	if len(hosts) > 0 {
		d.set("related.hosts", hosts)
	}
}

// eventData returns the winlog.event_data object of d, creating it.
func eventData(d *obj) *obj {
	ed, ok := d.get("winlog.event_data").(*obj)
	if !ok {
		ed = newObj()
		d.set("winlog.event_data", ed)
	}
	return ed
}

// dropEmptyEventData removes empty values (and "-" when dash is set) and
// then the event_data object itself if nothing is left.
func dropEmptyEventData(d *obj, ed *obj, dash bool) {
	for i := 0; i < len(ed.keys); i++ {
		s, isStr := ed.vals[i].(string)
		if ed.vals[i] == nil || (isStr && (s == "" || (dash && s == "-"))) {
			ed.delAt(i)
			i--
		}
	}
	if ed.size() == 0 {
		d.del("winlog.event_data")
	}
}

func stringifyRecordID(d *obj) {
	if n, ok := d.get("winlog.record_id").(int64); ok {
		d.set("winlog.record_id", strconv.FormatInt(n, 10))
	}
}

// renameNonEmpty moves event_data key to the document path if it holds a
// non-empty value.
func renameNonEmpty(d *obj, ed *obj, key, path string) {
	if v, ok := ed.get(key).(string); ok && v != "" {
		ed.del(key)
		d.set(path, v)
	} else if v := ed.get(key); v != nil && !ok {
		ed.del(key)
		d.set(path, v)
	}
}

// copyNonEmpty copies event_data key to path if it holds a non-empty value.
func copyNonEmpty(d *obj, ed *obj, key, path string) {
	if v, ok := ed.str(key); ok && v != "" {
		d.set(path, v)
	}
}

// convertLong sets path to the integer in event_data key (kept there),
// as the convert processor with type long does; failures are ignored.
func convertLong(d *obj, ed *obj, key, path string) {
	s, ok := ed.str(key)
	if !ok || s == "" {
		return
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		d.set(path, n)
	}
}

// convertIP sets path to the address in event_data key if it is one.
func convertIP(d *obj, ed *obj, key, path string) {
	s, ok := ed.str(key)
	if !ok || s == "" {
		return
	}
	if _, err := netip.ParseAddr(s); err == nil {
		d.set(path, s)
	}
}

// convertBool sets path to the boolean in event_data key ("true"/"false",
// any case), as the convert processor does.
func convertBool(d *obj, ed *obj, key, path string) {
	s, ok := ed.str(key)
	if !ok || s == "" {
		return
	}
	switch strings.ToLower(s) {
	case "true":
		d.set(path, true)
	case "false":
		d.set(path, false)
	}
}

// splitArgs sets <prefix>.args and .args_count from <prefix>.command_line
// with the Windows splitter.
func splitArgs(d *obj, prefix string) {
	cmd, ok := d.str(prefix + ".command_line")
	if !ok || cmd == "" {
		return
	}
	args := SplitCommandLine(cmd)
	if args == nil {
		args = []string{}
	}
	d.set(prefix+".args", args)
	d.set(prefix+".args_count", int64(len(args)))
}

// setProcessName sets <prefix>.name from <prefix>.executable: the part
// after the last backslash, and nothing if there is none or it is empty.
func setProcessName(d *obj, prefix string) {
	exe, ok := d.str(prefix + ".executable")
	if !ok || len(exe) <= 1 || d.has(prefix+".name") {
		return
	}
	idx := strings.LastIndexByte(exe, '\\')
	if idx < 0 || idx == len(exe)-1 {
		return
	}
	d.set(prefix+".name", exe[idx+1:])
}

// setFileParts sets file.name, file.directory and file.extension from a
// path as the sysmon and powershell pipelines do; the extension is
// searched for in the whole path (extSource), a pipeline quirk.
func setFileParts(d *obj, path, extSource string) {
	idx := strings.LastIndexByte(path, '\\')
	if idx < 0 {
		return
	}
	d.set("file.name", path[idx+1:])
	d.set("file.directory", path[:idx])
	if e := strings.LastIndexByte(extSource, '.'); e >= 0 {
		d.set("file.extension", extSource[e+1:])
	}
}

// formatMillis renders a time as Elasticsearch's date processor does:
// millisecond precision in UTC.
func formatMillis(ns int64) string {
	return event.FormatTime(ns)
}

func in(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// javaSplit splits s on a literal separator as Java's String.split does:
// trailing empty strings are removed.
func javaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// javaSplitRegex is javaSplit with a regular-expression separator. A
// zero-width leading match does not produce an empty first element in
// Java 8+, but a leading separator of positive width does.
func javaSplitRegex(s string, re *regexp.Regexp) []string {
	parts := re.Split(s, -1)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
