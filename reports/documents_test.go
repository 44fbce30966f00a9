package reports_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

func TestSeatRoutes(t *testing.T) {
	ws, cafe := cafeScenario()
	tests := []struct {
		name  string
		lang  reports.Lang
		only  domain.RegistrationID
		want  []string // in this order
		wantN int      // people on the slips
	}{
		{"everyone in German", reports.German, "", []string{
			"(gelöscht)", "Runde 1 · 14:00", "Tisch 3: Grünflächen", "Runde 2", "kein Platz in dieser Runde",
			"Jörg Müller", "Themencafé", "Zukunft der Straße", "Montag, 16. November 2026",
			"Tisch 1: Bürgerbeteiligung", "Tisch 2: Verkehr & Straße",
			"Ute Groß", "Tisch 2: Verkehr & Straße", "Tisch 1: Bürgerbeteiligung"}, 3},
		{"one in English", reports.English, "r2", []string{
			"Ute Groß", "Theme café", "Monday, 16 November 2026", "Round 1 · 2:00 pm", "Table 2: Verkehr & Straße",
			"Round 2 · 2:30 pm", "Table 1: Bürgerbeteiligung"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SeatRoutes(b, tt.lang, ws, cafe, tt.only) })
			if len(pages) != 1 {
				t.Fatalf("got %d pages, want all slips on 1", len(pages))
			}
			text := words(pages[0])
			inOrder(t, text, tt.want)
			if n := strings.Count(text, "Zukunft der Straße"); n != tt.wantN {
				t.Errorf("got %d slips, want %d: %q", n, tt.wantN, text)
			}
		})
	}
}

// inOrder checks that want occur in text one after the other.
func inOrder(t *testing.T, text string, want []string) {
	t.Helper()
	rest := text
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("got %q, want %q after what came before (%q left)", text, w, rest)
			return
		}
		rest = rest[i+len(w):]
	}
}

func TestSeatRoutesRefuses(t *testing.T) {
	ws, cafe := cafeScenario()
	if err := reports.SeatRoutes(&bytes.Buffer{}, reports.German, ws, cafe, "r3"); !errors.Is(err, reports.ErrNoSeatRoute) || !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("route of the host: got %v, want ErrNoSeatRoute matching domain.ErrNotFound", err)
	}
	cafe.View.Plan = nil
	if err := reports.SeatRoutes(&bytes.Buffer{}, reports.German, ws, cafe, ""); !errors.Is(err, domain.ErrNoPlan) {
		t.Errorf("routes without a plan: got %v, want domain.ErrNoPlan", err)
	}
}

func TestSeatRoutesFillPages(t *testing.T) {
	ws, cafe := cafeScenario()
	for i := range 20 {
		id := domain.RegistrationID("g" + string(rune('a'+i)))
		cafe.View.Plan.Seats[id] = []domain.TableID{"t3", "t1"}
		cafe.People = append(cafe.People, projectionsPerson(id, "Gast "+string(rune('A'+i))))
	}
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SeatRoutes(b, reports.German, ws, cafe, "") })
	// 23 slips of two rounds: 7 fit on a page.
	if len(pages) != 4 {
		t.Errorf("23 slips: got %d pages, want 4", len(pages))
	}
}

func TestCafeResultsPDF(t *testing.T) {
	ws, cafe := cafeScenario()
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.CafeResultsPDF(b, reports.German, ws, cafe) })
	if len(pages) != 1 {
		t.Fatalf("got %d pages, want 1", len(pages))
	}
	inOrder(t, words(pages[0]), []string{"Ergebnisse: Themencafé", "Zukunft der Straße", "Fachtag Teilhabe",
		"Montag, 16. November 2026", "Rathaus, Hauptstraße 1, Saal Süd",
		"Tisch 1: Bürgerbeteiligung", "Gastgeber·in: Hans Weiß", "Runde 1 · 14:00", "Kernpunkte", "Früh beteiligen",
		"Gute Beispiele aus der Praxis", "Bürgerhaushalt Köln", "Offene Fragen", "Wer zahlt die Moderation?",
		"Tisch 2: Verkehr & Straße", "Frau Özdemir", "Zu diesem Tisch wurden keine Notizen erfasst.",
		"Tisch 3: Grünflächen", "noch offen", "Seite 1 von 1"})

	long := cafe.View.Notes[0]
	for i := range 30 {
		long.Notes.KeyPoints = append(long.Notes.KeyPoints, strings.Repeat("Ein langer Gedanke über Straßen. ", 3+i%4))
	}
	cafe.View.Notes[0] = long
	pages = pdfPages(t, func(b *bytes.Buffer) error { return reports.CafeResultsPDF(b, reports.English, ws, cafe) })
	if len(pages) < 2 {
		t.Fatalf("long notes: got %d pages, want them to run onto more", len(pages))
	}
	last := words(pages[len(pages)-1])
	inOrder(t, last, []string{"Table 3: Grünflächen", "No notes were recorded for this table."})
	if !strings.HasSuffix(last, "Page 2 of 2") && !strings.Contains(last, " of "+itoa(len(pages))) {
		t.Errorf("last page: got %q, want its number of %d", last, len(pages))
	}
}

func TestCafeResultsMarkdown(t *testing.T) {
	ws, cafe := cafeScenario()
	cafe.View.Notes = append(cafe.View.Notes, notesOf("t2", 2, "# Kein *Titel*", "1. Punkt", "<b>Tempo 30</b> & [mehr](x)"))
	var b bytes.Buffer
	if err := reports.CafeResultsMarkdown(&b, reports.German, ws, cafe); err != nil {
		t.Fatal(err)
	}
	want := `# Ergebnisse: Themencafé „Zukunft der Straße“

Fachtag Teilhabe  
Montag, 16. November 2026 · 14:00–15:00 Uhr · Rathaus, Hauptstraße 1, Saal Süd

## Tisch 1: Bürgerbeteiligung

Gastgeber·in: Hans Weiß

### Runde 1 · 14:00–14:30 Uhr

**Kernpunkte**

- Früh beteiligen

**Gute Beispiele aus der Praxis**

- Bürgerhaushalt Köln

**Offene Fragen**

- Wer zahlt die Moderation?

## Tisch 2: Verkehr & Straße

Gastgeber·in: Frau Özdemir

### Runde 2 · 14:30–15:00 Uhr

**Kernpunkte**

- \# Kein \*Titel\*
- 1\. Punkt
- \<b\>Tempo 30\</b\> & \[mehr\](x)

## Tisch 3: Grünflächen

Gastgeber·in: noch offen

*Zu diesem Tisch wurden keine Notizen erfasst.*
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		lang  reports.Lang
		doc   reports.Document
		title string
		ext   string
		want  string
	}{
		{reports.German, reports.TableCardsDocument, "Zukunft der Straße!", "pdf", "tischkarten-zukunft-der-strasse.pdf"},
		{reports.English, reports.SeatRoutesDocument, "  Öl & Gas — 2026 ", "pdf", "routes-oel-gas-2026.pdf"},
		{reports.German, reports.ResultsDocument, "", "md", "ergebnisse.md"},
		{"fr", reports.ResultsDocument, "Café", "md", "ergebnisse-caf.md"},
	}
	for _, tt := range tests {
		if got := reports.FileName(tt.lang, tt.doc, tt.title, tt.ext); got != tt.want {
			t.Errorf("FileName(%q, %d, %q, %q): got %q, want %q", tt.lang, tt.doc, tt.title, tt.ext, got, tt.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in     string
		want   reports.Lang
		wantOK bool
	}{{"", reports.German, true}, {"de", reports.German, true}, {"en", reports.English, true}, {"fr", reports.German, false}}
	for _, tt := range tests {
		if got, ok := reports.ParseLang(tt.in); got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseLang(%q): got %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
