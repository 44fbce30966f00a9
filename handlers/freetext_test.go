package handlers_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFreeTextNeedsThreeAnswersToTheQuestion: three people answer the default questionnaire;
// all three write what was most useful, only two what was missing (issue 14). The evaluation
// shows the three texts and withholds the two, in the JSON and in every export: three responses
// to the questionnaire are not enough when only two people wrote to the question.
func TestFreeTextNeedsThreeAnswersToTheQuestion(t *testing.T) {
	s := startService(t)
	w := s.schedule(3)
	base := "/api/v1/workshops/" + w.ID
	s.must(request{method: "POST", path: base + "/feedback/open", token: org}, 200, nil)
	secrets := map[string]string{"Ada": "Fehlte-Geheim-Ada", "Bea": "Fehlte-Geheim-Bea", "Cem": ""}
	for _, name := range []string{"Ada", "Bea", "Cem"} {
		p := s.register(w, person(name, "Verein "+name))
		body := defaultAnswers([4]int{4, 4, 4, 4}, "Nützlich-"+name)
		if secret := secrets[name]; secret != "" {
			body["answers"] = append(body["answers"].([]map[string]any), map[string]any{"question_id": "missing", "text": secret})
		}
		s.must(request{method: "PUT", path: base + "/feedback/questionnaires/workshop/answer", token: p.Token, body: body}, 200, nil)
	}

	res := s.must(request{method: "GET", path: base + "/feedback/evaluation", token: org}, 200, nil)
	var ev evaluation
	s.must(request{method: "GET", path: base + "/feedback/evaluation", token: org}, 200, &ev)
	q := ev.Questionnaires[0]
	useful, missing := q.Questions[4], q.Questions[5]
	if q.Responses != 3 || !q.TextsWithheld || useful.Question.ID != "most_useful" || len(useful.Texts) != 3 || useful.TextsWithheld {
		t.Errorf("most useful: got %d responses, %+v, want 3 responses and its three texts shown", q.Responses, useful)
	}
	if missing.Question.ID != "missing" || missing.Answers != 2 || missing.Texts != nil || !missing.TextsWithheld {
		t.Errorf("missing: got %+v, want 2 answers withheld", missing)
	}
	documents := map[string][]byte{"JSON": res.body}
	for _, ext := range []string{"csv", "xlsx", "pdf"} {
		documents[ext] = s.must(request{method: "GET", path: base + "/reports/evaluation." + ext, token: org}, 200, nil).body
	}
	documents["pdf"] = []byte(strings.Join(pdfText(t, documents["pdf"]), " "))
	documents["xlsx"] = []byte(strings.Join(workbookCells(t, documents["xlsx"]), " "))
	for what, b := range documents {
		for _, secret := range []string{"Fehlte-Geheim-Ada", "Fehlte-Geheim-Bea"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("evaluation %s holds %q, one of two answers to its question", what, secret)
			}
		}
	}
	contains(t, "evaluation PDF", string(documents["pdf"]), "Nützlich-Ada", "Weniger als 3 Antworten: aus Datenschutzgründen nicht angezeigt")
	contains(t, "evaluation XLSX", string(documents["xlsx"]), "Nützlich-Cem", "Weniger als 3 Antworten: aus Datenschutzgründen nicht angezeigt")
}

// workbookCells returns every cell of every sheet of a workbook.
func workbookCells(t *testing.T, b []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	var cells []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		for _, row := range rows {
			cells = append(cells, row...)
		}
	}
	return cells
}
