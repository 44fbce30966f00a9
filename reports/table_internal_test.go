package reports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// spreadsheetTexts are text cells and how a CSV export writes them (issue 10, defect 3).
var spreadsheetTexts = []struct{ in, want string }{
	{`=HYPERLINK("http://x.example","klick")`, `'=HYPERLINK("http://x.example","klick")`},
	{"+49 40 123", "'+49 40 123"},
	{"-2+3", "'-2+3"},
	{"-0.5", "'-0.5"}, // text that looks like a number is still text: numbers are float64 cells
	{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{"＝1+1", "'＝1+1"},
	{"＋1", "'＋1"},
	{"－1", "'－1"},
	{"＠SUM(A1)", "'＠SUM(A1)"},
	{"Anna Müller", "Anna Müller"},
	{"a=b", "a=b"},
	{" =1+1", " =1+1"},
	{"'=1", "'=1"},
	{"", ""},
	{"\xff=", "\xff="},
}

func TestSpreadsheetText(t *testing.T) {
	for _, tc := range spreadsheetTexts {
		if got := spreadsheetText(tc.in); got != tc.want {
			t.Errorf("spreadsheetText(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWriteCSVKeepsNumbers: int and float64 cells are numbers, negative ones included; every
// text cell, the header's too, is neutralised.
func TestWriteCSVKeepsNumbers(t *testing.T) {
	var b bytes.Buffer
	err := writeCSV(&b, table{Header: []string{"=Name", "Wert"}, Rows: [][]any{
		{"-0.5", -0.5}, {"=1+1", -3}, {nil, 0.25}, {textValue("@x"), 1}}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte(utf8BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"'=Name", "Wert"}, {"'-0.5", "-0.5"}, {"'=1+1", "-3"}, {"", "0.25"}, {"'@x", "1"}}
	if len(rows) != len(want) {
		t.Fatalf("got %q, want %q", rows, want)
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d, column %d: got %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
}

type textValue string

func (v textValue) String() string { return string(v) }

// TestWriteXLSXNeverWritesFormulas: a workbook types its cells, so text that starts like a
// formula is a string cell, kept as typed, and a negative number stays a number.
func TestWriteXLSXNeverWritesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := writeXLSX(&b, []table{{Name: "S", Header: []string{"Name", "Wert"},
		Rows: [][]any{{`=HYPERLINK("http://x.example","klick")`, -0.5}}}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if formula, _ := f.GetCellFormula("S", "A2"); formula != "" {
		t.Errorf("A2 holds the formula %q, want none", formula)
	}
	if v, _ := f.GetCellValue("S", "A2"); v != `=HYPERLINK("http://x.example","klick")` {
		t.Errorf("A2: got %q, want the text as typed", v)
	}
	if typ, _ := f.GetCellType("S", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("B2: got cell type %v, want a number", typ)
	}
}

// FuzzSpreadsheetText: whatever a person typed, the CSV cell read back is the text, or the text
// behind one apostrophe exactly when it starts like a formula.
func FuzzSpreadsheetText(f *testing.F) {
	for _, tc := range spreadsheetTexts {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		if err := writeCSV(&b, table{Header: []string{"x"}, Rows: [][]any{{s}}}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte(utf8BOM)))).ReadAll()
		if err != nil || len(rows) != 2 || len(rows[1]) != 1 {
			// encoding/csv cannot round-trip every string (a lone \r, an empty line); the
			// apostrophe rule is checked on the cell as written.
			rows = [][]string{nil, {spreadsheetText(s)}}
		}
		got := rows[1][0]
		r, _ := utf8.DecodeRuneInString(s)
		escaped := s != "" && strings.ContainsRune(formulaStarts, r)
		if escaped && got != "'"+s && got != "'"+strings.ReplaceAll(s, "\r\n", "\n") {
			t.Errorf("%q: got %q, want it behind an apostrophe", s, got)
		}
		if gr, _ := utf8.DecodeRuneInString(got); got != "" && strings.ContainsRune(formulaStarts, gr) {
			t.Errorf("%q: the cell %q starts like a formula", s, got)
		}
	})
}
