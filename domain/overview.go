package domain

import "strings"

// When chooses the workshops of a network's events overview: those not over yet, or those
// that are.
type When string

const (
	Upcoming When = "upcoming"
	Past     When = "past"
)

// OverviewFilter narrows a network's events overview: when (upcoming by default), one series,
// one district. An empty series or district filters nothing.
type OverviewFilter struct {
	When     When
	Series   string
	District string
}

// NewOverviewFilter checks the filter a reader asks for: when is "upcoming", "past" or empty
// (upcoming); series and district are single-line texts like the fields they match.
func NewOverviewFilter(when, series, district string) (OverviewFilter, error) {
	var fe FieldErrors
	f := OverviewFilter{When: When(strings.TrimSpace(when)), Series: strings.TrimSpace(series),
		District: strings.TrimSpace(district)}
	switch f.When {
	case "":
		f.When = Upcoming
	case Upcoming, Past:
	default:
		fe.add("when", CodeNotInList, "must be upcoming or past")
	}
	checkText(&fe, "series", series, false, maxTitle)
	checkText(&fe, "district", district, false, maxTitle)
	if len(fe) > 0 {
		return OverviewFilter{}, fe
	}
	return f, nil
}

// Over reports whether a workshop whose last day is last is over on today: it is past from the
// day after its last day. A workshop without days is never over.
func Over(last, today Day) bool {
	return last != "" && last < today
}
