package winlog

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

var (
	pEvent       = event.MustPath("Event")
	pEventSystem = event.MustPath("Event.System")
	bareGUID     = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
)

// IsEvtxJSON reports whether doc is an event rendered as JSON from its
// XML, as evtx_dump (and xmltodict-based tools) write it: an object with
// Event.System.
func IsEvtxJSON(doc event.Value) bool {
	return doc.Get(pEventSystem).Kind() == event.KindObject
}

// attrOf returns attribute name of an element rendered as JSON: under
// "#attributes" (evtx_dump) or as "@name" (xmltodict).
func attrOf(v event.Value, name string) event.Value {
	if a, ok := v.Lookup("#attributes"); ok {
		if x, ok := a.Lookup(name); ok {
			return x
		}
	}
	x, _ := v.Lookup("@" + name)
	return x
}

// textOf returns the text of an element rendered as JSON: the value
// itself for a scalar, or its "#text".
func textOf(v event.Value) string {
	if v.Kind() == event.KindObject {
		t, _ := v.Lookup("#text")
		v = t
	}
	if v.Kind() == event.KindArray { // text split around child elements
		var parts []string
		for _, f := range v.Fields() {
			if s, ok := f.Value.Text(); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "")
	}
	s, _ := v.Text()
	return s
}

func braced(s string) string {
	if bareGUID.MatchString(s) {
		return "{" + strings.ToUpper(s) + "}"
	}
	return s
}

// sysmonGUIDFields are the Sysmon fields of type GUID; evtx_dump renders
// GUIDs without the braces Windows puts around them.
var sysmonGUIDFields = map[string]bool{
	"ProcessGuid": true, "ParentProcessGuid": true, "SourceProcessGuid": true, "SourceProcessGUID": true,
	"TargetProcessGuid": true, "TargetProcessGUID": true, "LogonGuid": true, "ParentProcessGUID": true,
}

// RecordFromEvtxJSON converts an event rendered as JSON from its XML
// (evtx_dump's JSON, or xmltodict's "@Name"/"#text" form) to a Record.
// GUIDs of the System block and of Sysmon's GUID fields get the braces
// Windows renders.
func RecordFromEvtxJSON(doc event.Value) (*Record, error) {
	sys := doc.Get(pEventSystem)
	if sys.Kind() != event.KindObject {
		return nil, errors.New("no Event.System object")
	}
	r := &Record{}
	get := func(k string) event.Value { return lookup(sys, k) }
	prov := get("Provider")
	r.Provider = textOf(attrOf(prov, "Name"))
	if g := textOf(attrOf(prov, "Guid")); g != "" {
		r.ProviderGUID = braced(g)
	}
	r.EventSourceName = textOf(attrOf(prov, "EventSourceName"))
	idv := get("EventID")
	id, err := parseUint32(textOf(idv), "EventID")
	if err != nil {
		return nil, err
	}
	r.EventID = id
	if q := textOf(attrOf(idv, "Qualifiers")); q != "" {
		if n, err := strconv.ParseUint(q, 10, 16); err == nil {
			r.Qualifiers = uint16(n)
		}
	}
	if r.Version, err = parseUint8(textOf(get("Version")), "Version"); err != nil {
		return nil, err
	}
	if r.Level, err = parseUint8(textOf(get("Level")), "Level"); err != nil {
		return nil, err
	}
	task, err := parseUintN(textOf(get("Task")), "Task", 16)
	if err != nil {
		return nil, err
	}
	r.Task = uint16(task)
	if op := get("Opcode"); op.Exists() {
		r.HasOpcode = true
		if r.Opcode, err = parseUint8(textOf(op), "Opcode"); err != nil {
			return nil, err
		}
	}
	if kw := strings.TrimSpace(textOf(get("Keywords"))); kw != "" {
		n, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(kw, "0x"), "0X"), 16, 64)
		if err != nil {
			return nil, fmt.Errorf("Keywords %q: not a hex number", kw)
		}
		r.Keywords = n
	}
	if st := textOf(attrOf(get("TimeCreated"), "SystemTime")); st != "" {
		ns, ok := event.ParseTime(st)
		if !ok {
			return nil, fmt.Errorf("TimeCreated %q: not a time", st)
		}
		r.TimeCreated = ns
	}
	if rid := strings.TrimSpace(textOf(get("EventRecordID"))); rid != "" {
		n, err := strconv.ParseUint(rid, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("EventRecordID %q: not a number", rid)
		}
		r.RecordID = n
	}
	corr := get("Correlation")
	if a := textOf(attrOf(corr, "ActivityID")); a != "" {
		r.ActivityID = braced(a)
	}
	if a := textOf(attrOf(corr, "RelatedActivityID")); a != "" {
		r.RelatedActivityID = braced(a)
	}
	exe := get("Execution")
	if p, err := parseUintN(textOf(attrOf(exe, "ProcessID")), "ProcessID", 32); err == nil {
		r.ProcessID = p
	}
	if p, err := parseUintN(textOf(attrOf(exe, "ThreadID")), "ThreadID", 32); err == nil {
		r.ThreadID = p
	}
	r.Channel = textOf(get("Channel"))
	r.Computer = textOf(get("Computer"))
	r.UserID = textOf(attrOf(get("Security"), "UserID"))

	ev := doc.Get(pEvent)
	if ed, ok := ev.Lookup("EventData"); ok {
		r.EventData = jsonEventData(ed)
		if r.Provider == providerSysmon {
			for i, d := range r.EventData {
				if sysmonGUIDFields[d.Name] {
					r.EventData[i].Value = braced(d.Value)
				}
			}
		}
	}
	if ud, ok := ev.Lookup("UserData"); ok && ud.Kind() == event.KindObject {
		for _, f := range ud.Fields() {
			if strings.HasPrefix(f.Key, "#") || strings.HasPrefix(f.Key, "@") {
				continue
			}
			u := &UserData{Name: f.Key}
			for _, c := range f.Value.Fields() {
				if strings.HasPrefix(c.Key, "#") || strings.HasPrefix(c.Key, "@") {
					continue
				}
				u.Pairs = append(u.Pairs, Data{Name: c.Key, Value: textOf(c.Value)})
			}
			r.UserData = u
			break
		}
	}
	if ri, ok := ev.Lookup("RenderingInfo"); ok && ri.Kind() == event.KindObject {
		rd := &Rendering{Culture: textOf(attrOf(ri, "Culture"))}
		rd.Message = textOf(lookup(ri, "Message"))
		rd.Level = textOf(lookup(ri, "Level"))
		rd.Task = textOf(lookup(ri, "Task"))
		rd.Opcode = textOf(lookup(ri, "Opcode"))
		rd.Channel = textOf(lookup(ri, "Channel"))
		rd.Provider = textOf(lookup(ri, "Provider"))
		if kw, ok := lookup(ri, "Keywords").Lookup("Keyword"); ok {
			if kw.Kind() == event.KindArray {
				for _, k := range kw.Fields() {
					rd.Keywords = append(rd.Keywords, textOf(k.Value))
				}
			} else {
				rd.Keywords = append(rd.Keywords, textOf(kw))
			}
		}
		r.Rendering = rd
	}
	return r, nil
}

// jsonEventData reads <EventData> rendered as JSON: a "Data" list of
// {"@Name"/"#attributes", "#text"} objects or plain values, or (evtx_dump's
// default) an object of name: value.
func jsonEventData(ed event.Value) []Data {
	if ed.Kind() != event.KindObject {
		return nil
	}
	var out []Data
	if d, ok := ed.Lookup("Data"); ok && (d.Kind() == event.KindArray || d.Kind() == event.KindObject && (attrOf(d, "Name").Exists() || lookupOK(d, "#text"))) {
		items := []event.Value{d}
		if d.Kind() == event.KindArray {
			items = items[:0]
			for _, f := range d.Fields() {
				items = append(items, f.Value)
			}
		}
		for _, it := range items {
			out = append(out, Data{Name: textOf(attrOf(it, "Name")), Value: textOf(it)})
		}
		return out
	}
	for _, f := range ed.Fields() {
		if strings.HasPrefix(f.Key, "#") || strings.HasPrefix(f.Key, "@") {
			if f.Key == "#text" {
				out = append(out, Data{Value: textOf(f.Value)})
			}
			continue
		}
		if f.Key == "Data" { // unnamed data, one or many
			if f.Value.Kind() == event.KindArray {
				for _, e := range f.Value.Fields() {
					out = append(out, Data{Value: textOf(e.Value)})
				}
			} else {
				out = append(out, Data{Value: textOf(f.Value)})
			}
			continue
		}
		out = append(out, Data{Name: f.Key, Value: textOf(f.Value)})
	}
	return out
}

func lookupOK(v event.Value, key string) bool {
	_, ok := v.Lookup(key)
	return ok
}

// Flat-record field names that are metadata of the shipper (NXLog
// im_msvistalog, Logstash, Winlogbeat's legacy flat output) rather than
// event data.
var flatMeta = map[string]bool{
	"EventTime": true, "EventReceivedTime": true, "Hostname": true, "Keywords": true, "EventType": true,
	"SeverityValue": true, "Severity": true, "SourceName": true, "ProviderGuid": true, "EventID": true,
	"Version": true, "Task": true, "OpcodeValue": true, "Opcode": true, "RecordNumber": true, "ActivityID": true,
	"RelatedActivityID": true, "ExecutionProcessID": true, "ExecutionThreadID": true, "ThreadID": true,
	"Channel": true, "Message": true, "Category": true, "SourceModuleName": true, "SourceModuleType": true,
	"@timestamp": true, "@version": true, "host": true, "port": true, "tags": true, "Level": true,
	"TimeCreated": true, "UserID": true, "EventRecordID": true, "ProviderName": true, "Computer": true,
	"LevelValue": true,
}

// canonicalChannels fixes the case of channel names that shippers
// lower-case ("security").
var canonicalChannels = map[string]string{
	"security": channelSecurity, "microsoft-windows-sysmon/operational": channelSysmon,
	"windows powershell": channelPowerShell, "microsoft-windows-powershell/operational": channelPowerShellOp,
	"system": "System", "application": "Application",
}

// IsFlatEvent reports whether doc is a flat Windows event as NXLog's
// im_msvistalog and the OTRF Security-Datasets write it: top-level
// EventID and Channel, event data fields beside them.
func IsFlatEvent(doc event.Value) bool {
	_, id := doc.Lookup("EventID")
	_, ch := doc.Lookup("Channel")
	return id && ch
}

// RecordFromFlat converts a flat event (NXLog, OTRF Security-Datasets) to
// a Record. Shipper metadata becomes System fields; every other top-level
// field is event data. The event time is TimeCreated, else @timestamp (the
// shipper's UTC time), else EventTime read as UTC; for Sysmon events the
// mapping replaces it with UtcTime anyway. When the shipper resolved the
// user SID (AccountName, Domain, AccountType beside UserID) those three
// are metadata too.
func RecordFromFlat(doc event.Value) (*Record, error) {
	if doc.Kind() != event.KindObject {
		return nil, errors.New("flat event is not an object")
	}
	r := &Record{}
	s := func(k string) string {
		v, _ := doc.Lookup(k)
		t, _ := v.Text()
		return t
	}
	id, err := parseUint32(s("EventID"), "EventID")
	if err != nil {
		return nil, err
	}
	r.EventID = id
	r.Channel = s("Channel")
	if c, ok := canonicalChannels[strings.ToLower(r.Channel)]; ok {
		r.Channel = c
	}
	r.Provider = s("SourceName")
	if r.Provider == "" {
		r.Provider = s("ProviderName")
	}
	if g := s("ProviderGuid"); g != "" {
		r.ProviderGUID = braced(g)
	}
	r.Computer = s("Hostname")
	if r.Computer == "" {
		r.Computer = s("Computer")
	}
	for _, k := range []string{"RecordNumber", "EventRecordID"} {
		if v := s(k); v != "" {
			if n, err := strconv.ParseUint(v, 10, 64); err == nil {
				r.RecordID = n
				break
			}
		}
	}
	if v := s("Version"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 8); err == nil {
			r.Version = uint8(n)
		}
	}
	if v := s("Task"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 16); err == nil {
			r.Task = uint16(n)
		}
	}
	if v := s("OpcodeValue"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 8); err == nil {
			r.Opcode, r.HasOpcode = uint8(n), true
		}
	}
	if v := s("Keywords"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			r.Keywords = uint64(n)
		} else if u, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 64); err == nil {
			r.Keywords = u
		}
	}
	if v := s("ExecutionProcessID"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil {
			r.ProcessID = uint32(n)
		}
	}
	for _, k := range []string{"ThreadID", "ExecutionThreadID"} {
		if v := s(k); v != "" {
			if n, err := strconv.ParseUint(v, 10, 32); err == nil {
				r.ThreadID = uint32(n)
			}
		}
	}
	if v := s("ActivityID"); v != "" {
		r.ActivityID = braced(v)
	}
	if v := s("RelatedActivityID"); v != "" {
		r.RelatedActivityID = braced(v)
	}
	r.UserID = s("UserID")
	for _, k := range []string{"TimeCreated", "@timestamp", "EventTime"} {
		if v := s(k); v != "" {
			if ns, ok := event.ParseTime(v); ok {
				r.TimeCreated = ns
				break
			}
		}
	}
	rend := &Rendering{Message: s("Message"), Task: s("Category"), Opcode: s("Opcode")}
	if lvl := s("Level"); lvl != "" {
		if n, err := strconv.ParseUint(lvl, 10, 8); err == nil {
			r.Level = uint8(n)
		} else {
			rend.Level = lvl
		}
	} else if sev := s("SeverityValue"); sev != "" {
		// NXLog severities: 1 debug, 2 info, 3 warning, 4 error, 5 critical.
		switch sev {
		case "2":
			r.Level = 4
		case "3":
			r.Level = 3
		case "4":
			r.Level = 2
		case "5":
			r.Level = 1
		}
	}
	if rend.Task == "" || rend.Task == "None" {
		rend.Task = ""
	}
	if rend.Message != "" || rend.Task != "" || rend.Opcode != "" || rend.Level != "" {
		r.Rendering = rend
	}
	resolved := r.UserID != ""
	for _, f := range doc.Fields() {
		if flatMeta[f.Key] {
			continue
		}
		if resolved && (f.Key == "AccountName" || f.Key == "Domain" || f.Key == "AccountType") {
			continue
		}
		v, ok := f.Value.Text()
		if !ok {
			continue
		}
		r.EventData = append(r.EventData, Data{Name: f.Key, Value: v})
	}
	return r, nil
}
