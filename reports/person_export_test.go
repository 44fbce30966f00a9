package reports_test

import (
	"bytes"
	"strings"
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

// TestPersonExportPDFInTheReadersWords: the document names statuses and roles in the reader's
// language and tells times in the instance's zone with its abbreviation.
func TestPersonExportPDFInTheReadersWords(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	e := reports.PersonExport{Email: "ada@example.org", GeneratedAt: time.Date(2026, 7, 6, 10, 0, 0, 0, time.UTC), Zone: berlin,
		Registrations: []reports.ExportedRegistration{{Workshop: "w1", WorkshopTitle: "Zukunft", WorkshopDays: []domain.Day{"2026-11-16"},
			Name: "Ada", Days: []domain.Day{"2026-11-16"}, DayStatus: map[domain.Day]domain.Status{"2026-11-16": domain.Waitlisted},
			Status: domain.Waitlisted, RegisteredAt: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC),
			Topics: []reports.ExportedTopic{{Title: "Radwege", Status: domain.TopicPlanned}}}},
		Memberships: []reports.ExportedMembership{{Network: "n1", NetworkName: "Netzwerk Nord", Name: "Ada",
			Roles: []domain.RoleGrant{{Role: domain.RoleOrganiser}}}}}
	for _, c := range []struct {
		lang       reports.Lang
		want, none []string
	}{
		{reports.German, []string{"auf der Warteliste", "eingeplant", "Orga-Team", "12:00 CEST", "10:30 CET"}, []string{"waitlisted", "planned", "UTC"}},
		{reports.English, []string{"waitlisted", "planned", "Organisers", "12:00 CEST", "10:30 CET"}, []string{"Warteliste", "UTC"}},
	} {
		var b bytes.Buffer
		if err := reports.PersonExportPDF(&b, c.lang, e); err != nil {
			t.Fatal(err)
		}
		text := strings.Join(PDFText(t, b.Bytes()), " ")
		wantAll(t, string(c.lang), text, c.want...)
		wantNone(t, string(c.lang), text, c.none...)
	}
}
