package reports_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// seriesStore returns a memory read model fed with seriesLog.
func seriesStore(t testing.TB, workshops, participants, percent int) *projections.Memory {
	t.Helper()
	store := projections.NewMemory()
	if _, err := bench.MeasureApply(context.Background(), store, seriesLog(workshops, participants, percent), 500); err != nil {
		t.Fatalf("apply the log: %v", err)
	}
	return store
}

// seriesLog returns scenario.Workshops(workshops, participants) plus feedback: the
// confirmed people with p%100 < percent answer the workshop questionnaire's scales with
// satisfaction 5 in the first workshop, 4 in the others and 3 for the rest. Scenario puts
// every workshop into the series "Jugendarbeit".
func seriesLog(workshops, participants, percent int) []domain.Recorded {
	h := scenario.NewHistory(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	events := scenario.Workshops(workshops, participants)
	for _, batch := range projections.Batches(events, 1) {
		evs := make([]domain.Event, len(batch))
		for i, r := range batch {
			evs[i] = r.Event
		}
		h.Must(batch[0].Workshop, func(domain.Workshop) ([]domain.Event, error) { return evs, nil })
	}
	for n := range workshops {
		id := domain.WorkshopID(fmt.Sprintf("W%05d", n))
		h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.OpenFeedback() })
		for p := 0; p < participants; p++ {
			rid := domain.RegistrationID(fmt.Sprintf("%s-R%05d", id, p))
			if h.Workshop(id).Registrations[rid].Status != domain.Confirmed || p%100 >= percent {
				continue
			}
			satisfaction := 4
			if n == 0 {
				satisfaction = 5
			}
			c := domain.AnswerFeedback{QuestionnaireID: domain.WorkshopQuestionnaire, RegistrationID: rid, RespondentKey: string(rid),
				Answers: []domain.Answer{{QuestionID: "satisfaction", Scale: satisfaction}, {QuestionID: "content", Scale: 3},
					{QuestionID: "organisation", Scale: 3}, {QuestionID: "usefulness", Scale: 3}}}
			h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.AnswerFeedback(c) })
		}
	}
	return h.Events
}

func TestLoadSeries(t *testing.T) {
	store := seriesStore(t, 2, 20, 100)
	r, err := reports.LoadSeries(context.Background(), store, "Jugendarbeit")
	if err != nil {
		t.Fatal(err)
	}
	// Scenario: capacity 16 of 20 (0-15 seated); 0 and 10 cancel, promoting 16 and 17; the
	// raise to 17 promotes 18: 17 confirmed. 3 and 17 (p%7 == 3) never check in. Verein 10
	// (p%12) had only 10, who cancelled: 11 organisations.
	if len(r.Workshops) != 2 || r.Participants != 34 || r.Present != 30 || r.Organisations != 11 {
		t.Fatalf("got %d workshops, %d participants, %d present, %d organisations; want 2, 34, 30, 11",
			len(r.Workshops), r.Participants, r.Present, r.Organisations)
	}
	first := r.Workshops[0]
	if first.ID != "W00000" || first.Responses != 17 || math.Abs(first.ResponseRate-17.0/15) > 1e-9 {
		t.Errorf("got %s with %d responses at rate %v, want W00000, 17, 17/15", first.ID, first.Responses, first.ResponseRate)
	}
	if m := first.Ratings[0].Mean; m == nil || *m != 5 || *r.Workshops[1].Ratings[0].Mean != 4 {
		t.Errorf("got satisfaction %v and %v, want 5 and 4", first.Ratings[0].Mean, r.Workshops[1].Ratings[0].Mean)
	}
	if _, err := reports.LoadSeries(context.Background(), store, "Andere"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown series: got %v, want ErrNotFound", err)
	}
}

func TestSeriesChartsAndExports(t *testing.T) {
	r, err := reports.LoadSeries(context.Background(), seriesStore(t, 3, 20, 100), "Jugendarbeit")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		chart, element string
		want           int
	}{
		{reports.RatingsChart, "circle", 4 * 3},
		{reports.ParticipationChart, "rect", 3*3 + 3}, // bars and legend swatches
	}
	for _, tt := range tests {
		c, ok := reports.SeriesChart(reports.German, r, tt.chart)
		if !ok {
			t.Fatalf("chart %s unknown", tt.chart)
		}
		var b bytes.Buffer
		if err := c.WriteSVG(&b); err != nil {
			t.Fatal(err)
		}
		if got := countElements(t, b.Bytes(), tt.element); got != tt.want {
			t.Errorf("%s chart: got %d <%s>, want %d", tt.chart, got, tt.element, tt.want)
		}
	}
	var csvOut, xlsxOut bytes.Buffer
	if err := reports.SeriesCSV(&csvOut, reports.German, r); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, csvOut.Bytes())
	if len(rows) != 4 || rows[1][0] != "Werkstatt 0" || rows[1][2] != "17" || rows[1][7] != "5" {
		t.Errorf("got CSV %q, want three workshops, the first with 17 confirmed and satisfaction 5", rows)
	}
	if err := reports.SeriesXLSX(&xlsxOut, reports.German, r); err != nil {
		t.Fatal(err)
	}
	checkCells(t, xlsxOut.Bytes(), map[[2]string]string{{"Übersicht", "B5"}: "45", {"Workshop", "H3"}: "4"})
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SeriesPDF(b, reports.English, r) })
	inOrder(t, words(pages[0]), []string{"Series report: Jugendarbeit", "Werkstatt 0", "17", "15", "113%", "5.00",
		"Werkstatt 2", "4.00"})
}

// countElements parses an SVG document, failing on malformed XML, and counts the elements named name.
func countElements(t *testing.T, b []byte, name string) int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v\n%s", err, b)
		}
		if s, ok := tok.(xml.StartElement); ok && s.Name.Local == name {
			n++
		}
	}
}

// TestSeriesPDFWrapsLongTitles: a workshop title longer than its column wraps onto more lines and
// is read back whole, not cut with an ellipsis (issue 14).
func TestSeriesPDFWrapsLongTitles(t *testing.T) {
	long := "Kommunale Wärmeplanung und Quartiersentwicklung im ländlichen Raum: Werkstatt für Verwaltung und Ehrenamt"
	var ratings []reports.Rating
	for _, q := range reports.HeadlineQuestions {
		ratings = append(ratings, reports.Rating{Question: q})
	}
	r := reports.SeriesReport{Series: "Klima", Participants: 3, Workshops: []reports.SeriesWorkshop{
		{ID: "w1", Title: long, FirstDay: "2026-11-16", Participants: 3, Ratings: ratings},
		{ID: "w2", Title: "Kurz", FirstDay: "2026-12-01", Ratings: ratings}}}
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SeriesPDF(b, reports.German, r) })
	text := strings.Join(strings.Fields(pages[0]), " ")
	if strings.Contains(text, "…") || !strings.Contains(text, "Ehrenamt") || !strings.Contains(text, "Quartiersentwicklung") {
		t.Errorf("got %q, want the whole title %q wrapped", text, long)
	}
}
