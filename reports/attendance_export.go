package reports

import (
	"io"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
)

// attendanceTables are the parts of the attendance report, as worksheets: overview, days,
// sessions, organisations, districts and the participant list.
func attendanceTables(lang Lang, r AttendanceReport) []table {
	w := lang.reportWords()
	overview := table{Name: w.Overview, Header: []string{w.Measure, w.Value}, Rows: [][]any{
		{w.Workshop, r.Workshop.Title}, {w.Confirmed, r.Confirmed}, {w.PersonDays, r.PersonDays},
		{w.NoShows, r.NoShows}, {w.NoShowRate, r.NoShowRate}}}
	days := table{Name: w.Days, Header: []string{w.Day, w.Confirmed, w.Present, w.NoShows, w.NoShowRate}}
	for _, d := range r.Days {
		if !d.Held { // not yet held: no no-shows, said in words rather than a 0
			days.Rows = append(days.Rows, []any{string(d.Day), d.Confirmed, d.Present, w.NotYetHeld, w.NotYetHeld})
			continue
		}
		days.Rows = append(days.Rows, []any{string(d.Day), d.Confirmed, d.Present, d.NoShows, d.NoShowRate})
	}
	sessions := table{Name: w.Sessions, Header: []string{w.Day, w.Starts, w.Session, w.Present}}
	for _, s := range r.Sessions {
		sessions.Rows = append(sessions.Rows, []any{string(s.Day), s.Starts, s.Title, s.Present})
	}
	group := func(name, column string, gs []GroupPresence) table {
		t := table{Name: name, Header: []string{column, w.Confirmed, w.Present}}
		for _, g := range gs {
			t.Rows = append(t.Rows, []any{w.groupName(g.Name), g.Confirmed, g.Present})
		}
		return t
	}
	tables := []table{overview, days, sessions,
		group(w.Organisations, w.Organisation, r.Organisations), group(w.Districts, w.District, r.Districts)}
	if len(r.Questions) > 0 {
		t := table{Name: w.RegistrationQuestions, Header: []string{w.Question, w.Answer, w.Confirmed, w.Present}}
		for _, q := range r.Questions {
			for _, a := range q.Answers {
				t.Rows = append(t.Rows, []any{q.Label, w.answer(q, a.Name), a.Confirmed, a.Present})
			}
		}
		tables = append(tables, t)
	}
	return append(tables, participantTable(lang, r))
}

// answer writes an answer to q: yes and no in words, a choice as it is.
func (w reportWords) answer(q QuestionPresence, a string) string {
	switch {
	case q.Kind == domain.AskYesNo && a == domain.AnswerYes:
		return w.Yes
	case q.Kind == domain.AskYesNo && a == domain.AnswerNo:
		return w.No
	}
	return a
}

// participantTable is the participant list: name, organisation, district, the days attended,
// how many they were and whether photos of the person may be published.
func participantTable(lang Lang, r AttendanceReport) table {
	w := lang.reportWords()
	t := table{Name: w.People, Header: []string{w.Name, w.Organisation, w.District, w.DaysAttended, w.Days, w.PhotoConsent}}
	for _, q := range r.Questions {
		t.Header = append(t.Header, q.Label)
	}
	for _, p := range r.Participants {
		consent := w.No
		if p.PhotoConsent {
			consent = w.Yes
		}
		row := []any{w.personName(p), p.Organisation, p.District, lang.shortDates(p.DaysAttended), len(p.DaysAttended), consent}
		for _, q := range r.Questions {
			row = append(row, w.answer(q, p.Answers[q.ID]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// AttendanceCSV writes the participant list of the report as CSV for German Excel (see
// CSVDialect.write; CSVDialect.Attendance writes other dialects); the counts are in the JSON
// and XLSX forms.
func AttendanceCSV(w io.Writer, lang Lang, r AttendanceReport) error {
	return GermanExcel.Attendance(w, lang, r)
}

// AttendanceXLSX writes the report as a workbook with one worksheet per part.
func AttendanceXLSX(w io.Writer, lang Lang, r AttendanceReport) error {
	return writeXLSX(w, attendanceTables(lang, r))
}

// AttendancePDF writes the report for funders: the counts by day, session, organisation and
// district, then the sign-in sheet, a numbered participant list with an empty signature
// column, starting on a page of its own.
func AttendancePDF(w io.Writer, lang Lang, r AttendanceReport) error {
	words := lang.reportWords()
	f := newPDF(lang, words.Attendance+" – "+r.Workshop.Title)
	pageFooter(f, lang.words(), r.Workshop.Title)
	f.AddPage()
	docTitle(f, words.Attendance+": "+r.Workshop.Title, r.Workshop.Venue, lang.shortDates(r.Workshop.Days))
	heading(f, words.Overview, 30)
	pdfTable{widths: []float64{60, 30}, align: []string{"L", "R"}, rowHeight: 6, border: "B",
		header: []string{words.Measure, words.Value}}.draw(f, [][]string{
		{words.Confirmed, itoa(r.Confirmed)}, {words.PersonDays, itoa(r.PersonDays)},
		{words.NoShows, itoa(r.NoShows)}, {words.NoShowRate, lang.percent(r.NoShowRate)}})
	heading(f, words.Days, 30)
	var rows [][]string
	notYet := false
	for _, d := range r.Days {
		if !d.Held {
			notYet = true
			rows = append(rows, []string{lang.shortDate(d.Day) + " (" + words.NotYetHeld + ")", itoa(d.Confirmed), itoa(d.Present), "—", "—"})
			continue
		}
		rows = append(rows, []string{lang.date(d.Day), itoa(d.Confirmed), itoa(d.Present), itoa(d.NoShows),
			lang.percent(d.NoShowRate)})
	}
	pdfTable{widths: []float64{70, 25, 25, 30, 30}, align: []string{"L", "R", "R", "R", "R"}, rowHeight: 6,
		border: "B", header: []string{words.Day, words.Confirmed, words.Present, words.NoShows, words.NoShowRate}}.draw(f, rows)
	if notYet {
		font(f, false, 9, true)
		f.MultiCell(textWidth, 5, "— "+words.NotYetHeld, "", "L", false)
	}
	attendanceSessionsPDF(f, lang, r)
	attendanceGroupsPDF(f, lang, words.Organisations, words.Organisation, r.Organisations)
	attendanceGroupsPDF(f, lang, words.Districts, words.District, r.Districts)
	for _, q := range r.Questions {
		gs := make([]GroupPresence, len(q.Answers))
		for i, a := range q.Answers {
			gs[i] = GroupPresence{Name: words.answer(q, a.Name), Confirmed: a.Confirmed, Present: a.Present}
		}
		attendanceGroupsPDF(f, lang, words.RegistrationQuestions+": "+q.Label, words.Answer, gs)
	}
	signInSheet(f, lang, r)
	return write(f, w)
}

func attendanceSessionsPDF(f *fpdf.Fpdf, lang Lang, r AttendanceReport) {
	words := lang.reportWords()
	heading(f, words.Sessions, 30)
	var rows [][]string
	for _, s := range r.Sessions {
		rows = append(rows, []string{lang.shortDate(s.Day), s.Starts, s.Title, itoa(s.Present)})
	}
	pdfTable{widths: []float64{28, 18, 109, 25}, align: []string{"L", "L", "L", "R"}, rowHeight: 6, border: "B",
		header: []string{words.Day, words.Starts, words.Session, words.Present}}.draw(f, rows)
}

func attendanceGroupsPDF(f *fpdf.Fpdf, lang Lang, title, column string, gs []GroupPresence) {
	words := lang.reportWords()
	heading(f, title, 30)
	var rows [][]string
	for _, g := range gs {
		rows = append(rows, []string{words.groupName(g.Name), itoa(g.Confirmed), itoa(g.Present)})
	}
	pdfTable{widths: []float64{120, 30, 30}, align: []string{"L", "R", "R"}, rowHeight: 6, border: "B",
		header: []string{column, words.Confirmed, words.Present}}.draw(f, rows)
}

// signInSheet starts a page with the numbered participant list; rows are tall enough to sign, and
// long names and organisations wrap rather than being cut.
func signInSheet(f *fpdf.Fpdf, lang Lang, r AttendanceReport) {
	words := lang.reportWords()
	f.AddPage()
	docTitle(f, words.SignInSheet+": "+r.Workshop.Title, lang.shortDates(r.Workshop.Days))
	f.Ln(3)
	rows := make([][]string, len(r.Participants))
	for i, p := range r.Participants {
		rows[i] = []string{strconv.Itoa(i + 1), words.personName(p), p.Organisation, p.District,
			lang.dayMonths(p.DaysAttended), ""}
	}
	wrapTable{widths: []float64{9, 42, 38, 22, 29, 40}, align: []string{"R"}, minHeight: 9, lineHeight: 4.5,
		header: []string{"#", words.Name, words.Organisation, words.District, words.DaysAttended, words.Signature}}.draw(f, rows)
}
