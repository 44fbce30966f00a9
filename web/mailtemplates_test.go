package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMailTemplatePages: the instance's administrator opens a network's mail templates from its
// page, previews a wording, is told why a broken one is refused, saves one and resets it.
func TestMailTemplatePages(t *testing.T) {
	s := startService(t)
	b := s.signIn(t)

	list := b.get("/organiser/networks")
	at := b.post("/organiser/networks", url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "name": {"Forum Integration"}}).
		located(t, "create a network")
	network, _, _ := strings.Cut(at, "?")
	base := network + "/mail-templates"
	b.get(network).mustContain(t, "the network's page", `href="`+base+`"`, "E-Mail-Vorlagen")

	b.get(base).mustContain(t, "the list of mails", "E-Mail-Vorlagen: Forum Integration", "Anmeldung eingegangen (bestätigt oder Warteliste)",
		"Von der Warteliste nachgerückt", "Einladung ins Netzwerk", `href="`+base+`/received/de"`, `href="`+base+`/received/en"`, "Standardtext")

	path := base + "/received/de"
	form := b.get(path)
	form.mustContain(t, "the form", "E-Mail-Vorlage: Anmeldung eingegangen", "Diese E-Mail hat den Standardtext.", "<code>{{.Name}}</code>",
		"<code>{{.Position}}</code>", "Ihre Anmeldung ist eingegangen und bestätigt.", `name="subject"`, `<textarea id="f-text" name="text"`,
		`formaction="`+path+`/preview"`)
	if strings.Contains(form.body, path+"/reset") {
		t.Error("the form of a mail with the standard text offers to reset it")
	}
	fields := func(subject, text string) url.Values {
		return url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t)}, "subject": {subject}, "text": {text}}
	}

	preview := b.post(path+"/preview", fields("Hallo {{.Name}}", "<b>Bis bald</b> in {{.Venue}}\r\nIhr Forum"))
	if preview.status != http.StatusOK {
		t.Fatalf("the preview: got %d:\n%s", preview.status, preview.body)
	}
	preview.mustContain(t, "the preview", `id="preview"`, "Hallo Alex Beispiel", "&lt;b&gt;Bis bald&lt;/b&gt; in Rathaus, Saal 2\nIhr Forum",
		"/w/beispiel/r/beispiel?token=", "Ihr Orga-Team", `value="Hallo {{.Name}}"`)
	if strings.Contains(preview.body, "<b>Bis bald") {
		t.Error("the preview shows the organiser's text unescaped")
	}

	for _, bad := range []struct{ subject, text, want string }{
		{"{{.Geheimnis}}", "Text", "Bitte nur die genannten Platzhalter verwenden"},
		{"Betreff", "{{.Name", "Bitte nur die genannten Platzhalter verwenden"},
		{"", "Text", "Bitte ausfüllen."},
	} {
		for _, to := range []string{path, path + "/preview"} {
			p := b.post(to, fields(bad.subject, bad.text))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("POST %s %q %q: got %d, want 422", to, bad.subject, bad.text, p.status)
				continue
			}
			p.mustContain(t, "a refused wording", bad.want, "Bitte prüfen Sie die markierten Angaben.", html.EscapeString(bad.text))
		}
	}

	saved := b.post(path, fields("Willkommen bei {{.Workshop}}", "Liebe·r {{.Name}},\r\nwir freuen uns."))
	page := b.get(saved.located(t, "save the wording"))
	page.mustContain(t, "the saved wording", "Die Vorlage ist gespeichert.", "Diese E-Mail hat einen eigenen Text.",
		`value="Willkommen bei {{.Workshop}}"`, "Liebe·r {{.Name}},\nwir freuen uns.", path+"/reset")
	if !strings.Contains(b.get(base).body, `href="`+path+`" id="edit-received-de" aria-labelledby="edit-received-de k-received">Eigener Text`) {
		t.Error("the list does not show the own text of received/de")
	}

	reset := b.post(path+"/reset", url.Values{"_csrf": {page.csrf(t)}})
	b.get(reset.located(t, "reset the wording")).mustContain(t, "after the reset", "Die E-Mail verwendet wieder den Standardtext.",
		"Diese E-Mail hat den Standardtext.", "Ihre Anmeldung ist eingegangen und bestätigt.")

	// The pages in English (the language sticks from here on).
	b.get(base+"?lang=en").mustContain(t, "the list in English", "Mail templates: Forum Integration", "Moved up from the waitlist", "Standard text")
	b.get(path).mustContain(t, "the form in English", "Mail template: Registration received", "This email has the standard text.", "Placeholders")

	for _, unknown := range []string{base + "/no-such-kind/de", base + "/received/fr"} {
		if p := b.get(unknown); p.status != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", unknown, p.status)
		}
	}
}
