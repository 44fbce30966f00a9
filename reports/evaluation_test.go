package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// evaluationScenario: the default questionnaire answered by three of four people checked in,
// satisfaction 5, 4 and 3 (mean 4), with one free text each.
func evaluationScenario() (projections.WorkshopView, projections.FeedbackEvaluation) {
	ws := projections.WorkshopView{ID: "w1", Title: "Fachtag Teilhabe", Days: []domain.Day{"2026-11-16"}}
	q := projections.QuestionnaireRow{Workshop: "w1", ID: domain.WorkshopQuestionnaire, Version: 1,
		Questions: domain.DefaultQuestions()}
	var answers []projections.AnswerRow
	for i, v := range []int{5, 4, 3} {
		answers = append(answers, projections.AnswerRow{Workshop: "w1", Questionnaire: q.ID, Respondent: string(rune('a' + i)),
			Version: 1, Answers: []domain.Answer{{QuestionID: "satisfaction", Scale: v}, {QuestionID: "missing", Text: "Mehr Pausen " + string(rune('A'+i))}}})
	}
	var checkIns []domain.CheckIn
	for _, r := range []domain.RegistrationID{"r1", "r2", "r3", "r4"} {
		checkIns = append(checkIns, domain.CheckIn{RegistrationID: r, Day: "2026-11-16"})
	}
	return ws, projections.Evaluate(projections.FeedbackFacts{Workshop: "w1", State: domain.AnswersClosed,
		Questionnaires: []projections.QuestionnaireRow{q}, Answers: answers, CheckIns: checkIns})
}

func TestEvaluationCSV(t *testing.T) {
	ws, ev := evaluationScenario()
	var b bytes.Buffer
	if err := reports.EvaluationCSV(&b, reports.English, ws, ev); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, b.Bytes())
	// 4 scales of 5 values and 3 free-text questions, under a header.
	if len(rows) != 1+4*5+3 {
		t.Fatalf("got %d rows, want 24", len(rows))
	}
	want := []string{"Whole workshop", "1", "3", "4", "0,75", "How satisfied were you overall?", "scale", "3", "4", "4", "5", "1"}
	if got := rows[5]; !equal(got, want) {
		t.Errorf("got row %q, want %q", got, want)
	}
	if got := rows[1][10:]; got[0] != "1" || got[1] != "0" {
		t.Errorf("got value 1 counted %q, want 0", got)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEvaluationXLSX(t *testing.T) {
	ws, ev := evaluationScenario()
	var b bytes.Buffer
	if err := reports.EvaluationXLSX(&b, reports.German, ws, ev); err != nil {
		t.Fatal(err)
	}
	checkCells(t, b.Bytes(), map[[2]string]string{
		{"Übersicht", "A2"}: "Gesamter Workshop", {"Übersicht", "C2"}: "3", {"Übersicht", "E2"}: "0.75",
		{"Auswertung", "I2"}: "4", {"Freitexte", "D2"}: "Mehr Pausen A", {"Freitexte", "D4"}: "Mehr Pausen C",
	})
}

func TestEvaluationPDF(t *testing.T) {
	ws, ev := evaluationScenario()
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.EvaluationPDF(b, reports.German, ws, ev) })
	text := words(pages[0])
	inOrder(t, text, []string{"Auswertung", "Fachtag Teilhabe", "Gesamter Workshop", "Rückmeldungen: 3", "75 %",
		"Wie zufrieden waren Sie insgesamt?", "Mittelwert: 4,00", "Median: 4,00", "1", "0", "3", "1", "5", "1",
		"Was hat gefehlt?", "Mehr Pausen A", "Mehr Pausen B", "Mehr Pausen C"})
}

// TestEvaluationPDFWithoutAnswers: a questionnaire nobody answered yet, and a workshop without
// one, say "Noch keine Antworten." instead of empty questions and bars.
func TestEvaluationPDFWithoutAnswers(t *testing.T) {
	ws, _ := evaluationScenario()
	q := projections.QuestionnaireRow{Workshop: "w1", ID: domain.WorkshopQuestionnaire, Version: 1,
		Questions: domain.DefaultQuestions()}
	for name, ev := range map[string]projections.FeedbackEvaluation{
		"unanswered": projections.Evaluate(projections.FeedbackFacts{Workshop: "w1", State: domain.AnswersOpen,
			Questionnaires: []projections.QuestionnaireRow{q}}),
		"no questionnaire": {Workshop: "w1"},
	} {
		pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.EvaluationPDF(b, reports.German, ws, ev) })
		text := words(pages[0])
		inOrder(t, text, []string{"Auswertung", "Fachtag Teilhabe", "Noch", "keine", "Antworten."})
		for _, p := range pages {
			if strings.Contains(p, "Wie zufrieden") || strings.Contains(p, "Mittelwert") {
				t.Errorf("%s: got the questions %q, want only that there are no answers yet", name, p)
			}
		}
	}
}
