package reports

import (
	"cmp"
	"io"
	"slices"
	"strconv"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The partner participation report of a network ("regelmäßige Teilnahme"): for each partner
// organisation (an organisation of a confirmed registration in the network's meetings of the
// period), which meetings it attended (at least one of its people checked in) and how
// regularly: attended over held, overall and per series. It counts organisations only and
// never names a person.

// PartnerMeeting is one held meeting of the period, with its organisations' attendance.
type PartnerMeeting struct {
	Workshop domain.WorkshopID `json:"workshop"`
	Title    string            `json:"title"`
	Series   string            `json:"series"`
	// Group names the working group whose meeting series this is, "" for none.
	Group         string                               `json:"group,omitempty"`
	FirstDay      domain.Day                           `json:"first_day"`
	Organisations []projections.OrganisationAttendance `json:"-"`
}

// PartnerSeries is a partner's regularity in one series.
type PartnerSeries struct {
	Series     string  `json:"series"`
	Group      string  `json:"group,omitempty"`
	Attended   int     `json:"attended"`
	Held       int     `json:"held"`
	Regularity float64 `json:"regularity"`
}

// Partner is one organisation's participation over the period.
type Partner struct {
	Organisation string              `json:"organisation"`
	Attended     int                 `json:"attended"`
	Held         int                 `json:"held"`
	Regularity   float64             `json:"regularity"`
	Meetings     []domain.WorkshopID `json:"meetings"`
	Series       []PartnerSeries     `json:"series"`
}

// PartnerReport is the report of a network over From..To (both included).
type PartnerReport struct {
	Network  string           `json:"network"`
	From     domain.Day       `json:"from"`
	To       domain.Day       `json:"to"`
	Meetings []PartnerMeeting `json:"meetings"`
	Partners []Partner        `json:"partners"`
}

// BuildPartners computes the report from the period's held meetings.
func BuildPartners(network string, from, to domain.Day, meetings []PartnerMeeting) PartnerReport {
	slices.SortStableFunc(meetings, func(a, b PartnerMeeting) int {
		return cmp.Or(cmp.Compare(a.FirstDay, b.FirstDay), cmp.Compare(a.Title, b.Title))
	})
	r := PartnerReport{Network: network, From: from, To: to, Meetings: meetings, Partners: []Partner{}}
	heldIn := map[string]int{}
	group := map[string]string{}
	var orgs []string
	for _, m := range meetings {
		heldIn[m.Series]++
		group[m.Series] = m.Group
		for _, o := range m.Organisations {
			if o.Organisation != "" && o.Confirmed > 0 && !slices.Contains(orgs, o.Organisation) {
				orgs = append(orgs, o.Organisation)
			}
		}
	}
	slices.SortFunc(orgs, func(a, b string) int { return cmp.Compare(transliteration.Replace(a), transliteration.Replace(b)) })
	series := slices.Sorted(func(yield func(string) bool) {
		for s := range heldIn {
			if !yield(s) {
				return
			}
		}
	})
	for _, org := range orgs {
		p := Partner{Organisation: org, Held: len(meetings), Meetings: []domain.WorkshopID{}}
		attendedIn := map[string]int{}
		for _, m := range meetings {
			if slices.ContainsFunc(m.Organisations, func(o projections.OrganisationAttendance) bool {
				return o.Organisation == org && o.CheckedIn > 0
			}) {
				p.Attended++
				p.Meetings = append(p.Meetings, m.Workshop)
				attendedIn[m.Series]++
			}
		}
		p.Regularity = rate(p.Attended, p.Held)
		for _, s := range series {
			p.Series = append(p.Series, PartnerSeries{Series: s, Group: group[s], Attended: attendedIn[s], Held: heldIn[s],
				Regularity: rate(attendedIn[s], heldIn[s])})
		}
		r.Partners = append(r.Partners, p)
	}
	return r
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// partnerWords are the report's words.
type partnerWords struct {
	Sheet, Meetings, Organisation, Series, Group, Attended, Held, Regularity, Meeting, FirstDay, Yes, Title string
}

func (l Lang) partnerWords() partnerWords {
	if l == English {
		return partnerWords{"Partners", "Meetings", "Organisation", "Series", "Working group", "Attended", "Held",
			"Regular participation", "Meeting", "First day", "yes", "Partner participation"}
	}
	return partnerWords{"Partner", "Treffen", "Organisation", "Reihe", "Arbeitsgruppe", "Teilgenommen", "Stattgefunden",
		"Regelmäßige Teilnahme", "Treffen", "Erster Tag", "ja", "Teilnahme der Partner"}
}

// partnerTables are the report's worksheets: one row per partner and series (the overall row
// has no series), and one row per partner and meeting it attended.
func partnerTables(lang Lang, r PartnerReport) []table {
	w := lang.partnerWords()
	t := table{Name: w.Sheet, Header: []string{w.Organisation, w.Series, w.Group, w.Attended, w.Held, w.Regularity}}
	for _, p := range r.Partners {
		t.Rows = append(t.Rows, []any{p.Organisation, "", "", p.Attended, p.Held, p.Regularity})
		for _, s := range p.Series {
			t.Rows = append(t.Rows, []any{p.Organisation, s.Series, s.Group, s.Attended, s.Held, s.Regularity})
		}
	}
	m := table{Name: w.Meetings, Header: []string{w.Organisation, w.Meeting, w.Series, w.Group, w.FirstDay}}
	byID := map[domain.WorkshopID]PartnerMeeting{}
	for _, x := range r.Meetings {
		byID[x.Workshop] = x
	}
	for _, p := range r.Partners {
		for _, id := range p.Meetings {
			x := byID[id]
			m.Rows = append(m.Rows, []any{p.Organisation, x.Title, x.Series, x.Group, string(x.FirstDay)})
		}
	}
	return []table{t, m}
}

// Partners writes the partners' rows (see partnerTables) in dialect d.
func (d CSVDialect) Partners(w io.Writer, lang Lang, r PartnerReport) error {
	return d.write(w, partnerTables(lang, r)[0])
}

// PartnersCSV writes the partners' rows for German Excel.
func PartnersCSV(w io.Writer, lang Lang, r PartnerReport) error {
	return GermanExcel.Partners(w, lang, r)
}

// PartnersXLSX writes the report as a workbook.
func PartnersXLSX(w io.Writer, lang Lang, r PartnerReport) error {
	return writeXLSX(w, partnerTables(lang, r))
}

// PartnersPDF writes the report as a printable table: one line per partner and series.
func PartnersPDF(w io.Writer, lang Lang, r PartnerReport) error {
	words := lang.partnerWords()
	f := newPDF(lang, words.Title+" – "+r.Network)
	f.AddPage()
	font(f, true, 14, false)
	f.MultiCell(0, 7, words.Title+" – "+r.Network, "", "L", false)
	font(f, false, 10, true)
	f.MultiCell(0, 6, lang.shortDate(r.From)+" – "+lang.shortDate(r.To), "", "L", false)
	f.Ln(3)
	var rows [][]string
	for _, p := range r.Partners {
		rows = append(rows, []string{p.Organisation, "", strconv.Itoa(p.Attended), strconv.Itoa(p.Held), lang.percent(p.Regularity)})
		for _, s := range p.Series {
			name := s.Series
			if s.Group != "" {
				name += " (" + s.Group + ")"
			}
			rows = append(rows, []string{"", name, strconv.Itoa(s.Attended), strconv.Itoa(s.Held), lang.percent(s.Regularity)})
		}
	}
	pdfTable{widths: []float64{60, 60, 18, 18, 24}, align: []string{"L", "L", "R", "R", "R"}, rowHeight: 6, border: "B",
		header: []string{words.Organisation, words.Series, words.Attended, words.Held, words.Regularity}}.draw(f, rows)
	return write(f, w)
}
