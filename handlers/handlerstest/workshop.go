package handlerstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Person is a registered participant of a Workshop, with the personal token the API handed out.
type Person struct {
	ID, Token, Name, Email string
}

// Workshop is a realistic workshop filled through the JSON API: two days, a keynote, a theme
// café with a table and two rounds whose preferences are open, two confirmed participants (the
// first checked in), two topics with voting open, an action item of the second participant,
// and feedback open with the default questionnaire.
type Workshop struct {
	ID, Series       string
	Days             []string
	SessionID        string // the keynote
	CafeID           string // the theme café session
	TableID          string // the café's table
	People           []Person
	TopicIDs         []string
	ActionItemID     string
	QuestionnaireIDs []string // "workshop", "session-<keynote>"
}

// FillWorkshop schedules a Workshop of series through h (the API, or a server that serves it)
// as the organiser, and fails the test when any step does not succeed. The names and emails of
// its people start with prefix, so that a test can look for them in answers.
func FillWorkshop(t testing.TB, h http.Handler, organiserToken, series, prefix string) Workshop {
	t.Helper()
	call := func(method, path, token string, body, out any) {
		t.Helper()
		var b bytes.Buffer
		if body != nil {
			if err := json.NewEncoder(&b).Encode(body); err != nil {
				t.Fatalf("encode %v: %v", body, err)
			}
		}
		req := httptest.NewRequest(method, path, &b)
		req.RemoteAddr = "192.0.2.1:1234"
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res := httptest.NewRecorder()
		h.ServeHTTP(res, req)
		if res.Code >= 300 {
			t.Fatalf("fill the workshop: %s %s: got %d %s, want success", method, path, res.Code, res.Body)
		}
		if out != nil {
			if err := json.Unmarshal(res.Body.Bytes(), out); err != nil {
				t.Fatalf("fill the workshop: %s %s: decode %s: %v", method, path, res.Body, err)
			}
		}
	}
	org := organiserToken
	var ws struct{ ID string }
	w := Workshop{Series: series, Days: []string{"2037-11-16", "2037-11-17"}}
	call("POST", "/api/v1/workshops", org, map[string]any{"title": "Ideenwerkstatt " + series, "series": series,
		"venue": "Kreishaus Winsen", "days": w.Days, "capacity": 40}, &ws)
	w.ID = ws.ID
	base := "/api/v1/workshops/" + w.ID
	var s struct{ ID string }
	call("POST", base+"/sessions", org, map[string]any{"title": "Impulsvortrag", "kind": "keynote", "day": w.Days[0],
		"starts": "10:00", "ends": "10:45", "room": "Plenum", "speakers": []string{"Prof. Yilmaz"}}, &s)
	w.SessionID = s.ID
	call("POST", base+"/sessions", org, map[string]any{"title": "Themencafé", "kind": "theme_cafe", "day": w.Days[0],
		"starts": "14:00", "ends": "15:30", "room": "Saal Süd"}, &s)
	w.CafeID = s.ID
	for i, name := range []string{"Anna Müller", "Bora Demir"} {
		p := Person{Name: prefix + " " + name, Email: fmt.Sprintf("%s.%d@example.org", prefix, i)}
		var r struct{ ID, Token string }
		call("POST", base+"/registrations", "", map[string]any{"name": p.Name, "email": p.Email,
			"organisation": "Landkreis Harburg", "district": "Harburg", "consent": true}, &r)
		p.ID, p.Token = r.ID, r.Token
		w.People = append(w.People, p)
	}
	call("POST", base+"/check-ins", org, map[string]any{"registration_id": w.People[0].ID, "day": w.Days[0]}, nil)
	cafe := base + "/sessions/" + w.CafeID + "/theme-cafe"
	call("PUT", cafe+"/rounds", org, map[string]any{"rounds": 2}, nil)
	var tb struct{ ID string }
	call("POST", cafe+"/tables", org, map[string]any{"topic": "Wohnen", "host_guest": "Jonas Weber", "capacity": 10}, &tb)
	w.TableID = tb.ID
	call("POST", cafe+"/preferences/open", org, nil, nil)
	for _, title := range []string{"Wohnkosten", "Mobilität auf dem Land"} {
		var tp struct{ ID string }
		call("POST", base+"/topics", org, map[string]any{"title": title, "source": map[string]any{"kind": "closing_discussion"}}, &tp)
		w.TopicIDs = append(w.TopicIDs, tp.ID)
	}
	call("POST", base+"/topics/voting/open", org, nil, nil)
	var ai struct{ ID string }
	call("POST", base+"/action-items", org, map[string]any{"what": "Protokoll verschicken",
		"who": map[string]any{"registration_id": w.People[1].ID}}, &ai)
	w.ActionItemID = ai.ID
	call("POST", base+"/feedback/open", org, nil, nil)
	w.QuestionnaireIDs = []string{"workshop", "session-" + w.SessionID}
	return w
}

// Path fills the parameters of an echo route with the workshop's ids: its second participant,
// their action item, the first topic, the first questionnaire, and on a theme café's routes the
// café and its table. grant fills :grant; "*" (static files) becomes style.css.
func (w Workshop) Path(route, grant string) string {
	parts := strings.Split(route, "/")
	cafe := strings.Contains(route, "/theme-cafe") || strings.Contains(route, "/cafes/")
	for i, p := range parts {
		switch p {
		case ":id":
			parts[i] = w.ID
		case ":sid":
			parts[i] = w.SessionID
			if cafe {
				parts[i] = w.CafeID
			}
		case ":tid":
			parts[i] = w.TopicIDs[0]
			if cafe {
				parts[i] = w.TableID
			}
		case ":rid":
			parts[i] = w.People[1].ID
		case ":aid":
			parts[i] = w.ActionItemID
		case ":round":
			parts[i] = "1"
		case ":qid":
			parts[i] = w.QuestionnaireIDs[0]
		case ":series":
			parts[i] = w.Series
		case ":grant":
			parts[i] = grant
		case "*":
			parts[i] = "style.css"
		}
	}
	return strings.Join(parts, "/")
}
