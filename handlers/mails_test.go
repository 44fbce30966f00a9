package handlers_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
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
