package reports

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// CateringReport is what the venue needs to cook and to book rooms (issue 14): per workshop
// day the confirmed people, their meals by dietary wish, and the overnight stays of the night
// after the day. Waitlisted and cancelled registrations do not count.
type CateringReport struct {
	Workshop projections.WorkshopView `json:"workshop"`
	Days     []CateringDay            `json:"days"`
}

// CateringDay is one workshop day. People counts the confirmed people of the day; Meals splits
// them by dietary wish. Erased counts erased people: their dietary wish was shredded with their
// data key, so they are kept in People (the kitchen still cooks for them) but shown as a kind of
// their own ("unknown (erased)") rather than guessed into "no special requirements".
// Overnight counts the stays in the night after the day (0 after the last day).
type CateringDay struct {
	Day       domain.Day  `json:"day"`
	People    int         `json:"people"`
	Meals     []MealCount `json:"meals"`
	Erased    int         `json:"erased"`
	Overnight int         `json:"overnight"`
}

// MealCount is one dietary wish and how many people of the day have it. Wishes are grouped
// case-insensitively after trimming ("vegetarisch" and "Vegetarisch " are one kind, shown in
// the spelling most people used, on a tie the first in byte order); Diet "" is "no special requirements".
type MealCount struct {
	Diet   string `json:"diet"`
	People int    `json:"people"`
}

// LoadCatering reads a workshop and its registrations and builds its catering report, or returns
// domain.ErrWorkshopNotFound.
func LoadCatering(ctx context.Context, src AttendanceSource, id domain.WorkshopID) (CateringReport, error) {
	ws, err := src.Workshop(ctx, id)
	if err != nil {
		return CateringReport{}, err
	}
	regs, err := src.Registrations(ctx, id)
	if err != nil {
		return CateringReport{}, err
	}
	return BuildCatering(ws, regs), nil
}

// BuildCatering computes the report from the views. A person who asked for an overnight stay
// stays the nights between the days they attend: the night after a day counts them when they
// attend that day and the workshop's next day (someone on days 1 and 3 of 3 goes home between).
func BuildCatering(ws projections.WorkshopView, regs []projections.RegistrationView) CateringReport {
	rep := CateringReport{Workshop: ws, Days: []CateringDay{}}
	for i, d := range ws.Days {
		cd := CateringDay{Day: d, Meals: []MealCount{}}
		kinds := map[string]map[string]int{} // folded wish → spelling → people
		for _, r := range regs {
			if !r.ConfirmedOn(d) {
				continue
			}
			cd.People++
			if r.Erased {
				cd.Erased++
			} else {
				diet := strings.TrimSpace(r.Dietary)
				key := strings.ToLower(diet)
				if kinds[key] == nil {
					kinds[key] = map[string]int{}
				}
				kinds[key][diet]++
			}
			if r.Overnight && i+1 < len(ws.Days) && r.ConfirmedOn(ws.Days[i+1]) {
				cd.Overnight++
			}
		}
		for _, spellings := range kinds {
			m := MealCount{}
			best := -1
			for s, n := range spellings {
				m.People += n
				if n > best || n == best && s < m.Diet {
					m.Diet, best = s, n
				}
			}
			cd.Meals = append(cd.Meals, m)
		}
		// No special requirements first, then the most people, then by name.
		slices.SortFunc(cd.Meals, func(a, b MealCount) int {
			if (a.Diet == "") != (b.Diet == "") {
				if a.Diet == "" {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(b.People, a.People), strings.Compare(strings.ToLower(a.Diet), strings.ToLower(b.Diet)))
		})
		rep.Days = append(rep.Days, cd)
	}
	return rep
}

// cateringTable is the report in long form, one line per day and item: the people of the day,
// each meal kind, the erased people's meals, the overnight stays of the night after the day.
func cateringTable(lang Lang, r CateringReport) table {
	w := lang.reportWords()
	t := table{Name: w.Catering, Header: []string{w.Day, w.Item, w.Diet, w.Count}}
	for _, d := range r.Days {
		day := lang.shortDate(d.Day)
		t.Rows = append(t.Rows, []any{day, w.Headcount, "", d.People})
		for _, m := range d.Meals {
			t.Rows = append(t.Rows, []any{day, w.Meal, w.diet(m.Diet), m.People})
		}
		if d.Erased > 0 {
			t.Rows = append(t.Rows, []any{day, w.Meal, w.DietErased, d.Erased})
		}
		t.Rows = append(t.Rows, []any{day, w.OvernightStays, "", d.Overnight})
	}
	return t
}

// diet is a dietary wish, or NoSpecialDiet for none.
func (w reportWords) diet(d string) string {
	if d == "" {
		return w.NoSpecialDiet
	}
	return d
}

// Catering writes the catering report (see cateringTable) in dialect d.
func (d CSVDialect) Catering(w io.Writer, lang Lang, r CateringReport) error {
	return d.write(w, cateringTable(lang, r))
}

// CateringPDF writes the catering report for the venue: per day a table of the people, the meals
// by dietary wish and the overnight stays of the night after the day.
func CateringPDF(w io.Writer, lang Lang, r CateringReport) error {
	words := lang.reportWords()
	f := newPDF(lang, words.Catering+" – "+r.Workshop.Title)
	pageFooter(f, lang.words(), r.Workshop.Title)
	f.AddPage()
	docTitle(f, words.Catering+": "+r.Workshop.Title, r.Workshop.Venue, lang.shortDates(r.Workshop.Days))
	for _, d := range r.Days {
		heading(f, lang.date(d.Day), 40)
		rows := [][]string{{words.Headcount, itoa(d.People)}}
		for _, m := range d.Meals {
			rows = append(rows, []string{words.Meal + ": " + words.diet(m.Diet), itoa(m.People)})
		}
		if d.Erased > 0 {
			rows = append(rows, []string{words.Meal + ": " + words.DietErased, itoa(d.Erased)})
		}
		rows = append(rows, []string{words.OvernightStays, itoa(d.Overnight)})
		wrapTable{widths: []float64{140, 40}, align: []string{"L", "R"}, minHeight: 7, lineHeight: 4.5,
			header: []string{words.Item, words.Count}}.draw(f, rows)
	}
	return write(f, w)
}
