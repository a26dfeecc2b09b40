package winlog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/event"
)

var (
	pTimestamp   = event.MustPath("@timestamp")
	pEventCode   = event.MustPath("event.code")
	pEventModule = event.MustPath("event.module")
	pEventCat    = event.MustPath("event.category")
	pProvider    = event.MustPath("event.provider")
	pMessage     = event.MustPath("message")
	pLogLevel    = event.MustPath("log.level")
	pHostName    = event.MustPath("host.name")
	pWinlog      = event.MustPath("winlog")
)

// IsRawWinlogbeat reports whether doc looks like Winlogbeat output that no
// module pipeline has processed: it has winlog.channel and
// winlog.event_id but neither event.module nor event.category. Such
// documents (Winlogbeat shipping to a file, Kafka or Logstash without the
// pipelines) are mapped with [WinlogbeatToECS].
func IsRawWinlogbeat(doc event.Value) bool {
	w := doc.Get(pWinlog)
	if w.Kind() != event.KindObject {
		return false
	}
	if _, ok := w.Lookup("channel"); !ok {
		return false
	}
	if _, ok := w.Lookup("event_id"); !ok {
		return false
	}
	return !doc.Get(pEventModule).Exists() && !doc.Get(pEventCat).Exists()
}

// WinlogbeatToECS maps a raw Winlogbeat document (what Winlogbeat emits
// before any ingest pipeline, as in Elastic's collection golden files) to
// ECS the way the module pipelines would.
func WinlogbeatToECS(doc event.Value) (event.Value, error) {
	in, err := winlogbeatInput(doc)
	if err != nil {
		return event.Value{}, err
	}
	return mapInput(in), nil
}

// RecordFromWinlogbeat reads a raw Winlogbeat document back into a Record.
// The rendered strings (task, opcode, level, keywords, message) go to
// Record.Rendering.
func RecordFromWinlogbeat(doc event.Value) (*Record, error) {
	in, err := winlogbeatInput(doc)
	if err != nil {
		return nil, err
	}
	return in.rec, nil
}

func winlogbeatInput(doc event.Value) (*input, error) {
	if doc.Kind() != event.KindObject {
		return nil, errors.New("winlogbeat document is not an object")
	}
	w := doc.Get(pWinlog)
	if w.Kind() != event.KindObject {
		return nil, errors.New("winlogbeat document has no winlog object")
	}
	r := &Record{Rendering: &Rendering{}}
	in := &input{rec: r}
	str := func(v event.Value) string {
		s, _ := v.Text()
		return s
	}
	get := func(key string) event.Value {
		v, _ := w.Lookup(key)
		return v
	}
	id := str(get("event_id"))
	if id == "" {
		id = str(doc.Get(pEventCode))
	}
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("winlog.event_id %q is not an event ID", id)
	}
	r.EventID = uint32(n)
	r.Provider = str(get("provider_name"))
	if r.Provider == "" {
		r.Provider = str(doc.Get(pProvider))
	}
	r.ProviderGUID = str(get("provider_guid"))
	r.Channel = str(get("channel"))
	r.Computer = str(get("computer_name"))
	if r.Computer == "" {
		r.Computer = str(doc.Get(pHostName))
	}
	if rid := str(get("record_id")); rid != "" {
		if n, err := strconv.ParseUint(rid, 10, 64); err == nil {
			r.RecordID = n
		}
	}
	r.ActivityID = str(get("activity_id"))
	r.RelatedActivityID = str(get("related_activity_id"))
	if p := get("process"); p.Kind() == event.KindObject {
		if pid, ok := p.Lookup("pid"); ok {
			if n, ok := pid.Int(); ok {
				r.ProcessID = uint32(n)
			}
		}
		if t, ok := p.Lookup("thread"); ok {
			if tid, ok := t.Lookup("id"); ok {
				if n, ok := tid.Int(); ok {
					r.ThreadID = uint32(n)
				}
			}
		}
	}
	if v, ok := get("version").Int(); ok {
		r.Version = uint8(v)
	}
	r.Rendering.Task = str(get("task"))
	r.Rendering.Opcode = str(get("opcode"))
	for _, k := range get("keywords").Fields() {
		if s, ok := k.Value.Str(); ok {
			r.Rendering.Keywords = append(r.Rendering.Keywords, s)
		}
	}
	r.Rendering.Level = str(doc.Get(pLogLevel))
	if r.Rendering.Level == "" {
		r.Rendering.Level = str(get("level"))
	}
	r.Rendering.Message = str(doc.Get(pMessage))
	if u := get("user"); u.Kind() == event.KindObject {
		r.UserID = str(lookup(u, "identifier"))
		acct := Account{Name: str(lookup(u, "name")), Domain: str(lookup(u, "domain")), Type: str(lookup(u, "type"))}
		if acct != (Account{}) {
			in.account = &acct
		}
	}
	if ts := doc.Get(pTimestamp); ts.Exists() {
		ns, ok := event.Time(ts)
		if !ok {
			return nil, fmt.Errorf("@timestamp %s is not a date", ts)
		}
		r.TimeCreated = ns
	} else {
		in.noTimestamp = true
	}
	if tc := str(get("time_created")); tc != "" {
		in.timeCreated, in.hasTimeCreated = tc, true
		if r.TimeCreated == 0 {
			if ns, ok := event.ParseTime(tc); ok {
				r.TimeCreated = ns
			}
		}
	}
	r.EventData = pairs(get("event_data"), "")
	if ud := get("user_data"); ud.Kind() == event.KindObject {
		name := str(lookup(ud, "xml_name"))
		r.UserData = &UserData{Name: name}
		for _, kv := range pairs(ud, "") {
			if kv.Name != "xml_name" {
				r.UserData.Pairs = append(r.UserData.Pairs, kv)
			}
		}
	}
	return in, nil
}

func lookup(v event.Value, key string) event.Value {
	x, _ := v.Lookup(key)
	return x
}

// pairs flattens an object of event data into name/value pairs; nested
// objects give dotted names, arrays are joined by newlines.
func pairs(v event.Value, prefix string) []Data {
	var out []Data
	for _, f := range v.Fields() {
		name := prefix + f.Key
		switch f.Value.Kind() {
		case event.KindObject:
			out = append(out, pairs(f.Value, name+".")...)
		case event.KindArray:
			var parts []string
			for _, e := range f.Value.Fields() {
				if s, ok := e.Value.Text(); ok {
					parts = append(parts, s)
				}
			}
			out = append(out, Data{Name: name, Value: strings.Join(parts, "\n")})
		case event.KindNull, event.KindMissing:
		default:
			s, _ := f.Value.Text()
			out = append(out, Data{Name: name, Value: s})
		}
	}
	return out
}
