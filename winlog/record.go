// Package winlog reads Windows event logs (event XML here, EVTX binary files
// in the evtx subpackage) into [Record] values and maps records to ECS
// documents exactly as Winlogbeat and its ingest pipelines do.
package winlog

// Record is one Windows event as the Event Log service renders it to XML:
// the <System> block, the <EventData> or <UserData> payload, and the
// <RenderingInfo> block when the source carries one. All payload values are
// strings in the form Windows renders them in event XML (GUIDs as
// "{XXXXXXXX-...}" upper case, SIDs as "S-1-5-18", FILETIMEs as
// "2019-03-19T23:34:25.1234567Z", hex integers as "0x..."), because that is
// the form Winlogbeat sees and maps.
type Record struct {
	Provider        string // System/Provider/@Name
	ProviderGUID    string // System/Provider/@Guid, "{...}", or ""
	EventSourceName string // System/Provider/@EventSourceName, or ""

	EventID    uint32 // System/EventID
	Qualifiers uint16 // System/EventID/@Qualifiers (0 when absent)
	Version    uint8  // System/Version (Winlogbeat omits 0)
	Level      uint8  // System/Level
	Task       uint16 // System/Task
	Opcode     uint8  // System/Opcode
	HasOpcode  bool   // whether System/Opcode was present
	Keywords   uint64 // System/Keywords

	TimeCreated int64  // System/TimeCreated/@SystemTime, nanoseconds since the Unix epoch (100 ns precision)
	RecordID    uint64 // System/EventRecordID

	ActivityID        string // System/Correlation/@ActivityID, or ""
	RelatedActivityID string // System/Correlation/@RelatedActivityID, or ""

	ProcessID uint32 // System/Execution/@ProcessID
	ThreadID  uint32 // System/Execution/@ThreadID

	Channel  string // System/Channel
	Computer string // System/Computer
	UserID   string // System/Security/@UserID (a SID), or ""

	// EventData holds <EventData><Data Name="...">value</Data>... in document
	// order. Unnamed <Data> elements have an empty Name. Values are as
	// rendered; nothing is dropped or renamed here (the mapping does that).
	EventData []Data
	// Binary is <EventData><Binary> as hex, or "".
	Binary string

	// UserData is the payload of <UserData>, which holds one element of a
	// provider-defined name whose children are name/value pairs. Nil when
	// the event has no UserData.
	UserData *UserData

	// Rendering is <RenderingInfo>, present only in XML exported with
	// rendered messages (wevtutil /f:RenderedXml, Get-WinEvent ToXml()).
	Rendering *Rendering
}

// Data is one <Data> element of <EventData>.
type Data struct {
	Name  string // the Name attribute, or "" for unnamed data
	Value string
}

// UserData is the single child element of <UserData>.
type UserData struct {
	Name  string // element name, e.g. "EventXML" or "LogFileCleared"
	Pairs []Data // its child elements as name/value pairs, in order
}

// Rendering is the <RenderingInfo> block: the strings the publisher's
// manifest gives for the event.
type Rendering struct {
	Culture  string
	Message  string
	Level    string
	Task     string
	Opcode   string
	Channel  string
	Provider string
	Keywords []string
}

// Value returns the first EventData value named name, and whether it is
// present.
func (r *Record) Value(name string) (string, bool) {
	for _, d := range r.EventData {
		if d.Name == name {
			return d.Value, true
		}
	}
	return "", false
}
