package ingest

import (
	"errors"

	"github.com/vigil-sec/vigil/event"
	"github.com/vigil-sec/vigil/winlog"
)

var (
	pSource    = event.MustPath("_source")
	pTimestamp = event.MustPath("@timestamp")
	pEvent     = event.MustPath("event")
	pWinlog    = event.MustPath("winlog")
)

// errNotEvent is returned for JSON documents that are not events.
var errNotEvent = errors.New("not an event: no @timestamp, event, winlog or Windows event fields")

// checkObject refuses a JSON document that is not an object.
func checkObject(doc event.Value) error {
	if doc.Kind() != event.KindObject {
		return errors.New("not an event: a JSON " + doc.Kind().String() + ", not an object")
	}
	return nil
}

// toEvent turns a decoded JSON document into the event the engine sees:
// Windows events in any of the JSON shapes are mapped to ECS by package
// winlog; ECS documents are kept as they are, with their raw text.
// An Elasticsearch hit ({"_source": ...}) stands for its _source.
func toEvent(doc event.Value, raw []byte, src event.Source) (*event.Event, error) {
	if err := checkObject(doc); err != nil {
		return nil, err
	}
	if s := doc.Get(pSource); s.Kind() == event.KindObject {
		doc, raw = s, nil
	}
	switch {
	case winlog.IsEvtxJSON(doc):
		rec, err := winlog.RecordFromEvtxJSON(doc)
		if err != nil {
			return nil, err
		}
		return &event.Event{Doc: winlog.ToECS(rec), Src: src}, nil
	case winlog.IsRawWinlogbeat(doc):
		mapped, err := winlog.WinlogbeatToECS(doc)
		if err != nil {
			return nil, err
		}
		return &event.Event{Doc: mapped, Src: src}, nil
	case winlog.IsFlatEvent(doc):
		rec, err := winlog.RecordFromFlat(doc)
		if err != nil {
			return nil, err
		}
		return &event.Event{Doc: winlog.ToECS(rec), Src: src}, nil
	case doc.Get(pTimestamp).Exists() || doc.Get(pEvent).Exists() || doc.Get(pWinlog).Exists():
		return &event.Event{Doc: doc, Raw: raw, Src: src}, nil
	}
	return nil, errNotEvent
}
