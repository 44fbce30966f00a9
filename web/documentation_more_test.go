package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPhotoConsentPages: the registration form asks for photo consent, the personal page shows
// and changes it, the organiser's list shows it, and the documentation page counts the
// confirmed participants who agreed.
func TestPhotoConsentPages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	s.register(id, "Anna Schmidt", "Landratsamt") // no consent
	b := s.browser()
	form := b.get("/w/" + id + "/register")
	form.mustContain(t, "the registration form", `name="photo_consent" value="yes"`, "Fotos dürfen veröffentlicht werden")
	res := b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Clara Wendt"},
		"email": {"clara@example.org"}, "organisation": {"Stadt Kassel"}, "days": {"2026-11-16"}, "consent": {"yes"},
		"photo_consent": {"yes"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("registering: got %d, want 303: %s", res.status, res.body)
	}
	own := res.header.Get("Location")
	p := b.get(own)
	p.mustContain(t, "the personal page", `name="photo_consent" value="yes" checked`)
	doc := "/w/" + id + "/documentation"
	b.get(doc).mustContain(t, "the documentation page", `id="photo-consent">1 von 2 Teilnehmenden haben der Veröffentlichung von Fotos zugestimmt.`)

	o := s.signIn(t)
	o.get("/organiser/workshops/"+id+"/registrations").mustContain(t, "the organiser's list", "Fotos erlaubt",
		`<td class="photo-consent">ja</td>`, `<td class="photo-consent">nein</td>`)

	// Clara withdraws her consent on her personal page: the box left unticked.
	u, err := url.Parse(own)
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("token")
	res = b.post(u.Path+"/change", url.Values{"_csrf": {p.csrf(t)}, "token": {token}, "days": {"2026-11-16"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("the change: got %d, want 303: %s", res.status, res.body)
	}
	if p := b.get(res.header.Get("Location")); strings.Contains(p.body, `name="photo_consent" value="yes" checked`) {
		t.Errorf("the personal page after withdrawing still shows the consent")
	}
	b.header.Set("Accept-Language", "en")
	b.get(doc).mustContain(t, "the English documentation page", "0 of 2 participants agreed that photos may be published.")
}

// TestDocumentationPageCafes: the documentation page shows each café's tables with their
// topic, host and notes per round, in German and English.
func TestDocumentationPageCafes(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	base := "/api/v1/workshops/" + id
	var se, table struct{ ID string }
	s.api(http.MethodPost, base+"/sessions", organiserToken, map[string]any{"title": "Themencafé Wohnen", "kind": "theme_cafe",
		"day": "2026-11-16", "starts": "13:00", "ends": "15:00"}, &se)
	cafe := base + "/sessions/" + se.ID + "/theme-cafe"
	s.api(http.MethodPost, cafe+"/tables", organiserToken, map[string]any{"topic": "Mieten", "capacity": 6, "host_guest": "Dr. Gast"}, &table)
	s.api(http.MethodPost, cafe+"/tables", organiserToken, map[string]any{"topic": "Leerstand", "capacity": 6}, nil)
	s.api(http.MethodPut, cafe+"/tables/"+table.ID+"/notes/1", organiserToken, map[string]any{"key_points": []string{"Mieten <steigen>"},
		"open_questions": []string{"Wer zahlt?"}}, nil)
	b := s.browser()
	path := "/w/" + id + "/documentation"
	b.get(path).mustContain(t, "the German page", `<h2 id="h-cafes">Ergebnisse der Themencafés</h2>`, "Themencafé Wohnen",
		`<h4 id="h-table-`+table.ID+`">Mieten</h4>`, "Dr. Gast", "Runde 1", "<li>Mieten &lt;steigen&gt;</li>", "Offene Fragen",
		"<li>Wer zahlt?</li>", "Leerstand", "Zu diesem Tisch sind keine Notizen festgehalten.")
	b.header.Set("Accept-Language", "en")
	b.get(path).mustContain(t, "the English page", "Theme café results", "Round 1", "No notes were recorded at this table.")
}
