package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// TestFormShowsSeatsPerDay: the public form says how many seats each day has and that a full
// day puts you on its waitlist; the button says "Auf die Warteliste" once every day is full. A
// person confirmed on one day and waiting for the other sees both on the personal page, and the
// organiser's list shows the status per day (issue #14).
func TestFormShowsSeatsPerDay(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 1)
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Ada Berg",
		"email": "ada@example.org", "organisation": "Verein A", "consent": true, "days": []string{"2026-11-17"}}, nil)
	b := s.browser()
	form := b.get("/w/" + id + "/register")
	form.mustContain(t, "the form with day 2 full", `id="seats-2026-11-16">– freie Plätze: 1`,
		`id="seats-2026-11-17">– ausgebucht: an diesem Tag kommen Sie auf die Warteliste`, `<button type="submit">Anmelden</button>`)

	var bob struct{ ID, Token string }
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Bob Carl",
		"email": "bob@example.org", "organisation": "Verein B", "consent": true}, &bob)
	b.get("/w/"+id+"/register").mustContain(t, "the form with both days full", `<button type="submit">Auf die Warteliste</button>`)
	b.get("/w/"+id+"/r/"+bob.ID+"?token="+url.QueryEscape(bob.Token)).mustContain(t, "Bob's personal page",
		`id="day-status"`, "16.11.2026: bestätigt", "17.11.2026: auf der Warteliste (Platz 1)")
	b.get("/w/"+id+"/register?lang=en").mustContain(t, "the English form", "– fully booked: on this day you go on the waitlist",
		`<button type="submit">Join the waitlist</button>`)

	o := s.signIn(t)
	o.get("/organiser/workshops/"+id+"/registrations").mustContain(t, "the organiser's list", `class="day-status status-confirmed"`,
		`class="day-status status-waitlisted"`)
}

// TestAdmitAtTheDoor: a person whom an old log left waiting on a day with a free seat is found
// by the door search and admitted with one button; on a full day the screen says so instead.
func TestAdmitAtTheDoor(t *testing.T) {
	cfg, store, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	s := &service{t: t, cfg: cfg, js: js}
	s.url = s.replica()
	id := domain.WorkshopID(ulid.Make().String())
	reg := func(rid, name string, days ...domain.Day) domain.Event {
		return domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(rid), Person: &domain.Person{Name: name,
			Email: rid + "@example.org"}, EmailKey: "key-" + rid, Organisation: "Verein", Days: days, TokenHash: "h-" + rid}
	}
	d1, d2 := domain.Day("2026-11-16"), domain.Day("2026-11-17")
	if _, err := store.Update(context.Background(), id, domain.Meta{Actor: "test", At: now}, func(domain.Workshop) ([]domain.Event, error) {
		return []domain.Event{
			domain.WorkshopScheduled{ID: id, Title: "Alt", Venue: "Kassel", Days: []domain.Day{d1, d2}, Capacity: 1},
			reg("ada", "Ada Berg", d2), domain.RegistrationConfirmed{RegistrationID: "ada"},
			reg("ida", "Ida Wolf", d1, d2), domain.RegistrationWaitlisted{RegistrationID: "ida", Position: 1},
		}, nil
	}); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(t)
	desk := "/organiser/workshops/" + string(id) + "/check-in"
	var screen page
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if screen = b.get(desk + "?day=2026-11-16&q=wolf"); contains(screen.body, "Ida Wolf") || time.Now().After(deadline) {
			break
		}
	}
	screen.mustContain(t, "the search on day 1", `class="person waitlisted"`, "Einlassen und einchecken", `action="`+desk+`/admit"`)
	b.get(desk+"?day=2026-11-17&q=wolf").mustContain(t, "the search on the full day 2", "Dieser Tag ist voll: kein Platz frei.")
	p := b.post(desk+"/admit", url.Values{"_csrf": {screen.csrf(t)}, "registration_id": {"ida"}, "day": {"2026-11-16"}, "q": {"wolf"}})
	if p.status != http.StatusOK {
		t.Fatalf("admit: got %d, want 200:\n%s", p.status, p.body)
	}
	p.mustContain(t, "the screen after the admission", "Ida Wolf ist eingelassen und eingecheckt.", "person present-yes")
	p = b.post(desk+"/admit", url.Values{"_csrf": {screen.csrf(t)}, "registration_id": {"ida"}, "day": {"2026-11-17"}, "q": {"wolf"}})
	p.mustContain(t, "admitting on the full day", "An diesem Tag ist kein Platz mehr frei.")
}

// TestAdmitInPlaceOfANoShow: on the day itself the door may give the seat of somebody who has not
// come to a person waiting for it; once as many people have come as there are seats, it may not.
func TestAdmitInPlaceOfANoShow(t *testing.T) {
	cfg, store, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	s := &service{t: t, cfg: cfg, js: js}
	s.url = s.replica()
	id := domain.WorkshopID(ulid.Make().String())
	today := domain.Day(now.Format(time.DateOnly))
	reg := func(rid, name string) domain.Event {
		return domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(rid), Person: &domain.Person{Name: name,
			Email: rid + "@example.org"}, EmailKey: "key-" + rid, Organisation: "Verein", Days: []domain.Day{today}, TokenHash: "h-" + rid}
	}
	if _, err := store.Update(context.Background(), id, domain.Meta{Actor: "test", At: now}, func(domain.Workshop) ([]domain.Event, error) {
		return []domain.Event{
			domain.WorkshopScheduled{ID: id, Title: "Heute", Venue: "Kassel", Days: []domain.Day{today}, Capacity: 1},
			reg("ada", "Ada Berg"), domain.RegistrationConfirmed{RegistrationID: "ada"},
			reg("ida", "Ida Wolf"), domain.RegistrationWaitlisted{RegistrationID: "ida", Position: 1},
			reg("eva", "Eva Lenz"), domain.RegistrationWaitlisted{RegistrationID: "eva", Position: 2},
		}, nil
	}); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(t)
	desk := "/organiser/workshops/" + string(id) + "/check-in"
	var screen page
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if screen = b.get(desk + "?q=wolf"); contains(screen.body, "Ida Wolf") || time.Now().After(deadline) {
			break
		}
	}
	screen.mustContain(t, "the full day while nobody has come", "Einlassen und einchecken")
	p := b.post(desk+"/admit", url.Values{"_csrf": {screen.csrf(t)}, "registration_id": {"ida"}, "day": {string(today)}, "q": {"wolf"}})
	p.mustContain(t, "the admission in place of a no-show", "Ida Wolf ist eingelassen und eingecheckt.")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if screen = b.get(desk + "?q=lenz"); contains(screen.body, "Dieser Tag ist voll") || time.Now().After(deadline) {
			break
		}
	}
	screen.mustContain(t, "the day once as many have come as there are seats", "Eva Lenz", "Dieser Tag ist voll: kein Platz frei.")
	p = b.post(desk+"/admit", url.Values{"_csrf": {screen.csrf(t)}, "registration_id": {"eva"}, "day": {string(today)}, "q": {"lenz"}})
	p.mustContain(t, "admitting once everybody has come", "An diesem Tag ist kein Platz mehr frei.")
}
