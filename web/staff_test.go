package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestPagesByRole: people of a network sign in with their accounts and see the organiser's
// pages as far as their roles reach: the organiser everything of the network's workshops, the
// door staff the check-in screen alone, the lead the reports; a member of another network does
// not find a members-only workshop; the log names who acted.
func TestPagesByRole(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	var forum, other struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &forum)
	w, _ := s.workshop("Ideenwerkstatt", 20) // the one network there is
	rid := s.register(w, "Ada Lovelace", "Stadtwerke")
	s.api(http.MethodPatch, "/api/v1/workshops/"+w, organiserToken, map[string]any{"visibility": "members"}, nil)
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Netzwerk Wartburgkreis"}, &other)
	const password = "Pferd Batterie Heftklammer"
	person := func(network, name, role string) *browser {
		t.Helper()
		email := name + "@landkreis.example"
		s.api(http.MethodPost, "/api/v1/networks/"+network+"/members", organiserToken, map[string]any{"name": name, "email": email,
			"roles": []map[string]any{{"role": role}}}, nil)
		if err := creds.SetPassword(context.Background(), s.accountID(email), password); err != nil {
			t.Fatal(err)
		}
		b := s.browser()
		if p := b.signInWithPassword(t, email, password, "/organiser"); p.status != http.StatusSeeOther {
			t.Fatalf("%s signs in: got %d %s", name, p.status, p.body)
		}
		return b
	}
	olaf, dora, max := person(forum.ID, "olaf", "organiser"), person(forum.ID, "dora", "door"), person(other.ID, "max", "organiser")
	mia := person(forum.ID, "mia", "member")

	// A member finds the members-only workshop and the form filled with their account's details.
	form := mia.get("/w/" + w + "/register")
	form.mustContain(t, "the registration form of a member", `value="mia"`, `value="mia@landkreis.example"`)
	base := "/organiser/workshops/" + w

	home := olaf.get("/organiser")
	home.mustContain(t, "the organiser's overview", "Ideenwerkstatt", base+"/registrations", base+"/check-in")
	if strings.Contains(home.body, "/organiser/outbox") || strings.Contains(home.body, "/organiser/erasure") {
		t.Errorf("the organiser's overview links the administrator's pages")
	}
	if p := olaf.get(base + "/registrations"); p.status != http.StatusOK || !strings.Contains(p.body, "Ada Lovelace") {
		t.Errorf("the organiser's registration list: got %d", p.status)
	}

	desk := dora.get("/organiser")
	desk.mustContain(t, "the door's overview", base+"/check-in")
	if strings.Contains(desk.body, base+"/registrations") {
		t.Errorf("the door's overview links the registration list")
	}
	screen := dora.get(base + "/check-in")
	if screen.status != http.StatusOK {
		t.Fatalf("the door's check-in screen: got %d", screen.status)
	}
	if strings.Contains(screen.body, base+"/attendance") || strings.Contains(screen.body, base+"/registrations\"") {
		t.Errorf("the door's check-in screen links other pages of the workshop")
	}
	for _, path := range []string{base + "/registrations", base + "/attendance", base, base + "/feedback", "/organiser/outbox"} {
		if p := dora.get(path); p.status != http.StatusForbidden {
			t.Errorf("GET %s at the door: got %d, want 403", path, p.status)
		}
	}
	for _, path := range []string{base + "/registrations", base + "/check-in", "/w/" + w} {
		if p := max.get(path); p.status != http.StatusNotFound {
			t.Errorf("GET %s as a member of another network: got %d, want 404", path, p.status)
		}
	}
	if p := max.get("/organiser"); strings.Contains(p.body, "Ideenwerkstatt") {
		t.Errorf("the overview of a member of another network lists the workshop")
	}

	// Dora checks Ada in at the door; the history names her.
	in := dora.post(base+"/check-in", map[string][]string{"_csrf": {screen.csrf(t)}, "registration_id": {rid}, "day": {"2026-11-16"}})
	if in.status >= 400 {
		t.Fatalf("the check-in at the door: got %d %s", in.status, in.body)
	}
	history := olaf.get(base + "/history")
	history.mustContain(t, "the history", "dora")
}
