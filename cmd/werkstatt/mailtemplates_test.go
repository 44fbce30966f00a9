package main

import (
	"strings"
	"testing"
)

// TestWordedMailThroughSMTP: a network's admin words the German "received" mail; a German
// registration for a workshop of that network gets the worded subject and text and still its
// personal link and calendar; an English one, and one for another network's workshop, get the
// standard text.
func TestWordedMailThroughSMTP(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	forum := a.must(201, "POST", "/api/v1/networks", organiser, map[string]any{"name": "Forum Integration"})["id"].(string)
	other := a.must(201, "POST", "/api/v1/networks", organiser, map[string]any{"name": "Netzwerk Wartburgkreis"})["id"].(string)
	anna := a.must(201, "POST", "/api/v1/networks/"+forum+"/members", organiser, map[string]any{"name": "Anna Schmidt",
		"email": "anna@example.org", "roles": []map[string]any{{"role": "admin"}}})["id"].(string)
	token := a.must(201, "POST", "/api/v1/networks/"+forum+"/members/"+anna+"/api-tokens", organiser, map[string]any{"label": "Vorlagen"})["token"].(string)

	a.must(200, "PUT", "/api/v1/networks/"+forum+"/mail-templates/received/de", token, map[string]any{
		"subject": "Willkommen bei {{.Workshop}} ({{.Network}})",
		"text":    "Liebe·r {{.Name}},\nwir erwarten Sie in {{.Venue}}.{{if .Position}} Sie warten auf Platz {{.Position}}.{{end}}"})

	workshop := func(network string) string {
		return "/api/v1/workshops/" + a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Mailwerkstatt",
			"venue": "Rathaus", "days": []string{"2037-11-16"}, "capacity": 5, "network": network})["id"].(string)
	}
	worded, plain := workshop(forum), workshop(other)
	register := func(path, name, lang string) map[string]any {
		return a.must(201, "POST", path+"/registrations", "", map[string]any{"name": name, "email": strings.ToLower(name) + "@example.org",
			"organisation": "Caritas", "consent": true, "lang": lang})
	}

	ben := register(worded, "Ben", "de")
	got := smtp.waitFor("ben@example.org", "Willkommen bei Mailwerkstatt (Forum Integration)")
	text := strings.ReplaceAll(got.Text, "\r\n", "\n")
	if !strings.Contains(text, "Hallo Ben,\n\nLiebe·r Ben,\nwir erwarten Sie in Rathaus.\n") || strings.Contains(text, "Sie warten") ||
		strings.Contains(text, "Wir freuen uns auf Sie") {
		t.Errorf("Ben's worded mail: want the organisers' text in place of the standard one, got:\n%s", text)
	}
	if link := linkPattern.FindString(got.Text); !strings.Contains(link, "token="+ben["token"].(string)) || !strings.Contains(text, "Ihr persönlicher Link") ||
		!strings.Contains(text, "Ihr Orga-Team") || !got.HTML || !strings.Contains(got.Calendar, "BEGIN:VCALENDAR") {
		t.Errorf("Ben's worded mail lost a fixed part (link %q, HTML %v, calendar %d bytes):\n%s", link, got.HTML, len(got.Calendar), text)
	}

	register(worded, "Ann", "en")
	if en := smtp.waitFor("ann@example.org", "Registration confirmed: Mailwerkstatt"); !strings.Contains(en.Text, "We look forward to seeing you") {
		t.Errorf("Ann's English mail: want the standard text, got:\n%s", en.Text)
	}
	register(plain, "Cleo", "de")
	if de := smtp.waitFor("cleo@example.org", "Anmeldung bestätigt: Mailwerkstatt"); strings.Contains(de.Text, "Liebe·r") {
		t.Errorf("Cleo's mail for another network's workshop: want the standard text, got:\n%s", de.Text)
	}

	// Back to the standard text: mails composed afterwards use it.
	a.must(204, "DELETE", "/api/v1/networks/"+forum+"/mail-templates/received/de", token, nil)
	register(worded, "Dora", "de")
	if de := smtp.waitFor("dora@example.org", "Anmeldung bestätigt: Mailwerkstatt"); !strings.Contains(de.Text, "Wir freuen uns auf Sie") {
		t.Errorf("Dora's mail after the reset: want the standard text, got:\n%s", de.Text)
	}
}
