package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// noticeForm is a privacy notice form as a district administration fills it in.
func noticeForm(p page, t *testing.T, controller string) url.Values {
	return url.Values{"_csrf": {p.csrf(t)}, "key": {p.key(t)}, "controller.name": {controller},
		"controller.address": {"Kreishaus\r\nMarkt 1\r\n36433 Bad Salzungen"}, "controller.email": {"bildung@example.org"},
		"officer.name": {"Behördliche Datenschutzbeauftragte"}, "officer.email": {"datenschutz@example.org"},
		"purposes": {"Organisation der Workshops <script>alert(1)</script>"}, "legal_basis": {""}, "recipients": {""}, "rights": {""},
		"authority.name": {"Thüringer Landesbeauftragter für den Datenschutz"}, "authority.url": {"https://www.tlfdi.de"}}
}

// TestPrivacyPages: the instance's notice and a network's are public pages in German and English,
// filled from the template where nothing was stated; the registration page shows an excerpt
// (controller, purpose, storage period) and the link to the workshop's notice before the
// consent and the submit button; the instance's administrator and the network's admin state
// the notices on forms pre-filled with the template, and hostile text stays text.
func TestPrivacyPages(t *testing.T) {
	s := startService(t)
	b := s.signIn(t)
	anyone := s.browser()

	// The instance's notice before anything was stated: the template.
	anyone.get("/privacy").mustContain(t, "the instance's template", "Datenschutzhinweis", "Verantwortliche Stelle",
		"Zwecke und Rechtsgrundlagen", "Art. 6 Abs. 1 Buchst. a DSGVO", "Empfänger", "Speicherdauer",
		"Ihre Angaben werden 12 Monate nach dem letzten Tag des Workshops gelöscht.", "Ihre Rechte", "Auskunft", "(Art. 15 DSGVO)",
		"(Art. 16 DSGVO)", "(Art. 17 DSGVO)", "(Art. 18 DSGVO)", "(Art. 20 DSGVO)", "(Art. 21 DSGVO)", "widerrufen",
		"Beschwerderecht bei der Aufsichtsbehörde", "Noch nicht angegeben.", `id="remember-cookie"`, `id="template-hint"`)
	english := s.browser()
	english.get("/privacy?lang=en").mustContain(t, "the instance's template in English", "Privacy notice", "Controller",
		"Purposes and legal bases", "Recipients", "Storage period", "Your details are erased 12 months after the last day of the workshop.",
		"Your rights", "(Article 15 GDPR)", "Right to lodge a complaint with the supervisory authority")

	// A workshop of no network: the excerpt links the instance's notice, before the consent.
	id, _ := s.workshop("Sommerwerkstatt", 10)
	form := anyone.get("/w/" + id + "/register")
	form.mustContain(t, "the registration form", `id="privacy-excerpt"`, "Ihre Angaben werden 12 Monate nach dem letzten Tag des Workshops gelöscht.",
		`href="/privacy" target="_blank" rel="noopener" id="privacy-link"`, "Wir verarbeiten Ihre Angaben")
	excerpt := strings.Index(form.body, `id="privacy-excerpt"`)
	if consent, submit := strings.Index(form.body, `id="f-consent"`), strings.Index(form.body, `<button type="submit"`); excerpt < 0 || excerpt > consent || excerpt > submit {
		t.Errorf("the excerpt (at %d) is not before the consent (%d) and the submit button (%d)", excerpt, consent, submit)
	}

	// The instance's administrator states the instance's notice on a form pre-filled with the template.
	b.get("/organiser").mustContain(t, "the dashboard", `href="/organiser/privacy"`)
	edit := b.get("/organiser/privacy")
	edit.mustContain(t, "the instance's form", `name="controller.name"`, `name="authority.url"`, "Noch kein eigener Datenschutzhinweis",
		"(Art. 15 DSGVO)", "Art. 6 Abs. 1 Buchst. a DSGVO")
	bad := noticeForm(edit, t, "")
	bad.Set("officer.email", "kein-at")
	refused := b.post("/organiser/privacy", bad)
	if refused.status != http.StatusUnprocessableEntity {
		t.Fatalf("an incomplete notice: got %d, want 422:\n%s", refused.status, refused.body)
	}
	refused.mustContain(t, "the refused notice", "Bitte prüfen Sie die markierten Angaben.", `id="e-controller.name"`, `id="e-officer.email"`)
	saved := b.post("/organiser/privacy", noticeForm(edit, t, "Werkstatt-Betrieb des Landkreises"))
	b.get(saved.located(t, "save the instance's notice")).mustContain(t, "the saved form", "Der Datenschutzhinweis ist gespeichert.",
		`value="Werkstatt-Betrieb des Landkreises"`)
	public := anyone.get("/privacy")
	public.mustContain(t, "the instance's notice", "Werkstatt-Betrieb des Landkreises", "Markt 1", "mailto:datenschutz@example.org",
		"Datenschutzbeauftragte·r", "Thüringer Landesbeauftragter", `href="https://www.tlfdi.de"`, "&lt;script&gt;alert(1)&lt;/script&gt;",
		"(Art. 17 DSGVO)")
	if strings.Contains(public.body, "<script>alert(1)") || strings.Contains(public.body, `id="template-hint"`) {
		t.Error("the stated notice shows the script as markup, or still says it is the template")
	}
	anyone.get("/w/"+id+"/register").mustContain(t, "the excerpt of the stated notice", "Verantwortlich: Werkstatt-Betrieb des Landkreises.",
		"Organisation der Workshops &lt;script&gt;")

	// A network's admin (here the administrator) states the network's notice; its workshops link it.
	list := b.get("/organiser/networks")
	at := b.post("/organiser/networks", url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "name": {"Netzwerk Wartburgkreis"}}).
		located(t, "create a network")
	network, _, _ := strings.Cut(at, "?")
	nid := strings.TrimPrefix(network, "/organiser/networks/")
	b.get(network).mustContain(t, "the network's page", `href="`+network+`/privacy" id="privacy-notice-link"`)
	nform := b.get(network + "/privacy")
	nform.mustContain(t, "the network's form", `value="Netzwerk Wartburgkreis"`, "(Art. 21 DSGVO)")
	b.get(b.post(network+"/privacy", noticeForm(nform, t, "Landkreis Wartburgkreis")).located(t, "save the network's notice")).
		mustContain(t, "the network's saved form", "Der Datenschutzhinweis ist gespeichert.")
	var w struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": "Ideenwerkstatt März", "series": "Ideenwerkstatt",
		"venue": "Eisenach", "days": []string{"2026-11-16"}, "capacity": 20, "network": nid}, &w)
	reg := anyone.get("/w/" + w.ID + "/register")
	reg.mustContain(t, "the network's registration form", "Verantwortlich: Landkreis Wartburgkreis.",
		`href="/networks/`+nid+`/privacy" target="_blank" rel="noopener" id="privacy-link"`)
	if strings.Contains(reg.body, "Werkstatt-Betrieb") {
		t.Error("a network's workshop shows the instance's notice")
	}
	anyone.get("/networks/"+nid).mustContain(t, "the network's public page", `href="/networks/`+nid+`/privacy" id="network-privacy-link"`)
	anyone.get("/networks/"+nid+"/privacy").mustContain(t, "the network's notice", "Datenschutzhinweis: Netzwerk Wartburgkreis",
		"Landkreis Wartburgkreis", "Reihe „Ideenwerkstatt“: Ihre Angaben werden 12 Monate nach dem letzten Tag des Workshops gelöscht.",
		"(Art. 18 DSGVO)")
	english.get("/networks/"+nid+"/privacy").mustContain(t, "the network's notice in English", "Privacy notice: Netzwerk Wartburgkreis",
		"Landkreis Wartburgkreis", "Series “Ideenwerkstatt”: Your details are erased 12 months after the last day of the workshop.",
		"(Article 20 GDPR)", "Right to lodge a complaint")

	// The network's default retention period, on the form beside its notice: the notice and the
	// registration page tell it for the series that sets none.
	rform := b.get(network + "/privacy")
	rform.mustContain(t, "the default retention form", "Standard-Aufbewahrungsfrist", `id="network-retention-current"`,
		"Das Netzwerk hat keine eigene Standard-Aufbewahrungsfrist: Es gelten 12 Monate", `action="`+network+`/retention"`)
	if p := b.post(network+"/retention", url.Values{"_csrf": {rform.csrf(t)}, "key": {"k-network-retention"}, "months": {"0"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a default retention period of 0 months: got %d, want 422", p.status)
	} else {
		p.mustContain(t, "the refused period", `id="e-months"`)
	}
	b.get(b.post(network+"/retention", url.Values{"_csrf": {rform.csrf(t)}, "key": {"k-network-retention"}, "months": {"6"}}).
		located(t, "save the default retention period")).mustContain(t, "the saved period", "Die Standard-Aufbewahrungsfrist ist gespeichert.",
		"Standard-Aufbewahrungsfrist des Netzwerks: 6 Monate")
	anyone.get("/networks/"+nid+"/privacy").mustContain(t, "the notice with the network's period",
		"Reihe „Ideenwerkstatt“: Ihre Angaben werden 6 Monate nach dem letzten Tag des Workshops gelöscht.")
	anyone.get("/w/"+w.ID+"/register").mustContain(t, "the registration page with the network's period",
		"Ihre Angaben werden 6 Monate nach dem letzten Tag des Workshops gelöscht.")

	// Unknown networks are not found; the instance's notice is no network.
	for _, path := range []string{"/networks/NOSUCHNETWORK/privacy", "/networks/instance/privacy", "/networks/a%2Fb/privacy"} {
		if p := anyone.get(path); p.status != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", path, p.status)
		}
	}
	// Nobody but the administrator opens the instance's form.
	if p := anyone.get("/organiser/privacy"); p.status == http.StatusOK {
		t.Errorf("an anonymous visitor opened the instance's form: %d", p.status)
	}
}
