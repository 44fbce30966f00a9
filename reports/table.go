package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// table is one rectangular part of a report, as a CSV file or a worksheet shows it. Cells are
// strings, ints or float64s; XLSX keeps numbers as numbers so that spreadsheets can sum them.
type table struct {
	Name   string // worksheet name: at most 31 characters, none of : \ / ? * [ ]
	Header []string
	Rows   [][]any
}

// utf8BOM makes spreadsheet programs read a CSV file as UTF-8 rather than as the locale's
// code page, which would garble umlauts.
const utf8BOM = "\uFEFF"

// write writes t as CSV with a header line in dialect d: its separator, its decimal mark, and
// for GermanExcel a UTF-8 byte order mark first. Rates are written as fractions (0,25 or
// 0.25), whatever the language. Text cells pass through spreadsheetText; numbers are written
// as numbers, rounded to 2 decimals.
func (d CSVDialect) write(w io.Writer, t table) error {
	if d.bom {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = d.comma
	header := make([]string, len(t.Header))
	for i, h := range t.Header {
		header[i] = spreadsheetText(h)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		line := make([]string, len(row))
		for i, cell := range row {
			line[i] = d.cellText(cell)
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cellText is a cell as CSV in dialect d holds it. Only int and float64 cells are numbers,
// written as such (a negative number stays a number; a float64 is rounded to 2 decimals and
// written with the dialect's decimal mark); every other cell is text and passes through
// spreadsheetText. Numbers therefore belong in int or float64 cells, never pre-formatted.
func (d CSVDialect) cellText(cell any) string {
	switch v := cell.(type) {
	case string:
		return spreadsheetText(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		s := strconv.FormatFloat(roundForPeople(v), 'f', -1, 64)
		if d.decimalComma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case nil:
		return ""
	}
	return spreadsheetText(fmt.Sprint(cell))
}

// roundForPeople rounds x to 2 decimals, the precision a person reads a rate or a mean at
// (0.77, not 0.7692307692307693); -0 becomes 0.
func roundForPeople(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r := math.Round(x*100) / 100
	if r == 0 {
		return 0
	}
	return r
}

// formulaStarts are the characters with which a spreadsheet program may read a text cell as a
// formula: = + - @, tab and carriage return (some programs trim them first), and the full-width
// forms of the four, which some programs fold to them.
const formulaStarts = "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20"

// spreadsheetText returns text so that a spreadsheet program shows it and never runs it: text
// that starts with one of formulaStarts gets a leading apostrophe (OWASP, CSV injection). Every
// text cell of every CSV export passes through it; XLSX needs it not, as a workbook types its
// cells and a string cell is never a formula.
func spreadsheetText(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); s != "" && strings.ContainsRune(formulaStarts, r) {
		return "'" + s
	}
	return s
}

// writeXLSX writes tables as the worksheets of one workbook, in order, each with a bold,
// frozen header row.
func writeXLSX(w io.Writer, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	// Fractional numbers show 2 decimals (built-in format 2, "0.00", which the spreadsheet
	// program shows with its locale's decimal mark) and stay numbers at full precision.
	decimals, err := f.NewStyle(&excelize.Style{NumFmt: 2})
	if err != nil {
		return err
	}
	for i, t := range tables {
		t.Name = sheetName(t.Name)
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return fmt.Errorf("worksheet %q: %w", t.Name, err)
		}
		if err := fillSheet(f, t, bold, decimals); err != nil {
			return fmt.Errorf("worksheet %q: %w", t.Name, err)
		}
	}
	return f.Write(w)
}

func fillSheet(f *excelize.File, t table, bold, decimals int) error {
	if err := f.SetSheetRow(t.Name, "A1", &t.Header); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(max(len(t.Header), 1), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(t.Name, "A1", last, bold); err != nil {
		return err
	}
	for i, row := range t.Rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(t.Name, cell, &row); err != nil {
			return err
		}
		for j, v := range row {
			if x, ok := v.(float64); ok && x != math.Trunc(x) {
				at, err := excelize.CoordinatesToCellName(j+1, i+2)
				if err != nil {
					return err
				}
				if err := f.SetCellStyle(t.Name, at, at, decimals); err != nil {
					return err
				}
			}
		}
	}
	lastCol := last[:len(last)-1]
	if err := f.SetColWidth(t.Name, "A", lastCol, 18); err != nil {
		return err
	}
	return f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// sheetName makes a table's name a valid worksheet name: a spreadsheet forbids : \ / ? * [ ]
// ("Landkreise / kreisfreie Städte") and more than 31 characters.
func sheetName(name string) string {
	name = strings.NewReplacer(":", "-", "\\", "-", "/", "-", "?", "", "*", "", "[", "(", "]", ")").Replace(name)
	if r := []rune(name); len(r) > 31 {
		name = strings.TrimSpace(string(r[:31]))
	}
	return name
}
