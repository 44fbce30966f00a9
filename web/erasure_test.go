package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// registerForErasure registers a participant through the JSON API and returns id and token.
func (s *service) registerForErasure(workshop, name string) (id, token string) {
	s.t.Helper()
	var r struct{ ID, Token string }
	s.api(http.MethodPost, "/api/v1/workshops/"+workshop+"/registrations", "", map[string]any{"name": name,
		"email": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", "organisation": "Stadt Kassel",
		"dietary": "glutenfrei", "consent": true}, &r)
	return r.ID, r.Token
}

func TestOrganiserErasesPersonalData(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	ben, _ := s.registerForErasure(id, "Ben Okafor")
	s.registerForErasure(id, "Clara Wendt")
	b := s.signIn(t)
	list := "/organiser/workshops/" + id + "/registrations"
	action := list + "/" + ben + "/erase"

	p := b.get(list)
	p.mustContain(t, "the list before the erasure", "Ben Okafor", "ben.okafor@example.org", "Personenbezogene Daten löschen",
		`action="`+action+`"`, "Ja, endgültig löschen")

	// Without the form's CSRF token nothing is erased.
	if got := b.post(action, url.Values{}); got.status < 400 {
		t.Errorf("erasing without CSRF: got %d, want a refusal", got.status)
	}
	b.get(list).mustContain(t, "the list after a refused erasure", "Ben Okafor")

	if got := b.post(action, url.Values{"_csrf": {p.csrf(t)}}); got.status != http.StatusSeeOther || got.header.Get("Location") != list {
		t.Fatalf("erasing: got %d to %q, want 303 to the list", got.status, got.header.Get("Location"))
	}
	p = b.get(list)
	p.mustContain(t, "the list after the erasure", "Clara Wendt", "<em>gelöscht</em>")
	for _, gone := range []string{"Ben Okafor", "ben.okafor@example.org", `action="` + action + `"`} {
		if strings.Contains(p.body, gone) {
			t.Errorf("the list after the erasure still shows %q", gone)
		}
	}
	// An unknown registration is not found.
	if got := b.post(list+"/01JUNKNOWNREGISTRATION0000/erase", url.Values{"_csrf": {p.csrf(t)}}); got.status != http.StatusNotFound {
		t.Errorf("erasing an unknown registration: got %d, want 404", got.status)
	}
}

func TestParticipantDeletesOwnData(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	anna, annaToken := s.registerForErasure(id, "Anna Schulz")
	_, benToken := s.registerForErasure(id, "Ben Okafor")
	b := s.browser()
	own := "/w/" + id + "/r/" + anna + "?token=" + url.QueryEscape(annaToken)
	action := "/w/" + id + "/r/" + anna + "/erase"

	p := b.get(own)
	p.mustContain(t, "the personal page", "Anna Schulz", "Meine Daten löschen", `action="`+action+`"`, "Ja, meine Daten jetzt löschen")

	// Ben's token does not open Anna's data.
	if got := b.post(action, url.Values{"_csrf": {p.csrf(t)}, "token": {benToken}}); got.status != http.StatusNotFound {
		t.Errorf("erasing Anna with Ben's token: got %d, want 404", got.status)
	}
	b.get(own).mustContain(t, "Anna's page after Ben's attempt", "Anna Schulz")

	got := b.post(action, url.Values{"_csrf": {p.csrf(t)}, "token": {annaToken}})
	if got.status != http.StatusSeeOther || got.header.Get("Location") != own {
		t.Fatalf("deleting own data: got %d to %q, want 303 to %q", got.status, got.header.Get("Location"), own)
	}
	p = b.get(own)
	if p.status != http.StatusOK {
		t.Fatalf("the personal link after the deletion: got %d, want 200", p.status)
	}
	p.mustContain(t, "the personal link after the deletion", "Ihre Daten wurden gelöscht", `id="data-deleted"`)
	for _, gone := range []string{"Anna Schulz", "anna.schulz@example.org", "glutenfrei", `action="` + action + `"`} {
		if strings.Contains(p.body, gone) {
			t.Errorf("the personal link after the deletion still shows %q", gone)
		}
	}
	b.get(own+"&lang=en").mustContain(t, "the personal link in English", "Your data was erased")
	// Her phone remembered her from the personal page; the QR code's entry now forgets it.
	entry := b.get("/w/" + id + "/feedback")
	if entry.status != http.StatusOK || !strings.Contains(entry.setCookie("werkstatt_registration"), "Max-Age=0") {
		t.Errorf("the feedback entry on her phone after the deletion: got %d (Location %q), cookie %q; want 200 and the device forgotten",
			entry.status, entry.header.Get("Location"), entry.setCookie("werkstatt_registration"))
	}
	// The link opens nothing else in her name any more.
	for _, page := range []string{"/feedback", "/topics"} {
		path := "/w/" + id + "/r/" + anna + page + "?token=" + url.QueryEscape(annaToken)
		if got := b.get(path); got.status != http.StatusNotFound {
			t.Errorf("GET %s after the deletion: got %d, want 404", path, got.status)
		}
	}

	// The registration, without the person, is cancelled: the seat is free again.
	var reg struct {
		Status string
		Erased bool
	}
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/registrations/"+anna, organiserToken, nil, &reg)
	if reg.Status != "cancelled" || !reg.Erased {
		t.Errorf("Anna's registration: got %+v, want cancelled and erased", reg)
	}
}
