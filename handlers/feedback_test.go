package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Feedback as a client reads it.
type (
	questionnaire struct {
		ID        string `json:"id"`
		SessionID string `json:"session_id"`
		Version   int    `json:"version"`
		Questions []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"questions"`
	}
	feedbackView struct {
		State          string          `json:"state"`
		Questionnaires []questionnaire `json:"questionnaires"`
	}
	evaluation struct {
		CheckedIn      int `json:"checked_in"`
		Questionnaires []struct {
			ID            string  `json:"id"`
			Version       int     `json:"version"`
			Current       bool    `json:"current"`
			Responses     int     `json:"responses"`
			CheckedIn     int     `json:"checked_in"`
			ResponseRate  float64 `json:"response_rate"`
			TextsWithheld bool    `json:"texts_withheld"`
			Questions     []struct {
				Question struct {
					ID string `json:"id"`
				} `json:"question"`
				Answers      int      `json:"answers"`
				Mean         *float64 `json:"mean"`
				Median       *float64 `json:"median"`
				Distribution []struct {
					Value string `json:"value"`
					Count int    `json:"count"`
				} `json:"distribution"`
				Texts         []string `json:"texts"`
				TextsWithheld bool     `json:"texts_withheld"`
			} `json:"questions"`
		} `json:"questionnaires"`
	}
)

// defaultAnswers answers the default questionnaire: the four scales and what was most useful.
func defaultAnswers(scales [4]int, useful string) map[string]any {
	answers := []map[string]any{}
	for i, id := range []string{"satisfaction", "content", "organisation", "usefulness"} {
		answers = append(answers, map[string]any{"question_id": id, "scale": scales[i]})
	}
	answers = append(answers, map[string]any{"question_id": "most_useful", "text": useful})
	return map[string]any{"answers": answers}
}

// TestFeedbackRound walks issue 5: a session questionnaire, feedback opened with the default
// questionnaire, anonymous answers (a repeat changes the answer), the evaluation with texts
// only from three responses on, a new version after answers, and closing.
func TestFeedbackRound(t *testing.T) {
	s := startService(t)
	w := s.schedule(3)
	base := "/api/v1/workshops/" + w.ID
	fb := base + "/feedback"
	var people []registered
	for _, name := range []string{"Ada", "Bea", "Cem", "Dana"} {
		people = append(people, s.register(w, person(name, "Verein "+name)))
	}
	ada, bea, cem, dana := people[0], people[1], people[2], people[3] // Dana is waitlisted
	var talk session
	s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{
		"title": "Wohnen", "kind": "talk", "day": day1, "starts": "10:00", "ends": "11:00"}}, 201, &talk)
	for _, c := range []map[string]any{{"registration_id": ada.ID, "day": day1}, {"registration_id": bea.ID, "day": day1},
		{"registration_id": cem.ID, "day": day2}, {"registration_id": ada.ID, "day": day1, "session_id": talk.ID}} {
		s.must(request{method: "POST", path: base + "/check-ins", token: org, body: c}, 201, nil)
	}

	var view feedbackView
	s.must(request{method: "GET", path: fb, token: ada.Token}, 200, &view)
	if view.State != "not_open" || len(view.Questionnaires) != 0 {
		t.Fatalf("feedback before anything: got %+v, want not_open without questionnaires", view)
	}
	sessionQ := fb + "/questionnaires/session-" + talk.ID
	questions := map[string]any{"questions": []map[string]any{
		{"id": "clear", "kind": "scale", "text": map[string]string{"de": "Verständlich?", "en": "Clear?"}, "required": true},
		{"id": "format", "kind": "single_choice", "text": map[string]string{"en": "Format?"},
			"options": []map[string]any{{"id": "more", "text": map[string]string{"en": "More"}}, {"id": "less", "text": map[string]string{"en": "Less"}}}}}}
	s.must(request{method: "PUT", path: sessionQ, token: ada.Token, body: questions}, 403, nil)
	s.must(request{method: "PUT", path: fb + "/questionnaires/nonsense", token: org, body: questions}, 404, nil)
	var q questionnaire
	s.must(request{method: "PUT", path: sessionQ, token: org, body: questions}, 200, &q)
	if q.Version != 1 || q.SessionID != talk.ID || len(q.Questions) != 2 {
		t.Fatalf("session questionnaire: got %+v, want version 1 of the talk with 2 questions", q)
	}
	s.must(request{method: "PUT", path: sessionQ + "/answer", token: ada.Token, body: map[string]any{
		"answers": []map[string]any{{"question_id": "clear", "scale": 4}}}}, 409, nil) // not open yet

	s.must(request{method: "POST", path: fb + "/open", token: ada.Token}, 403, nil)
	s.must(request{method: "POST", path: fb + "/open", token: org}, 200, &view)
	if view.State != "open" || len(view.Questionnaires) != 2 || view.Questionnaires[0].ID != "workshop" || len(view.Questionnaires[0].Questions) != 7 {
		t.Fatalf("after opening: got %+v, want open with the default questionnaire first and the session's", view)
	}

	answer := fb + "/questionnaires/workshop/answer"
	s.must(request{method: "PUT", path: answer, token: ada.Token, body: defaultAnswers([4]int{5, 4, 4, 5}, "Austausch")}, 200, nil)
	s.must(request{method: "PUT", path: answer, token: bea.Token, body: defaultAnswers([4]int{1, 1, 1, 1}, "Nichts")}, 200, nil)
	s.must(request{method: "PUT", path: answer, token: bea.Token, body: defaultAnswers([4]int{3, 3, 3, 3}, "Pausen")}, 200, nil) // a change
	s.must(request{method: "PUT", path: answer, token: dana.Token, body: defaultAnswers([4]int{5, 5, 5, 5}, "")}, 422, nil)      // waitlisted
	s.must(request{method: "PUT", path: answer, token: org, body: defaultAnswers([4]int{5, 5, 5, 5}, "")}, 403, nil)
	s.must(request{method: "PUT", path: answer, token: cem.Token, body: map[string]any{"answers": []map[string]any{}}}, 422, nil) // required
	s.must(request{method: "PUT", path: sessionQ + "/answer", token: ada.Token, body: map[string]any{
		"answers": []map[string]any{{"question_id": "clear", "scale": 4}, {"question_id": "format", "choices": []string{"more"}}}}}, 200, nil)

	ev := s.evaluation(fb)
	if got := ev.Questionnaires[0]; got.Responses != 2 || !got.TextsWithheld || got.Questions[4].Texts != nil {
		t.Errorf("with two responses: got %+v, want 2 responses and the texts withheld", got)
	}
	s.must(request{method: "PUT", path: answer, token: cem.Token, body: defaultAnswers([4]int{4, 2, 5, 3}, "Beispiele")}, 200, nil)
	ev = s.evaluation(fb)
	// By hand: satisfaction 5, 3, 4: mean 4, median 4; content 4, 3, 2; organisation 4, 3, 5;
	// usefulness 5, 3, 3: mean 11/3, median 3. Three people checked in, all three answered
	// (Bea's first answer was replaced). The session: Ada alone, checked in there.
	whole, talkEval := ev.Questions(0), ev.Questions(1)
	if want := "workshop v1 current 3/3 rate 1.00 | satisfaction n=3 mean=4.00 median=4.00 0,0,1,1,1" +
		" | content n=3 mean=3.00 median=3.00 0,1,1,1,0 | organisation n=3 mean=4.00 median=4.00 0,0,1,1,1" +
		" | usefulness n=3 mean=3.67 median=3.00 0,0,2,0,1 | most_useful n=3 | missing n=0 | next_topics n=0"; whole != want {
		t.Errorf("workshop evaluation:\ngot  %s\nwant %s", whole, want)
	}
	if want := fmt.Sprintf("session-%s v1 current 1/1 rate 1.00 | clear n=1 mean=4.00 median=4.00 0,0,0,1,0 | format n=1 1,0", talk.ID); talkEval != want {
		t.Errorf("session evaluation:\ngot  %s\nwant %s", talkEval, want)
	}
	if texts := ev.Questionnaires[0].Questions[4].Texts; strings.Join(texts, ",") != "Austausch,Beispiele,Pausen" {
		t.Errorf("got texts %q, want the three, sorted", texts)
	}
	s.must(request{method: "GET", path: fb + "/evaluation", token: ada.Token}, 403, nil)
	s.checkAnonymous(people[:3])

	s.must(request{method: "PUT", path: fb + "/questionnaires/workshop", token: org, body: questions}, 200, &q)
	if q.Version != 2 {
		t.Errorf("changing an answered questionnaire: got version %d, want 2", q.Version)
	}
	s.must(request{method: "POST", path: fb + "/close", token: org}, 200, &view)
	s.must(request{method: "PUT", path: answer, token: ada.Token, body: map[string]any{
		"answers": []map[string]any{{"question_id": "clear", "scale": 2}}}}, 409, nil) // closed
	if ev = s.evaluation(fb); len(ev.Questionnaires) != 3 || ev.Questionnaires[0].Current || ev.Questionnaires[0].Responses != 3 ||
		!ev.Questionnaires[1].Current || ev.Questionnaires[1].Responses != 0 {
		t.Errorf("after the new version: got %+v, want v1 with 3 responses kept apart from the current v2 with none", ev.Questionnaires)
	}
}

func (s *service) evaluation(fb string) evaluation {
	s.t.Helper()
	var ev evaluation
	s.must(request{method: "GET", path: fb + "/evaluation", token: org}, 200, &ev)
	return ev
}

// Questions renders questionnaire i's figures on one line: scale distributions as counts of
// 1 to 5, choices in option order.
func (ev evaluation) Questions(i int) string {
	q := ev.Questionnaires[i]
	current := "old"
	if q.Current {
		current = "current"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s v%d %s %d/%d rate %.2f", q.ID, q.Version, current, q.Responses, q.CheckedIn, q.ResponseRate)
	for _, qe := range q.Questions {
		fmt.Fprintf(&b, " | %s n=%d", qe.Question.ID, qe.Answers)
		if qe.Mean != nil {
			fmt.Fprintf(&b, " mean=%.2f median=%.2f", *qe.Mean, *qe.Median)
		}
		var counts []string
		for _, d := range qe.Distribution {
			counts = append(counts, fmt.Sprint(d.Count))
		}
		if len(counts) > 0 {
			b.WriteString(" " + strings.Join(counts, ","))
		}
	}
	return b.String()
}

// checkAnonymous reads every message of the stream since the feedback opened, with its
// headers, and checks that no answer names a respondent's registration, name or email.
func (s *service) checkAnonymous(people []registered) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	last := s.lastSeq()
	answers := 0
	for seq := uint64(1); seq <= last; seq++ {
		msg, err := s.events.Stream().GetMsg(ctx, seq)
		if err != nil {
			continue // a gap
		}
		raw := string(msg.Data) + fmt.Sprint(msg.Header)
		if !strings.Contains(raw, "feedback.answered") {
			continue
		}
		answers++
		for _, p := range people {
			for _, secret := range []string{p.ID, p.Token} {
				if strings.Contains(raw, secret) {
					s.t.Errorf("message %d of an answer holds %q: got %s, want no trace of the person", seq, secret, raw)
				}
			}
		}
		for _, name := range []string{"ada@example.org", "bea@example.org", "cem@example.org", "Verein Ada"} {
			if strings.Contains(raw, name) {
				s.t.Errorf("message %d of an answer holds %q, want no personal data", seq, name)
			}
		}
	}
	if answers == 0 {
		s.t.Errorf("got no answer messages in the stream, want some to check")
	}
}
