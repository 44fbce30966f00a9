package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestHostLinkPages: the organiser issues a table's host link on the café page and gets the
// link with its QR code; the host opens it (no sign-in), sees the table's topic and rounds,
// and writes a round's notes, which the organiser's results show; a replaced link answers 404.
func TestHostLinkPages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	org := s.signIn(t)
	sid := s.themeCafe(id, "Themencafé")
	cafe := "/organiser/workshops/" + id + "/cafes/" + sid
	setup := org.get(cafe)
	org.post(cafe+"/tables", url.Values{"_csrf": {setup.csrf(t)}, "topic": {"Wohnen"}, "capacity": {"6"}})
	setup = org.get(cafe)
	m := regexp.MustCompile(`action="` + regexp.QuoteMeta(cafe) + `/tables/([0-9A-Z]+)/host-link"`).FindStringSubmatch(setup.body)
	if m == nil {
		t.Fatalf("no host-link button on the café page:\n%s", setup.body)
	}
	setup.mustContain(t, "the café page", "Link für Gastgeber·in")
	issued := org.post(cafe+"/tables/"+m[1]+"/host-link", url.Values{"_csrf": {setup.csrf(t)}})
	if issued.status != http.StatusOK || issued.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("issuing a host link: got %d (Cache-Control %q), want 200, no-store", issued.status, issued.header.Get("Cache-Control"))
	}
	issued.mustContain(t, "the host link page", "<svg", "QR-Code des Links für Gastgeber·in zu Wohnen")
	lm := regexp.MustCompile(`id="host-link" href="([^"]+)"`).FindStringSubmatch(issued.body)
	if lm == nil {
		t.Fatalf("no link on the host link page:\n%s", issued.body)
	}
	link, err := url.Parse(html.UnescapeString(lm[1]))
	if err != nil {
		t.Fatal(err)
	}

	host := s.browser()
	p := host.get(link.RequestURI())
	p.mustContain(t, "the host's page", "Wohnen", "Runde 1", "Runde 3", "Kernpunkte")
	if strings.Contains(p.body, "Kommunale Wärmeplanung") {
		t.Errorf("the host's page shows the workshop beyond the table")
	}
	saved := host.post(link.Path+"/2", url.Values{"_csrf": {p.csrf(t)}, "token": {link.Query().Get("token")},
		"key_points": {"Mieten steigen\nMehr Wohngeld"}, "examples": {""}, "open_questions": {"Wer zahlt?"}})
	if saved.status != http.StatusSeeOther {
		t.Fatalf("saving the host's notes: got %d %s, want 303", saved.status, saved.body)
	}
	host.get(saved.header.Get("Location")).mustContain(t, "the host's page after saving", `id="saved-2"`, "Mehr Wohngeld")
	org.get(cafe+"/results").mustContain(t, "the results", "Mieten steigen", "Wer zahlt?")

	// A link replaced by a new one answers 404.
	setup = org.get(cafe)
	org.post(cafe+"/tables/"+m[1]+"/host-link", url.Values{"_csrf": {setup.csrf(t)}})
	if res := host.get(link.RequestURI()); res.status != http.StatusNotFound {
		t.Errorf("the replaced link: got %d, want 404", res.status)
	}
	if res := host.get(link.Path + "?token=host.made-up"); res.status != http.StatusNotFound {
		t.Errorf("a made-up link: got %d, want 404", res.status)
	}

	// Revoked from the link page: the newest link answers 404 too.
	again := org.post(cafe+"/tables/"+m[1]+"/host-link", url.Values{"_csrf": {setup.csrf(t)}})
	again.mustContain(t, "the link page", "Link widerrufen")
	newest := regexp.MustCompile(`id="host-link" href="([^"]+)"`).FindStringSubmatch(again.body)
	if res := org.post(cafe+"/tables/"+m[1]+"/host-link/revoke", url.Values{"_csrf": {again.csrf(t)}}); res.status != http.StatusSeeOther {
		t.Fatalf("revoking the link: got %d, want 303", res.status)
	}
	if newest == nil {
		t.Fatalf("no link on the link page")
	}
	if u, _ := url.Parse(html.UnescapeString(newest[1])); u == nil || host.get(u.RequestURI()).status != http.StatusNotFound {
		t.Errorf("the revoked link still opens the host's page")
	}
}
