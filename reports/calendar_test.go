package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

const longTitle = "Grünflächen, Straßenbäume und Begegnungsorte: Wie wir öffentliche Räume im Quartier gemeinsam gestalten; ein Überblick"

func calendarWorkshop() projections.WorkshopView {
	return projections.WorkshopView{ID: "W1", Title: "Ideenwerkstatt Nord", Series: "Netz", Venue: "Rathaus Mitte, Saal 2",
		Days: []domain.Day{"2026-03-28", "2026-03-29", "2026-03-30"},
		Agenda: []domain.Session{
			{ID: "S1", Title: longTitle, Kind: "talk", Day: "2026-03-28", Starts: "09:00", Ends: "09:45", Room: "Foyer",
				Speakers: []string{"Anna Müller", "Jörg Groß"}},
			{ID: "S2", Title: "Pause\r\nATTENDEE:mailto:evil@example.org\x00\nX-INJECT:1", Kind: "break", Day: "2026-03-28", Starts: "10:00", Ends: "10:15"},
			{ID: "CAFE", Title: "Themencafé", Kind: "theme_cafe", Day: "2026-03-30", Starts: "14:00", Ends: "15:30", Room: "Saal"},
		},
		Revisions: map[domain.SessionID]uint64{"S1": 12, "S2": 4, "CAFE": 6}, Revised: 9}
}

func calendarOptions() reports.CalendarOptions {
	return reports.CalendarOptions{Location: berlin, Host: "werkstatt.example.org", Lang: reports.German,
		Now:         time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC),
		WorkshopURL: func(w domain.WorkshopID) string { return "https://werkstatt.example.org/w/" + string(w) }}
}

// parse checks the raw form (CRLF lines of at most 75 octets, each valid UTF-8, no control
// characters) and parses b with golang-ical's parser.
func parse(t *testing.T, b []byte) (*ics.Calendar, map[string]*ics.VEvent) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("calendar does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n\x00") {
			t.Errorf("line %d %q: want at most 75 octets of valid UTF-8 without control characters", i+1, l)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	events := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		events[e.Id()] = e
	}
	return cal, events
}

func value(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestAgendaICS(t *testing.T) {
	b, err := reports.AgendaICS(calendarWorkshop(), calendarOptions())
	if err != nil {
		t.Fatal(err)
	}
	cal, events := parse(t, b)
	wantUIDs := []string{"W1/S1@werkstatt.example.org", "W1/S2@werkstatt.example.org", "W1/CAFE@werkstatt.example.org",
		"W1/day/2026-03-29@werkstatt.example.org"}
	if len(events) != len(wantUIDs) {
		t.Errorf("got %d events, want %d: %v", len(events), len(wantUIDs), events)
	}
	for _, uid := range wantUIDs {
		if events[uid] == nil {
			t.Errorf("no event with UID %s", uid)
		}
	}
	s1 := events["W1/S1@werkstatt.example.org"]
	if s1 == nil {
		t.FailNow()
	}
	if got := value(s1, ics.ComponentPropertySummary); got != longTitle {
		t.Errorf("SUMMARY = %q, want the long title unfolded and unescaped %q", got, longTitle)
	}
	if !strings.Contains(string(b), "\r\n ") {
		t.Errorf("the long title was not folded")
	}
	if got := value(s1, ics.ComponentPropertySequence); got != "12" {
		t.Errorf("SEQUENCE of S1 = %s, want 12 (its revision, later than the workshop's)", got)
	}
	if got := value(events["W1/S2@werkstatt.example.org"], ics.ComponentPropertySequence); got != "9" {
		t.Errorf("SEQUENCE of S2 = %s, want 9 (the workshop's revision, later than its own)", got)
	}
	if p := s1.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["TZID"][0] != "Europe/Berlin" || p.Value != "20260328T090000" {
		t.Errorf("DTSTART = %+v, want 20260328T090000 with TZID=Europe/Berlin", p)
	}
	start, err := s1.GetStartAt()
	if want := time.Date(2026, 3, 28, 9, 0, 0, 0, berlin); err != nil || !start.Equal(want) {
		t.Errorf("start = %v, %v; want %v", start, err, want)
	}
	end, err := s1.GetEndAt()
	if want := time.Date(2026, 3, 28, 8, 45, 0, 0, time.UTC); err != nil || !end.Equal(want) {
		t.Errorf("end = %v, %v; want %v (CET, UTC+1)", end, err, want)
	}
	if got := value(s1, ics.ComponentPropertyLocation); got != "Foyer, Rathaus Mitte, Saal 2" {
		t.Errorf("LOCATION = %q, want room and venue", got)
	}
	if got := value(s1, ics.ComponentPropertyDescription); got != "Mit: Anna Müller, Jörg Groß\nIdeenwerkstatt Nord" {
		t.Errorf("DESCRIPTION = %q, want the speakers and the workshop on two lines", got)
	}
	if !strings.Contains(string(b), `LOCATION:Foyer\, Rathaus Mitte\, Saal 2`) || !strings.Contains(string(b), `Begegnungsorte`) {
		t.Errorf("commas are not escaped in LOCATION:\n%s", b)
	}
	if got := value(s1, ics.ComponentPropertyDtstamp); got != "20261205T100000Z" {
		t.Errorf("DTSTAMP = %q, want the time of writing in UTC", got)
	}
	if got := value(s1, ics.ComponentPropertyUrl); got != "https://werkstatt.example.org/w/W1" {
		t.Errorf("URL = %q", got)
	}
	day := events["W1/day/2026-03-29@werkstatt.example.org"]
	if p := day.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.Value != "20260329" || p.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("whole day DTSTART = %+v, want the date 20260329", p)
	}
	tzs := cal.Timezones()
	if len(tzs) != 1 || value2(tzs[0].ComponentBase, ics.ComponentPropertyTzid) != "Europe/Berlin" {
		t.Fatalf("want one VTIMEZONE Europe/Berlin, got %d", len(tzs))
	}
	raw := string(b)
	for _, want := range []string{"BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST",
		"BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET",
		"X-WR-TIMEZONE:Europe/Berlin", "METHOD:PUBLISH", "VERSION:2.0"} {
		if !strings.Contains(raw, want) {
			t.Errorf("calendar lacks %q:\n%s", want, raw)
		}
	}
	if strings.Index(raw, "BEGIN:VTIMEZONE") > strings.Index(raw, "BEGIN:VEVENT") {
		t.Errorf("VTIMEZONE comes after the events")
	}
}

func value2(c ics.ComponentBase, p ics.ComponentProperty) string {
	if v := c.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// A hostile title cannot inject properties: CR, LF and NUL cannot end the line.
func TestCalendarHostileText(t *testing.T) {
	b, err := reports.AgendaICS(calendarWorkshop(), calendarOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, events := parse(t, b)
	for uid, e := range events {
		for _, p := range e.Properties {
			switch ics.ComponentProperty(p.IANAToken) {
			case ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp, ics.ComponentPropertySequence,
				ics.ComponentPropertyDtStart, ics.ComponentPropertyDtEnd, ics.ComponentPropertySummary,
				ics.ComponentPropertyLocation, ics.ComponentPropertyDescription, ics.ComponentPropertyUrl,
				ics.ComponentPropertyTransp:
			default:
				t.Errorf("event %s has an injected property %s:%s", uid, p.IANAToken, p.Value)
			}
		}
	}
	s2 := events["W1/S2@werkstatt.example.org"]
	if got := value(s2, ics.ComponentPropertySummary); got != "Pause ATTENDEE:mailto:evil@example.org X-INJECT:1" {
		t.Errorf("SUMMARY = %q, want the text on one line without control characters", got)
	}
	if bytes.Contains(b, []byte{0}) || strings.Contains(string(b), "\r\nATTENDEE") || strings.Contains(string(b), "\r\nX-INJECT") {
		t.Errorf("the hostile title reached the output as lines:\n%s", b)
	}
}

func TestPersonalICS(t *testing.T) {
	seats := []reports.CafeSeat{
		{Session: "CAFE", Round: 1, Rounds: 3, Topic: "Spielplätze", Host: "Eva Schön"},
		{Session: "CAFE", Round: 2, Rounds: 3, Topic: "Parks; Wiesen"},
		{Session: "CAFE", Round: 3, Rounds: 3, Topic: "Bäume"},
	}
	b, err := reports.PersonalICS(calendarWorkshop(), []domain.Day{"2026-03-29", "2026-03-30"}, seats, calendarOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, events := parse(t, b)
	if len(events) != 4 {
		t.Errorf("got %d events, want the free day and three café rounds: %v", len(events), events)
	}
	if events["W1/S1@werkstatt.example.org"] != nil || events["W1/CAFE@werkstatt.example.org"] != nil {
		t.Errorf("a session of an unbooked day, or the café instead of its rounds, is in the calendar")
	}
	r2 := events["W1/CAFE/round-2@werkstatt.example.org"]
	if r2 == nil {
		t.Fatalf("no event for round 2:\n%s", b)
	}
	start, _ := r2.GetStartAt()
	end, _ := r2.GetEndAt()
	if !start.Equal(time.Date(2026, 3, 30, 14, 30, 0, 0, berlin)) || !end.Equal(time.Date(2026, 3, 30, 15, 0, 0, 0, berlin)) {
		t.Errorf("round 2 from %v to %v, want 14:30 to 15:00 in Berlin (CEST)", start.In(berlin), end.In(berlin))
	}
	if got := value(r2, ics.ComponentPropertySummary); got != "Themencafé, Runde 2: Parks; Wiesen" {
		t.Errorf("SUMMARY = %q", got)
	}
	if got := value(events["W1/CAFE/round-1@werkstatt.example.org"], ics.ComponentPropertyDescription); !strings.HasPrefix(got, "Gastgeber·in: Eva Schön\n") {
		t.Errorf("DESCRIPTION of round 1 = %q, want the host first", got)
	}
}

func TestWorkshopsICS(t *testing.T) {
	other := projections.WorkshopView{ID: "W2", Title: "Werkstatt Süd", Venue: "Bürgerhaus", Days: []domain.Day{"2027-01-20"}}
	o := calendarOptions()
	o.Lang = reports.English
	b, err := reports.WorkshopsICS([]projections.WorkshopView{calendarWorkshop(), other}, "Werkstatt: Workshops", o)
	if err != nil {
		t.Fatal(err)
	}
	cal, events := parse(t, b)
	if len(events) != 4 {
		t.Errorf("got %d events, want one per workshop day (4)", len(events))
	}
	e := events["W2/day/2027-01-20@werkstatt.example.org"]
	if e == nil || value(e, ics.ComponentPropertyUrl) != "https://werkstatt.example.org/w/W2" || value(e, ics.ComponentPropertySummary) != "Werkstatt Süd" {
		t.Errorf("event of W2 = %+v, want its title and page", e)
	}
	if !strings.Contains(string(b), "DTSTART:20270328T020000") {
		t.Errorf("the VTIMEZONE does not reach into 2027:\n%s", b)
	}
	_ = cal
}
