package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// registerAs registers name with email through the JSON API and returns the registration's id.
func (s *service) registerAs(workshop, name, email string) string {
	s.t.Helper()
	var r struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops/"+workshop+"/registrations", "", map[string]any{"name": name,
		"email": email, "organisation": "Stadt Kassel", "consent": true}, &r)
	return r.ID
}

func TestOrganiserErasesAPersonEverywhere(t *testing.T) {
	s := startService(t)
	heat, _ := s.workshop("Hitzeschutz im Quartier", 10)
	water, _ := s.workshop("Starkregenvorsorge", 10)
	inHeat := s.registerAs(heat, "Frau Schulz", "Schulz@Example.org")
	inWater := s.registerAs(water, "Frau Schulz", "schulz@example.org")
	ben := s.registerAs(heat, "Ben Okafor", "ben@example.org")
	const path = "/organiser/erasure"

	// Only the organiser gets the page.
	if got := s.browser().get(path); got.status == http.StatusOK || strings.Contains(got.body, `action="/organiser/erasure/preview"`) {
		t.Errorf("the erasure page without signing in: got %d, want it refused", got.status)
	}
	b := s.signIn(t)
	b.get("/organiser").mustContain(t, "the dashboard", `href="/organiser/erasure"`, "Personenbezogene Daten einer Person löschen")
	form := b.get(path)
	form.mustContain(t, "the erasure form", `action="/organiser/erasure/preview"`, `id="f-email"`, "Anmeldungen suchen")

	// A malformed email is refused next to the field; without the CSRF token nothing happens.
	bad := b.post(path+"/preview", url.Values{"_csrf": {form.csrf(t)}, "email": {"schulz"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Errorf("a malformed email: got %d, want 422", bad.status)
	}
	bad.mustContain(t, "the form after a malformed email", `aria-invalid="true"`, "Bitte eine E-Mail-Adresse wie name@example.org angeben.")
	if got := b.post(path+"/preview", url.Values{"email": {"schulz@example.org"}}); got.status < 400 {
		t.Errorf("a search without CSRF: got %d, want a refusal", got.status)
	}
	if got := b.post(path, url.Values{"email": {"schulz@example.org"}}); got.status < 400 {
		t.Errorf("an erasure without CSRF: got %d, want a refusal", got.status)
	}

	// The preview lists her two registrations, whatever case the organiser types, and not Ben.
	found := b.post(path+"/preview", url.Values{"_csrf": {form.csrf(t)}, "email": {" SCHULZ@example.ORG "}})
	if found.status != http.StatusOK || found.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the preview: got %d, Cache-Control %q; want 200, no-store", found.status, found.header.Get("Cache-Control"))
	}
	found.mustContain(t, "the preview", "2 Anmeldungen gefunden für", "Hitzeschutz im Quartier", "Starkregenvorsorge",
		"Frau Schulz", "Mo., 16.11.2026", "bestätigt", `id="erase-everywhere"`, "Ja, überall endgültig löschen")
	if strings.Contains(found.body, "Ben Okafor") {
		t.Errorf("the preview lists Ben, who is somebody else")
	}

	// Confirming erases both and says so.
	confirm := url.Values{"_csrf": {found.csrf(t)}, "email": {"SCHULZ@example.ORG"}, "key": {"erase-schulz"}}
	done := b.post(path, confirm)
	if done.status != http.StatusOK {
		t.Fatalf("the erasure: got %d, want 200:\n%s", done.status, done.body)
	}
	done.mustContain(t, "the outcome", "2 Anmeldungen wurden gelöscht.", "Hitzeschutz im Quartier", "Starkregenvorsorge")
	if strings.Contains(done.body, "Frau Schulz") {
		t.Errorf("the outcome names the erased person")
	}
	for _, r := range []struct{ workshop, id string }{{heat, inHeat}, {water, inWater}} {
		var reg struct {
			Name   string
			Erased bool
		}
		s.api(http.MethodGet, "/api/v1/workshops/"+r.workshop+"/registrations/"+r.id, organiserToken, nil, &reg)
		if !reg.Erased || reg.Name != "" {
			t.Errorf("registration %s after the erasure: got %+v, want erased", r.id, reg)
		}
	}
	var other struct{ Name string }
	s.api(http.MethodGet, "/api/v1/workshops/"+heat+"/registrations/"+ben, organiserToken, nil, &other)
	if other.Name != "Ben Okafor" {
		t.Errorf("Ben after her erasure: got %+v, want him untouched", other)
	}

	// A double submit and a new search find nothing any more.
	b.post(path, confirm).mustContain(t, "the repeated erasure", "Nichts wurde gelöscht")
	b.post(path+"/preview", url.Values{"_csrf": {form.csrf(t)}, "email": {"schulz@example.org"}}).
		mustContain(t, "a search after the erasure", `id="erasure-none"`)
}

// erasureEnglishPages returns the erasure request's pages in English, for TestPagesInEnglish.
func erasureEnglishPages(t *testing.T, s *service, b *browser) []struct {
	name string
	page page
	want []string
} {
	t.Helper()
	id, _ := s.workshop("Hitzeschutz im Quartier", 10)
	s.registerAs(id, "Frau Schulz", "schulz@example.org")
	form := b.get("/organiser/erasure")
	rejected := b.post("/organiser/erasure/preview", url.Values{"_csrf": {form.csrf(t)}, "email": {"schulz"}})
	found := b.post("/organiser/erasure/preview", url.Values{"_csrf": {form.csrf(t)}, "email": {"schulz@example.org"}})
	done := b.post("/organiser/erasure", url.Values{"_csrf": {form.csrf(t)}, "email": {"schulz@example.org"}})
	nothing := b.post("/organiser/erasure", url.Values{"_csrf": {form.csrf(t)}, "email": {"schulz@example.org"}})
	return []struct {
		name string
		page page
		want []string
	}{
		{"the erasure request", form, []string{"Erase a person&#39;s personal data", "Email address of the person", "Find registrations"}},
		{"a rejected erasure request", rejected, []string{"Please check the marked entries."}},
		{"the registrations to erase", found, []string{"1 registration found for", "First day", "confirmed", "Yes, erase everywhere for good"}},
		{"the erased registrations", done, []string{"1 registration was erased.", "Hitzeschutz im Quartier", "Another request"}},
		{"an erasure that found nothing", nothing, []string{"Nothing was erased"}},
	}
}

// erasurePhonePages walks an erasure request on a phone, checking the pages that only a form
// reaches on the way, and returns the form for pagesOnAPhone. The browser is signed in.
func erasurePhonePages(t *testing.T, ctx context.Context, s *service) []struct{ name, path, ready string } {
	t.Helper()
	heat, _ := s.workshop("Klimaanpassungsmaßnahmenumsetzungsplanung im ländlichen Raum", 10)
	water, _ := s.workshop("Starkregenrisikomanagementkonzeptfortschreibung", 10)
	s.registerAs(heat, "Maximiliane Mustermann-Oberhausen", "m.mustermann-oberhausen@landesamt-umwelt-naturschutz.example.org")
	s.registerAs(water, "Maximiliane Mustermann-Oberhausen", "M.Mustermann-Oberhausen@landesamt-umwelt-naturschutz.example.org")
	step(t, ctx, "open the erasure request on a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/organiser/erasure?lang=de"), chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "m.mustermann-oberhausen@landesamt-umwelt-naturschutz.example.org"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#erasure-matches")))
	wantText(t, ctx, "the registrations to erase on a phone", "main", "2 Anmeldungen gefunden", "Starkregenrisikomanagementkonzeptfortschreibung")
	checkPhonePage(t, ctx, "the registrations to erase")
	step(t, ctx, "confirm the erasure on a phone", chromedp.Click(chromedp.CSS("#erase-everywhere")),
		chromedp.WaitVisible(chromedp.CSS("#erased")))
	wantText(t, ctx, "the erased registrations on a phone", "main", "2 Anmeldungen wurden gelöscht.")
	checkPhonePage(t, ctx, "the erased registrations")
	return []struct{ name, path, ready string }{
		{"the erasure request", "/organiser/erasure", "#f-email"},
	}
}
