package reports

import (
	"io"
	"strings"
	"text/template"

	"github.com/werkstatt/werkstatt/projections"
)

// CafeResultsMarkdown writes the results of a café as Markdown (CommonMark): the same content
// as CafeResultsPDF, with a heading per table and per round. Text that people typed is
// escaped, so that it shows as typed and cannot add headings or links of its own.
func CafeResultsMarkdown(w io.Writer, lang Lang, ws projections.WorkshopView, cafe Cafe) error {
	d := newCafeDoc(lang, ws, cafe)
	return resultsMarkdown.Execute(w, d)
}

var resultsMarkdown = template.Must(template.New("results.md").Funcs(template.FuncMap{
	"md": escapeMarkdown,
}).Parse(`# {{md .W.Results}}: {{md .CafeTitle}}

{{md .Workshop.Title}}  
{{md .When}}
{{range .Tables}}
## {{md .Title}}

{{md $.W.Host}}: {{md .Host}}
{{if not .Rounds}}
*{{md $.W.NoNotes}}*
{{end}}{{range .Rounds}}
### {{md .Title}}
{{range .Sections}}
**{{md .Title}}**

{{range .Items}}- {{md .}}
{{end}}{{end}}{{end}}{{end}}`))

// markdownTable is a table's part of the Markdown document.
type markdownTable struct {
	Title, Host string
	Rounds      []markdownRound
}

type markdownRound struct {
	Title    string
	Sections []section
}

// The template reads the café through these methods.

func (d *cafeDoc) W() words                           { return d.w }
func (d *cafeDoc) CafeTitle() string                  { return d.cafeTitle() }
func (d *cafeDoc) When() string                       { return d.when() }
func (d *cafeDoc) Workshop() projections.WorkshopView { return d.workshop }

func (d *cafeDoc) Tables() []markdownTable {
	out := make([]markdownTable, 0, len(d.view.Tables))
	for _, t := range d.view.Tables {
		mt := markdownTable{Title: d.tableTitle(t), Host: d.host(t)}
		for _, n := range d.notes(t.ID) {
			mt.Rounds = append(mt.Rounds, markdownRound{Title: d.roundTitle(n.Round), Sections: d.sections(n.Notes)})
		}
		out = append(out, mt)
	}
	return out
}

// markdownSpecial holds the characters that can start Markdown syntax anywhere in a line.
const markdownSpecial = "\\`*_[]<>~"

// escapeMarkdown makes s literal text on one line: it backslash-escapes Markdown's punctuation,
// joins lines, and escapes a leading list or heading marker.
func escapeMarkdown(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune(markdownSpecial, r) || (i == 0 && strings.ContainsRune("-+=#", r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	// "1. text" at the start of a line would become an ordered list.
	if n := strings.IndexFunc(out, func(r rune) bool { return r < '0' || r > '9' }); n > 0 && strings.HasPrefix(out[n:], ".") {
		out = out[:n] + "\\" + out[n:]
	}
	return out
}
