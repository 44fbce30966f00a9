package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// TestRetentionPages walks the series' retention page (set a period and an evidence hold, see
// the dates), the registration page's notice and the administrator's preview and run.
func TestRetentionPages(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier") // 16 and 17 November 2026, Ben Okafor checked in
	org := s.signIn(t)
	path := "/organiser/series/Klima%202026/retention"

	org.get("/organiser/workshops/"+id).mustContain(t, "the workshop editor", `href="`+path+`"`)
	org.get("/organiser").mustContain(t, "the dashboard", `href="/organiser/retention"`)
	page := org.get(path)
	page.mustContain(t, "the default retention", "Aufbewahrung: Klima 2026", "keine eigene Aufbewahrungsfrist", "12 Monate",
		`id="retention-`+id+`"`, "18.11.2027")

	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(page.body)
	if key == nil {
		t.Fatalf("the retention page has no form with a key:\n%s", page.body)
	}
	rejected := org.post(path, url.Values{"_csrf": {page.csrf(t)}, "key": {key[1]}, "months": {"0"}, "evidence_hold_until": {"morgen"}})
	if rejected.status != http.StatusUnprocessableEntity {
		t.Fatalf("a retention of 0 months: got %d, want 422:\n%s", rejected.status, rejected.body)
	}
	rejected.mustContain(t, "the rejected form", `id="e-months"`, `id="e-evidence_hold_until"`)

	saved := org.post(path, url.Values{"_csrf": {page.csrf(t)}, "key": {key[1]}, "months": {"3"}, "evidence_hold_until": {"2030-12-31"}})
	if saved.status != http.StatusSeeOther {
		t.Fatalf("saving the retention: got %d, want 303:\n%s", saved.status, saved.body)
	}
	org.get(saved.header.Get("Location")).mustContain(t, "the saved retention", `id="retention-saved"`,
		"3 Monate", "Nachweisfrist bis", "31.12.2030", "18.02.2027", "01.01.2031")

	// The registration page tells a person when their data goes.
	anon := s.browser()
	anon.get("/w/"+id+"/register").mustContain(t, "the registration page", `id="retention-notice"`,
		"18.02.2027 gelöscht", "Ihr Name", "01.01.2031")

	// The administrator previews 1 March 2027: Ben (checked in, a seat) keeps his name.
	runs := org.get("/organiser/retention")
	preview := org.post("/organiser/retention/preview", url.Values{"_csrf": {runs.csrf(t)}, "date": {"2027-03-01"}})
	if preview.status != http.StatusOK {
		t.Fatalf("the preview: got %d:\n%s", preview.status, preview.body)
	}
	preview.mustContain(t, "the preview", "0 Anmeldungen gelöscht, 1 bis auf den Namen gelöscht", "Hitzeschutz im Quartier")
	if bad := org.post("/organiser/retention/preview", url.Values{"_csrf": {runs.csrf(t)}, "date": {"1. März"}}); bad.status != http.StatusUnprocessableEntity {
		t.Errorf("a preview of no date: got %d, want 422", bad.status)
	}
	// A run now (16 November 2026) erases nothing yet.
	ran := org.post("/organiser/retention", url.Values{"_csrf": {runs.csrf(t)}, "key": {"run-1"}})
	if ran.status != http.StatusOK {
		t.Fatalf("the run: got %d:\n%s", ran.status, ran.body)
	}
	ran.mustContain(t, "the run", "0 Anmeldungen gelöscht, 0 bis auf den Namen gelöscht")
}
