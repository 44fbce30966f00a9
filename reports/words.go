package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// words are the fixed texts of the theme café's documents in one language. Each field's text is
// the catalogue message "Cafe" and the field's name (locales/cafe.<lang>.toml).
type words struct {
	TableCards, Routes, Results string
	ThemeCafe, Round, Table     string
	Host, NoHost, NotPlanned    string
	NoSeat, Erased, Page, Of    string
	KeyPoints, Examples, Open   string
	NoNotes                     string
}

// words returns the texts of l; an unknown language gets German, the default.
func (l Lang) words() words {
	if w, ok := dictionary[l]; ok {
		return w
	}
	return dictionary[German]
}

var (
	germanWeekdays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	germanMonths   = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
		"September", "Oktober", "November", "Dezember"}
)

// date writes a day as people of the language write it: "Montag, 16. November 2026" or
// "Monday, 16 November 2026". A malformed day comes back unchanged.
func (l Lang) date(d domain.Day) string {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return string(d)
	}
	if l == English {
		return t.Format("Monday, 2 January 2006")
	}
	return fmt.Sprintf("%s, %d. %s %d", germanWeekdays[t.Weekday()], t.Day(), germanMonths[t.Month()-1], t.Year())
}

// clock writes minutes after midnight as a time of day: "14:05" in German, "2:05 pm" in
// English.
func (l Lang) clock(minutes int) string {
	h, m := minutes/60, minutes%60
	if l != English {
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	return fmt.Sprintf("%d:%02d %s", h, m, suffix)
}

// span writes a time range: "14:00–14:25 Uhr" or "2:00 pm – 2:25 pm".
func (l Lang) span(from, to int) string {
	if l == English {
		return l.clock(from) + " – " + l.clock(to)
	}
	return l.clock(from) + "–" + l.clock(to) + " Uhr"
}

// RoundTimes is roundTimes for the pages, which show a participant's route with the times the
// PDF prints.
func (l Lang) RoundTimes(s domain.Session, rounds int) []string { return l.roundTimes(s, rounds) }

// roundTimes splits the café's session evenly among its rounds (the plan knows no times of its
// own) and returns each round's range as text, or nil when the session's times do not parse.
func (l Lang) roundTimes(s domain.Session, rounds int) []string {
	from, ok1 := minutes(s.Starts)
	to, ok2 := minutes(s.Ends)
	if !ok1 || !ok2 || to <= from || rounds < 1 {
		return nil
	}
	out := make([]string, rounds)
	for n := range rounds {
		out[n] = l.span(from+(to-from)*n/rounds, from+(to-from)*(n+1)/rounds)
	}
	return out
}

// minutes reads "HH:MM" as minutes after midnight.
func minutes(hhmm string) (int, bool) {
	hs, ms, ok := strings.Cut(hhmm, ":")
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if !ok || err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}
