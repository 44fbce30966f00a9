package reports

import (
	"cmp"
	"io"
	"slices"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// WalkInRows is the number of empty, numbered rows under the registered people of a sign-in
// sheet, for people who come without registering.
const WalkInRows = 10

// SignInSheets writes one sign-in sheet per day of the workshop, as funders such as AMIF ask
// for: each day starts a page headed by the workshop, its series, the date and the venue; its
// table lists the people confirmed for that day by name (No., name, organisation, district,
// signature; long names and organisations wrap, never cut), then WalkInRows empty rows.
//
// Erased people are left out: a signed list must not name them, and an anonymous row would
// only say that someone erased was expected; if they come, they sign an empty row like any
// walk-in. Waitlisted and cancelled registrations are left out too.
//
// The workshop's funding details head each page too: the project, the funding reference and the
// funder, and the funder's logo top right. logo holds the bytes of ws.Funding.Logo; the caller
// reads them from the object store (nil when no logo is set).
func SignInSheets(w io.Writer, lang Lang, ws projections.WorkshopView, regs []projections.RegistrationView, logo []byte) error {
	words := lang.reportWords()
	f := newPDF(lang, words.SignInSheet+" – "+ws.Title)
	logoName, err := registerLogo(f, ws.Funding, logo)
	if err != nil {
		return err
	}
	pageFooter(f, lang.words(), ws.Title)
	days := ws.Days
	if len(days) == 0 {
		days = []domain.Day{""} // a workshop without days still gets its (empty) sheet
	}
	for _, day := range days {
		header := func() { signInHeader(f, lang, ws, day, logoName) }
		f.AddPage()
		header()
		var rows [][]string
		for _, r := range signInPeople(regs, day) {
			rows = append(rows, []string{itoa(len(rows) + 1), r.Name, r.Organisation, r.District, ""})
		}
		for range WalkInRows {
			rows = append(rows, []string{itoa(len(rows) + 1), "", "", "", ""})
		}
		wrapTable{widths: []float64{11, 50, 52, 25, 42}, align: []string{"R"}, minHeight: 11, lineHeight: 4.5,
			header:     []string{words.Number, words.Name, words.Organisation, words.County, words.Signature},
			pageHeader: header}.draw(f, rows)
	}
	return write(f, w)
}

// signInHeader heads every page of a day's sheet, so that each page stands on its own when the
// funder receives it. The right 55 mm are kept for the funder's logo; the project, funding
// reference and funder follow the series.
func signInHeader(f *fpdf.Fpdf, lang Lang, ws projections.WorkshopView, day domain.Day, logoName string) {
	words := lang.reportWords()
	const width = textWidth - 55
	drawLogo(f, logoName, f.GetY())
	font(f, true, 16, false)
	f.MultiCell(width, 7.5, words.SignInSheet, "", "L", false)
	font(f, true, 12, false)
	f.MultiCell(width, 6, ws.Title, "", "L", false)
	font(f, false, 10.5, false)
	if ws.Series != "" {
		f.MultiCell(width, 5.5, words.SeriesName+": "+ws.Series, "", "L", false)
	}
	for _, line := range fundingLines(words, ws.Funding) {
		f.MultiCell(width, 5.5, line, "", "L", false)
	}
	if day != "" {
		f.MultiCell(width, 5.5, words.Date+": "+lang.date(day), "", "L", false)
	}
	if ws.Venue != "" {
		f.MultiCell(width, 5.5, words.Venue+": "+ws.Venue, "", "L", false)
	}
	f.Ln(4)
}

// signInPeople are the people confirmed for day, not erased, by name.
func signInPeople(regs []projections.RegistrationView, day domain.Day) []projections.RegistrationView {
	var out []projections.RegistrationView
	for _, r := range regs {
		if r.Status == domain.Confirmed && !r.Erased && (day == "" || r.ConfirmedOn(day)) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b projections.RegistrationView) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			strings.Compare(a.Organisation, b.Organisation), strings.Compare(string(a.ID), string(b.ID)))
	})
	return out
}
