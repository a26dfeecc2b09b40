package winlog

import "strconv"

// msobjs is the message table of msobjs.dll, the parameter message file of
// the Security-Auditing provider: "%%1833" in event data stands for
// message 1833, "Impersonation". Winlogbeat resolves these when it renders
// an event, and the Security pipeline looks some of them up again, so the
// table serves both. Codes whose text is "Undefined Access (no effect) Bit
// N" are generated in init from msobjsUndefined.
var msobjs = map[int]string{
	279:  "Undefined Access (no effect) Bit 7",
	1536: "Unused message ID", 1537: "DELETE", 1538: "READ_CONTROL", 1539: "WRITE_DAC", 1540: "WRITE_OWNER",
	1541: "SYNCHRONIZE", 1542: "ACCESS_SYS_SEC", 1543: "MAX_ALLOWED",
	1601: "Not used", 1603: "Assign Primary Token Privilege", 1604: "Lock Memory Privilege",
	1605: "Increase Memory Quota Privilege", 1606: "Unsolicited Input Privilege", 1607: "Trusted Computer Base Privilege",
	1608: "Security Privilege", 1609: "Take Ownership Privilege", 1610: "Load/Unload Driver Privilege",
	1611: "Profile System Privilege", 1612: "Set System Time Privilege", 1613: "Profile Single Process Privilege",
	1614: "Increment Base Priority Privilege", 1615: "Create Pagefile Privilege", 1616: "Create Permanent Object Privilege",
	1617: "Backup Privilege", 1618: "Restore From Backup Privilege", 1619: "Shutdown System Privilege",
	1620: "Debug Privilege", 1621: "View or Change Audit Log Privilege", 1622: "Change Hardware Environment Privilege",
	1623: "Change Notify (and Traverse) Privilege", 1624: "Remotely Shut System Down Privilege",
	1792: "<value changed", 1793: "<value not set>", 1794: "<never>", 1795: "Enabled", 1796: "Disabled", 1797: "All",
	1798: "None", 1799: "Audit Policy query/set API Operation",
	1800: "<Value change auditing for this registry type is not supported>", 1801: "Granted by", 1802: "Denied by",
	1803: "Denied by Integrity Policy check", 1804: "Granted by Ownership", 1805: "Not granted",
	1806: "Granted by NULL DACL", 1807: "Denied by Empty DACL", 1808: "Granted by NULL Security Descriptor",
	1809: "Unknown or unchecked", 1810: "Not granted due to missing", 1811: "Granted by ACE on parent folder",
	1812: "Denied by ACE on parent folder", 1813: "Granted by Central Access Rule", 1814: "NOT Granted by Central Access Rule",
	1815: "Granted by parent folder's Central Access Rule", 1816: "NOT Granted by parent folder's Central Access Rule",
	1817: "Unknown Type", 1818: "String", 1819: "Unsigned 64-bit Integer", 1820: "64-bit Integer", 1821: "FQBN",
	1822: "Blob", 1823: "Sid", 1824: "Boolean", 1825: "TRUE", 1826: "FALSE", 1827: "Invalid",
	1828: "an ACE too long to display", 1829: "a Security Descriptor too long to display",
	1830: "Not granted to AppContainers", 1831: "...", 1832: "Identification", 1833: "Impersonation",
	1840: "Delegation", 1841: "Denied by Process Trust Label ACE", 1842: "Yes", 1843: "No", 1844: "System",
	1845: "Not Available", 1846: "Default", 1847: "DisallowMmConfig", 1848: "Off", 1849: "Auto",
	1872: "REG_NONE", 1873: "REG_SZ", 1874: "REG_EXPAND_SZ", 1875: "REG_BINARY", 1876: "REG_DWORD",
	1877: "REG_DWORD_BIG_ENDIAN", 1878: "REG_LINK",
	1879: "REG_MULTI_SZ (New lines are replaced with *. A * is replaced with **)", 1880: "REG_RESOURCE_LIST",
	1881: "REG_FULL_RESOURCE_DESCRIPTOR", 1882: "REG_RESOURCE_REQUIREMENTS_LIST", 1883: "REG_QWORD",
	1904: "New registry value created", 1905: "Existing registry value modified", 1906: "Registry value deleted",
	1920: "Sunday", 1921: "Monday", 1922: "Tuesday", 1923: "Wednesday", 1924: "Thursday", 1925: "Friday", 1926: "Saturday",
	1936: "TokenElevationTypeDefault (1)", 1937: "TokenElevationTypeFull (2)", 1938: "TokenElevationTypeLimited (3)",
	2048: "Account Enabled", 2058: "Account Unlocked", 2080: "Account Disabled", 2090: "Account Locked",
	2304: "An Error occured during Logon.", 2305: "The specified user account has expired.",
	2306: "The NetLogon component is not active.", 2307: "Account locked out.",
	2308: "The user has not been granted the requested logon type at this machine.",
	2309: "The specified account's password has expired.", 2310: "Account currently disabled.",
	2311: "Account logon time restriction violation.", 2312: "User not allowed to logon at this computer.",
	2313: "Unknown user name or bad password.", 2314: "Domain sid inconsistent.",
	2315: "Smartcard logon is required and was not used.", 2432: "Not Available.",
	2436: "Random number generator failure.", 2437: "Random number generation failed FIPS-140 pre-hash check.",
	2438: "Failed to zero secret data.", 2439: "Key failed pair wise consistency check.",
	2448: "Failed to unprotect persistent cryptographic key.", 2449: "Key export checks failed.",
	2450: "Validation of public key failed.", 2451: "Signature verification failed.", 2456: "Open key file.",
	2457: "Delete key file.", 2458: "Read persisted key from file.", 2459: "Write persisted key to file.",
	2464: "Export of persistent cryptographic key.", 2465: "Import of persistent cryptographic key.",
	2480: "Open Key.", 2481: "Create Key.", 2482: "Delete Key.", 2483: "Encrypt.", 2484: "Decrypt.", 2485: "Sign hash.",
	2486: "Secret agreement.", 2487: "Domain settings", 2488: "Local settings", 2489: "Add provider.",
	2490: "Remove provider.", 2491: "Add context.", 2492: "Remove context.", 2493: "Add function.",
	2494: "Remove function.", 2495: "Add function provider.", 2496: "Remove function provider.",
	2497: "Add function property.", 2498: "Remove function property.", 2499: "Machine key.", 2500: "User key.",
	2501: "Key Derivation.",
	4352: "Device Access Bit 0", 4353: "Device Access Bit 1", 4354: "Device Access Bit 2", 4355: "Device Access Bit 3",
	4356: "Device Access Bit 4", 4357: "Device Access Bit 5", 4358: "Device Access Bit 6", 4359: "Device Access Bit 7",
	4360: "Device Access Bit 8", 4368: "Query directory", 4369: "Traverse", 4370: "Create object in directory",
	4371: "Create sub-directory", 4384: "Query event state", 4385: "Modify event state",
	4416: "ReadData (or ListDirectory)", 4417: "WriteData (or AddFile)",
	4418: "AppendData (or AddSubdirectory or CreatePipeInstance)", 4419: "ReadEA", 4420: "WriteEA",
	4421: "Execute/Traverse", 4422: "DeleteChild", 4423: "ReadAttributes", 4424: "WriteAttributes",
	4432: "Query key value", 4433: "Set key value", 4434: "Create sub-key", 4435: "Enumerate sub-keys",
	4436: "Notify about changes to keys", 4437: "Create Link",
	4440: "Enable 64(or 32) bit application to open 64 bit key", 4441: "Enable 64(or 32) bit application to open 32 bit key",
	4448: "Query mutant state", 4464: "Communicate using port", 4480: "Force process termination",
	4481: "Create new thread in process", 4482: "Set process session ID", 4483: "Perform virtual memory operation",
	4484: "Read from process memory", 4485: "Write to process memory", 4486: "Duplicate handle into or out of process",
	4487: "Create a subprocess of process", 4488: "Set process quotas", 4489: "Set process information",
	4490: "Query process information", 4491: "Set process termination port", 4496: "Control profile",
	4512: "Query section state", 4513: "Map section for write", 4514: "Map section for read",
	4515: "Map section for execute", 4516: "Extend size", 4528: "Query semaphore state", 4529: "Modify semaphore state",
	4544: "Use symbolic link", 4560: "Force thread termination", 4561: "Suspend or resume thread",
	4562: "Send an alert to thread", 4563: "Get thread context", 4564: "Set thread context",
	4565: "Set thread information", 4566: "Query thread information", 4567: "Assign a token to the thread",
	4568: "Cause thread to directly impersonate another thread", 4569: "Directly impersonate this thread",
	4576: "Query timer state", 4577: "Modify timer state", 4592: "AssignAsPrimary", 4593: "Duplicate",
	4594: "Impersonate", 4595: "Query", 4596: "QuerySource", 4597: "AdjustPrivileges", 4598: "AdjustGroups",
	4599: "AdjustDefaultDacl", 4600: "AdjustSessionID", 4608: "Create instance of object type",
	4864: "Query State", 4865: "Modify State", 5120: "Channel read message", 5121: "Channel write message",
	5122: "Channel query information", 5123: "Channel set information", 5136: "Assign process",
	5137: "Set Attributes", 5138: "Query Attributes", 5139: "Terminate Job", 5140: "Set Security Attributes",
	5376: "ConnectToServer", 5377: "ShutdownServer", 5378: "InitializeServer", 5379: "CreateDomain",
	5380: "EnumerateDomains", 5381: "LookupDomain", 5392: "ReadPasswordParameters", 5393: "WritePasswordParameters",
	5394: "ReadOtherParameters", 5395: "WriteOtherParameters", 5396: "CreateUser", 5397: "CreateGlobalGroup",
	5398: "CreateLocalGroup", 5399: "GetLocalGroupMembership", 5400: "ListAccounts", 5401: "LookupIDs",
	5402: "AdministerServer", 5408: "ReadInformation", 5409: "WriteAccount", 5410: "AddMember",
	5411: "RemoveMember", 5412: "ListMembers", 5424: "AddMember", 5425: "RemoveMember", 5426: "ListMembers",
	5427: "ReadInformation", 5428: "WriteAccount", 5440: "ReadGeneralInformation", 5441: "ReadPreferences",
	5442: "WritePreferences", 5443: "ReadLogon", 5444: "ReadAccount", 5445: "WriteAccount",
	5446: "ChangePassword (with knowledge of old password)", 5447: "SetPassword (without knowledge of old password)",
	5448: "ListGroups", 5449: "ReadGroupMembership", 5450: "ChangeGroupMembership",
	5632: "View non-sensitive policy information", 5633: "View system audit requirements",
	5634: "Get sensitive policy information", 5635: "Modify domain trust relationships",
	5636: "Create special accounts (for assignment of user rights)", 5637: "Create a secret object",
	5638: "Create a privilege", 5639: "Set default quota limits", 5640: "Change system audit requirements",
	5641: "Administer audit log attributes", 5642: "Enable/Disable LSA", 5643: "Lookup Names/SIDs",
	5648: "Change secret value", 5649: "Query secret value", 5664: "Query trusted domain name/SID",
	5665: "Retrieve the controllers in the trusted domain", 5666: "Change the controllers in the trusted domain",
	5667: "Query the Posix ID offset assigned to the trusted domain",
	5668: "Change the Posix ID offset assigned to the trusted domain", 5680: "Query account information",
	5681: "Change privileges assigned to account", 5682: "Change quotas assigned to account",
	5683: "Change logon capabilities assigned to account",
	5684: "Change the Posix ID offset assigned to the accounted domain", 5696: "KeyedEvent Wait",
	5697: "KeyedEvent Wake", 6656: "Enumerate desktops", 6657: "Read attributes", 6658: "Access Clipboard",
	6659: "Create desktop", 6660: "Write attributes", 6661: "Access global atoms", 6662: "Exit windows",
	6663: "Unused Access Flag", 6664: "Include this windowstation in enumerations", 6665: "Read screen",
	6672: "Read Objects", 6673: "Create window", 6674: "Create menu", 6675: "Hook control", 6676: "Journal (record)",
	6677: "Journal (playback)", 6678: "Include this desktop in enumerations", 6679: "Write objects",
	6680: "Switch to this desktop", 6912: "Administer print server", 6913: "Enumerate printers", 6930: "Full Control",
	6931: "Print", 6948: "Administer Document", 7168: "Connect to service controller", 7169: "Create a new service",
	7170: "Enumerate services", 7171: "Lock service database for exclusive access",
	7172: "Query service database lock state", 7173: "Set last-known-good state of service database",
	7184: "Query service configuration information", 7185: "Set service configuration information",
	7186: "Query status of service", 7187: "Enumerate dependencies of service", 7188: "Start the service",
	7189: "Stop the service", 7190: "Pause or continue the service", 7191: "Query information from service",
	7192: "Issue service-specific control commands", 7424: "DDE Share Read", 7425: "DDE Share Write",
	7426: "DDE Share Initiate Static", 7427: "DDE Share Initiate Link", 7428: "DDE Share Request",
	7429: "DDE Share Advise", 7430: "DDE Share Poke", 7431: "DDE Share Execute", 7432: "DDE Share Add Items",
	7433: "DDE Share List Items", 7680: "Create Child", 7681: "Delete Child", 7682: "List Contents",
	7683: "Write Self", 7684: "Read Property", 7685: "Write Property", 7686: "Delete Tree", 7687: "List Object",
	7688: "Control Access", 7936: "Audit Set System Policy", 7937: "Audit Query System Policy",
	7938: "Audit Set Per User Policy", 7939: "Audit Query Per User Policy", 7940: "Audit Enumerate Users",
	7941: "Audit Set Options", 7942: "Audit Query Options", 8064: "Port sharing (read)", 8065: "Port sharing (write)",
	8096: "Default credentials", 8097: "Credentials manager", 8098: "Fresh credentials", 8192: "Kerberos",
	8193: "Preshared key", 8194: "Unknown authentication", 8195: "DES", 8196: "3DES", 8197: "MD5", 8198: "SHA1",
	8199: "Local computer", 8200: "Remote computer", 8201: "No state", 8202: "Sent first (SA) payload",
	8203: "Sent second (KE) payload", 8204: "Sent third (ID) payload", 8205: "Initiator", 8206: "Responder",
	8207: "No state", 8208: "Sent first (SA) payload", 8209: "Sent final payload", 8210: "Complete", 8211: "Unknown",
	8212: "Transport", 8213: "Tunnel", 8214: "IKE/AuthIP DoS prevention mode started",
	8215: "IKE/AuthIP DoS prevention mode stopped", 8216: "Enabled", 8217: "Not enabled", 8218: "No state",
	8219: "Sent first (EM attributes) payload", 8220: "Sent second (SSPI) payload", 8221: "Sent third (hash) payload",
	8222: "IKEv1", 8223: "AuthIP", 8224: "Anonymous", 8225: "NTLM V2", 8226: "CGA", 8227: "Certificate", 8228: "SSL",
	8229: "None", 8230: "DH group 1", 8231: "DH group 2", 8232: "DH group 14", 8233: "DH group ECP 256",
	8234: "DH group ECP 384", 8235: "AES-128", 8236: "AES-192", 8237: "AES-256", 8238: "Certificate ECDSA P256",
	8239: "Certificate ECDSA P384", 8240: "SSL ECDSA P256", 8241: "SSL ECDSA P384", 8242: "SHA 256", 8243: "SHA 384",
	8244: "IKEv2", 8245: "EAP payload sent", 8246: "Authentication payload sent", 8247: "EAP", 8248: "DH group 24",
	8272: "System", 8273: "Logon/Logoff", 8274: "Object Access", 8275: "Privilege Use", 8276: "Detailed Tracking",
	8277: "Policy Change", 8278: "Account Management", 8279: "DS Access", 8280: "Account Logon",
	8448: "Success removed", 8449: "Success Added", 8450: "Failure removed", 8451: "Failure Added",
	8452: "Success include removed", 8453: "Success include added", 8454: "Success exclude removed",
	8455: "Success exclude added", 8456: "Failure include removed", 8457: "Failure include added",
	8458: "Failure exclude removed", 8459: "Failure exclude added",
	12288: "Security State Change", 12289: "Security System Extension", 12290: "System Integrity",
	12291: "IPsec Driver", 12292: "Other System Events", 12544: "Logon", 12545: "Logoff", 12546: "Account Lockout",
	12547: "IPsec Main Mode", 12548: "Special Logon", 12549: "IPsec Quick Mode", 12550: "IPsec Extended Mode",
	12551: "Other Logon/Logoff Events", 12552: "Network Policy Server", 12553: "User / Device Claims",
	12554: "Group Membership", 12800: "File System", 12801: "Registry", 12802: "Kernel Object", 12803: "SAM",
	12804: "Other Object Access Events", 12805: "Certification Services", 12806: "Application Generated",
	12807: "Handle Manipulation", 12808: "File Share", 12809: "Filtering Platform Packet Drop",
	12810: "Filtering Platform Connection", 12811: "Detailed File Share", 12812: "Removable Storage",
	12813: "Central Policy Staging", 13056: "Sensitive Privilege Use", 13057: "Non Sensitive Privilege Use",
	13058: "Other Privilege Use Events", 13312: "Process Creation", 13313: "Process Termination",
	13314: "DPAPI Activity", 13315: "RPC Events", 13316: "Plug and Play Events", 13317: "Token Right Adjusted Events",
	13568: "Audit Policy Change", 13569: "Authentication Policy Change", 13570: "Authorization Policy Change",
	13571: "MPSSVC Rule-Level Policy Change", 13572: "Filtering Platform Policy Change",
	13573: "Other Policy Change Events", 13824: "User Account Management", 13825: "Computer Account Management",
	13826: "Security Group Management", 13827: "Distribution Group Management", 13828: "Application Group Management",
	13829: "Other Account Management Events", 14080: "Directory Service Access", 14081: "Directory Service Changes",
	14082: "Directory Service Replication", 14083: "Detailed Directory Service Replication",
	14336: "Credential Validation", 14337: "Kerberos Service Ticket Operations", 14338: "Other Account Logon Events",
	14339: "Kerberos Authentication Service", 14592: "Inbound", 14593: "Outbound", 14594: "Forward",
	14595: "Bidirectional", 14596: "IP Packet", 14597: "Transport", 14598: "Forward", 14599: "Stream",
	14600: "Datagram Data", 14601: "ICMP Error", 14602: "MAC 802.3", 14603: "MAC Native", 14604: "vSwitch",
	14608: "Resource Assignment", 14609: "Listen", 14610: "Receive/Accept", 14611: "Connect", 14612: "Flow Established",
	14614: "Resource Release", 14615: "Endpoint Closure", 14616: "Connect Redirect", 14617: "Bind Redirect",
	14624: "Stream Packet", 14640: "ICMP Echo-Request", 14641: "vSwitch Ingress", 14642: "vSwitch Egress",
	14672: "<Binary>", 14673: "[NULL]", 14674: "Value Added", 14675: "Value Deleted",
	14676: "Active Directory Domain Services", 14677: "Active Directory Lightweight Directory Services",
	14678: "Yes", 14679: "No", 14680: "Value Added With Expiration Time", 14681: "Value Deleted With Expiration Time",
	14688: "Value Auto Deleted With Expiration Time", 16384: "Add", 16385: "Delete", 16386: "Boot-time",
	16387: "Persistent", 16388: "Not persistent", 16389: "Block", 16390: "Permit", 16391: "Callout", 16392: "MD5",
	16393: "SHA-1", 16394: "SHA-256", 16395: "AES-GCM 128", 16396: "AES-GCM 192", 16397: "AES-GCM 256",
	16398: "DES", 16399: "3DES", 16400: "AES-128", 16401: "AES-192", 16402: "AES-256", 16403: "Transport",
	16404: "Tunnel", 16405: "Responder", 16406: "Initiator", 16407: "AES-GMAC 128", 16408: "AES-GMAC 192",
	16409: "AES-GMAC 256", 16416: "AuthNoEncap Transport", 16896: "Enable WMI Account", 16897: "Execute Method",
	16898: "Full Write", 16899: "Partial Write", 16900: "Provider Write", 16901: "Remote Access", 16902: "Subscribe",
	16903: "Publish",
}

// msobjsUndefined lists the runs of codes whose text is "Undefined Access
// (no effect) Bit N", N being the code minus the base of its block.
var msobjsUndefined = [][3]int{ // first, last, base
	{4361, 4367, 4352}, {4372, 4383, 4368}, {4386, 4399, 4384}, {4425, 4431, 4416}, {4438, 4439, 4432},
	{4442, 4447, 4432}, {4449, 4463, 4448}, {4465, 4479, 4464}, {4492, 4495, 4480}, {4497, 4511, 4496},
	{4517, 4527, 4512}, {4530, 4543, 4528}, {4545, 4559, 4544}, {4570, 4575, 4560}, {4578, 4582, 4576},
	{4584, 4591, 4576}, {4601, 4607, 4592}, {4609, 4623, 4608}, {5124, 5135, 5120}, {5141, 5151, 5136},
	{5382, 5391, 5376}, {5403, 5407, 5392}, {5413, 5423, 5408}, {5429, 5439, 5424}, {5451, 5455, 5440},
	{5650, 5663, 5648}, {5669, 5679, 5664}, {5685, 5695, 5680}, {5698, 5711, 5696}, {7689, 7695, 7680},
}

// uacNames are the UserAccountControl change texts, codes 2049..2079
// ("... - Disabled") and 2081..2111 ("... - Enabled"), by bit.
var uacNames = [...]string{
	"", "Home Directory Required", "Password Not Required", "Temp Duplicate Account", "Normal Account",
	"MNS Logon Account", "Interdomain Trust Account", "Workstation Trust Account", "Server Trust Account",
	"Don't Expire Password", "", "Encrypted Text Password Allowed", "Smartcard Required",
	"Trusted For Delegation", "Not Delegated", "Use DES Key Only", "Don't Require Preauth", "Password Expired",
	"Trusted To Authenticate For Delegation", "Exclude Authorization Information",
	"Undefined UserAccountControl Bit 20", "Protect Kerberos Service Tickets with AES Keys",
	"Undefined UserAccountControl Bit 22", "Undefined UserAccountControl Bit 23",
	"Undefined UserAccountControl Bit 24", "Undefined UserAccountControl Bit 25",
	"Undefined UserAccountControl Bit 26", "Undefined UserAccountControl Bit 27",
	"Undefined UserAccountControl Bit 28", "Undefined UserAccountControl Bit 29",
	"Undefined UserAccountControl Bit 30", "Undefined UserAccountControl Bit 31",
}

// msobjsRendered holds the texts Windows renders where they differ from
// the pipeline's copy of the table: the UAC change messages start with a
// quote in msobjs.dll ("'Normal Account' - Enabled") but the pipeline's
// table lost it ("Normal Account' - Enabled").
var msobjsRendered = map[int]string{
	8451: "Failure added", // the pipeline's table has "Failure Added"; Windows renders this (4719 golden)
}

// msobjsReversed maps a message text back to its code, as the pipeline's
// reversed table does when AccessMask arrives already rendered. For texts
// with several codes the pipeline's first entry is kept.
var msobjsReversed = map[string]int{}

func init() {
	for _, u := range msobjsUndefined {
		for c := u[0]; c <= u[1]; c++ {
			msobjs[c] = "Undefined Access (no effect) Bit " + strconv.Itoa(c-u[2])
		}
	}
	for bit, name := range uacNames {
		if name == "" {
			continue
		}
		msobjs[2048+bit] = name + "' - Disabled"
		msobjs[2080+bit] = name + "' - Enabled"
		msobjsRendered[2048+bit] = "'" + name + "' - Disabled"
		msobjsRendered[2080+bit] = "'" + name + "' - Enabled"
	}
	first := map[string]int{
		"3DES": 8196, "AES-128": 16400, "AES-192": 8236, "AES-256": 16402, "AddMember": 5410, "DES": 16398,
		"Enabled": 1795, "Forward": 14598, "Initiator": 8205, "ListMembers": 5412, "MD5": 16392, "No": 14679,
		"No state": 8207, "None": 1798, "ReadInformation": 5427, "RemoveMember": 5425, "Responder": 16405,
		"Sent first (SA) payload": 8208, "System": 1844, "Transport": 14597, "Tunnel": 16404,
		"WriteAccount": 5409, "Yes": 1842,
		"Undefined Access (no effect) Bit 1": 4609, "Undefined Access (no effect) Bit 2": 4450,
		"Undefined Access (no effect) Bit 3": 4451, "Undefined Access (no effect) Bit 4": 4372,
		"Undefined Access (no effect) Bit 5": 5669, "Undefined Access (no effect) Bit 6": 5654,
		"Undefined Access (no effect) Bit 7": 4519, "Undefined Access (no effect) Bit 8": 5144,
		"Undefined Access (no effect) Bit 9": 5433, "Undefined Access (no effect) Bit 10": 4554,
		"Undefined Access (no effect) Bit 11": 4587, "Undefined Access (no effect) Bit 12": 5660,
		"Undefined Access (no effect) Bit 13": 5149, "Undefined Access (no effect) Bit 14": 4510,
		"Undefined Access (no effect) Bit 15": 4399,
	}
	for code, text := range msobjs {
		if c, ok := first[text]; ok {
			msobjsReversed[text] = c
			continue
		}
		msobjsReversed[text] = code
	}
}
