package winlog

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/event"
)

// secCategory is one row of the Security pipeline's categorisation table.
type secCategory struct {
	category, typ []string
	action        string
}

func cat(c, t string, action string) secCategory {
	return secCategory{strings.Split(c, ","), strings.Split(t, ","), action}
}

// securityCategories is the categorisation of security_standard.yml
// (ecs-mapping.md §4.1).
var securityCategories = map[string]secCategory{
	"1100": cat("process", "end", "logging-service-shutdown"),
	"1102": cat("iam", "admin,change", "audit-log-cleared"),
	"1104": cat("iam", "admin", "logging-full"),
	"1105": cat("iam", "admin", "auditlog-archieved"),
	"1108": cat("iam", "admin", "logging-processing-error"),
	"4610": cat("configuration", "access", "authentication-package-loaded"),
	"4611": cat("configuration", "change", "trusted-logon-process-registered"),
	"4614": cat("configuration", "access", "notification-package-loaded"),
	"4616": cat("configuration", "change", "system-time-changed"),
	"4622": cat("configuration", "access", "security-package-loaded"),
	"4624": cat("authentication", "start", "logged-in"),
	"4625": cat("authentication", "start", "logon-failed"),
	"4634": cat("authentication", "end", "logged-out"),
	"4647": cat("authentication", "end", "logged-out"),
	"4648": cat("authentication", "start", "logged-in-explicit"),
	"4657": cat("registry,configuration", "change", "registry-value-modified"),
	"4662": cat("iam,configuration", "admin,change", "object-operation-performed"),
	"4670": cat("iam,configuration", "admin,change", "permissions-changed"),
	"4672": cat("iam", "admin", "logged-in-special"),
	"4673": cat("iam", "admin", "privileged-service-called"),
	"4674": cat("iam", "admin", "privileged-operation"),
	"4688": cat("process", "start", "created-process"),
	"4689": cat("process", "end", "exited-process"),
	"4697": cat("iam,configuration", "admin,change", "service-installed"),
	"4698": cat("iam,configuration", "creation,admin", "scheduled-task-created"),
	"4699": cat("iam,configuration", "deletion,admin", "scheduled-task-deleted"),
	"4700": cat("iam,configuration", "change,admin", "scheduled-task-enabled"),
	"4701": cat("iam,configuration", "change,admin", "scheduled-task-disabled"),
	"4702": cat("iam,configuration", "change,admin", "scheduled-task-updated"),
	"4706": cat("configuration", "creation", "domain-trust-added"),
	"4707": cat("configuration", "deletion", "domain-trust-removed"),
	"4713": cat("configuration", "change", "kerberos-policy-changed"),
	"4714": cat("configuration", "change", "encrypted-data-recovery-policy-changed"),
	"4715": cat("configuration", "change", "object-audit-policy-changed"),
	"4716": cat("configuration", "change", "trusted-domain-information-changed"),
	"4717": cat("iam,configuration", "admin,change", "system-security-access-granted"),
	"4718": cat("iam,configuration", "admin,deletion", "system-security-access-removed"),
	"4719": cat("iam,configuration", "admin,change", "changed-audit-config"),
	"4720": cat("iam", "user,creation", "added-user-account"),
	"4722": cat("iam", "user,change", "enabled-user-account"),
	"4723": cat("iam", "user,change", "changed-password"),
	"4724": cat("iam", "user,change", "reset-password"),
	"4725": cat("iam", "user,deletion", "disabled-user-account"),
	"4726": cat("iam", "user,deletion", "deleted-user-account"),
	"4727": cat("iam", "group,creation", "added-group-account"),
	"4728": cat("iam", "group,change", "added-member-to-group"),
	"4729": cat("iam", "group,change", "removed-member-from-group"),
	"4730": cat("iam", "group,deletion", "deleted-group-account"),
	"4731": cat("iam", "group,creation", "added-group-account"),
	"4732": cat("iam", "group,change", "added-member-to-group"),
	"4733": cat("iam", "group,change", "removed-member-from-group"),
	"4734": cat("iam", "group,deletion", "deleted-group-account"),
	"4735": cat("iam", "group,change", "modified-group-account"),
	"4737": cat("iam", "group,change", "modified-group-account"),
	"4738": cat("iam", "user,change", "modified-user-account"),
	"4739": cat("configuration", "change", "domain-policy-changed"),
	"4740": cat("iam", "user,change", "locked-out-user-account"),
	"4741": cat("iam", "creation,admin", "added-computer-account"),
	"4742": cat("iam", "change,admin", "changed-computer-account"),
	"4743": cat("iam", "deletion,admin", "deleted-computer-account"),
	"4744": cat("iam", "group,creation", "added-distribution-group-account"),
	"4745": cat("iam", "group,change", "changed-distribution-group-account"),
	"4746": cat("iam", "group,change", "added-member-to-distribution-group"),
	"4747": cat("iam", "group,change", "removed-member-from-distribution-group"),
	"4748": cat("iam", "group,deletion", "deleted-distribution-group-account"),
	"4749": cat("iam", "group,creation", "added-distribution-group-account"),
	"4750": cat("iam", "group,change", "changed-distribution-group-account"),
	"4751": cat("iam", "group,change", "added-member-to-distribution-group"),
	"4752": cat("iam", "group,change", "removed-member-from-distribution-group"),
	"4753": cat("iam", "group,deletion", "deleted-distribution-group-account"),
	"4754": cat("iam", "group,creation", "added-group-account"),
	"4755": cat("iam", "group,change", "modified-group-account"),
	"4756": cat("iam", "group,change", "added-member-to-group"),
	"4757": cat("iam", "group,change", "removed-member-from-group"),
	"4758": cat("iam", "group,deletion", "deleted-group-account"),
	"4759": cat("iam", "group,creation", "added-distribution-group-account"),
	"4760": cat("iam", "group,change", "changed-distribution-group-account"),
	"4761": cat("iam", "group,change", "added-member-to-distribution-group"),
	"4762": cat("iam", "group,change", "removed-member-from-distribution-group"),
	"4763": cat("iam", "group,deletion", "deleted-distribution-group-account"),
	"4764": cat("iam", "group,change", "type-changed-group-account"),
	"4767": cat("iam", "user,change", "unlocked-user-account"),
	"4768": cat("authentication", "start", "kerberos-authentication-ticket-requested"),
	"4769": cat("authentication", "start", "kerberos-service-ticket-requested"),
	"4770": cat("authentication", "start", "kerberos-service-ticket-renewed"),
	"4771": cat("authentication", "start", "kerberos-preauth-failed"),
	"4776": cat("authentication", "start", "credential-validated"),
	"4778": cat("authentication,session", "start", "session-reconnected"),
	"4779": cat("authentication,session", "end", "session-disconnected"),
	"4781": cat("iam", "user,change", "renamed-user-account"),
	"4797": cat("iam", "user,info", "query-existence-of-blank-password"),
	"4798": cat("iam", "user,info", "group-membership-enumerated"),
	"4799": cat("iam", "group,info", "user-member-enumerated"),
	"4817": cat("iam,configuration", "admin,change", "object-audit-changed"),
	"4902": cat("iam,configuration", "admin,creation", "user-audit-policy-created"),
	"4904": cat("iam,configuration", "admin,change", "security-event-source-added"),
	"4905": cat("iam,configuration", "admin,deletion", "security-event-source-removed"),
	"4906": cat("iam,configuration", "admin,change", "crash-on-audit-changed"),
	"4907": cat("iam,configuration", "admin,change", "audit-setting-changed"),
	"4908": cat("iam,configuration", "admin,change", "special-group-table-changed"),
	"4912": cat("iam,configuration", "admin,change", "per-user-audit-policy-changed"),
	"4950": cat("configuration", "change", "windows-firewall-setting-changed"),
	"4954": cat("configuration", "change", "windows-firewall-group-policy-changed"),
	"4964": cat("iam", "admin,group", "logged-in-special"),
	"5024": cat("process", "start", "windows-firewall-service-started"),
	"5025": cat("process", "end", "windows-firewall-service-stopped"),
	"5033": cat("driver", "start", "windows-firewall-driver-started"),
	"5034": cat("driver", "end", "windows-firewall-driver-stopped"),
	"5037": cat("driver", "end", "windows-firewall-driver-error"),
	"5136": cat("iam,configuration", "admin,change", "directory-service-object-modified"),
	"5140": cat("network,file", "info,access", "network-share-object-accessed"),
	"5145": cat("network,file", "info,access", "network-share-object-access-checked"),
	"5379": cat("iam", "user,info", "credential-manager-credentials-were-read"),
	"5380": cat("iam", "user,info", "vault-credential-find"),
	"5381": cat("iam", "user,info", "vault-credentials-were-read"),
	"5382": cat("iam", "user,info", "vault-credentials-were-read"),
}

var logonTypes = map[string]string{
	"2": "Interactive", "3": "Network", "4": "Batch", "5": "Service", "7": "Unlock", "8": "NetworkCleartext",
	"9": "NewCredentials", "10": "RemoteInteractive", "11": "CachedInteractive",
}

// flagTable is a pipeline params map from a hex flag to a name, iterated
// in Java HashMap order.
type flagTable struct {
	order []string
	names map[string]string
	flags []flagName // the decodable flags, in order
}

// flagName is one flag of a flagTable.
type flagName struct {
	flag int64
	name string
}

func newFlagTable(pairs ...string) flagTable {
	t := flagTable{names: map[string]string{}}
	var keys []string
	for i := 0; i+1 < len(pairs); i += 2 {
		keys = append(keys, pairs[i])
		t.names[pairs[i]] = pairs[i+1]
	}
	t.order = javaHashOrder(keys)
	t.index()
	return t
}

// newSortedFlagTable is newFlagTable iterating in order of the names.
func newSortedFlagTable(pairs ...string) flagTable {
	t := newFlagTable(pairs...)
	sort.Slice(t.order, func(i, j int) bool { return t.names[t.order[i]] < t.names[t.order[j]] })
	t.index()
	return t
}

// index decodes the flags once.
func (t *flagTable) index() {
	t.flags = t.flags[:0]
	for _, k := range t.order {
		if flag, ok := javaLongDecode(k); ok {
			t.flags = append(t.flags, flagName{flag, t.names[k]})
		}
	}
}

// match returns the names of the flags set in v, in table order.
func (t flagTable) match(v int64) []string {
	var out []string
	for _, f := range t.flags {
		if v&f.flag == f.flag {
			out = append(out, f.name)
		}
	}
	return out
}

// setMatches sets the child s of obj to the names of the flags set in v,
// if there are any, and reports whether there were.
func (t flagTable) setMatches(d *doc, obj int32, s sym, v int64) bool {
	arr := int32(0)
	for _, f := range t.flags {
		if v&f.flag == f.flag {
			if arr == 0 {
				arr = d.slotKey(obj, s)
				d.clear(arr, event.KindArray)
			}
			d.push(arr, f.name)
		}
	}
	return arr != 0
}

var uacFlags = newFlagTable(
	"0x00000001", "USER_ACCOUNT_DISABLED", "0x00000002", "USER_HOME_DIRECTORY_REQUIRED",
	"0x00000004", "USER_PASSWORD_NOT_REQUIRED", "0x00000008", "USER_TEMP_DUPLICATE_ACCOUNT",
	"0x00000010", "USER_NORMAL_ACCOUNT", "0x00000020", "USER_MNS_LOGON_ACCOUNT",
	"0x00000040", "USER_INTERDOMAIN_TRUST_ACCOUNT", "0x00000080", "USER_WORKSTATION_TRUST_ACCOUNT",
	"0x00000100", "USER_SERVER_TRUST_ACCOUNT", "0x00000200", "USER_DONT_EXPIRE_PASSWORD",
	"0x00000400", "USER_ACCOUNT_AUTO_LOCKED", "0x00000800", "USER_ENCRYPTED_TEXT_PASSWORD_ALLOWED",
	"0x00001000", "USER_SMARTCARD_REQUIRED", "0x00002000", "USER_TRUSTED_FOR_DELEGATION",
	"0x00004000", "USER_NOT_DELEGATED", "0x00008000", "USER_USE_DES_KEY_ONLY",
	"0x00010000", "USER_DONT_REQUIRE_PREAUTH", "0x00020000", "USER_PASSWORD_EXPIRED",
	"0x00040000", "USER_TRUSTED_TO_AUTHENTICATE_FOR_DELEGATION", "0x00080000", "USER_NO_AUTH_DATA_REQUIRED",
	"0x00100000", "USER_PARTIAL_SECRETS_ACCOUNT", "0x00200000", "USER_USE_AES_KEYS",
)

// ticketOptions names come out sorted by name, which is what the current
// pipeline produces (security-windows2012_4768/4769 goldens), unlike
// uacFlags, whose order is Java HashMap order.
var ticketOptions = newSortedFlagTable(
	"0x40000000", "Forwardable", "0x20000000", "Forwarded", "0x10000000", "Proxiable", "0x08000000", "Proxy",
	"0x04000000", "Allow-postdate", "0x02000000", "Postdated", "0x01000000", "Invalid", "0x00800000", "Renewable",
	"0x00400000", "Initial", "0x00200000", "Pre-authent", "0x00100000", "Opt-hardware-auth",
	"0x00080000", "Transited-policy-checked", "0x00040000", "Ok-as-delegate", "0x00020000", "Request-anonymous",
	"0x00010000", "Name-canonicalize", "0x00000020", "Disable-transited-check", "0x00000010", "Renewable-ok",
	"0x00000008", "Enc-tkt-in-skey", "0x00000002", "Renew", "0x00000001", "Validate",
)

var permsFlags = newFlagTable(
	"0x80000000", "Generic Read", "0x4000000", "Generic Write", "0x20000000", "Generic Execute",
	"0x10000000", "Generic All", "0x02000000", "Maximum Allowed", "0x01000000", "Access System Security",
	"0x00100000", "Syncronize", "0x00080000", "Write Owner", "0x00040000", "Write DACL",
	"0x00020000", "Read Control", "0x00010000", "Delete",
)

var encryptionTypes = map[string]string{
	"0x1": "DES-CBC-CRC", "0x3": "DES-CBC-MD5", "0x11": "AES128-CTS-HMAC-SHA1-96", "0x12": "AES256-CTS-HMAC-SHA1-96",
	"0x17": "RC4-HMAC", "0x18": "RC4-HMAC-EXP", "0xffffffff": "FAIL",
}

var kerberosStatus = map[string]string{
	"0x0": "KDC_ERR_NONE", "0x1": "KDC_ERR_NAME_EXP", "0x2": "KDC_ERR_SERVICE_EXP", "0x3": "KDC_ERR_BAD_PVNO",
	"0x4": "KDC_ERR_C_OLD_MAST_KVNO", "0x5": "KDC_ERR_S_OLD_MAST_KVNO", "0x6": "KDC_ERR_C_PRINCIPAL_UNKNOWN",
	"0x7": "KDC_ERR_S_PRINCIPAL_UNKNOWN", "0x8": "KDC_ERR_PRINCIPAL_NOT_UNIQUE", "0x9": "KDC_ERR_NULL_KEY",
	"0xA": "KDC_ERR_CANNOT_POSTDATE", "0xB": "KDC_ERR_NEVER_VALID", "0xC": "KDC_ERR_POLICY",
	"0xD": "KDC_ERR_BADOPTION", "0xE": "KDC_ERR_ETYPE_NOTSUPP", "0xF": "KDC_ERR_SUMTYPE_NOSUPP",
	"0x10": "KDC_ERR_PADATA_TYPE_NOSUPP", "0x11": "KDC_ERR_TRTYPE_NO_SUPP", "0x12": "KDC_ERR_CLIENT_REVOKED",
	"0x13": "KDC_ERR_SERVICE_REVOKED", "0x14": "KDC_ERR_TGT_REVOKED", "0x15": "KDC_ERR_CLIENT_NOTYET",
	"0x16": "KDC_ERR_SERVICE_NOTYET", "0x17": "KDC_ERR_KEY_EXPIRED", "0x18": "KDC_ERR_PREAUTH_FAILED",
	"0x19": "KDC_ERR_PREAUTH_REQUIRED", "0x1A": "KDC_ERR_SERVER_NOMATCH", "0x1B": "KDC_ERR_MUST_USE_USER2USER",
	"0x1F": "KRB_AP_ERR_BAD_INTEGRITY", "0x20": "KRB_AP_ERR_TKT_EXPIRED", "0x21": "KRB_AP_ERR_TKT_NYV",
	"0x22": "KRB_AP_ERR_REPEAT", "0x23": "KRB_AP_ERR_NOT_US", "0x24": "KRB_AP_ERR_BADMATCH",
	"0x25": "KRB_AP_ERR_SKEW", "0x26": "KRB_AP_ERR_BADADDR", "0x27": "KRB_AP_ERR_BADVERSION",
	"0x28": "KRB_AP_ERR_MSG_TYPE", "0x29": "KRB_AP_ERR_MODIFIED", "0x2A": "KRB_AP_ERR_BADORDER",
	"0x2C": "KRB_AP_ERR_BADKEYVER", "0x2D": "KRB_AP_ERR_NOKEY", "0x2E": "KRB_AP_ERR_MUT_FAIL",
	"0x2F": "KRB_AP_ERR_BADDIRECTION", "0x30": "KRB_AP_ERR_METHOD", "0x31": "KRB_AP_ERR_BADSEQ",
	"0x32": "KRB_AP_ERR_INAPP_CKSUM", "0x33": "KRB_AP_PATH_NOT_ACCEPTED", "0x34": "KRB_ERR_RESPONSE_TOO_BIG",
	"0x3C": "KRB_ERR_GENERIC", "0x3D": "KRB_ERR_FIELD_TOOLONG", "0x3E": "KDC_ERR_CLIENT_NOT_TRUSTED",
	"0x3F": "KDC_ERR_KDC_NOT_TRUSTED", "0x40": "KDC_ERR_INVALID_SIG", "0x41": "KDC_ERR_KEY_TOO_WEAK",
	"0x42": "KRB_AP_ERR_USER_TO_USER_REQUIRED", "0x43": "KRB_AP_ERR_NO_TGT", "0x44": "KDC_ERR_WRONG_REALM",
}

var serviceTypes = map[string]string{
	"0x1": "Kernel Driver", "0x2": "File System Driver", "0x8": "Recognizer Driver", "0x10": "Win32 Own Process",
	"0x20": "Win32 Share Process", "0x110": "Interactive Own Process", "0x120": "Interactive Share Process",
}

// auditSubcategories maps an audit subcategory GUID to its subcategory and
// category names.
var auditSubcategories = map[string][2]string{
	"0CCE9210-69AE-11D9-BED3-505054503030": {"Security State Change", "System"},
	"0CCE9211-69AE-11D9-BED3-505054503030": {"Security System Extension", "System"},
	"0CCE9212-69AE-11D9-BED3-505054503030": {"System Integrity", "System"},
	"0CCE9213-69AE-11D9-BED3-505054503030": {"IPsec Driver", "System"},
	"0CCE9214-69AE-11D9-BED3-505054503030": {"Other System Events", "System"},
	"0CCE9215-69AE-11D9-BED3-505054503030": {"Logon", "Logon/Logoff"},
	"0CCE9216-69AE-11D9-BED3-505054503030": {"Logoff", "Logon/Logoff"},
	"0CCE9217-69AE-11D9-BED3-505054503030": {"Account Lockout", "Logon/Logoff"},
	"0CCE9218-69AE-11D9-BED3-505054503030": {"IPsec Main Mode", "Logon/Logoff"},
	"0CCE9219-69AE-11D9-BED3-505054503030": {"IPsec Quick Mode", "Logon/Logoff"},
	"0CCE921A-69AE-11D9-BED3-505054503030": {"IPsec Extended Mode", "Logon/Logoff"},
	"0CCE921B-69AE-11D9-BED3-505054503030": {"Special Logon", "Logon/Logoff"},
	"0CCE921C-69AE-11D9-BED3-505054503030": {"Other Logon/Logoff Events", "Logon/Logoff"},
	"0CCE9243-69AE-11D9-BED3-505054503030": {"Network Policy Server", "Logon/Logoff"},
	"0CCE9247-69AE-11D9-BED3-505054503030": {"User / Device Claims", "Logon/Logoff"},
	"0CCE921D-69AE-11D9-BED3-505054503030": {"File System", "Object Access"},
	"0CCE921E-69AE-11D9-BED3-505054503030": {"Registry", "Object Access"},
	"0CCE921F-69AE-11D9-BED3-505054503030": {"Kernel Object", "Object Access"},
	"0CCE9220-69AE-11D9-BED3-505054503030": {"SAM", "Object Access"},
	"0CCE9221-69AE-11D9-BED3-505054503030": {"Certification Services", "Object Access"},
	"0CCE9222-69AE-11D9-BED3-505054503030": {"Application Generated", "Object Access"},
	"0CCE9223-69AE-11D9-BED3-505054503030": {"Handle Manipulation", "Object Access"},
	"0CCE9224-69AE-11D9-BED3-505054503030": {"File Share", "Object Access"},
	"0CCE9225-69AE-11D9-BED3-505054503030": {"Filtering Platform Packet Drop", "Object Access"},
	"0CCE9226-69AE-11D9-BED3-505054503030": {"Filtering Platform Connection ", "Object Access"},
	"0CCE9227-69AE-11D9-BED3-505054503030": {"Other Object Access Events", "Object Access"},
	"0CCE9244-69AE-11D9-BED3-505054503030": {"Detailed File Share", "Object Access"},
	"0CCE9245-69AE-11D9-BED3-505054503030": {"Removable Storage", "Object Access"},
	"0CCE9246-69AE-11D9-BED3-505054503030": {"Central Policy Staging", "Object Access"},
	"0CCE9228-69AE-11D9-BED3-505054503030": {"Sensitive Privilege Use", "Privilege Use"},
	"0CCE9229-69AE-11D9-BED3-505054503030": {"Non Sensitive Privilege Use", "Privilege Use"},
	"0CCE922A-69AE-11D9-BED3-505054503030": {"Other Privilege Use Events", "Privilege Use"},
	"0CCE922B-69AE-11D9-BED3-505054503030": {"Process Creation", "Detailed Tracking"},
	"0CCE922C-69AE-11D9-BED3-505054503030": {"Process Termination", "Detailed Tracking"},
	"0CCE922D-69AE-11D9-BED3-505054503030": {"DPAPI Activity", "Detailed Tracking"},
	"0CCE922E-69AE-11D9-BED3-505054503030": {"RPC Events", "Detailed Tracking"},
	"0CCE9248-69AE-11D9-BED3-505054503030": {"Plug and Play Events", "Detailed Tracking"},
	"0CCE922F-69AE-11D9-BED3-505054503030": {"Audit Policy Change", "Policy Change"},
	"0CCE9230-69AE-11D9-BED3-505054503030": {"Authentication Policy Change", "Policy Change"},
	"0CCE9231-69AE-11D9-BED3-505054503030": {"Authorization Policy Change", "Policy Change"},
	"0CCE9232-69AE-11D9-BED3-505054503030": {"MPSSVC Rule-Level Policy Change", "Policy Change"},
	"0CCE9233-69AE-11D9-BED3-505054503030": {"Filtering Platform Policy Change", "Policy Change"},
	"0CCE9234-69AE-11D9-BED3-505054503030": {"Other Policy Change Events", "Policy Change"},
	"0CCE9235-69AE-11D9-BED3-505054503030": {"User Account Management", "Account Management"},
	"0CCE9236-69AE-11D9-BED3-505054503030": {"Computer Account Management", "Account Management"},
	"0CCE9237-69AE-11D9-BED3-505054503030": {"Security Group Management", "Account Management"},
	"0CCE9238-69AE-11D9-BED3-505054503030": {"Distribution Group Management", "Account Management"},
	"0CCE9239-69AE-11D9-BED3-505054503030": {"Application Group Management", "Account Management"},
	"0CCE923A-69AE-11D9-BED3-505054503030": {"Other Account Management Events", "Account Management"},
	"0CCE923B-69AE-11D9-BED3-505054503030": {"Directory Service Access", "Account Management"},
	"0CCE923C-69AE-11D9-BED3-505054503030": {"Directory Service Changes", "Account Management"},
	"0CCE923D-69AE-11D9-BED3-505054503030": {"Directory Service Replication", "Account Management"},
	"0CCE923E-69AE-11D9-BED3-505054503030": {"Detailed Directory Service Replication", "Account Management"},
	"0CCE923F-69AE-11D9-BED3-505054503030": {"Credential Validation", "Account Logon"},
	"0CCE9240-69AE-11D9-BED3-505054503030": {"Kerberos Service Ticket Operations", "Account Logon"},
	"0CCE9241-69AE-11D9-BED3-505054503030": {"Other Account Logon Events", "Account Logon"},
	"0CCE9242-69AE-11D9-BED3-505054503030": {"Kerberos Authentication Service", "Account Logon"},
}

// accessMaskNames names single bits of an access mask.
var accessMaskNames = map[string]string{
	"0x00000001": "Create Child", "0x00000002": "Delete Child", "0x00000004": "List Contents",
	"0x00000008": "SELF", "0x00000010": "Read Property", "0x00000020": "Write Property",
	"0x00000040": "Delete Treee", "0x00000080": "List Object", "0x00000100": "Control Access",
	"0x00010000": "DELETE", "0x00020000": "READ_CONTROL", "0x00040000": "WRITE_DAC", "0x00080000": "WRITE_OWNER",
	"0x00100000": "SYNCHRONIZE", "0x01000000": "ADS_RIGHT_ACCESS_SYSTEM_SECURITY",
	"0x10000000": "ADS_RIGHT_GENERIC_ALL", "0x20000000": "ADS_RIGHT_GENERIC_EXECUTE",
	"0x40000000": "ADS_RIGHT_GENERIC_WRITE", "0x80000000": "ADS_RIGHT_GENERIC_READ",
}

var failureStatus = map[string]string{
	"0xc000005e": "There are currently no logon servers available to service the logon request.",
	"0xc0000064": "User logon with misspelled or bad user account",
	"0xc000006a": "User logon with misspelled or bad password",
	"0xc000006d": "This is either due to a bad username or authentication information",
	"0xc000006e": "Unknown user name or bad password.",
	"0xc000006f": "User logon outside authorized hours",
	"0xc0000070": "User logon from unauthorized workstation",
	"0xc0000071": "User logon with expired password",
	"0xc0000072": "User logon to account disabled by administrator",
	"0xc00000dc": "Indicates the Sam Server was in the wrong state to perform the desired operation.",
	"0xc0000133": "Clocks between DC and other computer too far out of sync",
	"0xc000015b": "The user has not been granted the requested logon type (aka logon right) at this machine",
	"0xc000018c": "The logon request failed because the trust relationship between the primary domain and the trusted domain failed.",
	"0xc0000192": "An attempt was made to logon, but the Netlogon service was not started.",
	"0xc0000193": "User logon with expired account",
	"0xc0000224": "User is required to change password at next logon",
	"0xc0000225": "Evidently a bug in Windows and not a risk",
	"0xc0000234": "User logon with account locked",
	"0xc00002ee": "Failure Reason: An Error occurred during Logon",
	"0xc0000413": "Logon Failure: The machine you are logging onto is protected by an authentication firewall. The specified account is not allowed to authenticate to the machine.",
	"0xc0000371": "The local account store does not contain secret material for the specified account",
	"0x0":        "Status OK.",
}

var trustTypes = map[string]string{"1": "TRUST_TYPE_DOWNLEVEL", "2": "TRUST_TYPE_UPLEVEL", "3": "TRUST_TYPE_MIT", "4": "TRUST_TYPE_DCE"}

var trustDirections = map[string]string{
	"0": "TRUST_DIRECTION_DISABLED", "1": "TRUST_DIRECTION_INBOUND", "2": "TRUST_DIRECTION_OUTBOUND",
	"3": "TRUST_DIRECTION_BIDIRECTIONAL",
}

var trustAttributes = map[string]string{
	"0": "UNDEFINED", "1": "TRUST_ATTRIBUTE_NON_TRANSITIVE", "2": "TRUST_ATTRIBUTE_UPLEVEL_ONLY",
	"4": "TRUST_ATTRIBUTE_QUARANTINED_DOMAIN", "8": "TRUST_ATTRIBUTE_FOREST_TRANSITIVE",
	"16": "TRUST_ATTRIBUTE_CROSS_ORGANIZATION", "32": "TRUST_ATTRIBUTE_WITHIN_FOREST",
	"64": "TRUST_ATTRIBUTE_TREAT_AS_EXTERNAL", "128": "TRUST_ATTRIBUTE_USES_RC4_ENCRYPTION",
	"512": "TRUST_ATTRIBUTE_CROSS_ORGANIZATION_NO_TGT_DELEGATION", "1024": "TRUST_ATTRIBUTE_PIM_TRUST",
}

// secFlags says which processors of the Security pipeline apply to an
// event ID.
type secFlags uint16

const (
	secTargetUser secFlags = 1 << iota
	secMember
	secComputer
	secTargetLogon
	secSubject
	secToTarget
	secToEffective
	secCommonAuth
	secRelSubject
	secRelTarget
	secPrivilege
	secSDDL
)

// secProcessors gives the processors of each event ID, from the ID lists
// of the pipeline.
var secProcessors = func() map[uint32]secFlags {
	m := map[uint32]secFlags{}
	for _, set := range []struct {
		flag secFlags
		ids  string
	}{
		{secTargetUser, "4624 4625 4634 4647 4648 4768 4769 4770 4771 4776 4964"},
		{secMember, "4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4799"},
		{secComputer, "4741 4742 4743"},
		{secTargetLogon, "4634 4647 4964"},
		{secSubject, "4648 4657 4662 4670 4672 4673 4674 4688 4689 4697 4698 4699 4700 4701 4702 4706 4707 4713 4716 4717 4718 4719 4720 4722 4723 4724 4725 4726 4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4738 4739 4740 4741 4742 4743 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4767 4781 4797 4798 4799 4817 4904 4905 4907 4912 5136 5140 5145 5379 5380 5381 5382"},
		{secToTarget, "4670 4720 4722 4723 4724 4725 4726 4738 4740 4767 4798 4817 4907 4797"},
		{secToEffective, "4648 4688"},
		{secCommonAuth, "1100 1102 1104 1105 1108 4624 4648 4625 4670 4673 4674 4689 4697 4719 4720 4722 4723 4724 4725 4726 4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4738 4740 4741 4742 4743 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4767 4768 4769 4770 4771 4798 4799 4817 4904 4905 4907 4912 5140 5145"},
		{secRelSubject, "4624 4648 4797 5379 5380 5381 5382"},
		{secRelTarget, "4688 4720 4722 4723 4724 4725 4726 4738 4740 4767 4797 4798"},
		{secPrivilege, "4672 4673 4674 4741 4742 4743"},
		{secSDDL, "4670 4817 4907 4908"},
	} {
		for _, id := range strings.Fields(set.ids) {
			n, err := strconv.ParseUint(id, 10, 32)
			if err != nil {
				panic(err)
			}
			m[uint32(n)] |= set.flag
		}
	}
	return m
}()

// Fields the Security pipeline sets.
var (
	fLogonType          = mkpath("winlog.logon.type")
	fLogonID            = mkpath("winlog.logon.id")
	fLogonFailReason    = mkpath("winlog.logon.failure.reason")
	fLogonFailStatus    = mkpath("winlog.logon.failure.status")
	fLogonFailSubStatus = mkpath("winlog.logon.failure.sub_status")
	fTrustType          = mkpath("winlog.trustType")
	fTrustDirection     = mkpath("winlog.trustDirection")
	fTrustAttribute     = mkpath("winlog.trustAttribute")
	fComputerObjectID   = mkpath("winlog.computerObject.id")
	fComputerObjectName = mkpath("winlog.computerObject.name")
	fComputerObjectDom  = mkpath("winlog.computerObject.domain")
	fServiceName        = mkpath("service.name")
	fServiceType        = mkpath("service.type")
	fUserTarget         = mkpath("user.target")
	fUserTargetID       = mkpath("user.target.id")
	fUserTargetName     = mkpath("user.target.name")
	fUserTargetDomain   = mkpath("user.target.domain")
	fUserTargetGroup    = mkpath("user.target.group")
	fUserChangesName    = mkpath("user.changes.name")
	fGroupID            = mkpath("group.id")
	fGroupName          = mkpath("group.name")
	fGroupDomain        = mkpath("group.domain")
	fUserDataSubjectSID = mkpath("winlog.user_data.SubjectUserSid")
	fUserDataSubjectNm  = mkpath("winlog.user_data.SubjectUserName")
	fUserDataSubjectDom = mkpath("winlog.user_data.SubjectDomainName")
	fUserDataSubjectLID = mkpath("winlog.user_data.SubjectLogonId")

	userTarget    = userFields{mkpath("user.target"), mkpath("user.target.id"), mkpath("user.target.name"), mkpath("user.target.domain")}
	userEffective = userFields{mkpath("user.effective"), mkpath("user.effective.id"), mkpath("user.effective.name"), mkpath("user.effective.domain")}
	targetGroup   = [3][2]path{
		{mkpath("group.id"), mkpath("user.target.group.id")},
		{mkpath("group.name"), mkpath("user.target.group.name")},
		{mkpath("group.domain"), mkpath("user.target.group.domain")},
	}
)

// userFields are user.target or user.effective and their fields.
type userFields struct {
	obj, id, name, domain path
}

// Security event data names.
var (
	kLogonType                = intern("LogonType")
	kNewUacValue              = intern("NewUacValue")
	kUserAccountControl       = intern("UserAccountControl")
	kNewUACList               = intern("NewUACList")
	kTicketOptions            = intern("TicketOptions")
	kTicketOptionsDescription = intern("TicketOptionsDescription")
	kTicketEncryptionType     = intern("TicketEncryptionType")
	kTicketEncryptionTypeDesc = intern("TicketEncryptionTypeDescription")
	kStatus                   = intern("Status")
	kStatusDescription        = intern("StatusDescription")
	kSubStatus                = intern("SubStatus")
	kServiceName              = intern("ServiceName")
	kServiceType              = intern("ServiceType")
	kSubcategoryGuid          = intern("SubcategoryGuid")
	kCategory                 = intern("Category")
	kSubCategory              = intern("SubCategory")
	kFailureReason            = intern("FailureReason")
	kAuditPolicyChanges       = intern("AuditPolicyChanges")
	kAuditPolicyChangesDesc   = intern("AuditPolicyChangesDescription")
	kAccessList               = intern("AccessList")
	kAccessListDescription    = intern("AccessListDescription")
	kDirection                = intern("Direction")
	kDirectionDescription     = intern("DirectionDescription")
	kLayerName                = intern("LayerName")
	kLayerNameDescription     = intern("LayerNameDescription")
	kAccessMask               = intern("AccessMask")
	kAccessMaskDescription    = intern("AccessMaskDescription")
	kTdoType                  = intern("TdoType")
	kTdoDirection             = intern("TdoDirection")
	kTdoAttributes            = intern("TdoAttributes")
	kAccountName              = intern("AccountName")
	kAccountDomain            = intern("AccountDomain")
	kClientAddress            = intern("ClientAddress")
	kClientName               = intern("ClientName")
	kLogonID                  = intern("LogonID")
	kTargetUserSid            = intern("TargetUserSid")
	kTargetSid                = intern("TargetSid")
	kTargetUserName           = intern("TargetUserName")
	kTargetDomainName         = intern("TargetDomainName")
	kMemberName               = intern("MemberName")
	kTargetLogonId            = intern("TargetLogonId")
	kSubjectUserSid           = intern("SubjectUserSid")
	kSubjectUserName          = intern("SubjectUserName")
	kSubjectDomainName        = intern("SubjectDomainName")
	kSubjectLogonId           = intern("SubjectLogonId")
	kProcessName              = intern("ProcessName")
	kIpAddress                = intern("IpAddress")
	kIpPort                   = intern("IpPort")
	kWorkstationName          = intern("WorkstationName")
	kNewProcessId             = intern("NewProcessId")
	kNewProcessName           = intern("NewProcessName")
	kParentProcessName        = intern("ParentProcessName")
	kPrivilegeList            = intern("PrivilegeList")
	kOldTargetUserName        = intern("OldTargetUserName")
	kNewTargetUserName        = intern("NewTargetUserName")
	kRelativeTargetName       = intern("RelativeTargetName")
	kShareLocalPath           = intern("ShareLocalPath")
	kShareName                = intern("ShareName")
)

// accessMaskBits are the names of the bits of an access mask, by bit.
var accessMaskBits = func() (names [32]string) {
	for b := range names {
		names[b] = accessMaskNames[fmt.Sprintf("0x%08X", int64(1)<<b)]
	}
	return names
}()

// mapSecurity applies the security module pipeline (security_standard.yml)
// to the base event.
func (d *doc) mapSecurity() {
	d.setStr(fEventModule, "security")
	code, _ := d.str(fEventCode)
	id := uint32(0)
	if n, ok := parseInt(code); ok {
		id = uint32(n)
	}
	if c, ok := securityCategories[code]; ok {
		d.setStrs(fEventCategory, c.category...)
		d.setStrs(fEventType, c.typ...)
		d.setStr(fEventAction, c.action)
	}
	ed := d.get(fWinlogEventData)
	if ed == 0 || d.nodes[ed].kind != event.KindObject {
		ed = d.newNode(event.KindObject) // not attached: reads only
	}
	get := func(k sym) (string, bool) { return d.strIn(ed, k) }
	// setName sets field f to the name table gives for the value of k,
	// if there is one.
	setName := func(k sym, table map[string]string, f path) {
		if v, ok := get(k); ok {
			if n, ok := table[v]; ok {
				d.setStr(f, n)
			}
		}
	}
	procs := secProcessors[id]

	setName(kLogonType, logonTypes, fLogonType)
	d.securityUAC(ed)
	if to, ok := get(kTicketOptions); ok {
		if v, ok := javaLongDecode(to); ok {
			ticketOptions.setMatches(d, ed, kTicketOptionsDescription, v)
		}
	}
	if et, ok := get(kTicketEncryptionType); ok {
		if name, ok := encryptionTypes[d.lower(et)]; ok {
			d.setStrIn(ed, kTicketEncryptionTypeDesc, name)
		}
	}
	if st, ok := get(kStatus); ok && 4768 <= id && id <= 4771 {
		key := st
		if len(st) > 2 {
			key = d.concat("0x", d.upper(st[2:]))
		}
		if name, ok := kerberosStatus[key]; ok {
			d.setStrIn(ed, kStatusDescription, name)
		}
	}
	if sn, ok := get(kServiceName); ok {
		d.setStr(fServiceName, sn)
	}
	setName(kServiceType, serviceTypes, fServiceType)
	if g, ok := get(kSubcategoryGuid); ok {
		key := d.upper(d.replace(d.replace(g, "{", ""), "}", ""))
		if names, ok := auditSubcategories[key]; ok {
			d.setStrIn(ed, kCategory, names[1])
			d.setStrIn(ed, kSubCategory, names[0])
		}
	}
	d.securityMessageTable(ed)
	if _, ok := get(kStatus); ok && (id == 4625 || id == 4776) {
		setName(kStatus, failureStatus, fLogonFailStatus)
		setName(kSubStatus, failureStatus, fLogonFailSubStatus)
	}
	setName(kTdoType, trustTypes, fTrustType)
	setName(kTdoDirection, trustDirections, fTrustDirection)
	setName(kTdoAttributes, trustAttributes, fTrustAttribute)
	if id == 4778 || id == 4779 {
		d.securitySession(ed)
	}
	if procs&secTargetUser != 0 {
		d.securityTargetUser(ed)
	}
	if procs&secMember != 0 {
		d.securityMember(ed)
	}
	if procs&secComputer != 0 {
		if v, ok := get(kTargetSid); ok {
			d.setStr(fComputerObjectID, v)
		}
		if v, ok := get(kTargetUserName); ok {
			d.setStr(fComputerObjectName, v)
		}
		if v, ok := get(kTargetDomainName); ok {
			d.setStr(fComputerObjectDom, v)
		}
	}
	if procs&secTargetLogon != 0 {
		if v, ok := get(kTargetLogonId); ok {
			d.setStr(fLogonID, v)
		}
	}
	if procs&secSubject != 0 {
		if v, ok := get(kSubjectUserSid); ok {
			d.setStr(fUserID, v)
		}
		if v, ok := get(kSubjectUserName); ok {
			d.setStr(fUserName, v)
			d.appendUnique(fRelatedUser, v)
		}
		if v, ok := get(kSubjectDomainName); ok {
			d.setStr(fUserDomain, v)
		}
	}
	if procs&secToTarget != 0 {
		d.securityCopyTarget(ed, userTarget, kTargetSid)
	}
	if procs&secToEffective != 0 {
		d.securityCopyTarget(ed, userEffective, kTargetUserSid)
	}
	if id == 1102 {
		if v, ok := d.str(fUserDataSubjectSID); ok {
			d.setStr(fUserID, v)
		}
		if v, ok := d.str(fUserDataSubjectNm); ok {
			d.setStr(fUserName, v)
			d.appendUnique(fRelatedUser, v)
		}
		if v, ok := d.str(fUserDataSubjectDom); ok {
			d.setStr(fUserDomain, v)
		}
	}
	if v, ok := get(kSubjectLogonId); ok {
		d.setStr(fLogonID, v)
	}
	if id == 1102 {
		if v, ok := d.str(fUserDataSubjectLID); ok {
			d.setStr(fLogonID, v)
		}
	}
	if procs&secCommonAuth != 0 {
		d.securityCommonAuth(ed)
	}
	if id == 4688 {
		d.security4688(ed)
	}
	if v, ok := get(kSubjectUserName); ok && v != "-" && procs&secRelSubject != 0 {
		d.appendUnique(fRelatedUser, v)
	}
	if v, ok := get(kTargetUserName); ok && v != "-" && procs&secRelTarget != 0 {
		d.appendUnique(fRelatedUser, v)
	}
	if v, ok := get(kPrivilegeList); ok && procs&secPrivilege != 0 {
		arr := d.slotKey(ed, kPrivilegeList)
		d.clear(arr, event.KindArray)
		d.pushBlankSplit(arr, v)
	}
	if v, ok := get(kOldTargetUserName); ok && v != "" {
		d.setStr(fUserTargetName, v)
	}
	if v, ok := get(kNewTargetUserName); ok && v != "" {
		d.setStr(fUserChangesName, v)
	}
	if v, ok := get(kNewTargetUserName); ok && v != "-" {
		d.appendUnique(fRelatedUser, v)
	}
	if v, ok := get(kOldTargetUserName); ok && v != "-" {
		d.appendUnique(fRelatedUser, v)
	}
	if ip, ok := d.str(fSourceIP); ok {
		if v4 := unmapV4(ip); v4 != ip {
			d.setStr(fSourceIP, v4)
		}
	}
	if ip, ok := d.str(fSourceIP); ok && ip != "-" {
		if n := d.get(fRelatedIP); n != 0 && d.nodes[n].kind == event.KindString {
			d.setStrs(fRelatedIP, d.nodes[n].str)
		}
		d.appendUnique(fRelatedIP, ip)
	}
	if procs&secSDDL != 0 {
		d.securitySDDL(ed)
	}
	if id == 5140 || id == 5145 {
		d.securityShare(ed)
	}
	d.stringifyRecordID()
	if lvl, ok := d.str(fWinlogLevel); ok && lvl != "" {
		d.setStr(fLogLevel, lvl)
	}
	if tc, ok := d.str(fWinlogTimeCreated); ok {
		if ns, ok := event.ParseTime(tc); ok {
			d.setStr(fTimestamp, d.millis(ns))
		}
	}
	if d.nodes[ed].kids == 0 {
		d.del(fWinlogEventData)
	}
}

// pushBlankSplit appends to arr the parts of s split on runs of regexp
// white space (\s) as the pipeline's split does: a leading run gives an
// empty first part, trailing empty parts are dropped.
func (d *doc) pushBlankSplit(arr int32, s string) {
	leading := s != "" && isBlank(s[0])
	first := true
	for s != "" {
		i := 0
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		s = s[i:]
		if s == "" {
			break
		}
		j := 0
		for j < len(s) && !isBlank(s[j]) {
			j++
		}
		if first && leading {
			d.push(arr, "")
		}
		first = false
		d.push(arr, s[:j])
		s = s[j:]
	}
}

// securityUAC decodes NewUacValue into NewUACList and splits
// UserAccountControl into a list.
func (d *doc) securityUAC(ed int32) {
	nv, ok := d.strIn(ed, kNewUacValue)
	if !ok || nv == "-" {
		return
	}
	v, ok := javaLongDecode(strings.TrimSpace(nv))
	if !ok {
		return
	}
	if !uacFlags.setMatches(d, ed, kNewUACList, v) {
		return
	}
	uac, ok := d.strIn(ed, kUserAccountControl)
	if !ok || uac == "-" {
		return
	}
	arr := d.slotKey(ed, kUserAccountControl)
	d.clear(arr, event.KindArray)
	for elem := range strings.SplitSeq(uac, "\n") {
		if t := strings.TrimSpace(d.replace(elem, "%%", "")); t != "" {
			d.push(arr, t)
		}
	}
}

// lookupMessage returns the msobjs text of a message number written in its
// canonical decimal form (strconv.Itoa(n) == code).
func lookupMessage(code string) (string, bool) {
	n, ok := parseInt(code)
	if !ok {
		return "", false
	}
	digits := code
	if code[0] == '-' {
		digits = code[1:]
	}
	if code[0] == '+' || digits[0] == '0' && (len(digits) > 1 || code[0] == '-') {
		return "", false // a sign, leading zeros or "-0"
	}
	t, ok := msobjs[int(n)]
	return t, ok
}

// securityMessageTable is the "Decode message table" processor.
func (d *doc) securityMessageTable(ed int32) {
	if fr, ok := d.strIn(ed, kFailureReason); ok {
		code := d.replace(fr, "%%", "")
		desc := code
		if n, ok := parseInt(code); ok {
			if t, ok := msobjs[int(n)]; ok {
				desc = t
			}
		}
		d.setStr(fLogonFailReason, desc)
	}
	if apc, ok := d.strIn(ed, kAuditPolicyChanges); ok {
		arr := d.slotKey(ed, kAuditPolicyChangesDesc)
		d.clear(arr, event.KindArray)
		for elem := range strings.SplitSeq(apc, ",") {
			code := strings.TrimSpace(d.replace(elem, "%%", ""))
			if t, ok := lookupMessage(code); ok {
				d.push(arr, t)
			} else {
				d.push(arr, code)
			}
		}
	}
	if al, ok := d.strIn(ed, kAccessList); ok {
		var store [16]string
		codes, results := int32(0), int32(0)
		for _, elem := range painlessSplit(al, store[:0]) {
			code := strings.TrimSpace(d.replace(elem, "%%", ""))
			if code != "" {
				if codes == 0 {
					codes = d.newNode(event.KindArray)
				}
				d.push(codes, code)
			}
			if results == 0 {
				results = d.newNode(event.KindArray)
			}
			if t, ok := lookupMessage(code); ok {
				d.push(results, t)
			} else {
				d.push(results, code)
			}
		}
		if codes != 0 {
			d.setNodeIn(ed, kAccessList, codes)
		}
		if results != 0 {
			d.setNodeIn(ed, kAccessListDescription, results)
		}
	}
	for _, k := range [...][2]sym{{kDirection, kDirectionDescription}, {kLayerName, kLayerNameDescription}} {
		if v, ok := d.strIn(ed, k[0]); ok {
			if t, ok := lookupMessage(strings.TrimSpace(d.replace(v, "%%", ""))); ok {
				d.setStrIn(ed, k[1], t)
			}
		}
	}
	if am, ok := d.strIn(ed, kAccessMask); ok {
		var store [16]string
		list := int32(0)
		var mask int64
		for _, elem := range painlessSplit(am, store[:0]) {
			if elem == "" {
				continue
			}
			code := strings.TrimSpace(d.replace(elem, "%%", ""))
			if list == 0 {
				list = d.newNode(event.KindArray)
			}
			if t, ok := lookupMessage(code); ok {
				d.push(list, t)
			} else {
				d.push(list, code)
				if c, ok := msobjsReversed[code]; ok {
					code = d.itoa(int64(c))
				}
			}
			if n, ok := javaLongDecode(code); ok {
				mask |= n
			}
		}
		if list != 0 {
			d.setNodeIn(ed, kAccessMask, list)
		}
		desc := int32(0)
		for b, name := range accessMaskBits {
			if flag := int64(1) << b; mask&flag == flag && name != "" {
				if desc == 0 {
					desc = d.slotKey(ed, kAccessMaskDescription)
					d.clear(desc, event.KindArray)
				}
				d.push(desc, name)
			}
		}
	}
}

// painlessSplit is the white-space splitter of the message-table script:
// leading blanks skipped, runs of blanks separate, and the (possibly
// empty) remainder always appended. It appends the parts to dst.
func painlessSplit(s string, dst []string) []string {
	if !utf8.ValidString(s) {
		// The script works on characters: invalid bytes come out as
		// U+FFFD, so the parts are not substrings of s.
		return append(dst, painlessSplitRunes(s)...)
	}
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isJavaWhitespace(r) {
			break
		}
		i += n
	}
	last := i
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isJavaWhitespace(r) {
			i += n
			continue
		}
		dst = append(dst, s[last:i])
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isJavaWhitespace(r) {
				break
			}
			i += n
		}
		last = i
	}
	return append(dst, s[last:])
}

// painlessSplitRunes is painlessSplit on the characters of s.
func painlessSplitRunes(s string) []string {
	var f []string
	rs := []rune(s)
	last := 0
	for last < len(rs) && isJavaWhitespace(rs[last]) {
		last++
	}
	for i := last; i < len(rs); i++ {
		if !isJavaWhitespace(rs[i]) {
			continue
		}
		f = append(f, string(rs[last:i]))
		for i < len(rs) && isJavaWhitespace(rs[i]) {
			i++
		}
		last = i
	}
	if last > len(rs) {
		last = len(rs)
	}
	return append(f, string(rs[last:]))
}

func (d *doc) securitySession(ed int32) {
	if v, ok := d.strIn(ed, kAccountName); ok {
		d.setStr(fUserName, v)
		d.appendUnique(fRelatedUser, v)
	}
	if v, ok := d.strIn(ed, kAccountDomain); ok {
		d.setStr(fUserDomain, v)
	}
	if v, ok := d.strIn(ed, kClientAddress); ok && v != "-" && v != "Unknown" {
		if v == "LOCAL" {
			v = "127.0.0.1"
			d.setStrIn(ed, kClientAddress, v)
		}
		d.setStr(fSourceIP, v)
		d.appendUnique(fRelatedIP, v)
	}
	if v, ok := d.strIn(ed, kClientName); ok {
		d.setStr(fSourceDomain, v)
	}
	if v, ok := d.strIn(ed, kLogonID); ok {
		d.setStr(fLogonID, v)
	}
}

func (d *doc) securityTargetUser(ed int32) {
	id, ok := d.strIn(ed, kTargetUserSid)
	if !ok {
		id, ok = d.strIn(ed, kTargetSid)
	}
	if ok {
		if !d.has(fUserID) {
			d.setStr(fUserID, id)
		} else {
			d.setStr(fUserTargetID, id)
		}
	}
	if name, ok := d.strIn(ed, kTargetUserName); ok {
		n, _, _ := strings.Cut(name, "@")
		if !d.has(fUserName) {
			d.setStr(fUserName, n)
		} else {
			d.setStr(fUserTargetName, n)
		}
		d.appendUnique(fRelatedUser, n)
	}
	if dom, ok := d.strIn(ed, kTargetDomainName); ok {
		if !d.has(fUserDomain) {
			d.setStr(fUserDomain, dom)
		} else {
			d.setStr(fUserTargetDomain, dom)
		}
	}
}

func (d *doc) securityMember(ed int32) {
	if mn, ok := d.strIn(ed, kMemberName); ok {
		first, fourth, parts := splitMemberName(mn)
		name := d.removeEither(first, "CN=", "cn=")
		d.setStr(fUserTargetName, name)
		d.appendUnique(fRelatedUser, name)
		if parts >= 4 {
			d.setStr(fUserTargetDomain, d.removeEither(fourth, "DC=", "dc="))
		}
	}
	if v, ok := d.strIn(ed, kTargetUserSid); ok {
		d.setStr(fGroupID, v)
	}
	if v, ok := d.strIn(ed, kTargetSid); ok {
		d.setStr(fGroupID, v)
	}
	if v, ok := d.strIn(ed, kTargetUserName); ok {
		d.setStr(fGroupName, v)
	}
	if v, ok := d.strIn(ed, kTargetDomainName); ok {
		d.setStr(fGroupDomain, d.removeEither(v, "DC=", "dc="))
	}
	if d.has(fUserTarget) {
		if !d.has(fUserTargetGroup) {
			d.setObj(fUserTargetGroup)
		}
		for _, g := range targetGroup {
			if v, ok := d.str(g[0]); ok {
				d.setStr(g[1], v)
			}
		}
	}
}

// removeEither returns strings.NewReplacer(a, "", b, "").Replace(s) for
// two patterns of the same length that cannot overlap themselves.
func (d *doc) removeEither(s, a, b string) string {
	if !strings.Contains(s, a) && !strings.Contains(s, b) {
		return s
	}
	start := d.mark()
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], a) || strings.HasPrefix(s[i:], b) {
			i += len(a)
			continue
		}
		d.sb.b = append(d.sb.b, s[i])
		i++
	}
	return d.take(start)
}

// splitMemberName splits a distinguished name on commas that are not
// escaped with a backslash, dropping trailing empty parts as the split
// processor does (but keeping one part), and returns the first and
// fourth parts and the number of parts.
func splitMemberName(s string) (first, fourth string, n int) {
	var store [8]string
	parts := store[:0]
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ',' && (i == 0 || s[i-1] != '\\') {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) >= 4 {
		fourth = parts[3]
	}
	return parts[0], fourth, len(parts)
}

// securityCopyTarget copies Target* to user.target or user.effective.
func (d *doc) securityCopyTarget(ed int32, u userFields, sidKey sym) {
	if !d.has(u.obj) {
		d.setObj(u.obj)
	}
	if id, ok := d.strIn(ed, sidKey); ok && id != "" && id != "-" {
		d.setStr(u.id, id)
	}
	if name, ok := d.strIn(ed, kTargetUserName); ok && name != "" && name != "-" {
		n, _, _ := strings.Cut(name, "@")
		d.setStr(u.name, n)
		d.appendUnique(fRelatedUser, n)
	}
	if dom, ok := d.strIn(ed, kTargetDomainName); ok && dom != "" && dom != "-" {
		d.setStr(u.domain, dom)
	}
	if o := d.get(u.obj); o != 0 && d.nodes[o].kind == event.KindObject && d.nodes[o].kids == 0 {
		d.del(u.obj)
	}
}

func (d *doc) securityCommonAuth(ed int32) {
	if v, ok := d.strIn(ed, kProcessId); ok {
		if n, ok := javaLongDecode(v); ok {
			d.setInt(fProcessPID, n)
		}
		d.delIn(ed, kProcessId)
	}
	if v, ok := d.strIn(ed, kProcessName); ok {
		d.setStr(fProcessExecutable, v)
		d.delIn(ed, kProcessName)
	}
	if v, ok := d.strIn(ed, kIpAddress); ok && v != "-" {
		d.setStr(fSourceIP, v)
		d.delIn(ed, kIpAddress)
	}
	if v, ok := d.strIn(ed, kIpPort); ok && v != "-" {
		if n, ok := javaLongDecode(v); ok {
			d.setInt(fSourcePort, n)
		}
		d.delIn(ed, kIpPort)
	}
	if v, ok := d.strIn(ed, kWorkstationName); ok {
		d.setStr(fSourceDomain, v)
		d.delIn(ed, kWorkstationName)
	}
	if v, ok := d.strIn(ed, kClientAddress); ok && v != "-" {
		d.setStr(fRelatedIP, v)
		d.delIn(ed, kClientAddress)
	}
	d.setBaseName(procSelf)
}

// setBaseName sets <process>.name, unless it is set, to what follows the
// last backslash of .executable.
func (d *doc) setBaseName(pf procFields) {
	if d.has(pf.name) {
		return
	}
	if exe, ok := d.str(pf.executable); ok {
		d.setStr(pf.name, exe[strings.LastIndexByte(exe, '\\')+1:])
	}
}

func (d *doc) security4688(ed int32) {
	if v, ok := d.strIn(ed, kNewProcessId); ok {
		if n, ok := javaLongDecode(v); ok {
			d.setInt(fProcessPID, n)
		}
		d.delIn(ed, kNewProcessId)
	}
	if v, ok := d.strIn(ed, kNewProcessName); ok {
		d.setStr(fProcessExecutable, v)
		d.delIn(ed, kNewProcessName)
	}
	if v, ok := d.strIn(ed, kParentProcessName); ok {
		d.setStr(fParentExecutable, v)
		d.delIn(ed, kParentProcessName)
	}
	d.setBaseName(procSelf)
	d.setBaseName(procParent)
	if v, ok := d.strIn(ed, kProcessId); ok {
		if n, ok := javaLongDecode(v); ok {
			d.setInt(fParentPID, n)
		}
	}
	if cmd, ok := d.strIn(ed, kCommandLine); ok {
		arr := d.setArr(procSelf.args)
		n := d.pushNaiveArgs(arr, cmd)
		d.setInt(procSelf.argsCount, int64(n))
		d.setStr(procSelf.commandLine, cmd)
	}
	if v, ok := d.strIn(ed, kTargetUserName); ok && v != "-" {
		d.appendUnique(fRelatedUser, v)
	}
}

// pushNaiveArgs appends to arr the arguments SplitCommandLineNaive gives
// and returns their number.
func (d *doc) pushNaiveArgs(arr int32, cmd string) int {
	n := 0
	eachNaiveArg(cmd, func(arg string) {
		d.push(arr, arg)
		n++
	})
	return n
}

func (d *doc) securityShare(ed int32) {
	if v, ok := d.strIn(ed, kRelativeTargetName); ok && v != "" {
		d.setStr(fFileName, v)
	}
	if v, ok := d.strIn(ed, kShareLocalPath); ok && v != "" {
		d.setStr(fFileDirectory, v)
	}
	name, hasName := d.str(fFileName)
	if dir, ok := d.str(fFileDirectory); ok && hasName {
		d.setStr(fFilePath, d.concat(dir, `\`+name))
	}
	if v, ok := d.strIn(ed, kShareName); ok && v != "" && hasName {
		d.setStr(fFileTargetPath, d.concat(v, `\`+name))
	}
	if hasName {
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			d.setStr(fFileExtension, name[i+1:])
		}
	}
}

// javaLongDecode parses an integer as java.lang.Long.decode does: optional
// sign, then "0x"/"0X"/"#" for hex, a leading "0" for octal, or decimal.
func javaLongDecode(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(s, "0x"), strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "#"):
		base, s = 16, s[1:]
	case strings.HasPrefix(s, "0") && len(s) > 1:
		base, s = 8, s[1:]
	}
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, false
	}
	n, ok := parseUnsigned(s, base)
	if !ok {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseUnsigned is strconv.ParseInt(s, base, 64) for an unsigned s and a
// base of 8, 10 or 16, without the error value.
func parseUnsigned(s string, base int) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v byte
		switch {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'z':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'Z':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		if int(v) >= base || n > math.MaxInt64/uint64(base) {
			return 0, false
		}
		n = n*uint64(base) + uint64(v)
		if n > math.MaxInt64 {
			return 0, false
		}
	}
	return int64(n), true
}
