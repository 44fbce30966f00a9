package domain

import (
	"fmt"
	"strings"
	"testing"
)

// duplicateName is an event that claims a name another type already has.
type duplicateName struct{}

func (duplicateName) Name() string { return WorkshopScheduled{}.Name() }

// registerPanic calls register and returns the message it panicked with, "" if none.
func registerPanic(register func() struct{}) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	register()
	return ""
}

func TestRegisterDuplicateNamePanics(t *testing.T) {
	msg := registerPanic(register[duplicateName])
	if !strings.Contains(msg, `"workshop.scheduled.v1" registered twice`) || !strings.Contains(msg, "duplicateName") {
		t.Errorf("got panic %q, want one naming the duplicate name and the type", msg)
	}
	if e, err := DecodeEvent(WorkshopScheduled{}.Name(), []byte("{}")); err != nil {
		t.Fatal(err)
	} else if _, ok := e.(WorkshopScheduled); !ok {
		t.Errorf("got %T after the failed registration, want the first type WorkshopScheduled", e)
	}
}

func TestRegisterPointerPanics(t *testing.T) {
	msg := registerPanic(register[*pointerEvent])
	if !strings.Contains(msg, "pointer type") {
		t.Errorf("got panic %q, want one saying a pointer type was registered", msg)
	}
	if _, ok := decoders[pointerEvent{}.Name()]; ok {
		t.Errorf("got %q registered, want it refused", pointerEvent{}.Name())
	}
}

type pointerEvent struct{}

func (pointerEvent) Name() string { return "pointer.registered.v1" }
