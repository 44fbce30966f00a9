package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMyDataPages: the privacy page and the personal page link to the request for one's data;
// the request page asks in German and English, names a malformed address next to its field and
// answers alike for a known and an unknown address; the workshop's history tells each request
// and each export, by an admin or by the mailed link.
func TestMyDataPages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt Integration", 5)
	anna := s.registerWithToken(id, "Anna Schmidt", "Stadt Kassel")
	b := s.browser()
	b.get("/privacy").mustContain(t, "the privacy page", `href="/my-data"`, "Eine Kopie meiner Daten anfordern")
	b.get("/w/"+id+"/r/"+anna.id+"?token="+url.QueryEscape(anna.token)).mustContain(t, "the personal page", `href="/my-data"`)
	form := b.get("/my-data").wantStatus(t, "the request page", http.StatusOK)
	form.mustContain(t, "the request page", "Meine Daten anfordern", `name="email"`, `autocomplete="email"`)
	b.get("/my-data?lang=en").mustContain(t, "the English request page", "Request my data", "Send the link")

	bad := b.post("/my-data", url.Values{"_csrf": {form.csrf(t)}, "email": {"keine Adresse"}}).wantStatus(t, "a malformed address", http.StatusUnprocessableEntity)
	bad.mustContain(t, "a malformed address", `aria-invalid="true"`)
	var answers []string
	for _, email := range []string{"niemand@example.org", "anna.schmidt@example.org"} {
		p := b.post("/my-data", url.Values{"_csrf": {form.csrf(t)}, "email": {email}}).wantStatus(t, "a request", http.StatusOK)
		p.mustContain(t, "a request", `id="my-data-asked"`)
		answers = append(answers, p.body[strings.Index(p.body, "<main"):])
	}
	if answers[0] != answers[1] {
		t.Errorf("the request page answers differently for a known and an unknown address")
	}
	for _, token := range []string{"x", strings.Repeat("A", 3000), "a.b"} {
		b.get("/my-data/"+token+"?lang=de").wantStatus(t, "a made-up link", http.StatusNotFound).
			mustContain(t, "a made-up link", "Dieser Link zu Ihren Daten ist unbekannt oder abgelaufen", `action="/my-data"`)
		b.get("/my-data/"+token+"/export.pdf").wantStatus(t, "a made-up link's PDF", http.StatusNotFound)
	}

	org := s.signIn(t)
	csrf := org.get("/organiser/erasure").wantStatus(t, "the erasure page", http.StatusOK).csrf(t)
	found := org.post("/organiser/erasure/preview", url.Values{"_csrf": {csrf}, "email": {"anna.schmidt@example.org"}}).wantStatus(t, "the erasure preview", http.StatusOK)
	found.mustContain(t, "the erasure preview", `action="/organiser/erasure/export"`, "Auskunft als PDF", "Auskunft als JSON")
	pdf := org.post("/organiser/erasure/export", url.Values{"_csrf": {csrf}, "email": {"anna.schmidt@example.org"}, "format": {"pdf"}}).wantStatus(t, "the PDF copy", http.StatusOK)
	if !strings.HasPrefix(pdf.body, "%PDF") {
		t.Errorf("the PDF copy starts %.20q", pdf.body)
	}
	org.post("/organiser/erasure/export", url.Values{"_csrf": {csrf}, "email": {"anna.schmidt@example.org"}, "format": {"json"}}).
		mustContain(t, "the JSON copy", `"name": "Anna Schmidt"`, `"organisation": "Stadt Kassel"`)
	org.post("/organiser/erasure/export", url.Values{"_csrf": {csrf}, "email": {"keine"}, "format": {"json"}}).
		wantStatus(t, "a malformed address", http.StatusUnprocessableEntity)
	org.post("/organiser/erasure/export", url.Values{"_csrf": {csrf}, "email": {"niemand@example.org"}, "format": {"pdf"}}).
		wantStatus(t, "nobody stored", http.StatusNotFound).mustContain(t, "nobody stored", "Zu dieser E-Mail-Adresse ist nichts gespeichert.")
	b.post("/organiser/erasure/export", url.Values{"_csrf": {form.csrf(t)}, "email": {"anna.schmidt@example.org"}}).wantStatus(t, "the copy without signing in", http.StatusSeeOther)
	org.get("/organiser/workshops/"+id+"/history").mustContain(t, "the history",
		"Anna Schmidt hat eine Kopie der eigenen personenbezogenen Daten angefordert: Link verschickt",
		"Kopie der personenbezogenen Daten von Anna Schmidt auf Anfrage an einen Admin ausgegeben")
	org.get("/organiser/workshops/"+id+"/history?lang=en").mustContain(t, "the English history",
		"Copy of the personal data of Anna Schmidt given out on request to an admin")
}
