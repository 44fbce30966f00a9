package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// feedbackAnswers are the form values of a full answer to the default questionnaire.
func feedbackAnswers(scale, nextTopics string) url.Values {
	return url.Values{"questionnaire": {"workshop"}, "a.satisfaction": {scale}, "a.content": {scale},
		"a.organisation": {scale}, "a.usefulness": {scale}, "a.next_topics": {nextTopics}}
}

// ownFeedbackPage is a participant's feedback page and its form, posted with their token.
type ownFeedbackPage struct {
	b    *browser
	path string
	p    participant
}

func (s *service) ownFeedback(id string, p participant) ownFeedbackPage {
	return ownFeedbackPage{b: s.browser(), path: "/w/" + id + "/r/" + p.id + "/feedback", p: p}
}

func (o ownFeedbackPage) page(t *testing.T) page {
	t.Helper()
	return o.b.get(o.path+"?token="+url.QueryEscape(o.p.token)).wantStatus(t, "open the feedback page", http.StatusOK)
}

func (o ownFeedbackPage) post(t *testing.T, v url.Values) page {
	t.Helper()
	personal := strings.TrimSuffix(o.path, "/feedback") + "?token=" + url.QueryEscape(o.p.token)
	v.Set("_csrf", o.b.get(personal).csrf(t)) // the feedback page has no form when it is closed

	v.Set("token", o.p.token)
	return o.b.post(o.path, v)
}

// feedbackRound sets up a workshop with three confirmed people checked in, one waitlisted and a
// session questionnaire with a choice, through the JSON API.
func (s *service) feedbackRound(title string) (id, session string, people []participant) {
	s.t.Helper()
	id, session = s.workshop(title, 3)
	for _, name := range []string{"Ann Albers", "Ben Okafor", "Cem Demir", "Dana Kurz"} {
		people = append(people, s.registerWithToken(id, name, "Stadt Kassel"))
	}
	for _, p := range people[:3] {
		s.api(http.MethodPost, "/api/v1/workshops/"+id+"/check-ins", organiserToken,
			map[string]any{"registration_id": p.id, "day": "2026-11-16"}, nil)
	}
	s.api(http.MethodPut, "/api/v1/workshops/"+id+"/feedback/questionnaires/session-"+session, organiserToken,
		map[string]any{"questions": []map[string]any{{"id": "format", "kind": "multiple_choice", "required": true,
			"text": map[string]string{"de": "Was hat geholfen?", "en": "What helped?"}, "options": []map[string]any{
				{"id": "talk", "text": map[string]string{"de": "Vortrag", "en": "Talk"}},
				{"id": "questions", "text": map[string]string{"de": "Fragen", "en": "Questions"}}}}}}, nil)
	return id, session, people
}

// TestFeedbackPages walks issue 5 and 6 through the pages: feedback opened by the organiser,
// the participants' forms with their rejections and repeats, the evaluation, a "next topics"
// answer turned into a follow-up topic, and closing.
func TestFeedbackPages(t *testing.T) {
	s := startService(t)
	id, session, people := s.feedbackRound("Kommunale Wärmeplanung")
	ann, ben, cem, dana := people[0], people[1], people[2], people[3]
	personal := func(p participant) page {
		t.Helper()
		return s.browser().get("/w/"+id+"/r/"+p.id+"?token="+url.QueryEscape(p.token)).wantStatus(t, "the personal page", http.StatusOK)
	}
	anns := s.ownFeedback(id, ann)
	if got := personal(ann).body; strings.Contains(got, "feedback-link") {
		t.Errorf("the personal page before feedback opens: got a feedback link, want none")
	}
	anns.page(t).mustContain(t, "before feedback opens", "Die Rückmeldung ist noch nicht geöffnet.", "anonym")

	b := s.signIn(t)
	fb := "/organiser/workshops/" + id + "/feedback"
	csrf := b.get(fb).wantStatus(t, "the organiser's feedback page", http.StatusOK).csrf(t)
	post := func(path string, v url.Values) page {
		t.Helper()
		v.Set("_csrf", csrf)
		return b.post(path, v)
	}
	post(fb+"/state", url.Values{"action": {"open"}}).wantStatus(t, "open feedback", http.StatusSeeOther)
	opened := b.get(fb)
	opened.mustContain(t, "after opening", "Geöffnet: Teilnehmende können antworten", `id="close-feedback"`,
		`<p class="muted no-answers">Noch keine Antworten.</p>`) // issue 14: no empty questions and bars
	if strings.Contains(opened.body, `class="question"`) {
		t.Errorf("the evaluation before any answer: got questions, want only that there are no answers yet")
	}
	personal(ann).mustContain(t, "the personal page while feedback is open", `id="feedback-link"`)
	if got := personal(dana).body; strings.Contains(got, "feedback-link") {
		t.Errorf("the waitlisted person's personal page: got a feedback link, want none")
	}
	anns.page(t).mustContain(t, "the open form", `<legend>Wie zufrieden waren Sie insgesamt?`, `type="radio" name="a.satisfaction"`,
		`<textarea id="workshop-next_topics"`, "Programmpunkt: Begrüßung", `type="checkbox" name="a.format"`)

	t.Run("rejections", func(t *testing.T) {
		missing := feedbackAnswers("4", "Abwärme")
		missing.Del("a.satisfaction")
		anns.post(t, missing).wantStatus(t, "a required answer missing", http.StatusUnprocessableEntity).
			mustContain(t, "a required answer missing", `id="e-workshop-satisfaction">Bitte beantworten Sie diese Frage.`,
				"Bitte prüfen Sie die markierten Angaben.", ">Abwärme</textarea>")
		anns.post(t, feedbackAnswers("9", "")).wantStatus(t, "a scale of 9", http.StatusUnprocessableEntity).
			mustContain(t, "a scale of 9", `id="e-workshop-content">Diese Antwort passt nicht zur Frage.`)
		anns.post(t, url.Values{"questionnaire": {"nonsense"}}).wantStatus(t, "an unknown questionnaire", http.StatusNotFound)
		s.ownFeedback(id, dana).post(t, feedbackAnswers("5", "")).wantStatus(t, "a waitlisted person answers", http.StatusUnprocessableEntity).
			mustContain(t, "a waitlisted person answers", "Eine Rückmeldung geben nur Personen mit bestätigter Anmeldung.")
		wrong := s.ownFeedback(id, participant{ann.id, ben.token})
		wrong.b.get(wrong.path+"?token="+url.QueryEscape(ben.token)).wantStatus(t, "someone else's token", http.StatusNotFound)
	})

	// Ann answers through the API first: the page's answer must replace it, not add a second.
	s.api(http.MethodPut, "/api/v1/workshops/"+id+"/feedback/questionnaires/workshop/answer", ann.token, map[string]any{
		"answers": []map[string]any{{"question_id": "satisfaction", "scale": 1}, {"question_id": "content", "scale": 1},
			{"question_id": "organisation", "scale": 1}, {"question_id": "usefulness", "scale": 1}}}, nil)
	saved := anns.post(t, feedbackAnswers("5", "Abwärme aus Rechenzentren")).wantStatus(t, "Ann answers", http.StatusSeeOther)
	anns.b.get(saved.header.Get("Location")).mustContain(t, "after answering",
		"Ihre Rückmeldung wurde gespeichert; Sie können sie ändern, bis die Rückmeldung schließt.")
	s.ownFeedback(id, ben).post(t, feedbackAnswers("3", "Fördermittel")).wantStatus(t, "Ben answers", http.StatusSeeOther)
	b.get(fb).mustContain(t, "with two responses", "Weniger als 3 Antworten: aus Datenschutzgründen nicht angezeigt", "Noch keine Themenwünsche.")
	s.ownFeedback(id, cem).post(t, feedbackAnswers("4", "Abwärme aus Rechenzentren")).wantStatus(t, "Cem answers", http.StatusSeeOther)
	s.ownFeedback(id, cem).post(t, url.Values{"questionnaire": {"session-" + session}, "a.format": {"talk", "questions"}}).
		wantStatus(t, "Cem answers the session's questionnaire", http.StatusSeeOther)

	org := b.get(fb).wantStatus(t, "the evaluation", http.StatusOK)
	org.mustContain(t, "the evaluation", "3 Rückmeldungen", "Rücklauf 100\u00a0% von 3 Anwesenden", "Mittelwert: <strong>4,0</strong>",
		"Median: <strong>4,0</strong>", `class="fill w-35"`, "Fördermittel", "Vortrag", "1 Rückmeldung")
	if n := strings.Count(org.body, "Abwärme aus Rechenzentren</p>"); n != 1 {
		t.Errorf("the topic ideas: got %d entries for two equal answers, want 1", n)
	}
	for _, name := range []string{"Ann Albers", "Ben Okafor", "Cem Demir"} {
		if strings.Contains(org.body, name) {
			t.Errorf("the evaluation: got the name %s, want anonymous answers", name)
		}
	}

	t.Run("topics from feedback", func(t *testing.T) {
		post(fb+"/topics", url.Values{"text": {"Etwas, das niemand schrieb"}}).wantStatus(t, "an idea nobody had", http.StatusUnprocessableEntity).
			mustContain(t, "an idea nobody had", "Diese Antwort steht nicht (mehr) in der Auswertung.")
		for range 2 { // the second is a double click
			post(fb+"/topics", url.Values{"text": {"Abwärme aus Rechenzentren"}}).wantStatus(t, "make a topic", http.StatusSeeOther)
		}
		bo := s.board(id)
		if len(bo.Topics) != 1 || bo.Topics[0].Title != "Abwärme aus Rechenzentren" {
			t.Fatalf("after making a topic twice: got %+v, want one topic", bo.Topics)
		}
		var raw struct {
			Topics []struct{ Source struct{ Kind string } }
		}
		s.api(http.MethodGet, "/api/v1/workshops/"+id+"/topics", organiserToken, nil, &raw)
		if got := raw.Topics[0].Source.Kind; got != "feedback" {
			t.Errorf("the topic's source: got %q, want feedback", got)
		}
		b.get(fb).mustContain(t, "after making a topic", "✓ Ist Folgethema", `id="idea-1"`)
	})

	post(fb+"/state", url.Values{"action": {"close"}}).wantStatus(t, "close feedback", http.StatusSeeOther)
	anns.page(t).mustContain(t, "after closing", "Die Rückmeldung ist geschlossen.")
	anns.post(t, feedbackAnswers("2", "")).wantStatus(t, "answer after closing", http.StatusUnprocessableEntity).
		mustContain(t, "answer after closing", "Antworten können nur gegeben oder geändert werden, solange die Rückmeldung offen ist.")
	if got := personal(ann).body; strings.Contains(got, "feedback-link") {
		t.Errorf("the personal page after closing: got a feedback link, want none")
	}
}
