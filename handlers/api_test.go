package handlers_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The API as a client reads it.
type (
	workshop struct {
		ID       string    `json:"id"`
		Title    string    `json:"title"`
		Series   string    `json:"series"`
		Venue    string    `json:"venue"`
		Days     []string  `json:"days"`
		Capacity int       `json:"capacity"`
		Agenda   []session `json:"agenda"`
		Seats    []seats   `json:"seats"`
	}
	session struct {
		ID       string   `json:"id"`
		Title    string   `json:"title"`
		Kind     string   `json:"kind"`
		Day      string   `json:"day"`
		Starts   string   `json:"starts"`
		Ends     string   `json:"ends"`
		Room     string   `json:"room"`
		Speakers []string `json:"speakers"`
	}
	seats struct {
		Day       string `json:"day"`
		Confirmed int    `json:"confirmed"`
		Free      int    `json:"free"`
	}
	registered struct {
		ID               string `json:"id"`
		Status           string `json:"status"`
		WaitlistPosition int    `json:"waitlist_position"`
		Token            string `json:"token"`
	}
	registration struct {
		ID               string   `json:"id"`
		Status           string   `json:"status"`
		WaitlistPosition int      `json:"waitlist_position"`
		Name             string   `json:"name"`
		Email            string   `json:"email"`
		Organisation     string   `json:"organisation"`
		District         string   `json:"district"`
		Days             []string `json:"days"`
		Dietary          string   `json:"dietary"`
		Overnight        bool     `json:"overnight"`
		PhotoConsent     bool     `json:"photo_consent"`
		RegisteredAt     string   `json:"registered_at"`
	}
	attendance struct {
		Capacity, Confirmed, Waitlisted, Cancelled int
		Days                                       []struct {
			Day                   string
			Confirmed, Waitlisted int
			CheckedIn             int `json:"checked_in"`
		}
		Sessions []struct {
			ID, Title, Day string
			CheckedIn      int `json:"checked_in"`
		}
		Organisations []struct {
			Organisation string
			Confirmed    int
			CheckedIn    int `json:"checked_in"`
		}
	}
	problem struct {
		Type, Title, Detail, Instance string
		Status                        int
		Errors                        []struct{ Field, Detail string }
	}
)

const (
	day1 = "2037-11-16"
	day2 = "2037-11-17"
	org  = organiserToken
)

func person(name, org string) map[string]any {
	return map[string]any{"name": name, "email": strings.ToLower(name) + "@example.org", "organisation": org, "consent": true}
}

// schedule creates a workshop on day1 and day2.
func (s *service) schedule(capacity int) workshop {
	s.t.Helper()
	var w workshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Herbstwerkstatt", "series": "Werkstatt 2026", "venue": "Kassel",
		"days": []string{day2, day1}, "capacity": capacity}}, 201, &w)
	return w
}

func (s *service) register(w workshop, body map[string]any) registered {
	s.t.Helper()
	var r registered
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/registrations", body: body}, 201, &r)
	return r
}

func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: got %s, want %s", what, got, want)
	}
}

func TestWorkshopAndAgenda(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	wantSeats := []seats{{day1, 0, 2}, {day2, 0, 2}}
	if w.ID == "" || w.Title != "Herbstwerkstatt" || w.Series != "Werkstatt 2026" || !reflect.DeepEqual(w.Days, []string{day1, day2}) ||
		!reflect.DeepEqual(w.Seats, wantSeats) || len(w.Agenda) != 0 {
		t.Fatalf("scheduled workshop: got %+v, want it with sorted days and seats %v", w, wantSeats)
	}
	path := "/api/v1/workshops/" + w.ID

	// Read-your-writes: the write's answer is what GET answers right away.
	created := s.do(request{method: "GET", path: path})
	var list struct{ Workshops []workshop }
	s.must(request{method: "GET", path: "/api/v1/workshops"}, 200, &list)
	if len(list.Workshops) != 1 || list.Workshops[0].ID != w.ID {
		t.Errorf("list: got %+v, want the one workshop", list)
	}

	var changed workshop
	res := s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"venue": "Fulda", "capacity": 5}}, 200, &changed)
	if changed.Title != w.Title || changed.Venue != "Fulda" || changed.Capacity != 5 || changed.Seats[0].Free != 5 {
		t.Errorf("patched workshop: got %+v, want title kept, venue Fulda, capacity 5", changed)
	}
	sameJSON(t, "GET after PATCH", s.must(request{method: "GET", path: path}, 200, nil).body, res.body)
	if bytes.Equal(created.body, res.body) {
		t.Errorf("PATCH changed nothing visible")
	}

	var keynote, talk session
	s.must(request{method: "POST", path: path + "/sessions", token: org, body: map[string]any{"title": "Talk", "kind": "talk",
		"day": day1, "starts": "11:00", "ends": "12:00", "room": "A", "speakers": []string{"Ada"}}}, 201, &talk)
	res = s.must(request{method: "POST", path: path + "/sessions", token: org, body: map[string]any{"title": "Keynote", "kind": "keynote",
		"day": day1, "starts": "09:30", "ends": "10:15", "room": "A"}}, 201, &keynote)
	if keynote.ID == "" || keynote.Room != "A" || keynote.Speakers == nil || !strings.HasSuffix(res.header.Get("Location"), "/sessions/"+keynote.ID) {
		t.Errorf("planned session: got %+v, Location %q", keynote, res.header.Get("Location"))
	}
	var got workshop
	s.must(request{method: "GET", path: path}, 200, &got)
	if len(got.Agenda) != 2 || got.Agenda[0].ID != keynote.ID || got.Agenda[1].ID != talk.ID {
		t.Errorf("agenda: got %+v, want keynote then talk", got.Agenda)
	}

	var moved session
	s.must(request{method: "PATCH", path: path + "/sessions/" + talk.ID, token: org, body: map[string]any{"starts": "14:00", "ends": "15:00", "room": nil}}, 200, &moved)
	if moved.Title != "Talk" || moved.Starts != "14:00" || moved.Room != "" || len(moved.Speakers) != 1 {
		t.Errorf("patched session: got %+v, want title and speakers kept, 14:00, no room", moved)
	}
	s.must(request{method: "DELETE", path: path + "/sessions/" + keynote.ID, token: org}, 204, nil)
	s.must(request{method: "GET", path: path}, 200, &got)
	if len(got.Agenda) != 1 || !reflect.DeepEqual(got.Agenda[0], moved) {
		t.Errorf("agenda after cancelling the keynote: got %+v, want only %+v", got.Agenda, moved)
	}
}

func TestRegistrationsAndCheckIns(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	path := "/api/v1/workshops/" + w.ID
	var talk session
	s.must(request{method: "POST", path: path + "/sessions", token: org, body: map[string]any{"title": "Talk", "kind": "talk",
		"day": day1, "starts": "11:00", "ends": "12:00"}}, 201, &talk)

	aliceBody := person("Alice", "Stadtwerke")
	aliceBody["district"], aliceBody["dietary"], aliceBody["overnight"] = "Nord", "vegan", true
	alice := s.register(w, aliceBody)
	bob := s.register(w, person("Bob", "Stadtwerke"))
	carol := s.register(w, person("Carol", "Landkreis"))
	if alice.Status != "confirmed" || bob.Status != "confirmed" || carol.Status != "waitlisted" || carol.WaitlistPosition != 1 {
		t.Fatalf("registrations: got %+v %+v %+v, want confirmed, confirmed, waitlisted 1", alice, bob, carol)
	}
	if alice.Token == "" || alice.Token == bob.Token {
		t.Fatalf("tokens: got %q and %q, want two different ones", alice.Token, bob.Token)
	}

	var own registration
	s.must(request{method: "GET", path: path + "/registrations/" + alice.ID, token: alice.Token}, 200, &own)
	want := registration{ID: alice.ID, Status: "confirmed", Name: "Alice", Email: "alice@example.org", Organisation: "Stadtwerke",
		District: "Nord", Days: []string{day1, day2}, Dietary: "vegan", Overnight: true, RegisteredAt: own.RegisteredAt}
	if !reflect.DeepEqual(own, want) || own.RegisteredAt == "" {
		t.Errorf("own registration: got %+v, want %+v", own, want)
	}
	sameJSON(t, "organiser's view of a registration",
		s.must(request{method: "GET", path: path + "/registrations/" + alice.ID, token: org}, 200, nil).body,
		s.must(request{method: "GET", path: path + "/registrations/" + alice.ID, token: alice.Token}, 200, nil).body)

	s.must(request{method: "POST", path: path + "/check-ins", token: org, body: map[string]any{"registration_id": alice.ID, "day": day1}}, 201, nil)
	s.must(request{method: "POST", path: path + "/check-ins", token: org, body: map[string]any{"registration_id": alice.ID, "day": day1}}, 201, nil)
	var ci map[string]string
	s.must(request{method: "POST", path: path + "/check-ins", token: org, body: map[string]any{"registration_id": bob.ID, "day": day1, "session_id": talk.ID}}, 201, &ci)
	if ci["session_id"] != talk.ID || ci["registration_id"] != bob.ID || ci["day"] != day1 {
		t.Errorf("session check-in: got %v", ci)
	}
	var a attendance
	s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, &a)
	if a.Capacity != 2 || a.Confirmed != 2 || a.Waitlisted != 1 || len(a.Days) != 2 || a.Days[0].CheckedIn < 1 ||
		len(a.Sessions) != 1 || a.Sessions[0].CheckedIn != 1 || len(a.Organisations) != 1 || a.Organisations[0].Confirmed != 2 {
		t.Errorf("attendance: got %+v", a)
	}

	s.must(request{method: "DELETE", path: path + "/check-ins?registration_id=" + alice.ID + "&day=" + day1, token: org}, 204, nil)
	s.must(request{method: "DELETE", path: path + "/check-ins?registration_id=" + bob.ID + "&day=" + day1 + "&session_id=" + talk.ID, token: org}, 204, nil)
	s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, &a)
	if a.Days[0].CheckedIn != 0 || a.Sessions[0].CheckedIn != 0 {
		t.Errorf("attendance after annulling: got %+v, want nobody checked in", a)
	}

	// Bob cancels himself: Carol moves up from the waitlist.
	s.must(request{method: "DELETE", path: path + "/registrations/" + bob.ID, token: bob.Token}, 204, nil)
	var c registration
	s.must(request{method: "GET", path: path + "/registrations/" + carol.ID, token: carol.Token}, 200, &c)
	if c.Status != "confirmed" || c.WaitlistPosition != 0 {
		t.Errorf("Carol after Bob cancelled: got %s position %d, want confirmed", c.Status, c.WaitlistPosition)
	}
	// Dave is waitlisted; raising the capacity seats him.
	dave := s.register(w, person("Dave", "Landkreis"))
	if dave.Status != "waitlisted" {
		t.Fatalf("Dave: got %s, want waitlisted", dave.Status)
	}
	s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"capacity": 3}}, 200, nil)
	var list struct{ Registrations []registration }
	s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &list)
	statuses := map[string]string{}
	for _, r := range list.Registrations {
		statuses[r.Name] = r.Status
	}
	wantStatuses := map[string]string{"Alice": "confirmed", "Bob": "cancelled", "Carol": "confirmed", "Dave": "confirmed"}
	if !reflect.DeepEqual(statuses, wantStatuses) {
		t.Errorf("registrations: got %v, want %v", statuses, wantStatuses)
	}
	// The organiser may cancel anyone's registration.
	s.must(request{method: "DELETE", path: path + "/registrations/" + dave.ID, token: org}, 204, nil)
}
