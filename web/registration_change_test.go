package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestChangeRegistrationPages: the participant changes their registration on their personal
// page, with messages next to the fields in the page's language; the organiser changes and
// cancels a registration for a person.
func TestChangeRegistrationPages(t *testing.T) {
	tests := []struct {
		lang                                  string
		heading, full, noDay, changed, cancel string
	}{
		{"de", "Anmeldung ändern", "17.11.2026: auf der Warteliste (Platz 1)", `id="c-e-days">Bitte mindestens einen Tag wählen.`,
			"Ihre Anmeldung ist geändert.", "Anmeldung stornieren"},
		{"en", "Change registration", ": waitlisted (place 1)", `id="c-e-days">Please choose at least one day.`,
			"Your registration is changed.", "Cancel this registration"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			s := startService(t)
			id, _ := s.workshop("Kommunale Wärmeplanung", 1)
			var alice, bob struct{ ID, Token string }
			s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Alice Berg",
				"email": "alice@example.org", "organisation": "Stadtwerke", "consent": true, "days": []string{"2026-11-16"}}, &alice)
			s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Bob Kaya",
				"email": "bob@example.org", "organisation": "Landkreis", "consent": true, "days": []string{"2026-11-17"}}, &bob)

			b := s.browser()
			own := "/w/" + id + "/r/" + alice.ID
			p := b.get(own + "?token=" + url.QueryEscape(alice.Token) + "&lang=" + tt.lang)
			p.mustContain(t, "the personal page", tt.heading, `action="`+own+`/change"`, `value="2026-11-16" checked`)
			csrf := p.csrf(t)

			p = b.post(own+"/change", url.Values{"_csrf": {csrf}, "token": {alice.Token}, "days": {"2026-11-16", "2026-11-17"},
				"dietary": {"vegan"}})
			// A full day added puts Alice on that day's waitlist; she keeps day 1 (issue #14).
			if p.status != http.StatusSeeOther {
				t.Fatalf("adding a full day: got %d, want 303", p.status)
			}
			p = b.get(p.header.Get("Location"))
			p.mustContain(t, "the change onto a full day", tt.full, `value="vegan"`, `value="2026-11-17" checked`)

			p = b.post(own+"/change", url.Values{"_csrf": {csrf}, "token": {alice.Token}, "dietary": {"vegan"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("no day: got %d, want 422", p.status)
			}
			p.mustContain(t, "the change without a day", tt.noDay)

			p = b.post(own+"/change", url.Values{"_csrf": {csrf}, "token": {alice.Token}, "days": {"2026-11-16"},
				"dietary": {"vegan"}, "overnight": {"yes"}})
			if p.status != http.StatusSeeOther || !strings.Contains(p.header.Get("Location"), "changed=1") {
				t.Fatalf("the change: got %d to %q, want 303 with changed=1", p.status, p.header.Get("Location"))
			}
			p = b.get(p.header.Get("Location"))
			p.mustContain(t, "the changed personal page", tt.changed, `value="vegan"`, `name="overnight" value="yes" checked`)

			// The organiser cancels Bob for him, and changes Alice's days.
			o := s.browser()
			form := o.get("/organiser/sign-in?lang=" + tt.lang)
			if res := o.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {organiserToken}}); res.status != http.StatusSeeOther {
				t.Fatalf("sign-in: got %d", res.status)
			}
			list := "/organiser/workshops/" + id + "/registrations"
			o.get(list).mustContain(t, "the registrations", `href="`+list+`/`+bob.ID+`"`)
			edit := o.get(list + "/" + bob.ID)
			edit.mustContain(t, "the registration's page", tt.heading, tt.cancel)
			if res := o.post(list+"/"+bob.ID+"/cancel", url.Values{"_csrf": {edit.csrf(t)}}); res.status != http.StatusSeeOther {
				t.Fatalf("cancel for Bob: got %d", res.status)
			}
			res := o.post(list+"/"+alice.ID, url.Values{"_csrf": {edit.csrf(t)}, "days": {"2026-11-17"}, "dietary": {"vegan"}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("the organiser's change: got %d %s", res.status, res.body)
			}
			var r struct {
				Status    string
				Days      []string
				Overnight bool
			}
			s.api(http.MethodGet, "/api/v1/workshops/"+id+"/registrations/"+alice.ID, organiserToken, nil, &r)
			if r.Status != "confirmed" || len(r.Days) != 1 || r.Days[0] != "2026-11-17" || r.Overnight {
				t.Errorf("Alice after the organiser's change: got %+v", r)
			}
			var rb struct{ Status string }
			s.api(http.MethodGet, "/api/v1/workshops/"+id+"/registrations/"+bob.ID, organiserToken, nil, &rb)
			if rb.Status != "cancelled" {
				t.Errorf("Bob: got %s, want cancelled", rb.Status)
			}
		})
	}
}
