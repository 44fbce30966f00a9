package handlers_test

import (
	"slices"
	"strings"
	"testing"
)

type documentation struct {
	Workshop struct {
		ID, Title, Venue string
		Days             []string
	}
	Agenda  []session
	Summary struct {
		Text string `json:"text"`
		HTML string `json:"html"`
	}
	Materials []struct {
		ID, Title, Name string
	}
	Topics []struct {
		Title, Status string
		Votes         int
	}
	ActionItems []struct {
		What         string `json:"what"`
		Organisation string `json:"organisation"`
		DueBy        string `json:"due_by"`
		Done         bool   `json:"done"`
	} `json:"action_items"`
	PhotoConsent struct {
		Participants int `json:"participants"`
		Consenting   int `json:"consenting"`
	} `json:"photo_consent"`
}

// TestDocumentation: the organiser writes and clears the summary; the documentation shows the
// workshop, agenda, summary (Markdown and safe HTML), topics and action items, and no personal
// data of the people registered.
func TestDocumentation(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		w := s.schedule(10)
		base := "/api/v1/workshops/" + w.ID
		ada := s.register(w, person("Adalbert", "Verein Adalbert"))
		s.must(request{method: "POST", path: base + "/topics", token: ada.Token, body: map[string]any{"title": "Mieten",
			"source": map[string]any{"kind": "closing_discussion"}}}, 201, nil)
		s.must(request{method: "POST", path: base + "/action-items", token: org, body: map[string]any{"what": "Protokoll verschicken",
			"who": map[string]any{"registration_id": ada.ID}}}, 201, nil)
		s.must(request{method: "POST", path: base + "/action-items", token: org, body: map[string]any{"what": "Saal buchen",
			"who": map[string]any{"organisation": "Jugendring"}}}, 201, nil)

		var d documentation
		s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if d.Workshop.Title != "Herbstwerkstatt" || d.Workshop.Venue != "Kassel" || len(d.Workshop.Days) != 2 ||
			d.Summary.Text != "" || d.Summary.HTML != "" || len(d.Materials) != 0 {
			t.Errorf("before a summary: got %+v", d)
		}

		text := "# Bilanz\n\n42 Gäste, <script>alert(1)</script> [Fotos](javascript:alert(1))\n"
		s.must(request{method: "PUT", path: base + "/summary", token: org, body: map[string]any{"text": text}}, 200, &d)
		if d.Summary.Text != strings.TrimSpace(text) || !strings.Contains(d.Summary.HTML, "<h1") ||
			strings.Contains(d.Summary.HTML, "<script") || strings.Contains(d.Summary.HTML, "javascript:") {
			t.Errorf("summary: got %+v", d.Summary)
		}
		res := s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if d.Summary.Text != strings.TrimSpace(text) {
			t.Errorf("summary read back: got %q", d.Summary.Text)
		}
		if len(d.Topics) != 1 || d.Topics[0].Title != "Mieten" || len(d.ActionItems) != 2 {
			t.Errorf("topics and action items: got %+v %+v", d.Topics, d.ActionItems)
		}
		for _, personal := range []string{"Adalbert", "adalbert@example.org", ada.ID, ada.Token} {
			if strings.Contains(string(res.body), personal) {
				t.Errorf("the documentation shows %q: %s", personal, res.body)
			}
		}
		if !strings.Contains(string(res.body), "Jugendring") {
			t.Errorf("the owning organisation is missing: %s", res.body)
		}
		if d.PhotoConsent.Participants != 1 || d.PhotoConsent.Consenting != 0 {
			t.Errorf("photo consent before anyone agreed: got %+v, want 0 of 1", d.PhotoConsent)
		}

		// Photo consent: Berta agrees when registering, Carl agrees, is checked in and erased
		// (counts as not consenting), Dora agrees and cancels (not counted at all).
		photos := func(name string) registered {
			b := person(name, "Verein "+name)
			b["photo_consent"] = true
			return s.register(w, b)
		}
		photos("Berta")
		carl, dora := photos("Carl"), photos("Dora")
		s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{"registration_id": carl.ID, "day": day1}}, 201, nil)
		s.must(request{method: "DELETE", path: base + "/registrations/" + carl.ID + "/personal-data", token: org}, 204, nil)
		s.must(request{method: "DELETE", path: base + "/registrations/" + dora.ID, token: dora.Token}, 204, nil)
		s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if d.PhotoConsent.Participants != 3 || d.PhotoConsent.Consenting != 1 {
			t.Errorf("photo consent: got %+v, want 1 of 3 (Berta; Carl erased, Dora cancelled)", d.PhotoConsent)
		}

		s.must(request{method: "PUT", path: base + "/summary", token: org, body: map[string]any{"text": ""}}, 200, &d)
		if d.Summary.Text != "" || d.Summary.HTML != "" {
			t.Errorf("cleared summary: got %+v", d.Summary)
		}
		s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if d.Summary.Text != "" {
			t.Errorf("cleared summary read back: got %q", d.Summary.Text)
		}

		// Hostile input: each is a precise 4xx and changes nothing.
		for _, bad := range []struct {
			body   any
			status int
		}{
			{map[string]any{"text": "a\x00b"}, 422},
			{map[string]any{"text": "a\x1bb"}, 422},
			{map[string]any{"text": strings.Repeat("a", 20001)}, 422},
			{map[string]any{"text": nil}, 422},
			{map[string]any{}, 422},
			{map[string]any{"text": 7}, 400},
			{map[string]any{"text": []string{"a"}}, 400},
			{`{"text": "a"`, 400},
		} {
			res := s.do(request{method: "PUT", path: base + "/summary", token: org, body: bad.body})
			if res.status != bad.status || !strings.Contains(res.header.Get("Content-Type"), "problem+json") {
				t.Errorf("PUT summary %v: got %d %s, want %d problem", bad.body, res.status, res.body, bad.status)
			}
		}
		s.must(request{method: "PUT", path: base + "/summary", token: ada.Token, body: map[string]any{"text": "x"}}, 403, nil)
		s.must(request{method: "PUT", path: base + "/summary", body: map[string]any{"text": "x"}}, 401, nil)
		s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if d.Summary.Text != "" {
			t.Errorf("after hostile input: got %q", d.Summary.Text)
		}
		s.must(request{method: "GET", path: "/api/v1/workshops/nope/documentation"}, 404, nil)
	})
}

// TestDocumentationOfAMembersOnlyWorkshop: outsiders and anonymous callers get 404, members
// read it, only the workshop's organisers write the summary.
func TestDocumentationOfAMembersOnlyWorkshop(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		n := newNetworkWorld(s)
		var w struct{ ID string }
		s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: map[string]any{"title": "Ideenwerkstatt März",
			"series": "Ideenwerkstatt", "venue": "Eisenach", "days": []string{day1}, "capacity": 20, "visibility": "members"}}, 201, &w)
		base := "/api/v1/workshops/" + w.ID
		s.must(request{method: "PUT", path: base + "/summary", token: n.olaf.Token, body: map[string]any{"text": "intern"}}, 200, nil)
		for _, token := range []string{"", n.max.Token} {
			s.must(request{method: "GET", path: base + "/documentation", token: token}, 404, nil)
		}
		for _, token := range []string{n.mia.Token, n.dora.Token, org} {
			var d documentation
			s.must(request{method: "GET", path: base + "/documentation", token: token}, 200, &d)
			if d.Summary.Text != "intern" {
				t.Errorf("summary for a member: %+v", d.Summary)
			}
		}
		for _, who := range []member{n.mia, n.dora, n.otto} {
			s.must(request{method: "PUT", path: base + "/summary", token: who.Token, body: map[string]any{"text": "x"}}, 403, nil)
		}
		s.must(request{method: "PUT", path: base + "/summary", token: n.max.Token, body: map[string]any{"text": "x"}}, 404, nil)
	})
}

// TestDocumentationOfThemeCafes: the documentation lists each café with its tables (topic, the
// guest host's name or the participant host's organisation, never a participant's name) and
// the notes recorded per round; rounds without notes are left out.
func TestDocumentationOfThemeCafes(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		w := s.schedule(10)
		base := "/api/v1/workshops/" + w.ID
		var se session
		s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{
			"title": "Themencafé", "kind": "theme_cafe", "day": day1, "starts": "10:00", "ends": "12:00"}}, 201, &se)
		cafe := base + "/sessions/" + se.ID + "/theme-cafe"
		host := s.register(w, person("Hiltrud", "Quartiersbüro"))
		var a, b cafeTable
		s.must(request{method: "POST", path: cafe + "/tables", token: org, body: map[string]any{"topic": "Wohnen", "capacity": 6,
			"host_registration_id": host.ID}}, 201, &a)
		s.must(request{method: "POST", path: cafe + "/tables", token: org, body: map[string]any{"topic": "Arbeit", "capacity": 6,
			"host_guest": "Dr. Gast"}}, 201, &b)
		s.must(request{method: "PUT", path: cafe + "/tables/" + a.ID + "/notes/2", token: org, body: map[string]any{
			"key_points": []string{"Mieten steigen"}, "examples": []string{"Wohnprojekt Nord"}, "open_questions": []string{"Wer zahlt?"}}}, 200, nil)

		var d struct {
			Cafes []struct {
				SessionID string `json:"session_id"`
				Title     string
				Tables    []struct {
					ID, Topic, Host string
					Rounds          []struct {
						Round         int
						KeyPoints     []string `json:"key_points"`
						Examples      []string
						OpenQuestions []string `json:"open_questions"`
					}
				}
			}
		}
		res := s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if len(d.Cafes) != 1 || d.Cafes[0].SessionID != se.ID || len(d.Cafes[0].Tables) != 2 {
			t.Fatalf("cafés: got %+v, want the one café with two tables", d.Cafes)
		}
		wohnen, arbeit := d.Cafes[0].Tables[0], d.Cafes[0].Tables[1]
		if wohnen.Topic != "Wohnen" || wohnen.Host != "Quartiersbüro" || len(wohnen.Rounds) != 1 || wohnen.Rounds[0].Round != 2 ||
			!slices.Equal(wohnen.Rounds[0].KeyPoints, []string{"Mieten steigen"}) ||
			!slices.Equal(wohnen.Rounds[0].Examples, []string{"Wohnprojekt Nord"}) ||
			!slices.Equal(wohnen.Rounds[0].OpenQuestions, []string{"Wer zahlt?"}) {
			t.Errorf("the table Wohnen: got %+v", wohnen)
		}
		if arbeit.Topic != "Arbeit" || arbeit.Host != "Dr. Gast" || len(arbeit.Rounds) != 0 {
			t.Errorf("the table Arbeit: got %+v", arbeit)
		}
		if strings.Contains(string(res.body), "Hiltrud") || strings.Contains(string(res.body), host.ID) {
			t.Errorf("the documentation names the participant host: %s", res.body)
		}

		// The host erased: the table stays, without a host.
		s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{"registration_id": host.ID, "day": day1}}, 201, nil)
		s.must(request{method: "DELETE", path: base + "/registrations/" + host.ID + "/personal-data", token: org}, 204, nil)
		s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if got := d.Cafes[0].Tables[0]; got.Topic != "Wohnen" || got.Host != "" || len(got.Rounds) != 1 {
			t.Errorf("the table Wohnen after its host was erased: got %+v", got)
		}
	})
}
