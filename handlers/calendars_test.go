package handlers_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// TestCalendars subscribes to the calendars over HTTP, against real NATS and both read models:
// the agenda with stable UIDs, Berlin times and a SEQUENCE that grows after a PATCH, a
// cancelled session gone; the feed of upcoming workshops; a participant's own calendar with
// their days and their café tables once the plan is published, under their token only.
func TestCalendars(t *testing.T) {
	eachReadModel(t, testCalendars)
}

// calendarOf fetches path, checks the calendar's headers and parses it.
func calendarOf(t *testing.T, s *service, r request, disposition string) map[string]*ics.VEvent {
	t.Helper()
	res := s.must(r, 200, nil)
	if ct := res.header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("%s: Content-Type %q, want text/calendar; charset=utf-8", r.path, ct)
	}
	if cd := res.header.Get("Content-Disposition"); cd != disposition {
		t.Errorf("%s: Content-Disposition %q, want %q", r.path, cd, disposition)
	}
	for _, l := range strings.Split(strings.TrimSuffix(string(res.body), "\r\n"), "\r\n") {
		if len(l) > 75 || strings.ContainsAny(l, "\r\n\x00") {
			t.Errorf("%s: line %q is not a folded content line", r.path, l)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(res.body))
	if err != nil {
		t.Fatalf("%s: parse: %v\n%s", r.path, err, res.body)
	}
	events := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		events[e.Id()] = e
	}
	if tz := cal.Timezones(); len(tz) != 1 || tz[0].GetProperty(ics.ComponentPropertyTzid).Value != "Europe/Berlin" {
		t.Errorf("%s: want one VTIMEZONE Europe/Berlin", r.path)
	}
	return events
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if e == nil {
		return ""
	}
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func testCalendars(t *testing.T, s *service) {
	w := s.schedule(1)
	base := "/api/v1/workshops/" + w.ID
	host := strings.TrimPrefix(s.url, "http://")
	title := "Grünflächen, Straßenbäume; Begegnungsorte im Quartier – wie wir öffentliche Räume gemeinsam gestalten"
	var talk, pause, cafe session
	s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{"title": title, "kind": "talk",
		"day": day1, "starts": "09:00", "ends": "10:00", "room": "Saal 1", "speakers": []string{"Anna Müller", "Jörg Groß"}}}, 201, &talk)
	s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{"title": "Pause", "kind": "break",
		"day": day1, "starts": "10:00", "ends": "10:15"}}, 201, &pause)
	s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{"title": "Themencafé", "kind": "theme_cafe",
		"day": day2, "starts": "14:00", "ends": "15:00", "room": "Foyer"}}, 201, &cafe)
	// A title with a CR LF cannot reach the calendar as a line of its own.
	if res := s.do(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{
		"title": "Böse\r\nATTENDEE:mailto:evil@example.org", "kind": "other", "day": day2, "starts": "08:00", "ends": "08:30"}}); res.status != 201 && res.status != 422 {
		t.Fatalf("plan a session with CR LF in its title: got %d %s, want 201 or 422", res.status, res.body)
	}

	agenda := request{method: "GET", path: base + "/agenda.ics"}
	events := calendarOf(t, s, agenda, `attachment; filename="programm-herbstwerkstatt.ics"`)
	uid := w.ID + "/" + talk.ID + "@" + host
	e := events[uid]
	if e == nil {
		t.Fatalf("agenda: no event %s in %v", uid, events)
	}
	if got := prop(e, ics.ComponentPropertySummary); got != title {
		t.Errorf("SUMMARY = %q, want %q", got, title)
	}
	if got := prop(e, ics.ComponentPropertyLocation); got != "Saal 1, Kassel" {
		t.Errorf("LOCATION = %q, want room and venue", got)
	}
	if got := prop(e, ics.ComponentPropertyDescription); !strings.HasPrefix(got, "Mit: Anna Müller, Jörg Groß\n") {
		t.Errorf("DESCRIPTION = %q, want the speakers", got)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if start, err := e.GetStartAt(); err != nil || !start.Equal(time.Date(2037, 11, 16, 9, 0, 0, 0, berlin)) {
		t.Errorf("DTSTART = %v, %v; want 09:00 in Berlin", start, err)
	}
	if p := e.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["TZID"][0] != "Europe/Berlin" {
		t.Errorf("DTSTART %+v, want TZID=Europe/Berlin", p)
	}
	for _, ev := range events {
		for _, p := range ev.Properties {
			if p.IANAToken == "ATTENDEE" {
				t.Errorf("an ATTENDEE was injected into %s", ev.Id())
			}
		}
	}
	seq := prop(e, ics.ComponentPropertySequence)

	s.must(request{method: "PATCH", path: base + "/sessions/" + talk.ID, token: org, body: map[string]any{"starts": "09:30", "ends": "10:00"}}, 200, nil)
	s.must(request{method: "DELETE", path: base + "/sessions/" + pause.ID, token: org}, 204, nil)
	events = calendarOf(t, s, agenda, `attachment; filename="programm-herbstwerkstatt.ics"`)
	e = events[uid]
	if after := prop(e, ics.ComponentPropertySequence); !(len(after) > len(seq) || len(after) == len(seq) && after > seq) {
		t.Errorf("SEQUENCE after the PATCH = %s, want more than %s", after, seq)
	}
	if start, _ := e.GetStartAt(); !start.Equal(time.Date(2037, 11, 16, 9, 30, 0, 0, berlin)) {
		t.Errorf("DTSTART after the PATCH = %v, want 09:30 in Berlin", start)
	}
	if events[w.ID+"/"+pause.ID+"@"+host] != nil {
		t.Errorf("the cancelled session is still in the agenda")
	}
	en := calendarOf(t, s, request{method: "GET", path: base + "/agenda.ics?lang=en"}, `attachment; filename="agenda-herbstwerkstatt.ics"`)
	if got := prop(en[uid], ics.ComponentPropertyDescription); !strings.HasPrefix(got, "With: ") {
		t.Errorf("English DESCRIPTION = %q", got)
	}
	problemOf(t, s.do(request{method: "GET", path: base + "/agenda.ics?lang=fr"}), 400)
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/workshops/W-none/agenda.ics"}), 404)

	feed := calendarOf(t, s, request{method: "GET", path: "/api/v1/workshops.ics"}, `attachment; filename="workshops.ics"`)
	d1 := feed[w.ID+"/day/"+day1+"@"+host]
	if d1 == nil || prop(d1, ics.ComponentPropertyUrl) != s.url+"/w/"+w.ID || prop(d1, ics.ComponentPropertySummary) != "Herbstwerkstatt" {
		t.Errorf("feed: event of day 1 = %+v, want the workshop with its page", d1)
	}
	if len(feed) != 2 {
		t.Errorf("feed: %d events, want one per day (2)", len(feed))
	}

	// A participant on day 2 only, and one waitlisted.
	p1 := person("Clara", "Verein C")
	p1["days"] = []string{day2}
	clara := s.register(w, p1)
	p2 := person("Dora", "Verein D")
	p2["days"] = []string{day2}
	dora := s.register(w, p2)
	if dora.Status != "waitlisted" {
		t.Fatalf("Dora is %s, want waitlisted", dora.Status)
	}
	own := base + "/registrations/" + clara.ID + "/calendar.ics"
	res := s.must(request{method: "GET", path: own + "?token=" + url.QueryEscape(clara.Token)}, 200, nil)
	if res.header.Get("Cache-Control") != "no-store" || res.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("personal calendar: Cache-Control %q, Referrer-Policy %q; want no-store, no-referrer",
			res.header.Get("Cache-Control"), res.header.Get("Referrer-Policy"))
	}
	mine := calendarOf(t, s, request{method: "GET", path: own + "?token=" + url.QueryEscape(clara.Token)},
		`attachment; filename="mein-kalender-herbstwerkstatt.ics"`)
	if mine[uid] != nil || mine[w.ID+"/"+cafe.ID+"@"+host] == nil {
		t.Errorf("Clara's calendar: want the café of day 2 and not the talk of day 1, got %v", mine)
	}
	calendarOf(t, s, request{method: "GET", path: own, token: clara.Token}, `attachment; filename="mein-kalender-herbstwerkstatt.ics"`)
	calendarOf(t, s, request{method: "GET", path: own, token: org}, `attachment; filename="mein-kalender-herbstwerkstatt.ics"`)
	if waiting := calendarOf(t, s, request{method: "GET", path: base + "/registrations/" + dora.ID + "/calendar.ics?token=" + url.QueryEscape(dora.Token)},
		`attachment; filename="mein-kalender-herbstwerkstatt.ics"`); len(waiting) != 0 {
		t.Errorf("waitlisted Dora's calendar has %d events, want none", len(waiting))
	}
	// Emil holds a seat on day 1 and waits for day 2: his calendar has day 1 only.
	emil := s.register(w, person("Emil", "Verein E"))
	emils := calendarOf(t, s, request{method: "GET", path: base + "/registrations/" + emil.ID + "/calendar.ics?token=" + url.QueryEscape(emil.Token)},
		`attachment; filename="mein-kalender-herbstwerkstatt.ics"`)
	if emils[uid] == nil || emils[w.ID+"/"+cafe.ID+"@"+host] != nil {
		t.Errorf("Emil's calendar: want the talk of his confirmed day 1 and not the café of day 2 he waits for, got %v", emils)
	}
	problemOf(t, s.do(request{method: "GET", path: own}), 401)
	problemOf(t, s.do(request{method: "GET", path: own + "?token=wrong"}), 401)
	problemOf(t, s.do(request{method: "GET", path: own + "?token=" + url.QueryEscape(dora.Token)}), 403)

	// Once the café's plan is published, Clara's calendar holds her table per round.
	cb := base + "/sessions/" + cafe.ID + "/theme-cafe"
	s.must(request{method: "PUT", path: cb + "/rounds", token: org, body: map[string]any{"rounds": 2}}, 200, nil)
	for _, topic := range []string{"Wohnen", "Bildung"} {
		s.must(request{method: "POST", path: cb + "/tables", token: org, body: map[string]any{"topic": topic, "capacity": 4, "host_guest": "Gast " + topic}}, 201, nil)
	}
	s.must(request{method: "POST", path: cb + "/plan", token: org}, 200, nil)
	s.must(request{method: "POST", path: cb + "/plan/publish", token: org}, 200, nil)
	mine = calendarOf(t, s, request{method: "GET", path: own + "?token=" + url.QueryEscape(clara.Token)},
		`attachment; filename="mein-kalender-herbstwerkstatt.ics"`)
	r2 := mine[w.ID+"/"+cafe.ID+"/round-2@"+host]
	if r2 == nil || mine[w.ID+"/"+cafe.ID+"@"+host] != nil {
		t.Fatalf("Clara's calendar after publishing: want the rounds instead of the café, got %v", mine)
	}
	if start, _ := r2.GetStartAt(); !start.Equal(time.Date(2037, 11, 17, 14, 30, 0, 0, berlin)) {
		t.Errorf("round 2 starts %v, want 14:30 in Berlin", start)
	}
	if got := prop(r2, ics.ComponentPropertySummary); !strings.HasPrefix(got, "Themencafé, Runde 2: ") {
		t.Errorf("round 2 SUMMARY = %q", got)
	}
}
