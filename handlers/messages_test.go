package handlers_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// TestMessages: the organiser sends a message to a group and lists it; hostile input is a
// precise 422 and sends nothing; nobody else may send or list.
func TestMessages(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		w := s.schedule(1)
		path := "/api/v1/workshops/" + w.ID + "/messages"
		alice := s.register(w, person("Alice", "Stadtwerke"))
		s.register(w, person("Bob", "Landkreis")) // waitlisted

		var sent struct {
			ID         string
			Recipients int
		}
		s.must(request{method: "POST", path: path, token: org, body: map[string]any{"to": []string{"waitlisted"},
			"subject": "Warteliste", "text": "Es wird knapp.\nBitte Geduld."}}, 202, &sent)
		if sent.ID == "" || sent.Recipients != 1 {
			t.Errorf("a message to the waitlist: %+v, want one recipient", sent)
		}
		s.must(request{method: "POST", path: path, token: org, body: map[string]any{"to": []string{"confirmed", "waitlisted"},
			"subject": "Alle", "text": "Hallo"}}, 202, &sent)
		if sent.Recipients != 2 {
			t.Errorf("a message to both groups: %+v, want two recipients", sent)
		}

		for _, tc := range []struct {
			body  string
			field string
		}{
			{`{"to": [], "subject": "S", "text": "T"}`, "to"},
			{`{"to": ["everyone"], "subject": "S", "text": "T"}`, "to[0]"},
			{`{"to": ["confirmed", "confirmed"], "subject": "S", "text": "T"}`, "to[1]"},
			{`{"to": ["confirmed"], "subject": "", "text": "T"}`, "subject"},
			{`{"to": ["confirmed"], "subject": "a\nb", "text": "T"}`, "subject"},
			{`{"to": ["confirmed"], "subject": "S", "text": "x\u0000y"}`, "text"},
			{`{"to": ["confirmed"], "subject": "S", "text": "x\u001by"}`, "text"},
			{`{"to": ["confirmed"], "subject": "` + strings.Repeat("s", 201) + `", "text": "T"}`, "subject"},
			{`{"to": ["confirmed"], "subject": "S", "text": "` + strings.Repeat("t", 10001) + `"}`, "text"},
		} {
			res := s.do(request{method: "POST", path: path, token: org, body: tc.body})
			var p struct{ Errors []domain.FieldError }
			_ = json.Unmarshal(res.body, &p)
			if res.status != 422 || !slices.ContainsFunc(p.Errors, func(e domain.FieldError) bool { return e.Field == tc.field }) {
				t.Errorf("%s: got %d %s, want 422 naming %s", tc.body, res.status, res.body, tc.field)
			}
		}
		for _, body := range []string{`{"to": "confirmed", "subject": "S", "text": "T"}`, `{"to": ["confirmed"], "subject": "S", "text": "T", "cc": 1}`, `[`} {
			if res := s.do(request{method: "POST", path: path, token: org, body: body}); res.status != 400 {
				t.Errorf("%s: got %d, want 400", body, res.status)
			}
		}
		if res := s.do(request{method: "POST", path: path, token: alice.Token, body: map[string]any{"to": []string{"confirmed"}, "subject": "S", "text": "T"}}); res.status != 403 && res.status != 401 {
			t.Errorf("a participant sends a message: got %d", res.status)
		}
		if res := s.do(request{method: "GET", path: path}); res.status != 401 {
			t.Errorf("the list without a token: got %d, want 401", res.status)
		}

		var list struct {
			Messages []struct {
				ID, Subject string
				SentAt      string `json:"sent_at"`
				To          []string
				Recipients  int
			}
		}
		s.must(request{method: "GET", path: path, token: org}, 200, &list)
		if len(list.Messages) != 2 || list.Messages[0].Subject != "Alle" || list.Messages[1].Subject != "Warteliste" ||
			list.Messages[1].Recipients != 1 || list.Messages[1].SentAt == "" || !slices.Equal(list.Messages[0].To, []string{"confirmed", "waitlisted"}) {
			t.Errorf("the sent messages: %+v", list)
		}
		if res := s.do(request{method: "GET", path: "/api/v1/workshops/nope/messages", token: org}); res.status != 404 {
			t.Errorf("an unknown workshop: got %d, want 404", res.status)
		}
	})
}

// TestReminderDays: a workshop's reminder days are set when it is scheduled or changed; the
// messages' list tells them.
func TestReminderDays(t *testing.T) {
	s := startService(t)
	var w struct{ ID string }
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Herbstwerkstatt", "venue": "Kassel", "days": []string{day1}, "capacity": 5, "reminder_days": 7}}, 201, &w)
	mailings := func() (days int, sent bool) {
		t.Helper()
		var m struct {
			ReminderDays  int  `json:"reminder_days"`
			RemindersSent bool `json:"reminders_sent"`
		}
		s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/messages", token: org}, 200, &m)
		return m.ReminderDays, m.RemindersSent
	}
	if days, sent := mailings(); days != 7 || sent {
		t.Errorf("scheduled with 7 reminder days: %d, sent %v", days, sent)
	}
	s.must(request{method: "PATCH", path: "/api/v1/workshops/" + w.ID, token: org, body: map[string]any{"reminder_days": 0}}, 200, nil)
	if days, _ := mailings(); days != 0 {
		t.Errorf("changed to none: %d", days)
	}
	for _, body := range []map[string]any{{"reminder_days": 31}, {"reminder_days": -1}} {
		if res := s.do(request{method: "PATCH", path: "/api/v1/workshops/" + w.ID, token: org, body: body}); res.status != 422 ||
			!strings.Contains(string(res.body), "reminder_days") {
			t.Errorf("%v: got %d %s, want 422 naming reminder_days", body, res.status, res.body)
		}
	}
	if res := s.do(request{method: "PATCH", path: "/api/v1/workshops/" + w.ID, token: org, body: map[string]any{"reminder_days": nil}}); res.status != 422 {
		t.Errorf("null: got %d, want 422", res.status)
	}
	if res := s.do(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "X", "venue": "Kassel", "days": []string{day1}, "capacity": 5, "reminder_days": 99}}); res.status != 422 {
		t.Errorf("scheduled with 99 reminder days: got %d, want 422", res.status)
	}
}
