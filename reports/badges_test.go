package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// longName fits no label on one line at any size worth reading: it must shrink and wrap, whole.
const longName = "Maximiliane Friederike Anneliese Gräfin von Hohenzollern-Sigmaringen-Württemberg"

func TestParseBadgeOptions(t *testing.T) {
	for s, want := range map[string]reports.BadgeLayout{"": reports.Badges10, "10": reports.Badges10, "8": reports.Badges8} {
		if got, ok := reports.ParseBadgeLayout(s); !ok || got != want {
			t.Errorf("ParseBadgeLayout(%q): got %d %v, want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"9", "08", "ten", " 10"} {
		if _, ok := reports.ParseBadgeLayout(s); ok {
			t.Errorf("ParseBadgeLayout(%q) accepted", s)
		}
	}
	for s, want := range map[string]reports.BadgeKind{"": reports.NameBadges, "badges": reports.NameBadges, "tents": reports.TableTents} {
		if got, ok := reports.ParseBadgeKind(s); !ok || got != want {
			t.Errorf("ParseBadgeKind(%q): got %q %v, want %q", s, got, ok, want)
		}
	}
	if _, ok := reports.ParseBadgeKind("Tents"); ok {
		t.Error("ParseBadgeKind(Tents) accepted")
	}
}

// guests are n confirmed people "Gast 100", "Gast 101", ... with an organisation and district.
func guests(n int) []projections.RegistrationView {
	var regs []projections.RegistrationView
	for i := range n {
		regs = append(regs, projections.RegistrationView{ID: domain.RegistrationID("g" + itoa(i)), Name: "Gast " + itoa(100+i),
			Organisation: "Verein " + itoa(i), District: "Kreis " + itoa(i), Days: []domain.Day{"2026-11-16"}, Status: domain.Confirmed})
	}
	return regs
}

func TestBadgesFillTheSheets(t *testing.T) {
	ws, _, _ := documentScenario()
	for _, tt := range []struct {
		layout reports.BadgeLayout
		pages  []int
	}{{reports.Badges10, []int{10, 10, 3}}, {reports.Badges8, []int{8, 8, 7}}} {
		pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.Badges(b, reports.German, tt.layout, ws, guests(23)) })
		if len(pages) != len(tt.pages) {
			t.Fatalf("layout %d: got %d pages, want %d", tt.layout, len(pages), len(tt.pages))
		}
		for i, want := range tt.pages {
			if got := strings.Count(pages[i], "Gast 1"); got != want {
				t.Errorf("layout %d page %d: %d badges, want %d: %q", tt.layout, i+1, got, want, words(pages[i]))
			}
		}
		// Sorted by name, each badge with its organisation and district.
		inOrder(t, words(pages[0]), []string{"Gast 100", "Verein 0", "Kreis 0", "Fachtag Teilhabe", "Gast 101", "Verein 1"})
		wantAll(t, "last page", words(pages[2]), "Gast 122", "Verein 22", "Kreis 22")
	}
}

func TestBadgesOfTheScenario(t *testing.T) {
	ws, regs, _ := documentScenario()
	regs = append(regs, projections.RegistrationView{ID: "r6", Name: longName, Organisation: longOrganisation, Status: domain.Confirmed})
	for _, lang := range []reports.Lang{reports.German, reports.English} {
		pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.Badges(b, lang, reports.Badges10, ws, regs) })
		if len(pages) != 1 {
			t.Fatalf("got %d pages, want 1", len(pages))
		}
		p := unwrapped(pages[0])
		inOrder(t, p, []string{"Anna Adler", "Verein A", "Cuxhaven", "bernd Bär", "Verein B", "Clara", longOrganisation,
			"Landkreis Cuxhaven", longName})
		wantNone(t, "badges", p, "Dora", "Verein C", "Verein E", "gelöscht", "erased", "…")
	}
}

func TestTableTents(t *testing.T) {
	ws, regs, _ := documentScenario()
	regs = append(regs, projections.RegistrationView{ID: "r6", Name: longName, Organisation: "Verein F", Status: domain.Confirmed})
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.TableTentsPDF(b, reports.German, ws, regs) })
	want := []string{"Anna Adler", "bernd Bär", "Clara", longName}
	if len(pages) != len(want) {
		t.Fatalf("got %d pages, want one per confirmed person: %d", len(pages), len(want))
	}
	for i, name := range want {
		p := unwrapped(pages[i])
		if got := strings.Count(p, name); got != 2 {
			t.Errorf("tent %d: %q %d times, want on both halves: %q", i+1, name, got, p)
		}
		wantNone(t, "tent", p, "Dora", "Verein E", "…")
	}
}

func TestBadgesForNobody(t *testing.T) {
	ws, _, _ := documentScenario()
	for _, render := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return reports.Badges(b, reports.English, reports.Badges8, ws, nil) },
		func(b *bytes.Buffer) error { return reports.TableTentsPDF(b, reports.English, ws, nil) },
	} {
		pages := pdfPages(t, render)
		if len(pages) != 1 {
			t.Fatalf("got %d pages, want 1", len(pages))
		}
		wantAll(t, "empty", words(pages[0]), "Nobody is confirmed yet.")
	}
}

// unwrapped is the words of a page with names joined again where they wrapped after a hyphen.
func unwrapped(page string) string { return strings.ReplaceAll(words(page), "- ", "-") }
