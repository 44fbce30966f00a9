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

// TestWriteCSVKeepsNumbers: int and float64 cells are numbers, negative ones included, rounded
// to 2 decimals with the dialect's decimal mark; every text cell, the header's too, is
// neutralised; German Excel's file starts with a byte order mark, the international one not.
func TestWriteCSVKeepsNumbers(t *testing.T) {
	for _, tc := range []struct {
		d          CSVDialect
		want       string
		rate, mean string
	}{
		{GermanExcel, utf8BOM + "'=Name;Wert\n'-0.5;-0,5\n'=1+1;-3\n;0,25\n'@x;1\n;0,77\n;3,67\n;0\n", "0,77", "3,67"},
		{International, "'=Name,Wert\n'-0.5,-0.5\n'=1+1,-3\n,0.25\n'@x,1\n,0.77\n,3.67\n,0\n", "0.77", "3.67"},
	} {
		var b bytes.Buffer
		err := tc.d.write(&b, table{Header: []string{"=Name", "Wert"}, Rows: [][]any{
			{"-0.5", -0.5}, {"=1+1", -3}, {nil, 0.25}, {textValue("@x"), 1}, {nil, 10.0 / 13}, {nil, 11.0 / 3}, {nil, -0.001}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.d.Name, got, tc.want)
		}
	}
}

// writeCSV writes t for German Excel, as the exports do by default.
func writeCSV(b *bytes.Buffer, t table) error { return GermanExcel.write(b, t) }

func TestParseCSVDialect(t *testing.T) {
	for in, want := range map[string]CSVDialect{"": GermanExcel, "excel-de": GermanExcel, "international": International} {
		if got, ok := ParseCSVDialect(in); !ok || got != want {
			t.Errorf("ParseCSVDialect(%q): got %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"excel", "International", "de", ";"} {
		if _, ok := ParseCSVDialect(in); ok {
			t.Errorf("ParseCSVDialect(%q): got ok, want it refused", in)
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
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte(utf8BOM))))
		cr.Comma = GermanExcel.comma
		rows, err := cr.ReadAll()
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

func TestSheetName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Landkreise / kreisfreie Städte", "Landkreise - kreisfreie Städte"},
		{"Districts", "Districts"},
		{"Frage: Was? [Text]*", "Frage- Was (Text)"},
		{"Eine sehr lange Überschrift für ein Blatt", "Eine sehr lange Überschrift für"},
	}
	for _, tt := range tests {
		if got := sheetName(tt.name); got != tt.want {
			t.Errorf("sheetName(%q): got %q, want %q", tt.name, got, tt.want)
		}
	}
}
