package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var myDataLink = regexp.MustCompile(`http://\S+/my-data/[A-Za-z0-9_.-]+(\?lang=[a-z]+)?`)

// TestDataExportByMail: a person asks for their data with their address; the answer is the same
// for an unknown address, which gets no mail; the known one gets a link to a page that shows
// their data and nobody else's, with the JSON and PDF files; a made-up link is not found; and the
// page form answers alike for both addresses.
func TestDataExportByMail(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Datenwerkstatt",
		"venue": "Rathaus", "days": []string{"2037-11-16"}, "capacity": 10})
	base := "/api/v1/workshops/" + w["id"].(string)
	for _, name := range []string{"Ann", "Ben"} {
		a.must(201, "POST", base+"/registrations", "", map[string]any{"name": name + " Lange", "email": strings.ToLower(name) + "@example.org",
			"organisation": "Caritas " + name, "dietary": "Diät von " + name, "consent": true})
	}
	smtp.waitFor("ann@example.org", "Anmeldung bestätigt")
	smtp.waitFor("ben@example.org", "Anmeldung bestätigt")

	a.must(http.StatusAccepted, "POST", "/api/v1/people/export-requests", "", map[string]any{"email": "nobody@example.org"})
	a.must(http.StatusAccepted, "POST", "/api/v1/people/export-requests", "", map[string]any{"email": "Ann@example.org", "lang": "en"})
	got := smtp.waitFor("ann@example.org", "Your data stored in Werkstatt")
	link := myDataLink.FindString(got.Text)
	if link == "" || !strings.HasSuffix(link, "?lang=en") || !strings.Contains(got.Text, "Hello Ann Lange") || !got.HTML {
		t.Fatalf("Ann's mail: want an English text with the link to her data, got %+v", got)
	}
	get := func(u string) (int, string, http.Header) {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	status, page, _ := get(link)
	if status != 200 || !strings.Contains(page, "Ann Lange") || !strings.Contains(page, "Diät von Ann") || !strings.Contains(page, "anonymous") {
		t.Errorf("the page of the link: got %d %.500s, want Ann's data and the note on feedback", status, page)
	}
	if strings.Contains(page, "Ben") {
		t.Errorf("Ann's page names Ben: %s", page)
	}
	plain, _, _ := strings.Cut(link, "?")
	status, body, header := get(plain + "/export.json")
	if status != 200 || !strings.Contains(body, `"dietary": "Diät von Ann"`) || strings.Contains(body, "Ben") ||
		!strings.Contains(header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the JSON file: got %d %s %.300s", status, header.Get("Content-Disposition"), body)
	}
	status, body, header = get(plain + "/export.pdf?lang=en")
	if status != 200 || !strings.HasPrefix(body, "%PDF") || header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the PDF file: got %d %s %.20q", status, header.Get("Content-Type"), body)
	}
	for _, bad := range []string{"/my-data/x", "/my-data/" + strings.Repeat("A", 5000), "/my-data/" + url.PathEscape("a.b") + "/export.json"} {
		if status, _, _ := get(in.url + bad); status != http.StatusNotFound {
			t.Errorf("GET %.60s: got %d, want 404", bad, status)
		}
	}

	// The page form answers alike for a known and an unknown address.
	pages := newPageClient(t)
	var answers []string
	for _, email := range []string{"nobody@example.org", "ben@example.org"} {
		status, body := pages.submit(in.url+"/my-data", url.Values{"email": {email}})
		if status != http.StatusOK || !strings.Contains(body, `id="my-data-asked"`) {
			t.Errorf("ask for the data of %s on the page: got %d: %.300s", email, status, body)
		}
		answers = append(answers, body[strings.Index(body, "<main"):])
	}
	if len(answers) == 2 && answers[0] != answers[1] {
		t.Errorf("the page answers differently for a known and an unknown address")
	}
	smtp.waitFor("ben@example.org", "Ihre bei Werkstatt gespeicherten Daten")
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.to("nobody@example.org")); n != 0 {
		t.Errorf("an unknown address got %d mails", n)
	}
}
