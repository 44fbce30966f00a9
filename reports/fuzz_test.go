package reports_test

import (
	"bytes"
	"encoding/csv"
	"mime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// escapesFormulas says whether the CSV exports neutralise formulas (issue 10, defect 3): a cell
// that starts with = + - @, tab or carriage return (or their full-width forms) gets a leading '.
// Set it to true once that change is merged; until then FuzzAttendanceCSV accepts both forms.
const escapesFormulas = true

// formulaStarts are the first characters a spreadsheet reads as the start of a formula.
var formulaStarts = []rune{'=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'}

func startsFormula(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	for _, f := range formulaStarts {
		if s != "" && r == f {
			return true
		}
	}
	return false
}

// FuzzAttendanceCSV writes a participant list whose name, organisation and district are any
// strings and reads it back with encoding/csv: every cell comes back as written (a quoted
// CRLF reads as LF, as RFC 4180 readers normalise it), or with one leading ' where the cell
// would start a formula.
func FuzzAttendanceCSV(f *testing.F) {
	for _, seed := range [][3]string{
		{"Clara Ćosić", "Verein A", ""},
		{"Anna Müller", "Landkreis Harburg", "Harburg"},
		{`=HYPERLINK("http://x.example","klick")`, "+49 170", "-1"},
		{"@SUM(A1)", "\tTab", "\rCR"},
		{"a,b", `"quoted"`, "line\nbreak"},
		{"＝1+1", "\r\r\n", "\r\n"},
		{"Org\x00", "\xff\xfe", "\u0085"},
		{"a;b", "0,5", "1.5"},
	} {
		f.Add(seed[0], seed[1], seed[2], false)
		f.Add(seed[0], seed[1], seed[2], true)
	}
	f.Fuzz(func(t *testing.T, name, organisation, district string, international bool) {
		r := reports.AttendanceReport{Participants: []reports.AttendancePerson{
			{Name: name, Organisation: organisation, District: district, Days: []domain.Day{"2026-11-16"},
				DaysAttended: []domain.Day{"2026-11-16"}},
			{Name: "Bea Berg", Organisation: "Verein B", Days: []domain.Day{"2026-11-16"}},
		}}
		d, comma := reports.GermanExcel, ';'
		if international {
			d, comma = reports.International, ','
		}
		var b bytes.Buffer
		if err := d.Attendance(&b, reports.German, r); err != nil {
			t.Fatalf("write CSV: %v", err)
		}
		rest, bom := bytes.CutPrefix(b.Bytes(), []byte("\uFEFF"))
		if bom == international {
			t.Fatalf("CSV in %s starts with %q: want a UTF-8 byte order mark exactly for German Excel", d.Name, b.Bytes()[:min(b.Len(), 3)])
		}
		cr := csv.NewReader(bytes.NewReader(rest))
		cr.Comma = comma
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("read back the CSV %q: %v", rest, err)
		}
		if len(rows) != 3 || len(rows[1]) != 6 || len(rows[2]) != 6 {
			t.Fatalf("read back %q from %q: want a header and two rows of 6 cells", rows, rest)
		}
		for i, want := range []string{name, organisation, district} {
			got := rows[1][i]
			if !sameCell(got, want) {
				t.Errorf("cell %d: wrote %q, read back %q", i, want, got)
			}
			if escapesFormulas && startsFormula(got) {
				t.Errorf("cell %d: %q starts a formula", i, got)
			}
		}
	})
}

// sameCell reports whether got is the CSV reading of the written cell want: equal, up to the
// CRLF-to-LF normalisation of encoding/csv's reader and an escaping ' before a formula.
func sameCell(got, want string) bool {
	read := strings.ReplaceAll(want, "\r\n", "\n")
	return got == read || (startsFormula(want) && got == "'"+read)
}

// FuzzFileName checks that any title gives a file name that is safe to download under: ASCII
// letters, digits, dashes and the extension's dot only (no path separator, no control
// character, no quote), not hidden, not empty, and one that a Content-Disposition header
// carries unchanged.
func FuzzFileName(f *testing.F) {
	f.Add("de", 0, "Zukunft der Straße!")
	f.Add("en", 1, "  Öl & Gas — 2026 ")
	f.Add("de", 2, "")
	f.Add("fr", 2, "Café")
	f.Add("en", 5, "../../etc/passwd")
	f.Add("de", 3, "a\r\nContent-Type: text/html\x00\"; filename=x.exe")
	f.Add("en", -1, strings.Repeat("Straße ", 40))
	f.Fuzz(func(t *testing.T, lang string, doc int, title string) {
		for _, ext := range []string{"pdf", "csv", "xlsx", "md", "svg"} {
			name := reports.FileName(reports.Lang(lang), reports.Document(doc), title, ext)
			if !strings.HasSuffix(name, "."+ext) || strings.HasPrefix(name, ".") || len(name) > 100 {
				t.Fatalf("FileName(%q, %d, %q, %q) = %q: want a short name ending in .%s, not hidden", lang, doc, title, ext, name, ext)
			}
			for _, r := range name {
				if r > unicode.MaxASCII || !(r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
					t.Fatalf("FileName(%q, %d, %q, %q) = %q holds %q", lang, doc, title, ext, name, r)
				}
			}
			header := mime.FormatMediaType("attachment", map[string]string{"filename": name})
			_, params, err := mime.ParseMediaType(header)
			if header == "" || err != nil || params["filename"] != name {
				t.Fatalf("Content-Disposition %q of %q: got %q, %v", header, name, params["filename"], err)
			}
		}
	})
}
