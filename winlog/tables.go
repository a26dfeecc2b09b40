package winlog

// Static stand-ins for what Winlogbeat reads from the publisher metadata of
// the collecting Windows host (task, opcode, level and keyword names, SID
// account names). Offline they come from these tables; an event whose XML
// carries <RenderingInfo> uses the rendered strings instead.

// Provider names of the channels with a Winlogbeat module.
const (
	providerSysmon     = "Microsoft-Windows-Sysmon"
	providerSecurity   = "Microsoft-Windows-Security-Auditing"
	providerEventlog   = "Microsoft-Windows-Eventlog"
	providerPowerShell = "Microsoft-Windows-PowerShell"
	providerPSClassic  = "PowerShell"
)

// Channel names routed to a module, as Winlogbeat's routing pipeline does.
const (
	channelSysmon       = "Microsoft-Windows-Sysmon/Operational"
	channelSecurity     = "Security"
	channelPowerShell   = "Windows PowerShell"
	channelPowerShellOp = "Microsoft-Windows-PowerShell/Operational"
)

// levelNames are the standard level names (winmeta.xml) in lower case, as
// log.level shows them. Level 0 (LogAlways) renders as Information.
var levelNames = [256]string{
	0: "information",
	1: "critical",
	2: "error",
	3: "warning",
	4: "information",
	5: "verbose",
}

// opcodeNames are the standard opcode names (winmeta.xml).
var opcodeNames = [256]string{
	0:   "Info",
	1:   "Start",
	2:   "Stop",
	3:   "DCStart",
	4:   "DCStop",
	5:   "Extension",
	6:   "Reply",
	7:   "Resume",
	8:   "Suspend",
	9:   "Send",
	240: "Receive",
}

// providerOpcodes are provider-specific opcode names.
var providerOpcodes = map[string]map[uint8]string{
	providerPowerShell: {
		10: "Connect",
		11: "Disconnect",
		12: "Open",
		13: "Close",
		14: "Complete",
		15: "On create calls",
		16: "Method call",
		17: "Exception",
		18: "Receive Data",
		19: "Send Data",
		20: "To be used when operation is just executing a method",
		21: "Start",
		22: "Stop",
	},
}

// keywordNames are the standard keyword bits (winmeta.xml) in the order
// Windows renders them.
var keywordNames = []struct {
	bit  uint64
	name string
}{
	{0x1000000000000, "Response Time"},
	{0x4000000000000, "WDI Diag"},
	{0x8000000000000, "SQM"},
	{0x10000000000000, "Audit Failure"},
	{0x20000000000000, "Audit Success"},
	{0x40000000000000, "Correlation Hint"},
	{0x80000000000000, "Classic"},
}

// Keyword bits that set event.outcome.
const (
	keywordAuditFailure = 0x10000000000000
	keywordAuditSuccess = 0x20000000000000
)

// wellKnownSIDs are the accounts whose names are the same on every Windows
// host, so Winlogbeat's SID lookup result can be reproduced offline.
var wellKnownSIDs = map[string][3]string{ // name, domain, type
	"S-1-5-18": {"SYSTEM", "NT AUTHORITY", "Well Known Group"},
	"S-1-5-19": {"LOCAL SERVICE", "NT AUTHORITY", "Well Known Group"},
	"S-1-5-20": {"NETWORK SERVICE", "NT AUTHORITY", "Well Known Group"},
}

// sysmonTasks are Sysmon's task names (task number = event ID), which
// Winlogbeat shows as winlog.task and as the pre-pipeline event.action.
var sysmonTasks = map[uint16]string{ // see sysmonTask
	1:   "Process Create (rule: ProcessCreate)",
	2:   "File creation time changed (rule: FileCreateTime)",
	3:   "Network connection detected (rule: NetworkConnect)",
	4:   "Sysmon service state changed",
	5:   "Process terminated (rule: ProcessTerminate)",
	6:   "Driver loaded (rule: DriverLoad)",
	7:   "Image loaded (rule: ImageLoad)",
	8:   "CreateRemoteThread detected (rule: CreateRemoteThread)",
	9:   "RawAccessRead detected (rule: RawAccessRead)",
	10:  "Process accessed (rule: ProcessAccess)",
	11:  "File created (rule: FileCreate)",
	12:  "Registry object added or deleted (rule: RegistryEvent)",
	13:  "Registry value set (rule: RegistryEvent)",
	14:  "Registry object renamed (rule: RegistryEvent)",
	15:  "File stream created (rule: FileCreateStreamHash)",
	16:  "Sysmon config state changed",
	17:  "Pipe Created (rule: PipeEvent)",
	18:  "Pipe Connected (rule: PipeEvent)",
	19:  "WmiEventFilter activity detected (rule: WmiEvent)",
	20:  "WmiEventConsumer activity detected (rule: WmiEvent)",
	21:  "WmiEventConsumerToFilter activity detected (rule: WmiEvent)",
	22:  "Dns query (rule: DnsQuery)",
	23:  "File Delete archived (rule: FileDelete)",
	24:  "Clipboard changed (rule: ClipboardChange)",
	25:  "Process Tampering (rule: ProcessTampering)",
	26:  "File Delete logged (rule: FileDeleteDetected)",
	27:  "File Block Executable (rule: FileBlockExecutable)",
	28:  "File Block Shredding (rule: FileBlockShredding)",
	29:  "File Executable Detected (rule: FileExecutableDetected)",
	255: "Error report",
}

// sysmonTask returns sysmonTasks[task], read from an array.
func sysmonTask(task uint16) string {
	if int(task) < len(sysmonTaskArray) {
		return sysmonTaskArray[task]
	}
	return ""
}

var sysmonTaskArray = func() (a [256]string) {
	for t, name := range sysmonTasks {
		a[t] = name
	}
	return a
}()

// providerTasks are task names of the other providers the modules map.
// Security-Auditing tasks are the audit subcategory names of msobjs.dll.
var providerTasks = map[string]map[uint16]string{
	providerEventlog: {
		101: "Event processing",
		103: "Service shutdown",
		104: "Log clear",
		105: "Log automatic backup",
		106: "Event processing",
	},
	providerPowerShell: {
		1:   "Create Runspace",
		2:   "Execute a Remote Command",
		102: "Starting Command",
		103: "Stopping Command",
		106: "Executing Pipeline",
	},
	// Task Scheduler's task numbers are its event IDs (§4.6).
	"Microsoft-Windows-TaskScheduler": {
		100: "Task Started",
		102: "Task completed",
		106: "Task registered",
		129: "Created Task Process",
		140: "Task registration updated",
		141: "Task registration deleted",
		200: "Action started",
		201: "Action completed",
	},
	providerPSClassic: {
		1: "Engine Health",
		2: "Command Health",
		3: "Provider Health",
		4: "Engine Lifecycle",
		5: "Command Lifecycle",
		6: "Provider Lifecycle",
		7: "Settings",
		8: "Pipeline Execution Details",
	},
}
