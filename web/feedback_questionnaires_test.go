package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Issue 14: organisers list, create and edit questionnaires on pages, in German and English.
func TestQuestionnairePages(t *testing.T) {
	s := startService(t)
	id, session, _ := s.feedbackRound("Questionnaire pages")
	b := s.signIn(t)
	fb := "/organiser/workshops/" + id + "/feedback"
	qn := fb + "/questionnaires/session-" + session
	b.get(fb).wantStatus(t, "the feedback page", http.StatusOK).mustContain(t, "the list", "Fragebögen",
		`id="qn-session-`+session+`"`, "Noch nicht angelegt.", `href="`+qn+`"`)
	form := b.get(qn).wantStatus(t, "the empty form", http.StatusOK)
	form.mustContain(t, "the empty form", `name="q0_text_de"`, `name="q0_kind"`, "Freitext", "Neue Frage")
	post := func(v url.Values) page {
		t.Helper()
		v.Set("_csrf", form.csrf(t))
		return b.post(qn, v)
	}
	post(url.Values{"q0_no": {"1"}, "q0_kind": {"scale"}, "q0_text_de": {"Wie hilfreich?"},
		"q1_no": {"2"}, "q1_kind": {"single_choice"}, "q1_text_de": {"Welches Format?"}}).
		wantStatus(t, "a choice without options", http.StatusUnprocessableEntity).
		mustContain(t, "a choice without options", "Bitte prüfen Sie die markierten Angaben.", `id="e-q1_options"`)
	post(url.Values{"q0_no": {"2"}, "q0_kind": {"scale"}, "q0_text_de": {"Wie hilfreich?"},
		"q1_no": {"1"}, "q1_kind": {"text"}, "q1_text_de": {"Was fehlte?"}, "q2_no": {"3"}}).
		wantStatus(t, "save", http.StatusSeeOther)
	saved := b.get(qn+"?saved=1").wantStatus(t, "after saving", http.StatusOK)
	saved.mustContain(t, "after saving", "Fassung 1", "Gespeichert.", `value="Was fehlte?"`)
	b.get(fb).mustContain(t, "the list after saving", "Fassung 1, 2 Fragen")

	b.get("/?lang=en")
	en := b.get(qn).wantStatus(t, "the English form", http.StatusOK)
	en.mustContain(t, "the English form", "Questionnaire", "Free text", "New question", "Remove question")
	form = en
	post(url.Values{"q0_id": {"x"}, "q0_no": {"1"}, "q0_kind": {"scale"}}).
		wantStatus(t, "a question without text", http.StatusUnprocessableEntity).
		mustContain(t, "a question without text", "Please check the marked entries.", `id="e-q0_text_de"`)
}
