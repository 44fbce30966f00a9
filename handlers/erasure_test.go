package handlers_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// flakyEraser deletes keys through the real keyring unless told to fail.
type flakyEraser struct {
	app.Eraser
	fail atomic.Bool
}

func (f *flakyEraser) Erase(ctx context.Context, subject string) error {
	if f.fail.Load() {
		return errors.New("key bucket unavailable")
	}
	return f.Eraser.Erase(ctx, subject)
}

// erasedRegistration is a registration as a client reads it, with the erasure flag.
type erasedRegistration struct {
	registration
	Erased bool `json:"erased"`
}

func TestErasePersonalData(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	eraser := &flakyEraser{Eraser: cfg.Eraser}
	cfg.Eraser = eraser
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}

	w := s.schedule(2)
	path := "/api/v1/workshops/" + w.ID
	aliceBody := person("Alice", "Stadtwerke")
	aliceBody["district"], aliceBody["dietary"] = "Nord", "vegan"
	alice := s.register(w, aliceBody)
	bob := s.register(w, person("Bob", "Landkreis"))
	carol := s.register(w, person("Carol", "Landkreis"))
	if carol.Status != "waitlisted" {
		t.Fatalf("Carol: got %s, want waitlisted", carol.Status)
	}
	s.must(request{method: "POST", path: path + "/check-ins", token: org, body: map[string]any{"registration_id": alice.ID, "day": day1}}, 201, nil)
	attendanceBefore := s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, nil).body

	erase := func(id, token string) request {
		return request{method: "DELETE", path: path + "/registrations/" + id + "/personal-data", token: token}
	}
	show := func(id, token string) erasedRegistration {
		t.Helper()
		var r erasedRegistration
		s.must(request{method: "GET", path: path + "/registrations/" + id, token: token}, 200, &r)
		return r
	}

	// Alice was there: the organiser erases her; her seat, check-in and the counts stay.
	s.must(erase(alice.ID, org), 204, nil)
	got := show(alice.ID, org)
	if !got.Erased || got.Name != "" || got.Email != "" || got.Dietary != "" || got.Status != "confirmed" ||
		got.Organisation != "Stadtwerke" || got.District != "Nord" || len(got.Days) != 2 {
		t.Errorf("Alice after the erasure: got %+v, want erased, no name, email or dietary, confirmed at Stadtwerke, Nord, two days", got)
	}
	sameJSON(t, "attendance after erasing Alice",
		s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, nil).body, attendanceBefore)
	var list struct{ Registrations []erasedRegistration }
	s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &list)
	for _, r := range list.Registrations {
		if r.ID == alice.ID && (!r.Erased || r.Name != "" || r.Email != "") {
			t.Errorf("Alice in the organiser's list: got %+v, want erased without name and email", r)
		}
	}

	// Again: 204, nothing appended.
	seq := s.lastSeq()
	s.must(erase(alice.ID, org), 204, nil)
	if got := s.lastSeq(); got != seq {
		t.Errorf("repeated erasure moved the log from %d to %d, want nothing appended", seq, got)
	}

	// Alice's link no longer acts as her: nothing is proposed, answered or read in her name.
	seq = s.lastSeq()
	for _, r := range []request{
		{method: "POST", path: path + "/topics", token: alice.Token, body: map[string]any{"title": "Hitzeschutz"}},
		{method: "GET", path: path + "/feedback", token: alice.Token},
	} {
		res := s.do(r)
		if res.status != 404 || res.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(res.body), "erased") {
			t.Errorf("%s %s with an erased person's token: got %d %s, want a 404 problem saying the data was erased", r.method, r.path, res.status, res.body)
		}
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("an erased person's token moved the log from %d to %d, want nothing appended", seq, got)
	}

	// Somebody else's token may not erase; no token, no erasure; an unknown registration is 404.
	seq = s.lastSeq()
	if res := s.do(erase(bob.ID, carol.Token)); res.status != 403 || res.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("Carol erasing Bob: got %d %s %s, want a 403 problem", res.status, res.header.Get("Content-Type"), res.body)
	}
	if res := s.do(erase(bob.ID, "")); res.status != 401 {
		t.Errorf("erasing without a token: got %d %s, want 401", res.status, res.body)
	}
	if res := s.do(erase("01JUNKNOWNREGISTRATION0000", org)); res.status != 404 || res.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("erasing an unknown registration: got %d %s %s, want a 404 problem", res.status, res.header.Get("Content-Type"), res.body)
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("refused erasures moved the log from %d to %d, want nothing appended", seq, got)
	}
	if got := show(bob.ID, org); got.Erased || got.Name != "Bob" {
		t.Errorf("Bob after refused erasures: got %+v, want him untouched", got)
	}

	// Bob erases himself while the key bucket fails: 5xx, and the retry finishes the job.
	eraser.fail.Store(true)
	if res := s.do(erase(bob.ID, bob.Token)); res.status < 500 || res.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("erasure with a failing key deletion: got %d %s, want a 5xx problem", res.status, res.body)
	}
	if p := personOf(t, store, bob.ID); p == nil {
		t.Fatalf("Bob's data after a failed key deletion: got erased, want it still readable (the test needs the failure)")
	}
	eraser.fail.Store(false)
	s.must(erase(bob.ID, bob.Token), 204, nil)
	if got := show(bob.ID, bob.Token); !got.Erased || got.Name != "" || got.Status != "cancelled" {
		t.Errorf("Bob after erasing himself: got %+v, want erased and cancelled", got)
	}
	if got := show(carol.ID, carol.Token); got.Status != "confirmed" {
		t.Errorf("Carol after Bob's erasure: got %s, want confirmed from the waitlist", got.Status)
	}
	// Bob may register again with the same email.
	s.register(w, person("Bob", "Landkreis"))

	// The log no longer reveals either of them, and a read model rebuilt from it agrees.
	for _, id := range []string{alice.ID, bob.ID} {
		if p := personOf(t, store, id); p != nil {
			t.Errorf("person of %s replayed from the log: got %+v, want nil (key deleted)", id, p)
		}
	}
	rebuilt := projections.NewMemory()
	projectionstest.ApplyAll(t, rebuilt, replay(t, store), 50)
	for _, id := range []string{alice.ID, bob.ID} {
		r, err := rebuilt.Registration(context.Background(), domain.WorkshopID(w.ID), domain.RegistrationID(id))
		if err != nil || !r.Erased || r.Name != "" || r.Email != "" {
			t.Errorf("rebuilt registration %s: got %+v, %v; want erased", id, r, err)
		}
	}
	if r, err := rebuilt.Registration(context.Background(), domain.WorkshopID(w.ID), domain.RegistrationID(carol.ID)); err != nil || r.Name != "Carol" {
		t.Errorf("rebuilt registration of Carol: got %+v, %v; want her name kept", r, err)
	}
}

// replay reads the whole log as a rebuild does.
func replay(t *testing.T, store interface {
	Replay(context.Context, uint64, func([]domain.Recorded) error) error
}) []domain.Recorded {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var all []domain.Recorded
	if err := store.Replay(ctx, 1, func(batch []domain.Recorded) error {
		all = append(all, batch...)
		return nil
	}); err != nil {
		t.Fatalf("replay: %v", err)
	}
	return all
}

// personOf returns the person the log holds for registration id, nil when erased.
func personOf(t *testing.T, store interface {
	Replay(context.Context, uint64, func([]domain.Recorded) error) error
}, id string) *domain.Person {
	t.Helper()
	for _, e := range replay(t, store) {
		if r, ok := e.Event.(domain.ParticipantRegistered); ok && string(r.RegistrationID) == id {
			return r.Person
		}
	}
	t.Fatalf("no registration %s in the log", id)
	return nil
}
