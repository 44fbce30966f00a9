package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRegistrationQuestionsPages sets up registration questions on the organiser's page, in
// German and in English, registers with answers on the public form (errors next to the fields
// in both languages), and finds the answers in the registrations list and their counts on the
// attendance page.
func TestRegistrationQuestionsPages(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Klima 2026", "Kommunale Wärmeplanung") // Ben Okafor, present, registered before the questions
	b := s.signIn(t)
	setup := "/organiser/workshops/" + id + "/registration-questions"

	p := b.get(setup)
	p.mustContain(t, "the empty setup page", "Anmeldefragen", "Neue Frage", "Antworten zur Auswahl", `name="q1.label"`)
	b.get("/organiser/workshops/"+id+"/registrations").mustContain(t, "the link from the workshop's pages", `href="`+setup+`"`)
	bad := url.Values{"_csrf": {p.csrf(t)}, "rows": {"2"}, "q0.id": {"sector"}, "q0.label": {"Sektor"}, "q0.kind": {"choice"},
		"q0.options": {"Politik"}, "q1.id": {"sector"}, "q1.label": {"Nochmal"}, "q1.kind": {"yes_no"}}
	p = b.post(setup, bad)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad questions: got %d, want 422:\n%s", p.status, p.body)
	}
	p.mustContain(t, "the refused questions", "Bitte prüfen Sie die markierten Angaben.", `id="e-q0.options"`, `id="e-q1.id"`, `value="Nochmal"`)

	good := url.Values{"_csrf": {p.csrf(t)}, "rows": {"4"},
		"q0.id": {"multiplier"}, "q0.label": {"Ich bin Multiplikator·in"}, "q0.kind": {"yes_no"}, "q0.position": {"2"},
		"q1.id": {"sector"}, "q1.label": {"Sektor"}, "q1.kind": {"choice"}, "q1.position": {"1"}, "q1.required": {"yes"},
		"q1.options": {"Politik\r\nVerwaltung\r\n\r\nZivilgesellschaft"},
		"q2.id":      {"why"}, "q2.label": {"Was erwarten Sie?"}, "q2.kind": {"text"}, "q2.position": {"3"},
		"q3.id": {"gone"}, "q3.label": {"Entfernt"}, "q3.kind": {"text"}, "q3.remove": {"yes"}}
	p = b.post(setup, good)
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: got %d, want 303:\n%s", p.status, p.body)
	}
	p = b.get(setup + "?saved=1")
	p.mustContain(t, "the saved questions", "Die Anmeldefragen sind gespeichert.", `value="sector"`, "Verwaltung\nZivilgesellschaft")
	if i, j := strings.Index(p.body, `value="sector"`), strings.Index(p.body, `value="multiplier"`); i < 0 || j < i {
		t.Errorf("the questions are not in the order of their positions")
	}
	if contains(p.body, `value="gone"`) {
		t.Errorf("the removed question is still there")
	}
	b.get(setup+"?lang=en").mustContain(t, "the English setup page", "Registration questions", "Answers to choose from", "Yes/no")

	// The public form asks them; a missing required answer is said next to its field.
	form := "/w/" + id + "/register"
	pub := s.browser()
	p = pub.get(form)
	p.mustContain(t, "the form", "Sektor", "<option>Verwaltung</option>", `name="answers.multiplier" value="yes"`, `name="answers.why"`)
	reg := url.Values{"_csrf": {p.csrf(t)}, "key": {"r1"}, "name": {"Ada Lovelace"}, "email": {"ada@example.org"},
		"organisation": {"Stadt Kassel"}, "days": {"2026-11-16"}, "consent": {"yes"}, "answers.why": {"Austausch"}}
	p = pub.post(form, reg)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("without the required answer: got %d, want 422", p.status)
	}
	p.mustContain(t, "the missing answer", `id="e-answers.sector"`, `value="Austausch"`)
	p = pub.post(form+"?lang=en", reg)
	p.mustContain(t, "the missing answer in English", `id="e-answers.sector"`, "Please check the marked entries.", `id="e-answers.sector">Please fill this in.`)
	reg.Set("answers.sector", "Verwaltung")
	reg.Set("answers.multiplier", "yes")
	p = pub.post(form, reg)
	if p.status != http.StatusSeeOther {
		t.Fatalf("register: got %d, want 303:\n%s", p.status, p.body)
	}

	list := b.get("/organiser/workshops/" + id + "/registrations?lang=de")
	list.mustContain(t, "the answers in the list", `<th scope="col">Sektor</th>`, `<td class="answer-sector">Verwaltung</td>`,
		`<td class="answer-multiplier">ja</td>`, `<td class="answer-why">Austausch</td>`)
	b.get("/organiser/workshops/"+id+"/attendance?lang=de").mustContain(t, "the counts", "Nach Anmeldefragen", `id="answers-sector"`,
		"<tr><th scope=\"row\">Verwaltung</th><td>1</td><td>0</td></tr>", "<tr><th scope=\"row\">Politik</th><td>0</td><td>0</td></tr>")

	// The lead of the series reads the same counts on their view of the attendance report.
	lead := s.browser()
	lead.signInAsLead(t, s.leadToken("Klima 2026"))
	lead.get("/lead/workshops/"+id+"/attendance?lang=de").mustContain(t, "the lead's counts", "Nach Anmeldefragen",
		`id="answers-multiplier"`, "<tr><th scope=\"row\">ja</th><td>1</td><td>0</td></tr>")
}
