package reports_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

func TestPersonExportPDF(t *testing.T) {
	e := reports.PersonExport{Email: "ada@example.org", GeneratedAt: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC),
		Registrations: []reports.ExportedRegistration{{Workshop: "w1", WorkshopTitle: "Zukunft der Straße",
			WorkshopDays: []domain.Day{"2026-11-16"}, Name: "Ada Lovelace", Email: "ada@example.org", Organisation: "Jugendring",
			Days: []domain.Day{"2026-11-16"}, Status: domain.Confirmed, Dietary: "vegan",
			Answers:     []reports.ExportedAnswer{{Question: "Erwartung", Answer: "Austausch"}},
			CheckIns:    []reports.ExportedCheckIn{{Day: "2026-11-16"}},
			Cafes:       []reports.ExportedCafe{{Session: "s1", Title: "Themencafé", Choices: []string{"Mobilität"}, Route: []string{"Mobilität", ""}}},
			Topics:      []reports.ExportedTopic{{Title: "Radwege", Status: "open"}},
			ActionItems: []reports.ExportedActionItem{{What: "Protokoll schreiben", DueBy: "2026-12-01"}}}},
		Memberships: []reports.ExportedMembership{{Network: "n1", NetworkName: "Netzwerk Nord", Name: "Ada Lovelace",
			Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}}},
		Notes: []string{"Feedback is anonymous."}}
	for _, lang := range []reports.Lang{reports.German, reports.English} {
		var b bytes.Buffer
		if err := reports.PersonExportPDF(&b, lang, e); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
			t.Errorf("%s: got %q at the start, want %%PDF", lang, b.Bytes()[:8])
		}
	}
	var b bytes.Buffer
	if err := reports.PersonExportPDF(&b, reports.English, reports.PersonExport{Email: "x@example.org"}); err != nil {
		t.Fatalf("an empty export: %v", err)
	}
}
