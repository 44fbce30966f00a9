package handlers_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

var sectorQuestions = map[string]any{"questions": []map[string]any{
	{"id": "sector", "label": "Sektor", "kind": "choice", "required": true,
		"options": []string{"Politik", "Verwaltung", "Wissenschaft", "Wirtschaft", "Zivilgesellschaft"}},
	{"id": "multiplier", "label": "Ich bin Multiplikator·in", "kind": "yes_no"},
	{"id": "why", "label": "Was erwarten Sie?", "kind": "text"},
}}

// TestRegistrationQuestions sets a workshop's registration questions over HTTP and registers
// with answers, against real NATS and both read models: the answers show in the registration,
// wrong answers are 422 with the field, and erasure keeps the choice answers and forgets the
// text ones.
func TestRegistrationQuestions(t *testing.T) {
	eachReadModel(t, testRegistrationQuestions)
}

type questionsJSON struct {
	Questions []struct {
		ID, Label, Kind string
		Options         []string
		Required        bool
	}
}

func testRegistrationQuestions(t *testing.T, s *service) {
	w := s.schedule(10)
	base := "/api/v1/workshops/" + w.ID
	var got questionsJSON
	s.must(request{method: "GET", path: base + "/registration-questions"}, 200, &got)
	if got.Questions == nil || len(got.Questions) != 0 {
		t.Fatalf("no questions: got %+v, want []", got)
	}
	s.must(request{method: "PUT", path: base + "/registration-questions", body: sectorQuestions}, 401, nil)
	s.must(request{method: "PUT", path: base + "/registration-questions", token: org, body: sectorQuestions}, 200, &got)
	if len(got.Questions) != 3 || got.Questions[0].ID != "sector" || len(got.Questions[0].Options) != 5 || !got.Questions[0].Required {
		t.Fatalf("set: got %+v", got)
	}
	s.must(request{method: "GET", path: base + "/registration-questions"}, 200, &got)
	if len(got.Questions) != 3 || got.Questions[1].Kind != "yes_no" {
		t.Fatalf("get: got %+v", got)
	}

	for _, tc := range []struct {
		body   any
		status int
		fields []string
	}{
		{`{}`, 422, []string{"questions"}},
		{`{"questions": null}`, 422, []string{"questions"}},
		{`{"questions": {}}`, 400, []string{"questions"}},
		{`{"questions": [{"id": "s", "label": "S", "kind": "choice", "options": ["A"], "colour": "x"}]}`, 400, []string{"colour"}},
		{`{"questions": [{"id": "s", "label": "S\u0000", "kind": "choice", "options": ["A", "A"]}, {"id": "s", "label": "T", "kind": "scale"}]}`,
			422, []string{"questions[0].label", "questions[0].options[1]", "questions[1].id", "questions[1].kind"}},
	} {
		p := problemOf(t, s.do(request{method: "PUT", path: base + "/registration-questions", token: org, body: tc.body}), tc.status)
		if fields := fieldsOf(p); !slices.Equal(fields, tc.fields) {
			t.Errorf("%v: got errors on %v (%s), want %v", tc.body, fields, p.Detail, tc.fields)
		}
	}

	ada := person("Ada", "Verein A")
	for _, tc := range []struct {
		answers any
		status  int
		fields  []string
	}{
		{nil, 422, []string{"answers.sector"}},
		{map[string]any{"sector": "Kirche"}, 422, []string{"answers.sector"}},
		{map[string]any{"sector": "Politik", "colour": "blau"}, 422, []string{"answers.colour"}},
		{map[string]any{"sector": "Politik", "multiplier": "ja"}, 422, []string{"answers.multiplier"}},
		{map[string]any{"sector": true, "why": 3}, 422, []string{"answers.sector", "answers.why"}},
		{map[string]any{"sector": "Politik", "why": "a\u0000b"}, 422, []string{"answers.why"}},
		{"sector", 400, []string{"answers"}},
	} {
		body := maps.Clone(ada)
		body["answers"] = tc.answers
		p := problemOf(t, s.do(request{method: "POST", path: base + "/registrations", body: body}), tc.status)
		if fields := fieldsOf(p); !slices.Equal(fields, tc.fields) {
			t.Errorf("%v: got errors on %v (%s), want %v", tc.answers, fields, p.Detail, tc.fields)
		}
	}

	ada["answers"] = map[string]any{"sector": "Verwaltung", "multiplier": true, "why": "Austausch"}
	a := s.register(w, ada)
	bea := person("Bea", "Verein B")
	bea["answers"] = map[string]any{"sector": "Verwaltung", "multiplier": false}
	b := s.register(w, bea)
	s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{"registration_id": a.ID, "day": day1}}, 201, nil)

	var r struct{ Answers map[string]string }
	r.Answers = nil
	s.must(request{method: "GET", path: base + "/registrations/" + a.ID, token: org}, 200, &r)
	if want := map[string]string{"sector": "Verwaltung", "multiplier": "yes", "why": "Austausch"}; !maps.Equal(r.Answers, want) {
		t.Errorf("Ada's answers: got %v, want %v", r.Answers, want)
	}
	r.Answers = nil
	s.must(request{method: "GET", path: base + "/registrations/" + b.ID, token: b.Token}, 200, &r)
	if want := map[string]string{"sector": "Verwaltung", "multiplier": "no"}; !maps.Equal(r.Answers, want) {
		t.Errorf("Bea's answers: got %v, want %v", r.Answers, want)
	}

	s.must(request{method: "DELETE", path: base + "/registrations/" + a.ID + "/personal-data", token: org}, 204, nil)
	r.Answers = nil
	s.must(request{method: "GET", path: base + "/registrations/" + a.ID, token: org}, 200, &r)
	if want := map[string]string{"sector": "Verwaltung", "multiplier": "yes"}; !maps.Equal(r.Answers, want) {
		t.Errorf("after erasure: got %v, want the choice answers kept and the text forgotten: %v", r.Answers, want)
	}

	// The attendance report counts the answers from the read model: the erasure changed nothing.
	var rep struct {
		Questions []struct {
			ID      string
			Answers []struct {
				Name               string
				Confirmed, Present int
			}
		}
	}
	s.must(request{method: "GET", path: base + "/reports/attendance.json", token: org}, 200, &rep)
	if len(rep.Questions) != 2 || rep.Questions[0].ID != "sector" || rep.Questions[1].ID != "multiplier" ||
		rep.Questions[0].Answers[1].Name != "Verwaltung" || rep.Questions[0].Answers[1].Confirmed != 2 || rep.Questions[0].Answers[1].Present != 1 ||
		rep.Questions[1].Answers[0].Confirmed != 1 || rep.Questions[1].Answers[0].Present != 1 || rep.Questions[1].Answers[1].Confirmed != 1 {
		t.Errorf("report counts after erasure: got %+v", rep.Questions)
	}
	many := make([]map[string]any, 21)
	for i := range many {
		many[i] = map[string]any{"id": fmt.Sprintf("q%d", i), "label": "Q", "kind": "text"}
	}
	p := problemOf(t, s.do(request{method: "PUT", path: base + "/registration-questions", token: org, body: map[string]any{"questions": many}}), 422)
	if fields := fieldsOf(p); !slices.Equal(fields, []string{"questions"}) {
		t.Errorf("21 questions: got errors on %v, want questions", fields)
	}

	// Removing a question hides its answers; a required question added later binds only newcomers.
	s.must(request{method: "PUT", path: base + "/registration-questions", token: org, body: map[string]any{"questions": []map[string]any{
		{"id": "sector", "label": "Sektor", "kind": "choice", "options": []string{"Politik", "Verwaltung"}},
		{"id": "region", "label": "Region", "kind": "text", "required": true}}}}, 200, &got)
	r.Answers = nil
	s.must(request{method: "GET", path: base + "/registrations/" + b.ID, token: org}, 200, &r)
	if want := map[string]string{"sector": "Verwaltung"}; !maps.Equal(r.Answers, want) {
		t.Errorf("after the change: got %v, want %v", r.Answers, want)
	}
	s.must(request{method: "DELETE", path: base + "/registrations/" + b.ID, token: org}, 204, nil)
}

func fieldsOf(p problem) []string {
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	slices.Sort(fields)
	return fields
}
