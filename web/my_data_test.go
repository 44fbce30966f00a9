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
		b.get("/my-data/"+token).wantStatus(t, "a made-up link", http.StatusNotFound)
		b.get("/my-data/"+token+"/export.pdf").wantStatus(t, "a made-up link's PDF", http.StatusNotFound)
	}

	s.api(http.MethodGet, "/api/v1/people/export?email=anna.schmidt@example.org", organiserToken, nil, nil)
	org := s.signIn(t)
	org.get("/organiser/workshops/"+id+"/history").mustContain(t, "the history",
		"Anna Schmidt hat eine Kopie der eigenen personenbezogenen Daten angefordert: Link verschickt",
		"Kopie der personenbezogenen Daten von Anna Schmidt auf Anfrage an einen Admin ausgegeben")
	org.get("/organiser/workshops/"+id+"/history?lang=en").mustContain(t, "the English history",
		"Copy of the personal data of Anna Schmidt given out on request to an admin")
}
