package reports_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// cafeScenario is a café of three tables and two rounds on Monday, 16 November 2026, 14:00-15:00:
// Jörg and Ute visit two tables each, Weiß hosts the first table, a guest the second, and the
// first table recorded notes in round 1.
func cafeScenario() (projections.WorkshopView, reports.Cafe) {
	ws := projections.WorkshopView{ID: "w1", Title: "Fachtag Teilhabe", Venue: "Rathaus, Hauptstraße 1",
		Days: []domain.Day{"2026-11-16"},
		Agenda: []domain.Session{{ID: "s1", Title: "Zukunft der Straße", Kind: domain.ThemeCafe, Day: "2026-11-16",
			Starts: "14:00", Ends: "15:00", Room: "Saal Süd"}}}
	view := projections.ThemeCafeView{Workshop: "w1", Session: "s1", Rounds: 2,
		Tables: []domain.Table{
			{ID: "t1", Topic: "Bürgerbeteiligung", Host: "r3", Capacity: 4},
			{ID: "t2", Topic: "Verkehr & Straße", HostGuest: "Frau Özdemir", Capacity: 4},
			{ID: "t3", Topic: "Grünflächen", Capacity: 4},
		},
		Plan: &domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{
			"r1": {"t1", "t2"}, "r2": {"t2", "t1"}, "r4": {"t3", ""},
		}},
		Notes: []projections.CafeNotes{{Table: "t1", Round: 1, Notes: domain.TableNotes{
			KeyPoints: []string{"Früh beteiligen"}, Examples: []string{"Bürgerhaushalt Köln"},
			OpenQuestions: []string{"Wer zahlt die Moderation?"}}}},
	}
	people := []projections.RegistrationView{
		{ID: "r1", Name: "Jörg Müller"}, {ID: "r2", Name: "Ute Groß"}, {ID: "r3", Name: "Hans Weiß"},
		{ID: "r4", Erased: true},
	}
	return ws, reports.Cafe{View: view, People: people}
}

// pdfPages renders with render and returns the text of each page of the PDF.
func pdfPages(t *testing.T, render func(*bytes.Buffer) error) []string {
	t.Helper()
	var b bytes.Buffer
	if err := render(&b); err != nil {
		t.Fatalf("render: %v", err)
	}
	return PDFText(t, b.Bytes())
}

// PDFText returns the plain text of each page of a PDF. The reader decodes characters up to
// U+00FF (umlauts, ß) faithfully; marks beyond (– „ “) come out garbled, so tests check words.
func PDFText(t *testing.T, b []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open the PDF (%d bytes): %v", len(b), err)
	}
	pages := make([]string, r.NumPage())
	for i := range pages {
		text, err := r.Page(i + 1).GetPlainText(nil)
		if err != nil {
			t.Fatalf("read page %d: %v", i+1, err)
		}
		pages[i] = text
	}
	return pages
}

func wantAll(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: got %q, want it to contain %q", what, got, w)
		}
	}
}

func wantNone(t *testing.T, what, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("%s: got %q, want no %q", what, got, w)
		}
	}
}

func TestTableCards(t *testing.T) {
	ws, cafe := cafeScenario()
	tests := []struct {
		lang  reports.Lang
		pages []string // what each page shows
	}{
		{reports.German, []string{
			"Tisch 1 Bürgerbeteiligung Gastgeber·in: Hans Weiß Runde 1 · 14:00 14:30 Uhr Jörg Müller Runde 2 · 14:30 15:00 Uhr Ute Groß",
			"Tisch 2 Verkehr & Straße Gastgeber·in: Frau Özdemir Runde 1 · 14:00 14:30 Uhr Ute Groß Runde 2 · 14:30 15:00 Uhr Jörg Müller",
			"Tisch 3 Grünflächen Gastgeber·in: noch offen Runde 1 · 14:00 14:30 Uhr (gelöscht) Runde 2",
		}},
		{reports.English, []string{
			"Table 1 Bürgerbeteiligung Host: Hans Weiß Round 1 · 2:00 pm 2:30 pm Jörg Müller Round 2 · 2:30 pm 3:00 pm Ute Groß",
			"Table 2 Verkehr & Straße Host: Frau Özdemir Round 1",
			"Table 3 Grünflächen Host: to be announced Round 1 · 2:00 pm 2:30 pm (erased) Round 2",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.TableCards(b, tt.lang, ws, cafe) })
			if len(pages) != len(tt.pages) {
				t.Fatalf("got %d pages, want one per table: %d", len(pages), len(tt.pages))
			}
			for i, want := range tt.pages {
				wantAll(t, "card "+want[:7], words(pages[i]), want)
			}
		})
	}
}

// words makes extracted text comparable: punctuation beyond Latin-1 and line breaks become
// single spaces.
func words(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func TestTableCardsBeforeThePlan(t *testing.T) {
	ws, cafe := cafeScenario()
	cafe.View.Plan = nil
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.TableCards(b, reports.German, ws, cafe) })
	if len(pages) != 3 {
		t.Fatalf("got %d pages, want 3", len(pages))
	}
	wantAll(t, "card without a plan", words(pages[0]), "Bürgerbeteiligung", "Hans Weiß", "Der Rotationsplan steht noch aus.")
	cafe.View.Tables = nil
	if err := reports.TableCards(&bytes.Buffer{}, reports.German, ws, cafe); !errors.Is(err, domain.ErrNoTables) {
		t.Errorf("cards of a café without tables: got %v, want ErrNoTables", err)
	}
}

func projectionsPerson(id domain.RegistrationID, name string) projections.RegistrationView {
	return projections.RegistrationView{ID: id, Name: name}
}

func notesOf(table domain.TableID, round int, keyPoints ...string) projections.CafeNotes {
	return projections.CafeNotes{Table: table, Round: round, Notes: domain.TableNotes{KeyPoints: keyPoints}}
}

func itoa(n int) string { return strconv.Itoa(n) }
