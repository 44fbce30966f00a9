package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// ErrUnknownEvent is returned by DecodeEvent for a stored name this version does not know.
var ErrUnknownEvent = errors.New("unknown event")

// decoders maps each registered event name to its type.
var decoders = map[string]*EventType{}

// Unmarshal is encoding/json.Unmarshal or a function that behaves like it.
type Unmarshal func(data []byte, v any) error

// EventType is a registered event type, as the event store needs it to decode stored events.
type EventType struct {
	Name     string // the stored name
	Personal bool   // its events implement Personal: their person is sealed in the log
	decode   func(fill func(ptr any) error) (Event, error)
}

// Decode returns an event of type t that fill unmarshalled into the pointer to a zero value it
// is given (a value, never a pointer, is returned).
func (t *EventType) Decode(fill func(ptr any) error) (Event, error) {
	e, err := t.decode(fill)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	return e, nil
}

// EventTypeOf returns the type registered under the stored name, without allocating: the
// event store looks names up straight from the bytes it reads.
func EventTypeOf(name []byte) (*EventType, bool) {
	t, ok := decoders[string(name)]
	return t, ok
}

// register makes the event type E decodable under its stored name E{}.Name(). Each event type
// calls it once, next to its definition: var _ = register[ThingHappened](). The name comes from
// the Name method, never from the Go type, so renaming a type cannot orphan stored events. A
// second type with the same name, or a pointer type, panics at start-up.
func register[E Event]() struct{} {
	if t := reflect.TypeFor[E](); t.Kind() == reflect.Pointer {
		panic(fmt.Sprintf("domain: event registered as pointer type %s; register the value type %s", t, t.Elem()))
	}
	var zero E
	name := zero.Name()
	if _, dup := decoders[name]; dup {
		panic(fmt.Sprintf("domain: event name %q registered twice (the second time by %T); give each event type its own versioned name", name, zero))
	}
	_, personal := any(zero).(Personal)
	decoders[name] = &EventType{Name: name, Personal: personal, decode: func(fill func(ptr any) error) (Event, error) {
		var e E
		if err := fill(&e); err != nil {
			return nil, err
		}
		return e, nil
	}}
	return struct{}{}
}

// DecodeEvent decodes the JSON of an event stored under name into a value of the registered
// type (never a pointer), so that callers switch on the value types. A name this version does
// not know gives an error wrapping ErrUnknownEvent.
func DecodeEvent(name string, data []byte) (Event, error) {
	return DecodeEventWith(name, data, json.Unmarshal)
}

// DecodeEventWith is DecodeEvent with another unmarshal function that behaves like
// encoding/json's: the event store reads the log with a faster one.
func DecodeEventWith(name string, data []byte, unmarshal Unmarshal) (Event, error) {
	t, ok := decoders[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownEvent, name)
	}
	return t.Decode(func(ptr any) error { return unmarshal(data, ptr) })
}
