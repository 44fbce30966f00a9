package handlers_test

import (
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/mailbox"
	"github.com/werkstatt/werkstatt/mails"
)

// TestRegistrationLanguage: a registration names the language of its mails (de or en); anything
// else is a precise 4xx problem and appends nothing. A repeat under the same Idempotency-Key
// answers the first registration's id and token (tokens now derive from the registration).
func TestRegistrationLanguage(t *testing.T) {
	s := startService(t)
	id := s.schedule(10).ID
	path := "/api/v1/workshops/" + id + "/registrations"
	seq := s.lastSeq()
	french := person("Fleur", "Mairie")
	french["lang"] = "fr"
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: french}), 422); !namesField(p, "lang") {
		t.Errorf("lang fr: got %+v, want the field lang named", p)
	}
	number := person("Nina", "Amt")
	number["lang"] = 3
	problemOf(t, s.do(request{method: "POST", path: path, body: number}), 400)
	if s.lastSeq() != seq {
		t.Errorf("refused registrations appended events")
	}

	english := person("Emma", "Council")
	english["lang"] = "en"
	key := map[string]string{"Idempotency-Key": "emma-1"}
	var first, again registered
	s.must(request{method: "POST", path: path, body: english, header: key}, 201, &first)
	s.must(request{method: "POST", path: path, body: english, header: key}, 201, &again)
	if first.ID == "" || first.Token == "" || again.ID != first.ID || again.Token != first.Token {
		t.Errorf("a repeat answered %+v, want the first answer %+v", again, first)
	}
	s.must(request{method: "GET", path: path + "/" + first.ID, token: first.Token}, 200, nil)
	w, _, err := s.events.Load(t.Context(), domain.WorkshopID(id))
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Registrations[domain.RegistrationID(first.ID)].Lang; got != "en" {
		t.Errorf("the log holds the language %q, want en", got)
	}
}

// TestOutboxAPI lists the kept mails for the organiser only; an erased person's mail keeps its
// ids and loses its text.
func TestOutboxAPI(t *testing.T) {
	cfg, store, js := handlerstest.WireJetStream(t, organiserToken)
	keyring := cfg.Eraser.(*keys.Keyring)
	box, err := mailbox.Open(t.Context(), js, "TEST_MAILS", 1, keyring)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mailbox = box
	s := &service{t: t, url: handlerstest.Serve(t, handlers.New(cfg)).URL, events: store}
	at := time.Date(2037, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, m := range []mails.Message{
		{ID: "5.1.received@example.org", Kind: mails.KindReceived, Workshop: "W", Registration: "a", To: "ann@example.org",
			Subject: "Anmeldung bestätigt: X", Text: "Hallo Ann", At: at},
		{ID: "6.1.received@example.org", Kind: mails.KindReceived, Workshop: "W", Registration: "b", To: "ben@example.org",
			Subject: "Anmeldung bestätigt: X", Text: "Hallo Ben", At: at.Add(time.Minute)},
	} {
		if err := box.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	if err := keyring.Erase(t.Context(), "b"); err != nil {
		t.Fatal(err)
	}
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/outbox"}), 401)
	var got struct {
		Mails []struct {
			ID, To, Text string
			Erased       bool
		}
	}
	s.must(request{method: "GET", path: "/api/v1/outbox", token: org}, 200, &got)
	if len(got.Mails) != 2 || got.Mails[0].ID != "6.1.received@example.org" || !got.Mails[0].Erased || got.Mails[0].Text != "" ||
		got.Mails[1].To != "ann@example.org" || got.Mails[1].Text != "Hallo Ann" {
		t.Errorf("the outbox: %+v", got)
	}
}
