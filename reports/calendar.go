package reports

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// CalendarOptions says how a calendar (RFC 5545) is written.
type CalendarOptions struct {
	// Location is the time zone of every time, described in a VTIMEZONE; nil means UTC.
	Location *time.Location
	// Host is the right-hand part of every UID ("werkstatt.example.org"); anything but
	// letters, digits, dots, dashes and colons is dropped from it.
	Host string
	// Now is the DTSTAMP of every event: when the calendar was written.
	Now  time.Time
	Lang Lang
	// WorkshopURL returns the address of a workshop's public page for the events' URL; nil for
	// none.
	WorkshopURL func(domain.WorkshopID) string
}

// CafeSeat is where a participant sits in one round of a theme café, as the published plan
// says.
type CafeSeat struct {
	Session domain.SessionID
	Round   int // 1-based
	Rounds  int // of the café, to split the session's time evenly (as the printed routes do)
	Topic   string
	Host    string // "" for none
}

// UIDs are stable: "<workshop>/<session>@host" for a session, "<workshop>/<session>/round-<n>@host"
// for a café round and "<workshop>/day/<day>@host" for a whole day. Ids are path-escaped, so no
// session id can take the form of a day's UID.
func sessionUID(w domain.WorkshopID, s domain.SessionID, host string) string {
	return url.PathEscape(string(w)) + "/" + url.PathEscape(string(s)) + "@" + host
}

func roundUID(w domain.WorkshopID, s domain.SessionID, round int, host string) string {
	return fmt.Sprintf("%s/%s/round-%d@%s", url.PathEscape(string(w)), url.PathEscape(string(s)), round, host)
}

func dayUID(w domain.WorkshopID, d domain.Day, host string) string {
	return url.PathEscape(string(w)) + "/day/" + url.PathEscape(string(d)) + "@" + host
}

// AgendaICS writes a workshop's agenda as a calendar: one event per session (cancelled sessions
// are not in the view, so a subscribed calendar drops them on its next refresh), and a
// whole-day event for each day without sessions. A session's SEQUENCE is the later of its own
// revision and the workshop's, so it grows with every change a calendar shows.
func AgendaICS(ws projections.WorkshopView, o CalendarOptions) ([]byte, error) {
	c := newCalendar(o, ws.Title)
	busy := map[domain.Day]bool{}
	for _, s := range ws.Agenda {
		busy[s.Day] = true
		c.session(ws, s)
	}
	for _, d := range ws.Days {
		if !busy[d] {
			c.day(ws, d)
		}
	}
	return c.bytes(ws.Days)
}

// PersonalICS writes a participant's calendar: the sessions of their confirmed days, and, for a
// theme café whose plan is published (seats holds its rounds), one event per round at their
// table instead of the café's session.
func PersonalICS(ws projections.WorkshopView, days []domain.Day, seats []CafeSeat, o CalendarOptions) ([]byte, error) {
	c := newCalendar(o, ws.Title)
	mine := map[domain.Day]bool{}
	for _, d := range days {
		mine[d] = true
	}
	rounds := map[domain.SessionID][]CafeSeat{}
	for _, seat := range seats {
		rounds[seat.Session] = append(rounds[seat.Session], seat)
	}
	busy := map[domain.Day]bool{}
	for _, s := range ws.Agenda {
		if !mine[s.Day] {
			continue
		}
		busy[s.Day] = true
		if len(rounds[s.ID]) == 0 {
			c.session(ws, s)
			continue
		}
		for _, seat := range rounds[s.ID] {
			c.round(ws, s, seat)
		}
	}
	var own []domain.Day
	for _, d := range ws.Days {
		if mine[d] {
			own = append(own, d)
			if !busy[d] {
				c.day(ws, d)
			}
		}
	}
	return c.bytes(own)
}

// WorkshopsICS writes a feed of workshops: a whole-day event per workshop day, linking to the
// workshop's page. name is the calendar's name.
func WorkshopsICS(list []projections.WorkshopView, name string, o CalendarOptions) ([]byte, error) {
	c := newCalendar(o, name)
	var days []domain.Day
	for _, ws := range list {
		for _, d := range ws.Days {
			c.day(ws, d)
			days = append(days, d)
		}
	}
	return c.bytes(days)
}

type calendar struct {
	cal  *ics.Calendar
	o    CalendarOptions
	loc  *time.Location
	tzid string
	host string
	w    calendarWords
}

func newCalendar(o CalendarOptions, name string) *calendar {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	c := &calendar{cal: ics.NewCalendarFor("Werkstatt"), o: o, loc: loc, tzid: loc.String(),
		host: uidHost(o.Host), w: o.Lang.calendarWords()}
	c.cal.SetMethod(ics.MethodPublish)
	c.cal.SetCalscale("GREGORIAN")
	c.cal.SetName(line(name))
	c.cal.SetXWRCalName(line(name))
	c.cal.SetXWRTimezone(c.tzid)
	c.cal.SetProductId("-//Werkstatt//Werkstatt//DE")
	c.cal.SetRefreshInterval("PT1H")
	c.cal.SetXPublishedTTL("PT1H")
	return c
}

// uidHost keeps the characters a host name may hold.
func uidHost(h string) string {
	h = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == ':') {
			return r
		}
		return -1
	}, h)
	if h == "" {
		return "werkstatt"
	}
	return h
}

func (c *calendar) event(uid string, seq uint64) *ics.VEvent {
	e := c.cal.AddEvent(uid)
	e.SetDtStampTime(c.o.Now)
	e.SetSequence(int(min(seq, math.MaxInt32))) // clients keep SEQUENCE in 32 bits
	return e
}

func (c *calendar) link(e *ics.VEvent, w domain.WorkshopID) {
	if c.o.WorkshopURL != nil {
		if u := c.o.WorkshopURL(w); u != "" {
			e.SetURL(line(u))
		}
	}
}

func (c *calendar) session(ws projections.WorkshopView, s domain.Session) {
	e := c.event(sessionUID(ws.ID, s.ID, c.host), max(ws.Revisions[s.ID], ws.Revised))
	c.times(e, s.Day, s.Starts, s.Ends)
	e.SetSummary(line(s.Title))
	e.SetLocation(line(place(s.Room, ws.Venue)))
	e.SetDescription(c.description(ws, s))
	c.link(e, ws.ID)
}

func (c *calendar) round(ws projections.WorkshopView, s domain.Session, seat CafeSeat) {
	e := c.event(roundUID(ws.ID, s.ID, seat.Round, c.host), max(ws.Revisions[s.ID], ws.Revised))
	from, ok1 := minutes(s.Starts)
	to, ok2 := minutes(s.Ends)
	if ok1 && ok2 && seat.Rounds > 0 && to > from {
		span := to - from
		c.times(e, s.Day, clockOf(from+span*(seat.Round-1)/seat.Rounds), clockOf(from+span*seat.Round/seat.Rounds))
	} else {
		c.times(e, s.Day, s.Starts, s.Ends)
	}
	e.SetSummary(line(fmt.Sprintf("%s, %s %d: %s", s.Title, c.w.round, seat.Round, seat.Topic)))
	e.SetLocation(line(place(s.Room, ws.Venue)))
	desc := ws.Title
	if seat.Host != "" {
		desc = c.w.host + ": " + seat.Host + "\n" + desc
	}
	e.SetDescription(text(desc))
	c.link(e, ws.ID)
}

func (c *calendar) day(ws projections.WorkshopView, d domain.Day) {
	e := c.event(dayUID(ws.ID, d, c.host), ws.Revised)
	if t, err := time.Parse(time.DateOnly, string(d)); err == nil {
		e.SetAllDayStartAt(t)
		e.SetAllDayEndAt(t.AddDate(0, 0, 1))
	}
	e.SetSummary(line(ws.Title))
	e.SetLocation(line(ws.Venue))
	if ws.Series != "" {
		e.SetDescription(text(ws.Series))
	}
	e.SetTimeTransparency(ics.TransparencyTransparent)
	c.link(e, ws.ID)
}

func (c *calendar) description(ws projections.WorkshopView, s domain.Session) string {
	var b strings.Builder
	if len(s.Speakers) > 0 {
		b.WriteString(c.w.with + ": " + strings.Join(s.Speakers, ", ") + "\n")
	}
	b.WriteString(ws.Title)
	return text(b.String())
}

// times sets DTSTART and DTEND as local times of the calendar's zone, with its TZID.
func (c *calendar) times(e *ics.VEvent, d domain.Day, starts, ends string) {
	const local = "20060102T150405"
	if t, err := time.ParseInLocation("2006-01-02 15:04", string(d)+" "+starts, c.loc); err == nil {
		e.SetProperty(ics.ComponentPropertyDtStart, t.Format(local), ics.WithTZID(c.tzid))
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", string(d)+" "+ends, c.loc); err == nil {
		e.SetProperty(ics.ComponentPropertyDtEnd, t.Format(local), ics.WithTZID(c.tzid))
	}
}

func (c *calendar) bytes(days []domain.Day) ([]byte, error) {
	c.timezone(days)
	var b bytes.Buffer
	if err := c.cal.SerializeTo(&b, ics.WithNewLine("\r\n")); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func clockOf(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func place(room, venue string) string {
	switch {
	case room == "":
		return venue
	case venue == "":
		return room
	}
	return room + ", " + venue
}

// text makes s safe for a TEXT value: valid UTF-8, line breaks as LF (which the library writes
// as \n) and no other control characters, so no CR or NUL can end the line and start a
// property of its own.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return -1
		}
		return r
	}, s)
}

// line is text on one line: line breaks become spaces.
func line(s string) string {
	return strings.ReplaceAll(text(s), "\n", " ")
}

// calendarWords are the few words of a calendar's texts.
type calendarWords struct{ with, round, host string }

func (l Lang) calendarWords() calendarWords {
	if l == English {
		return calendarWords{with: "With", round: "round", host: "Table host"}
	}
	return calendarWords{with: "Mit", round: "Runde", host: "Gastgeber·in"}
}

// CalendarKind is a kind of calendar, as CalendarFileName names it.
type CalendarKind int

const (
	AgendaCalendar CalendarKind = iota
	PersonalCalendar
	WorkshopsCalendar
)

var calendarNames = map[Lang][]string{
	German:  {"programm", "mein-kalender", "workshops"},
	English: {"agenda", "my-calendar", "workshops"},
}

// CalendarFileName is the name under which a calendar is downloaded, as FileName names
// documents: "programm-ideenwerkstatt-nord.ics".
func CalendarFileName(lang Lang, kind CalendarKind, title string) string {
	names, ok := calendarNames[lang]
	if !ok {
		names = calendarNames[German]
	}
	name := "calendar"
	if int(kind) >= 0 && int(kind) < len(names) {
		name = names[kind]
	}
	if s := slug(title); s != "" {
		name += "-" + s
	}
	return name + ".ics"
}
