package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFreeTextPagesNeedThreeAnswersToTheQuestion: three people answer the default
// questionnaire, all three say what was most useful, two what was missing (issue 14). The
// organiser's evaluation shows the three and says why the two are not shown; neither the
// organiser's nor the lead's page holds the two.
func TestFreeTextPagesNeedThreeAnswersToTheQuestion(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Datenschutz 2026", "Anonyme Auswertung")
	secrets := []string{"Fehlte-Geheim-Ann", "Fehlte-Geheim-Cem", ""}
	for i, name := range []string{"Ann Albers", "Cem Demir", "Dana Kurz"} {
		p := s.registerWithToken(id, name, "Stadt Kassel")
		answers := []map[string]any{{"question_id": "most_useful", "text": "Nützlich-" + name}}
		for _, q := range []string{"satisfaction", "content", "organisation", "usefulness"} {
			answers = append(answers, map[string]any{"question_id": q, "scale": 4})
		}
		if secrets[i] != "" {
			answers = append(answers, map[string]any{"question_id": "missing", "text": secrets[i]})
		}
		s.api(http.MethodPut, "/api/v1/workshops/"+id+"/feedback/questionnaires/workshop/answer", p.token,
			map[string]any{"answers": answers}, nil)
	}

	org := s.signIn(t).get("/organiser/workshops/"+id+"/feedback").wantStatus(t, "the evaluation", http.StatusOK)
	org.mustContain(t, "the evaluation", "Nützlich-Ann Albers", "Nützlich-Dana Kurz",
		`<p class="muted withheld">Weniger als 3 Antworten: aus Datenschutzgründen nicht angezeigt.</p>`)
	b := s.browser()
	b.signInAsLead(t, s.leadToken("Datenschutz 2026"))
	lead := b.get("/lead/workshops/"+id+"/evaluation").wantStatus(t, "the lead's evaluation", http.StatusOK)
	for what, body := range map[string]string{"organiser's page": org.body, "lead's page": lead.body} {
		for _, secret := range secrets[:2] {
			if strings.Contains(body, secret) {
				t.Errorf("the %s holds %q, one of two answers to its question", what, secret)
			}
		}
	}
}
