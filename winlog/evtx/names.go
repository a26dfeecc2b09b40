package evtx

// nameID identifies the element and attribute names the record mapping
// looks at, so that it can switch on small integers instead of comparing
// strings.
type nameID uint8

const (
	nameOther nameID = iota
	nameEvent
	nameSystem
	nameProvider
	nameEventID
	nameVersion
	nameLevel
	nameTask
	nameOpcode
	nameKeywords
	nameTimeCreated
	nameEventRecordID
	nameCorrelation
	nameExecution
	nameChannel
	nameComputer
	nameSecurity
	nameEventData
	nameData
	nameBinary
	nameUserData
	nameRenderingInfo
	nameMessage
	nameKeyword
	nameCulture
	nameName
	nameGUID
	nameEventSourceName
	nameQualifiers
	nameSystemTime
	nameActivityID
	nameRelatedActivityID
	nameProcessID
	nameThreadID
	nameUserID
)

// knownNames maps the names of interest to their identifiers. It is never
// modified.
var knownNames = map[string]nameID{
	"Event":             nameEvent,
	"System":            nameSystem,
	"Provider":          nameProvider,
	"EventID":           nameEventID,
	"Version":           nameVersion,
	"Level":             nameLevel,
	"Task":              nameTask,
	"Opcode":            nameOpcode,
	"Keywords":          nameKeywords,
	"TimeCreated":       nameTimeCreated,
	"EventRecordID":     nameEventRecordID,
	"Correlation":       nameCorrelation,
	"Execution":         nameExecution,
	"Channel":           nameChannel,
	"Computer":          nameComputer,
	"Security":          nameSecurity,
	"EventData":         nameEventData,
	"Data":              nameData,
	"Binary":            nameBinary,
	"UserData":          nameUserData,
	"RenderingInfo":     nameRenderingInfo,
	"Message":           nameMessage,
	"Keyword":           nameKeyword,
	"Culture":           nameCulture,
	"Name":              nameName,
	"Guid":              nameGUID,
	"EventSourceName":   nameEventSourceName,
	"Qualifiers":        nameQualifiers,
	"SystemTime":        nameSystemTime,
	"ActivityID":        nameActivityID,
	"RelatedActivityID": nameRelatedActivityID,
	"ProcessID":         nameProcessID,
	"ThreadID":          nameThreadID,
	"UserID":            nameUserID,
}

// xname is a decoded element, attribute or entity name.
type xname struct {
	s  string
	id nameID
}

// interner hands out one shared string per distinct byte sequence, so that
// names and low-cardinality values (provider, channel, computer) repeated in
// every record cost no allocation. It stops growing at a fixed size to keep
// memory bounded on hostile input.
type interner struct {
	m map[string]string
}

const (
	maxInterned    = 8192
	maxInternedLen = 256
)

func (in *interner) intern(b []byte) string {
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= maxInternedLen && len(in.m) < maxInterned {
		if in.m == nil {
			in.m = make(map[string]string)
		}
		in.m[s] = s
	}
	return s
}
