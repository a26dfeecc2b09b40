package winlog

import (
	"strings"

	"github.com/vigil-sec/vigil/event"
)

// Tables of the Security pipeline's "Object Policy Change and SidListDesc"
// processor (events 4670, 4817, 4907, 4908).
var (
	accountSIDNames = map[string]string{
		"AO": "Account operators", "RU": "Alias to allow previous Windows 2000", "AN": "Anonymous logon",
		"AU": "Authenticated users", "BA": "Built-in administrators", "BG": "Built-in guests",
		"BO": "Backup operators", "BU": "Built-in users", "CA": "Certificate server administrators",
		"CG": "Creator group", "CO": "Creator owner", "DA": "Domain administrators", "DC": "Domain computers",
		"DD": "Domain controllers", "DG": "Domain guests", "DU": "Domain users", "EA": "Enterprise administrators",
		"ED": "Enterprise domain controllers", "WD": "Everyone", "PA": "Group Policy administrators",
		"IU": "Interactively logged-on user", "LA": "Local administrator", "LG": "Local guest",
		"LS": "Local service account", "SY": "Local system", "NU": "Network logon user",
		"NO": "Network configuration operators", "NS": "Network service account", "PO": "Printer operators",
		"PS": "Personal self", "PU": "Power users", "RS": "RAS servers group", "RD": "Terminal server users",
		"RE": "Replicator", "RC": "Restricted code", "SA": "Schema administrators", "SO": "Server operators",
		"SU":    "Service logon user",
		"S-1-0": "Null Authority", "S-1-0-0": "Nobody", "S-1-1": "World Authority", "S-1-1-0": "Everyone",
		"S-1-16-0": "Untrusted Mandatory Level", "S-1-16-12288": "High Mandatory Level",
		"S-1-16-16384": "System Mandatory Level", "S-1-16-20480": "Protected Process Mandatory Level",
		"S-1-16-28672": "Secure Process Mandatory Level", "S-1-16-4096": "Low Mandatory Level",
		"S-1-16-8192": "Medium Mandatory Level", "S-1-16-8448": "Medium Plus Mandatory Level",
		"S-1-2": "Local Authority", "S-1-2-0": "Local", "S-1-2-1": "Console Logon", "S-1-3": "Creator Authority",
		"S-1-3-0": "Creator Owner", "S-1-3-1": "Creator Group", "S-1-3-2": "Creator Owner Server",
		"S-1-3-3": "Creator Group Server", "S-1-3-4": "Owner Rights", "S-1-4": "Non-unique Authority",
		"S-1-5": "NT Authority", "S-1-5-1": "Dialup", "S-1-5-10": "Principal Self",
		"S-1-5-11": "Authenticated Users", "S-1-5-12": "Restricted Code", "S-1-5-13": "Terminal Server Users",
		"S-1-5-14": "Remote Interactive Logon", "S-1-5-15": "This Organization", "S-1-5-17": "This Organization",
		"S-1-5-18": "Local System", "S-1-5-19": "NT Authority", "S-1-5-2": "Network", "S-1-5-20": "NT Authority",
		"S-1-5-3": "Batch", "S-1-5-32-544": "Administrators", "S-1-5-32-545": "Users", "S-1-5-32-546": "Guests",
		"S-1-5-32-547": "Power Users", "S-1-5-32-548": "Account Operators", "S-1-5-32-549": "Server Operators",
		"S-1-5-32-550": "Print Operators", "S-1-5-32-551": "Backup Operators", "S-1-5-32-552": "Replicators",
		"S-1-5-32-554": `Builtin\Pre-Windows 2000 Compatible Access`,
		"S-1-5-32-555": `Builtin\Remote Desktop Users`,
		"S-1-5-32-556": `Builtin\Network Configuration Operators`,
		"S-1-5-32-557": `Builtin\Incoming Forest Trust Builders`,
		"S-1-5-32-558": `Builtin\Performance Monitor Users`, "S-1-5-32-559": `Builtin\Performance Log Users`,
		"S-1-5-32-560": `Builtin\Windows Authorization Access Group`,
		"S-1-5-32-561": `Builtin\Terminal Server License Servers`,
		"S-1-5-32-562": `Builtin\Distributed COM Users`, "S-1-5-32-569": `Builtin\Cryptographic Operators`,
		"S-1-5-32-573": `Builtin\Event Log Readers`, "S-1-5-32-574": `Builtin\Certificate Service DCOM Access`,
		"S-1-5-32-575": `Builtin\RDS Remote Access Servers`, "S-1-5-32-576": `Builtin\RDS Endpoint Servers`,
		"S-1-5-32-577": `Builtin\RDS Management Servers`, "S-1-5-32-578": `Builtin\Hyper-V Administrators`,
		"S-1-5-32-579": `Builtin\Access Control Assistance Operators`,
		"S-1-5-32-580": `Builtin\Remote Management Users`, "S-1-5-32-582": "Storage Replica Administrators",
		"S-1-5-4": "Interactive", "S-1-5-5-X-Y": "Logon Session", "S-1-5-6": "Service",
		"S-1-5-64-10": "NTLM Authentication", "S-1-5-64-14": "SChannel Authentication",
		"S-1-5-64-21": "Digest Authentication", "S-1-5-7": "Anonymous", "S-1-5-8": "Proxy", "S-1-5-80": "NT Service",
		"S-1-5-80-0": "All Services", "S-1-5-83-0": `NT Virtual Machine\Virtual Machines`,
		"S-1-5-9": "Enterprise Domain Controllers", "S-1-5-90-0": `Windows Manager\Windows Manager Group`,
	}
	aceTypes = map[string]string{
		"A": "Access Allowed", "D": "Access Denied", "OA": "Object Access Allowed", "OD": "Object Access Denied",
		"AU": "System Audit", "AL": "System Alarm", "OU": "System Object Audit", "OL": "System Object Alarm",
		"ML": "System Mandatory Label", "SP": "Central Policy ID",
	}
	domainSpecificSIDs = map[string]string{
		"498": "Enterprise Read-only Domain Controllers", "500": "Administrator", "501": "Guest", "502": "KRBTGT",
		"512": "Domain Admins", "513": "Domain Users", "514": "Domain Guests", "515": "Domain Computers",
		"516": "Domain Controllers", "517": "Cert Publishers", "518": "Schema Admins", "519": "Enterprise Admins",
		"520": "Group Policy Creator Owners", "521": "Read-only Domain Controllers",
		"522": "Cloneable Domain Controllers", "526": "Key Admins", "527": "Enterprise Key Admins",
		"553": "RAS and IAS Servers", "571": "Allowed RODC Password Replication Group",
		"572": "Denied RODC Password Replication Group",
	}
	permissionNames = map[string]string{
		"GA": "Generic All", "GR": "Generic Read", "GW": "Generic Write", "GX": "Generic Execute",
		"RC": "Read Permissions", "SD": "Delete", "WD": "Modify Permissions", "WO": "Modify Owner",
		"RP": "Read All Properties", "WP": "Write All Properties", "CC": "Create All Child Objects",
		"DC": "Delete All Child Objects", "LC": "List Contents", "SW": "All Validated", "LO": "List Object",
		"DT": "Delete Subtree", "CR": "All Extended Rights", "FA": "File All Access", "FR": "File Generic Read",
		"FX": "FILE GENERIC EXECUTE", "FW": "FILE GENERIC WRITE", "KA": "KEY ALL ACCESS", "KR": "KEY READ",
		"KW": "KEY WRITE", "KX": "KEY EXECUTE",
	}
)

// translateSID names a SID or SDDL alias. An unknown domain SID gives
// "null" (the pipeline's missing map entry rendered by string
// concatenation) unless its RID is well known.
func translateSID(sid string) (string, bool) {
	if name, ok := accountSIDNames[sid]; ok {
		return name, true
	}
	if strings.HasPrefix(sid, "S-1-5-21") {
		if m := ridSuffix(sid); m != "" {
			name, ok := domainSpecificSIDs[m]
			return name, ok
		}
	}
	return sid, true
}

// ridSuffix returns the match of `[0-9]{1,5}$`: the last five digits at
// most of the digits that end s.
func ridSuffix(s string) string {
	i := len(s)
	for i > 0 && len(s)-i < 5 && '0' <= s[i-1] && s[i-1] <= '9' {
		i--
	}
	return s[i:]
}

func orNull(s string, ok bool) string {
	if !ok {
		return "null"
	}
	return s
}

// translateACE renders one ACE as the pipeline does:
// "<grantee> :<type> ([perm, perm])".
func translateACE(ace string) (grantee string, text string) {
	parts := strings.Split(ace, ";")
	granteeOK := false
	if len(parts) >= 6 {
		grantee, granteeOK = translateSID(parts[5])
	}
	typ, typOK := "", false
	if len(parts) >= 1 {
		typ, typOK = aceTypes[parts[0]]
	}
	var perms []string
	if len(parts) >= 3 {
		p := parts[2]
		if strings.HasPrefix(p, "0x") {
			if n, ok := javaLongDecode(p); ok {
				perms = permsFlags.match(n)
			}
			if len(perms) == 0 {
				perms = []string{p}
			}
		} else {
			for i := 0; i < len(p); i += 2 {
				j := min(i+2, len(p))
				perms = append(perms, orNull(permissionNames[p[i:j]], permissionNames[p[i:j]] != ""))
			}
		}
	}
	permText := "null"
	if len(parts) >= 3 {
		permText = "[" + strings.Join(perms, ", ") + "]"
	}
	if !granteeOK {
		grantee = "null"
	}
	return grantee, orNull(grantee, true) + " :" + orNull(typ, typOK) + " (" + permText + ")"
}

// Owner and group aliases at the start of a security descriptor
// (`^O:[A-Z]{2}`, `^G:[A-Z]{2}`): the match, "O:BA", is what the pipeline
// translates.
func sdAlias(s string, kind byte) string {
	if len(s) >= 4 && s[0] == kind && s[1] == ':' && isUpper(s[2]) && isUpper(s[3]) {
		return s[:4]
	}
	return ""
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// sdACL returns the access control list that `(D:([A-Z]*(\(.*\))*))`
// finds for tag 'D' (the first "D:", its flags, and the parenthesised
// entries up to the last ')' of the line), or "" and false.
func sdDACL(s string) (string, bool) {
	i := strings.Index(s, "D:")
	if i < 0 {
		return "", false
	}
	j := i + 2
	for j < len(s) && isUpper(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '(' {
		line := s[j+1:]
		if nl := strings.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
		}
		if k := strings.LastIndexByte(line, ')'); k >= 0 {
			j += 1 + k + 1
		}
	}
	return s[i:j], true
}

// sdSACL returns the match of `(S:([A-Z]*(\(.*\))*))?$`: the first "S:"
// whose flags are followed by nothing or by parenthesised entries running
// to the end of the text on one line.
func sdSACL(s string) string {
	lastNL := strings.LastIndexByte(s, '\n')
	for off := 0; ; {
		i := strings.Index(s[off:], "S:")
		if i < 0 {
			return ""
		}
		i += off
		j := i + 2
		for j < len(s) && isUpper(s[j]) {
			j++
		}
		if j == len(s) || s[j] == '(' && len(s)-j >= 2 && s[len(s)-1] == ')' && lastNL < j {
			return s[i:]
		}
		off = i + 1
	}
}

// aceEntries appends to dst the matches of `\([^*)]*\)` in s. Every '('
// up to the next '*' or ')' ends at the same place, so the scan resumes
// there.
func aceEntries(s string, dst []string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] != '(' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != '*' && s[j] != ')' {
			j++
		}
		if j < len(s) && s[j] == ')' {
			dst = append(dst, s[i:j+1])
		}
		i = j
	}
	return dst
}

// sdSuffixes are the event data names of the translated descriptors.
var sdSuffixes = map[string][4]string{
	"OldSd": {"OldSdOwner", "OldSdGroup", "OldSdDacl", "OldSdSacl"},
	"NewSd": {"NewSdOwner", "NewSdGroup", "NewSdDacl", "NewSdSacl"},
}

var (
	kOldSd       = intern("OldSd")
	kNewSd       = intern("NewSd")
	kSidList     = intern("SidList")
	kSidListDesc = intern("SidListDesc")
)

// securitySDDL enriches OldSd/NewSd security descriptors and SidList.
func (d *doc) securitySDDL(ed int32) {
	for _, sd := range [...]struct {
		key  sym
		name string
	}{{kOldSd, "OldSd"}, {kNewSd, "NewSd"}} {
		s, ok := d.strIn(ed, sd.key)
		if !ok {
			continue
		}
		names := sdSuffixes[sd.name]
		if m := sdAlias(s, 'O'); m != "" {
			d.setDyn(ed, names[0], orNull(translateSID(m)))
		}
		if m := sdAlias(s, 'G'); m != "" {
			d.setDyn(ed, names[1], orNull(translateSID(m)))
		}
		if m, ok := sdDACL(s); ok {
			d.translateACEs(ed, names[2], m)
		}
		if m := sdSACL(s); m != "" {
			d.translateACEs(ed, names[3], m)
		}
	}
	if s, ok := d.strIn(ed, kSidList); ok {
		// The current pipeline splits on any white space (4908 golden).
		list := strings.Fields(s)
		arr := d.slotKey(ed, kSidList)
		d.clear(arr, event.KindArray)
		for _, sid := range list {
			d.push(arr, sid)
		}
		desc := d.slotKey(ed, kSidListDesc)
		d.clear(desc, event.KindArray)
		for _, sid := range list {
			clean := strings.NewReplacer("%", "", "{", "", "}", "", " ", "").Replace(sid)
			d.push(desc, orNull(translateSID(clean)))
		}
	}
}

// translateACEs sets <prefix><i> for each entry of an access control
// list.
func (d *doc) translateACEs(ed int32, prefix, acl string) {
	var store [16]string
	for i, ace := range aceEntries(acl, store[:0]) {
		grantee, text := translateACE(strings.NewReplacer("(", "", ")", "").Replace(ace))
		d.setDyn(ed, d.concat(prefix, d.itoa(int64(i))), text)
		if grantee == "Administrator" || grantee == "Guest" || grantee == "KRBTGT" {
			d.appendUnique(fRelatedUser, grantee)
		}
	}
}

// setDyn sets the event data name (a dotted path) under obj to v.
func (d *doc) setDyn(obj int32, name, v string) {
	d.setStrAt(d.slotDyn(obj, name), v)
}
