package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// ErrUnknownEvent is returned by DecodeEvent for a stored name this version does not know.
var ErrUnknownEvent = errors.New("unknown event")

// decoders maps each registered event name to the function that decodes its JSON.
var decoders = map[string]func(data []byte, unmarshal Unmarshal) (Event, error){}

// Unmarshal is encoding/json.Unmarshal or a function that behaves like it.
type Unmarshal func(data []byte, v any) error

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
	decoders[name] = func(data []byte, unmarshal Unmarshal) (Event, error) {
		var e E
		if err := unmarshal(data, &e); err != nil {
			return nil, err
		}
		return e, nil
	}
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
	decode, ok := decoders[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownEvent, name)
	}
	e, err := decode(data, unmarshal)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return e, nil
}
