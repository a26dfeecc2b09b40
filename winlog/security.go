package winlog

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

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
}

func newFlagTable(pairs ...string) flagTable {
	t := flagTable{names: map[string]string{}}
	var keys []string
	for i := 0; i+1 < len(pairs); i += 2 {
		keys = append(keys, pairs[i])
		t.names[pairs[i]] = pairs[i+1]
	}
	t.order = javaHashOrder(keys)
	return t
}

// newSortedFlagTable is newFlagTable iterating in order of the names.
func newSortedFlagTable(pairs ...string) flagTable {
	t := newFlagTable(pairs...)
	sort.Slice(t.order, func(i, j int) bool { return t.names[t.order[i]] < t.names[t.order[j]] })
	return t
}

// match returns the names of the flags set in v, in table order.
func (t flagTable) match(v int64) []string {
	var out []string
	for _, k := range t.order {
		flag, ok := javaLongDecode(k)
		if ok && v&flag == flag {
			out = append(out, t.names[k])
		}
	}
	return out
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

// Event ID sets of the Security pipeline's processors.
var (
	secTargetUserIDs  = idSet("4624 4625 4634 4647 4648 4768 4769 4770 4771 4776 4964")
	secMemberIDs      = idSet("4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4799")
	secComputerIDs    = idSet("4741 4742 4743")
	secTargetLogonIDs = idSet("4634 4647 4964")
	secSubjectIDs     = idSet("4648 4657 4662 4670 4672 4673 4674 4688 4689 4697 4698 4699 4700 4701 4702 4706 4707 4713 4716 4717 4718 4719 4720 4722 4723 4724 4725 4726 4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4738 4739 4740 4741 4742 4743 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4767 4781 4797 4798 4799 4817 4904 4905 4907 4912 5136 5140 5145 5379 5380 5381 5382")
	secToTargetIDs    = idSet("4670 4720 4722 4723 4724 4725 4726 4738 4740 4767 4798 4817 4907 4797")
	secToEffectiveIDs = idSet("4648 4688")
	secCommonAuthIDs  = idSet("1100 1102 1104 1105 1108 4624 4648 4625 4670 4673 4674 4689 4697 4719 4720 4722 4723 4724 4725 4726 4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4738 4740 4741 4742 4743 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4767 4768 4769 4770 4771 4798 4799 4817 4904 4905 4907 4912 5140 5145")
	secRelSubjectIDs  = idSet("4624 4648 4797 5379 5380 5381 5382")
	secRelTargetIDs   = idSet("4688 4720 4722 4723 4724 4725 4726 4738 4740 4767 4797 4798")
	secPrivilegeIDs   = idSet("4672 4673 4674 4741 4742 4743")
	secSDDLIDs        = idSet("4670 4817 4907 4908")
)

func idSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, id := range strings.Fields(s) {
		m[id] = true
	}
	return m
}

// mapSecurity applies the security module pipeline (security_standard.yml)
// to the base event d.
func mapSecurity(d *obj) {
	d.set("event.module", "security")
	code, _ := d.str("event.code")
	if c, ok := securityCategories[code]; ok {
		d.set("event.category", append([]string(nil), c.category...))
		d.set("event.type", append([]string(nil), c.typ...))
		d.set("event.action", c.action)
	}
	ed, _ := d.get("winlog.event_data").(*obj)
	if ed == nil {
		ed = newObj() // not attached: reads only
	}
	get := func(k string) (string, bool) { return ed.str(k) }

	if lt, ok := get("LogonType"); ok {
		if t, ok := logonTypes[lt]; ok {
			d.set("winlog.logon.type", t)
		}
	}
	securityUAC(ed)
	if to, ok := get("TicketOptions"); ok {
		if v, ok := javaLongDecode(to); ok {
			if names := ticketOptions.match(v); len(names) > 0 {
				ed.set("TicketOptionsDescription", names)
			}
		}
	}
	if et, ok := get("TicketEncryptionType"); ok {
		if name, ok := encryptionTypes[strings.ToLower(et)]; ok {
			ed.set("TicketEncryptionTypeDescription", name)
		}
	}
	if st, ok := get("Status"); ok && in(code, "4768", "4769", "4770", "4771") {
		key := st
		if len(st) > 2 {
			key = "0x" + strings.ToUpper(st[2:])
		}
		if name, ok := kerberosStatus[key]; ok {
			ed.set("StatusDescription", name)
		}
	}
	if sn, ok := get("ServiceName"); ok {
		d.set("service.name", sn)
	}
	if st, ok := get("ServiceType"); ok {
		if name, ok := serviceTypes[st]; ok {
			d.set("service.type", name)
		}
	}
	if g, ok := get("SubcategoryGuid"); ok {
		key := strings.ToUpper(strings.NewReplacer("{", "", "}", "").Replace(g))
		if names, ok := auditSubcategories[key]; ok {
			ed.set("Category", names[1])
			ed.set("SubCategory", names[0])
		}
	}
	securityMessageTable(d, ed)
	if st, ok := get("Status"); ok && in(code, "4625", "4776") {
		if name, ok := failureStatus[st]; ok {
			d.set("winlog.logon.failure.status", name)
		}
		if sub, ok := get("SubStatus"); ok {
			if name, ok := failureStatus[sub]; ok {
				d.set("winlog.logon.failure.sub_status", name)
			}
		}
	}
	if v, ok := get("TdoType"); ok {
		if name, ok := trustTypes[v]; ok {
			d.set("winlog.trustType", name)
		}
	}
	if v, ok := get("TdoDirection"); ok {
		if name, ok := trustDirections[v]; ok {
			d.set("winlog.trustDirection", name)
		}
	}
	if v, ok := get("TdoAttributes"); ok {
		if name, ok := trustAttributes[v]; ok {
			d.set("winlog.trustAttribute", name)
		}
	}
	if in(code, "4778", "4779") {
		securitySession(d, ed)
	}
	if secTargetUserIDs[code] {
		securityTargetUser(d, ed)
	}
	if secMemberIDs[code] {
		securityMember(d, ed)
	}
	if secComputerIDs[code] {
		for _, kp := range [][2]string{{"TargetSid", "id"}, {"TargetUserName", "name"}, {"TargetDomainName", "domain"}} {
			if v, ok := get(kp[0]); ok {
				d.set("winlog.computerObject."+kp[1], v)
			}
		}
	}
	if secTargetLogonIDs[code] {
		if v, ok := get("TargetLogonId"); ok {
			d.set("winlog.logon.id", v)
		}
	}
	if secSubjectIDs[code] {
		if v, ok := get("SubjectUserSid"); ok {
			d.set("user.id", v)
		}
		if v, ok := get("SubjectUserName"); ok {
			d.set("user.name", v)
			d.appendUnique("related.user", v)
		}
		if v, ok := get("SubjectDomainName"); ok {
			d.set("user.domain", v)
		}
	}
	if secToTargetIDs[code] {
		securityCopyTarget(d, ed, "target", "TargetSid")
	}
	if secToEffectiveIDs[code] {
		securityCopyTarget(d, ed, "effective", "TargetUserSid")
	}
	if code == "1102" {
		if v, ok := d.str("winlog.user_data.SubjectUserSid"); ok {
			d.set("user.id", v)
		}
		if v, ok := d.str("winlog.user_data.SubjectUserName"); ok {
			d.set("user.name", v)
			d.appendUnique("related.user", v)
		}
		if v, ok := d.str("winlog.user_data.SubjectDomainName"); ok {
			d.set("user.domain", v)
		}
	}
	if v, ok := get("SubjectLogonId"); ok {
		d.set("winlog.logon.id", v)
	}
	if code == "1102" {
		if v, ok := d.str("winlog.user_data.SubjectLogonId"); ok {
			d.set("winlog.logon.id", v)
		}
	}
	if secCommonAuthIDs[code] {
		securityCommonAuth(d, ed)
	}
	if code == "4688" {
		security4688(d, ed)
	}
	if v, ok := get("SubjectUserName"); ok && v != "-" && secRelSubjectIDs[code] {
		d.appendUnique("related.user", v)
	}
	if v, ok := get("TargetUserName"); ok && v != "-" && secRelTargetIDs[code] {
		d.appendUnique("related.user", v)
	}
	if v, ok := get("PrivilegeList"); ok && secPrivilegeIDs[code] {
		ed.set("PrivilegeList", javaSplitRegex(v, blanks))
	}
	if v, ok := get("OldTargetUserName"); ok && v != "" {
		d.set("user.target.name", v)
	}
	if v, ok := get("NewTargetUserName"); ok && v != "" {
		d.set("user.changes.name", v)
	}
	if v, ok := get("NewTargetUserName"); ok && v != "-" {
		d.appendUnique("related.user", v)
	}
	if v, ok := get("OldTargetUserName"); ok && v != "-" {
		d.appendUnique("related.user", v)
	}
	if ip, ok := d.str("source.ip"); ok {
		if m := v4Mapped.FindStringSubmatch(ip); m != nil {
			d.set("source.ip", m[1])
		}
	}
	if ip, ok := d.str("source.ip"); ok && ip != "-" {
		if s, isStr := d.get("related.ip").(string); isStr {
			d.set("related.ip", []string{s})
		}
		d.appendUnique("related.ip", ip)
	}
	if secSDDLIDs[code] {
		securitySDDL(d, ed)
	}
	if in(code, "5140", "5145") {
		securityShare(d, ed)
	}
	stringifyRecordID(d)
	if lvl, ok := d.str("winlog.level"); ok && lvl != "" {
		d.set("log.level", lvl)
	}
	if tc, ok := d.str("winlog.time_created"); ok {
		if ns, ok := event.ParseTime(tc); ok {
			d.set("@timestamp", formatMillis(ns))
		}
	}
	if ed.size() == 0 {
		d.del("winlog.event_data")
	}
}

// securityUAC decodes NewUacValue into NewUACList and splits
// UserAccountControl into a list.
func securityUAC(ed *obj) {
	nv, ok := ed.str("NewUacValue")
	if !ok || nv == "-" {
		return
	}
	v, ok := javaLongDecode(strings.TrimSpace(nv))
	if !ok {
		return
	}
	names := uacFlags.match(v)
	if len(names) == 0 {
		return
	}
	ed.set("NewUACList", names)
	uac, ok := ed.str("UserAccountControl")
	if !ok || uac == "-" {
		return
	}
	var list []string
	for _, elem := range strings.Split(uac, "\n") {
		t := strings.TrimSpace(strings.ReplaceAll(elem, "%%", ""))
		if t != "" {
			list = append(list, t)
		}
	}
	ed.set("UserAccountControl", nonNil(list))
}

// securityMessageTable is the "Decode message table" processor.
func securityMessageTable(d *obj, ed *obj) {
	if fr, ok := ed.str("FailureReason"); ok {
		code := strings.ReplaceAll(fr, "%%", "")
		desc := code
		if n, err := strconv.Atoi(code); err == nil {
			if t, ok := msobjs[n]; ok {
				desc = t
			}
		}
		d.set("winlog.logon.failure.reason", desc)
	}
	lookup := func(code string) (string, bool) {
		n, err := strconv.Atoi(code)
		if err != nil || strconv.Itoa(n) != code {
			return "", false
		}
		t, ok := msobjs[n]
		return t, ok
	}
	if apc, ok := ed.str("AuditPolicyChanges"); ok {
		var results []string
		for _, elem := range strings.Split(apc, ",") {
			code := strings.TrimSpace(strings.ReplaceAll(elem, "%%", ""))
			if t, ok := lookup(code); ok {
				results = append(results, t)
			} else {
				results = append(results, code)
			}
		}
		if len(results) > 0 {
			ed.set("AuditPolicyChangesDescription", results)
		}
	}
	if al, ok := ed.str("AccessList"); ok {
		var codes, results []string
		for _, elem := range painlessSplit(al) {
			code := strings.TrimSpace(strings.ReplaceAll(elem, "%%", ""))
			if code != "" {
				codes = append(codes, code)
			}
			if t, ok := lookup(code); ok {
				results = append(results, t)
			} else {
				results = append(results, code)
			}
		}
		if len(codes) > 0 {
			ed.set("AccessList", codes)
		}
		if len(results) > 0 {
			ed.set("AccessListDescription", results)
		}
	}
	for _, k := range []string{"Direction", "LayerName"} {
		if v, ok := ed.str(k); ok {
			if t, ok := lookup(strings.TrimSpace(strings.ReplaceAll(v, "%%", ""))); ok {
				ed.set(k+"Description", t)
			}
		}
	}
	if am, ok := ed.str("AccessMask"); ok {
		var list []string
		var mask int64
		for _, elem := range painlessSplit(am) {
			if elem == "" {
				continue
			}
			code := strings.TrimSpace(strings.ReplaceAll(elem, "%%", ""))
			if t, ok := lookup(code); ok {
				list = append(list, t)
			} else {
				list = append(list, code)
				if c, ok := msobjsReversed[code]; ok {
					code = strconv.Itoa(c)
				}
			}
			if n, ok := javaLongDecode(code); ok {
				mask |= n
			}
		}
		if len(list) > 0 {
			ed.set("AccessMask", list)
		}
		var desc []string
		for b := 0; b < 32; b++ {
			flag := int64(1) << b
			if mask&flag == flag {
				if name, ok := accessMaskNames[fmt.Sprintf("0x%08X", flag)]; ok {
					desc = append(desc, name)
				}
			}
		}
		if len(desc) > 0 {
			ed.set("AccessMaskDescription", desc)
		}
	}
}

// painlessSplit is the white-space splitter of the message-table script:
// leading blanks skipped, runs of blanks separate, and the (possibly
// empty) remainder always appended.
func painlessSplit(s string) []string {
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

func securitySession(d *obj, ed *obj) {
	if v, ok := ed.str("AccountName"); ok {
		d.set("user.name", v)
		d.appendUnique("related.user", v)
	}
	if v, ok := ed.str("AccountDomain"); ok {
		d.set("user.domain", v)
	}
	if v, ok := ed.str("ClientAddress"); ok && v != "-" && v != "Unknown" {
		if v == "LOCAL" {
			v = "127.0.0.1"
			ed.set("ClientAddress", v)
		}
		d.set("source.ip", v)
		d.appendUnique("related.ip", v)
	}
	if v, ok := ed.str("ClientName"); ok {
		d.set("source.domain", v)
	}
	if v, ok := ed.str("LogonID"); ok {
		d.set("winlog.logon.id", v)
	}
}

func securityTargetUser(d *obj, ed *obj) {
	id, ok := ed.str("TargetUserSid")
	if !ok {
		id, ok = ed.str("TargetSid")
	}
	if ok {
		if !d.has("user.id") {
			d.set("user.id", id)
		} else {
			d.set("user.target.id", id)
		}
	}
	if name, ok := ed.str("TargetUserName"); ok {
		n := strings.Split(name, "@")[0]
		if !d.has("user.name") {
			d.set("user.name", n)
		} else {
			d.set("user.target.name", n)
		}
		d.appendUnique("related.user", n)
	}
	if dom, ok := ed.str("TargetDomainName"); ok {
		if !d.has("user.domain") {
			d.set("user.domain", dom)
		} else {
			d.set("user.target.domain", dom)
		}
	}
}

func securityMember(d *obj, ed *obj) {
	if mn, ok := ed.str("MemberName"); ok {
		parts := splitMemberName(mn)
		name := strings.NewReplacer("CN=", "", "cn=", "").Replace(parts[0])
		d.set("user.target.name", name)
		d.appendUnique("related.user", name)
		if len(parts) >= 4 {
			d.set("user.target.domain", strings.NewReplacer("DC=", "", "dc=", "").Replace(parts[3]))
		}
	}
	if v, ok := ed.str("TargetUserSid"); ok {
		d.set("group.id", v)
	}
	if v, ok := ed.str("TargetSid"); ok {
		d.set("group.id", v)
	}
	if v, ok := ed.str("TargetUserName"); ok {
		d.set("group.name", v)
	}
	if v, ok := ed.str("TargetDomainName"); ok {
		d.set("group.domain", strings.NewReplacer("DC=", "", "dc=", "").Replace(v))
	}
	if d.has("user.target") {
		if !d.has("user.target.group") {
			d.set("user.target.group", newObj())
		}
		for _, k := range []string{"id", "name", "domain"} {
			if v, ok := d.str("group." + k); ok {
				d.set("user.target.group."+k, v)
			}
		}
	}
}

// splitMemberName splits a distinguished name on commas that are not
// escaped with a backslash, dropping trailing empty parts as the split
// processor does.
func splitMemberName(s string) []string {
	var parts []string
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
	return parts
}

// securityCopyTarget copies Target* to user.<what> (target or effective).
func securityCopyTarget(d *obj, ed *obj, what, sidKey string) {
	prefix := "user." + what
	if !d.has(prefix) {
		d.set(prefix, newObj())
	}
	if id, ok := ed.str(sidKey); ok && id != "" && id != "-" {
		d.set(prefix+".id", id)
	}
	if name, ok := ed.str("TargetUserName"); ok && name != "" && name != "-" {
		n := name
		if parts := strings.Split(name, "@"); len(parts) > 1 {
			n = parts[0]
		}
		d.set(prefix+".name", n)
		d.appendUnique("related.user", n)
	}
	if dom, ok := ed.str("TargetDomainName"); ok && dom != "" && dom != "-" {
		d.set(prefix+".domain", dom)
	}
	if o, ok := d.get(prefix).(*obj); ok && o.size() == 0 {
		d.del(prefix)
	}
}

func securityCommonAuth(d *obj, ed *obj) {
	if v, ok := ed.str("ProcessId"); ok {
		if n, ok := javaLongDecode(v); ok {
			d.set("process.pid", n)
		}
		ed.del("ProcessId")
	}
	if v, ok := ed.str("ProcessName"); ok {
		d.set("process.executable", v)
		ed.del("ProcessName")
	}
	if v, ok := ed.str("IpAddress"); ok && v != "-" {
		d.set("source.ip", v)
		ed.del("IpAddress")
	}
	if v, ok := ed.str("IpPort"); ok && v != "-" {
		if n, ok := javaLongDecode(v); ok {
			d.set("source.port", n)
		}
		ed.del("IpPort")
	}
	if v, ok := ed.str("WorkstationName"); ok {
		d.set("source.domain", v)
		ed.del("WorkstationName")
	}
	if v, ok := ed.str("ClientAddress"); ok && v != "-" {
		d.set("related.ip", v)
		ed.del("ClientAddress")
	}
	if !d.has("process.name") {
		if exe, ok := d.str("process.executable"); ok {
			parts := strings.Split(exe, `\`)
			d.set("process.name", parts[len(parts)-1])
		}
	}
}

func security4688(d *obj, ed *obj) {
	if v, ok := ed.str("NewProcessId"); ok {
		if n, ok := javaLongDecode(v); ok {
			d.set("process.pid", n)
		}
		ed.del("NewProcessId")
	}
	if v, ok := ed.str("NewProcessName"); ok {
		d.set("process.executable", v)
		ed.del("NewProcessName")
	}
	if v, ok := ed.str("ParentProcessName"); ok {
		d.set("process.parent.executable", v)
		ed.del("ParentProcessName")
	}
	for _, p := range []string{"process", "process.parent"} {
		if !d.has(p + ".name") {
			if exe, ok := d.str(p + ".executable"); ok {
				parts := strings.Split(exe, `\`)
				d.set(p+".name", parts[len(parts)-1])
			}
		}
	}
	if v, ok := ed.str("ProcessId"); ok {
		if n, ok := javaLongDecode(v); ok {
			d.set("process.parent.pid", n)
		}
	}
	if cmd, ok := ed.str("CommandLine"); ok {
		args := nonNil(SplitCommandLineNaive(cmd))
		d.set("process.args", args)
		d.set("process.args_count", int64(len(args)))
		d.set("process.command_line", cmd)
	}
	if v, ok := ed.str("TargetUserName"); ok && v != "-" {
		d.appendUnique("related.user", v)
	}
}

func securityShare(d *obj, ed *obj) {
	if v, ok := ed.str("RelativeTargetName"); ok && v != "" {
		d.set("file.name", v)
	}
	if v, ok := ed.str("ShareLocalPath"); ok && v != "" {
		d.set("file.directory", v)
	}
	name, hasName := d.str("file.name")
	if dir, ok := d.str("file.directory"); ok && hasName {
		d.set("file.path", dir+`\`+name)
	}
	if v, ok := ed.str("ShareName"); ok && v != "" && hasName {
		d.set("file.target_path", v+`\`+name)
	}
	if hasName {
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			d.set("file.extension", name[i+1:])
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
	n, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
