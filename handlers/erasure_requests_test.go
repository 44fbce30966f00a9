package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// The answers of the erasure requests as a client reads them.
type (
	personMatch struct {
		Workshop       string `json:"workshop"`
		WorkshopTitle  string `json:"workshop_title"`
		FirstDay       string `json:"first_day"`
		RegistrationID string `json:"registration_id"`
		Name           string `json:"name"`
		Status         string `json:"status"`
	}
	erasedMatch struct {
		Workshop       string `json:"workshop"`
		WorkshopTitle  string `json:"workshop_title"`
		FirstDay       string `json:"first_day"`
		RegistrationID string `json:"registration_id"`
	}
)

// subjectEraser fails the key deletion of the subjects in fail and passes the others on.
type subjectEraser struct {
	app.Eraser
	mu   sync.Mutex
	fail map[string]bool
}

func (e *subjectEraser) Erase(ctx context.Context, subject string) error {
	e.mu.Lock()
	failing := e.fail[subject]
	e.mu.Unlock()
	if failing {
		return errors.New("key bucket unavailable")
	}
	return e.Eraser.Erase(ctx, subject)
}

func (e *subjectEraser) failFor(rids ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fail = map[string]bool{}
	for _, rid := range rids {
		e.fail[domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(rid)}.DataSubject()] = true
	}
}

func TestErasePersonEverywhere(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	eraser := &subjectEraser{Eraser: cfg.Eraser}
	cfg.Eraser = eraser
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}

	// Frau Schulz registered for two workshops, once with her email in capitals; Bob for the first.
	autumn := s.schedule(10)
	spring := scheduleAt(t, s, "Werkstatt 2027", "2038-03-10")
	schulz := person("Schulz", "Stadtwerke")
	schulz["name"], schulz["email"] = "Anna Schulz", "Anna.SCHULZ@Example.org"
	inAutumn := s.register(autumn, schulz)
	schulz["email"] = "anna.schulz@example.org"
	inSpring := s.register(spring, schulz)
	bob := s.register(autumn, person("Bob", "Landkreis"))
	// She was at the autumn workshop: that registration must stay confirmed, for the figures.
	s.must(request{method: "POST", path: "/api/v1/workshops/" + autumn.ID + "/check-ins", token: org,
		body: map[string]any{"registration_id": inAutumn.ID, "day": day1}}, 201, nil)

	const previewPath, erasePath = "/api/v1/erasure-requests/preview", "/api/v1/erasure-requests"
	preview := func(email string) []personMatch {
		t.Helper()
		var got struct{ Registrations []personMatch }
		s.must(request{method: "POST", path: previewPath, token: org, body: map[string]any{"email": email}}, 200, &got)
		return got.Registrations
	}

	// Whatever the case and spaces, the preview finds both registrations and nothing else.
	wantMatches := []personMatch{
		{autumn.ID, "Herbstwerkstatt", day1, inAutumn.ID, "Anna Schulz", "confirmed"},
		{spring.ID, "Frühjahr", "2038-03-10", inSpring.ID, "Anna Schulz", "confirmed"},
	}
	if got := preview("  anna.Schulz@EXAMPLE.org "); !reflect.DeepEqual(got, wantMatches) {
		t.Errorf("preview: got %+v, want %+v", got, wantMatches)
	}
	if got := preview("nobody@example.org"); got == nil || len(got) != 0 {
		t.Errorf("preview of an unknown email: got %#v, want an empty list", got)
	}

	// Refusals: invalid or missing email (422 naming the field), a participant's token (401:
	// the route names no workshop in which it would be valid, as on the series routes), no
	// token (401). None of them erases anything.
	seq := s.lastSeq()
	for _, body := range []any{map[string]any{"email": "anna.schulz"}, map[string]any{"email": " "}, map[string]any{}} {
		for _, path := range []string{previewPath, erasePath} {
			var p problem
			s.must(request{method: "POST", path: path, token: org, body: body}, 422, &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != "email" {
				t.Errorf("POST %s %v: got %+v, want a problem naming the field email", path, body, p)
			}
		}
	}
	for _, path := range []string{previewPath, erasePath} {
		res := s.do(request{method: "POST", path: path, token: bob.Token, body: map[string]any{"email": "anna.schulz@example.org"}})
		if res.status != 401 || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("POST %s with a participant's token: got %d %s, want a 401 problem", path, res.status, res.body)
		}
		if res := s.do(request{method: "POST", path: path, body: map[string]any{"email": "anna.schulz@example.org"}}); res.status != 401 {
			t.Errorf("POST %s without a token: got %d %s, want 401", path, res.status, res.body)
		}
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("refused requests moved the log from %d to %d, want nothing appended", seq, got)
	}

	// The erasure erases both: the attended one stays confirmed, the other is cancelled.
	var erased struct{ Erased []erasedMatch }
	key := map[string]string{"Idempotency-Key": "gdpr-2026-17"}
	s.must(request{method: "POST", path: erasePath, token: org, header: key,
		body: map[string]any{"email": "ANNA.SCHULZ@example.org"}}, 200, &erased)
	wantErased := []erasedMatch{{autumn.ID, "Herbstwerkstatt", day1, inAutumn.ID}, {spring.ID, "Frühjahr", "2038-03-10", inSpring.ID}}
	if !reflect.DeepEqual(erased.Erased, wantErased) {
		t.Errorf("erasure: got %+v, want %+v", erased.Erased, wantErased)
	}
	show := func(w workshop, id string) erasedRegistration {
		t.Helper()
		var r erasedRegistration
		s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/registrations/" + id, token: org}, 200, &r)
		return r
	}
	if got := show(autumn, inAutumn.ID); !got.Erased || got.Name != "" || got.Email != "" || got.Status != "confirmed" {
		t.Errorf("her attended registration: got %+v, want erased and still confirmed", got)
	}
	if got := show(spring, inSpring.ID); !got.Erased || got.Name != "" || got.Status != "cancelled" {
		t.Errorf("her other registration: got %+v, want erased and cancelled", got)
	}
	if got := show(autumn, bob.ID); got.Erased || got.Name != "Bob" || got.Status != "confirmed" {
		t.Errorf("Bob: got %+v, want him untouched", got)
	}
	for _, id := range []string{inAutumn.ID, inSpring.ID} {
		if p := personOf(t, store, id); p != nil {
			t.Errorf("person of %s in the log: got %+v, want nil (key deleted)", id, p)
		}
	}

	// A repeat, with or without the key, finds nothing and appends nothing; the key with
	// another body is refused.
	seq = s.lastSeq()
	s.must(request{method: "POST", path: erasePath, token: org, header: key,
		body: map[string]any{"email": "anna.schulz@example.org"}}, 422, nil)
	for _, h := range []map[string]string{key, nil} {
		var again struct{ Erased []erasedMatch }
		res := s.must(request{method: "POST", path: erasePath, token: org, header: h,
			body: map[string]any{"email": "ANNA.SCHULZ@example.org"}}, 200, &again)
		if again.Erased == nil || len(again.Erased) != 0 {
			t.Errorf("repeated erasure: got %s, want an empty list", res.body)
		}
	}
	if got := preview("anna.schulz@example.org"); len(got) != 0 {
		t.Errorf("preview after the erasure: got %+v, want nothing", got)
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("repeated erasures moved the log from %d to %d, want nothing appended", seq, got)
	}
}

// TestErasePersonEverywhereInterrupted: when one workshop's key deletion fails, the answer is a
// 5xx problem naming what was erased and what not, and repeating the request finishes it.
func TestErasePersonEverywhereInterrupted(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	eraser := &subjectEraser{Eraser: cfg.Eraser}
	cfg.Eraser = eraser
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}

	autumn := s.schedule(10)
	spring := scheduleAt(t, s, "Werkstatt 2027", "2038-03-10")
	first := s.register(autumn, person("Carla", "Verein"))
	second := s.register(spring, person("Carla", "Verein"))
	eraser.failFor(second.ID)

	res := s.do(request{method: "POST", path: "/api/v1/erasure-requests", token: org, body: map[string]any{"email": "carla@example.org"}})
	var p struct {
		problem
		Erased    []erasedMatch `json:"erased"`
		NotErased []erasedMatch `json:"not_erased"`
	}
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	if res.status < 500 || res.header.Get("Content-Type") != "application/problem+json" ||
		p.Type != "urn:werkstatt:problem:erasure-incomplete" ||
		len(p.Erased) != 1 || p.Erased[0].RegistrationID != first.ID ||
		len(p.NotErased) != 1 || p.NotErased[0].RegistrationID != second.ID || p.NotErased[0].Workshop != spring.ID {
		t.Fatalf("interrupted erasure: got %d %s, want a 5xx erasure-incomplete problem with %s erased and %s not",
			res.status, res.body, first.ID, second.ID)
	}
	if personOf(t, store, second.ID) == nil {
		t.Fatalf("the second registration after the failed key deletion: got erased, want it still readable (the test needs the failure)")
	}

	// The read models forgot her already; the repeat still finds the registration by its key
	// in the workshop and deletes the key.
	eraser.failFor()
	var again struct{ Erased []erasedMatch }
	s.must(request{method: "POST", path: "/api/v1/erasure-requests", token: org, body: map[string]any{"email": "carla@example.org"}}, 200, &again)
	if len(again.Erased) != 0 {
		t.Errorf("the repeat: got %+v erased, want none newly erased", again.Erased)
	}
	for _, id := range []string{first.ID, second.ID} {
		if p := personOf(t, store, id); p != nil {
			t.Errorf("person of %s after the repeat: got %+v, want nil (key deleted)", id, p)
		}
	}
}
