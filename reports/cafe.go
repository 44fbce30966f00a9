package reports

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// cafeDoc is a café as its documents show it: ids resolved to names and topics, rounds with
// their times, in one language. Every renderer of a café starts from one.
type cafeDoc struct {
	lang     Lang
	w        words
	workshop projections.WorkshopView
	session  domain.Session // zero when the agenda does not hold it
	view     projections.ThemeCafeView
	times    []string // per round; nil when unknown
	people   map[domain.RegistrationID]projections.RegistrationView
	number   map[domain.TableID]int // from 1, in the order tables were added
	order    *collate.Collator
}

func newCafeDoc(lang Lang, ws projections.WorkshopView, cafe Cafe) *cafeDoc {
	if _, ok := dictionary[lang]; !ok {
		lang = German
	}
	d := &cafeDoc{lang: lang, w: lang.words(), workshop: ws, view: cafe.View,
		people: make(map[domain.RegistrationID]projections.RegistrationView, len(cafe.People)),
		number: make(map[domain.TableID]int, len(cafe.View.Tables)),
		order:  collate.New(language.Make(string(lang)), collate.IgnoreCase)}
	if i := slices.IndexFunc(ws.Agenda, func(s domain.Session) bool { return s.ID == cafe.View.Session }); i >= 0 {
		d.session = ws.Agenda[i]
		d.times = lang.roundTimes(d.session, cafe.View.Rounds)
	}
	for _, p := range cafe.People {
		d.people[p.ID] = p
	}
	for i, t := range cafe.View.Tables {
		d.number[t.ID] = i + 1
	}
	return d
}

// name is a registration's name, or a mark for a person whose data was erased or is unknown.
func (d *cafeDoc) name(id domain.RegistrationID) string {
	if p, ok := d.people[id]; ok && !p.Erased && strings.TrimSpace(p.Name) != "" {
		return p.Name
	}
	return d.w.Erased
}

// host is who hosts table t: a registration, a named guest, or nobody yet.
func (d *cafeDoc) host(t domain.Table) string {
	switch {
	case t.Host != "":
		return d.name(t.Host)
	case t.HostGuest != "":
		return t.HostGuest
	}
	return d.w.NoHost
}

// tableTitle is "Tisch 3: Topic".
func (d *cafeDoc) tableTitle(t domain.Table) string {
	return fmt.Sprintf("%s %d: %s", d.w.Table, d.number[t.ID], t.Topic)
}

// roundTitle is "Runde 2 · 14:20–14:40 Uhr", or "Runde 2" when the times are unknown.
func (d *cafeDoc) roundTitle(n int) string {
	s := fmt.Sprintf("%s %d", d.w.Round, n)
	if n >= 1 && n <= len(d.times) {
		s += " · " + d.times[n-1]
	}
	return s
}

// cafeTitle is "Themencafé „Title“", or the title alone when it already names the café
// ("Themencafé: Arbeitsmarkt"), so that the word is not said twice.
func (d *cafeDoc) cafeTitle() string {
	if Names(d.w.ThemeCafe, d.session.Title) {
		return d.session.Title
	}
	if d.lang == English {
		return d.w.ThemeCafe + " “" + d.session.Title + "”"
	}
	return d.w.ThemeCafe + " „" + d.session.Title + "“"
}

// when is the café's day, time and place: "Montag, 16. November 2026 · 14:00–15:00 Uhr · Raum 2".
func (d *cafeDoc) when() string {
	parts := []string{}
	if d.session.Day != "" {
		parts = append(parts, d.lang.date(d.session.Day))
	}
	from, ok1 := minutes(d.session.Starts)
	to, ok2 := minutes(d.session.Ends)
	if ok1 && ok2 {
		parts = append(parts, d.lang.span(from, to))
	}
	var place []string
	for _, p := range []string{d.workshop.Venue, d.session.Room} {
		if p != "" {
			place = append(place, p)
		}
	}
	if len(place) > 0 {
		parts = append(parts, strings.Join(place, ", "))
	}
	return strings.Join(parts, " · ")
}

// guests lists the names of the people at table t in round n, in the language's
// alphabetical order.
func (d *cafeDoc) guests(t domain.TableID, n int) []string {
	if d.view.Plan == nil {
		return nil
	}
	ids := d.view.Plan.Round(n)[t]
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = d.name(id)
	}
	slices.SortFunc(names, d.order.CompareString)
	return names
}

// stop is one round of a seat route; Table is zero when the person has no seat.
type stop struct {
	Round int
	Table domain.Table
}

// seatRoute is a person's way through the café: their table in each round.
type seatRoute struct {
	Name  string
	Stops []stop
}

// seatRoutes returns the seat route of only, or of everyone seated in the plan ordered by name.
func (d *cafeDoc) seatRoutes(only domain.RegistrationID) ([]seatRoute, error) {
	if d.view.Plan == nil {
		return nil, domain.ErrNoPlan
	}
	ids := []domain.RegistrationID{only}
	if only == "" {
		ids = ids[:0]
		for id := range d.view.Plan.Seats {
			ids = append(ids, id)
		}
	} else if _, ok := d.view.Plan.Seats[only]; !ok {
		return nil, ErrNoSeatRoute
	}
	out := make([]seatRoute, 0, len(ids))
	for _, id := range ids {
		r := seatRoute{Name: d.name(id)}
		seats := d.view.Plan.Seats[id]
		for n := 1; n <= d.view.Rounds; n++ {
			s := stop{Round: n}
			if n <= len(seats) && seats[n-1] != "" {
				s.Table, _ = d.table(seats[n-1])
			}
			r.Stops = append(r.Stops, s)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b seatRoute) int { return d.order.CompareString(a.Name, b.Name) })
	return out, nil
}

func (d *cafeDoc) table(id domain.TableID) (domain.Table, bool) {
	i := slices.IndexFunc(d.view.Tables, func(t domain.Table) bool { return t.ID == id })
	if i < 0 {
		return domain.Table{}, false
	}
	return d.view.Tables[i], true
}

// notes returns the notes of table t, by round.
func (d *cafeDoc) notes(t domain.TableID) []projections.CafeNotes {
	var out []projections.CafeNotes
	for _, n := range d.view.Notes {
		if n.Table == t {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b projections.CafeNotes) int { return a.Round - b.Round })
	return out
}

// sections are a round's notes as headed lists, empty lists left out.
func (d *cafeDoc) sections(n domain.TableNotes) []section {
	var out []section
	for _, s := range []section{{d.w.KeyPoints, n.KeyPoints}, {d.w.Examples, n.Examples}, {d.w.Open, n.OpenQuestions}} {
		if len(s.Items) > 0 {
			out = append(out, s)
		}
	}
	return out
}

type section struct {
	Title string
	Items []string
}

// Names reports whether title already begins with the word kind ("Themencafé: Arbeitsmarkt"
// for "Themencafé"), ignoring case, so that a page or document does not put the word before it
// a second time.
func Names(kind, title string) bool {
	kind, title = strings.TrimSpace(kind), strings.TrimSpace(title)
	return kind != "" && len(title) >= len(kind) && strings.EqualFold(title[:len(kind)], kind)
}

// Prefixed is "kind: title", or title alone when it already begins with kind.
func Prefixed(kind, title string) string {
	if Names(kind, title) {
		return title
	}
	return kind + ": " + title
}
