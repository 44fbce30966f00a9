package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// aNotice is a complete notice as a district administration would state it.
var aNotice = domain.PrivacyNotice{
	Controller: domain.NoticeContact{Name: "Landkreis Beispiel", Address: "Kreishaus\nMarkt 1\n12345 Beispielstadt",
		Email: "bildung@landkreis-beispiel.de", Phone: "+49 123 4567-0", URL: "https://www.landkreis-beispiel.de"},
	Officer:   domain.NoticeContact{Name: "Behördliche Datenschutzbeauftragte", Email: "datenschutz@landkreis-beispiel.de"},
	Purposes:  "Organisation der Workshops",
	Authority: domain.NoticeContact{Name: "Landesbeauftragte für den Datenschutz", URL: "https://www.datenschutz.example.org"},
}

func init() {
	everyEvent = append(everyEvent, domain.PrivacyNoticeSet{Notice: aNotice})
}

func TestPrivacyNoticeDecisions(t *testing.T) {
	set := func(p domain.PrivacyNotice) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.SetPrivacyNotice(p) }
	}
	with := func(change func(*domain.PrivacyNotice)) domain.PrivacyNotice {
		p := aNotice
		change(&p)
		return p
	}
	tests := []networkCase{
		{name: "set", given: []domain.Event{created}, decide: set(aNotice), then: []domain.Event{domain.PrivacyNoticeSet{Notice: aNotice}}},
		{name: "trimmed, with LF line ends", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) {
				p.Controller.Name, p.Controller.Address, p.Purposes = " Landkreis Beispiel ", "Kreishaus\r\nMarkt 1\r\n12345 Beispielstadt\n", "\nOrganisation der Workshops "
			})),
			then: []domain.Event{domain.PrivacyNoticeSet{Notice: aNotice}}},
		{name: "the same notice again changes nothing", given: []domain.Event{created, domain.PrivacyNoticeSet{Notice: aNotice}}, decide: set(aNotice)},
		{name: "a changed notice", given: []domain.Event{created, domain.PrivacyNoticeSet{Notice: aNotice}},
			decide: set(with(func(p *domain.PrivacyNotice) { p.Recipients = "Referentinnen und Referenten" })),
			then:   []domain.Event{domain.PrivacyNoticeSet{Notice: with(func(p *domain.PrivacyNotice) { p.Recipients = "Referentinnen und Referenten" })}}},
		{name: "in an unknown network", decide: set(aNotice), err: domain.ErrNetworkNotFound},
		{name: "empty", given: []domain.Event{created}, decide: set(domain.PrivacyNotice{}),
			fields: []string{"controller.name", "controller.address", "controller.email", "authority.name"}},
		{name: "malformed addresses and links", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) {
				p.Controller.Email, p.Officer.Email = "not an address", "a@b@c"
				p.Controller.URL, p.Authority.URL = "javascript:alert(1)", "https://user:pw@example.org"
			})),
			fields: []string{"controller.email", "controller.url", "officer.email", "authority.url"}},
		{name: "a relative link", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) { p.Officer.URL = "/datenschutz" })), fields: []string{"officer.url"}},
		{name: "too long", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) {
				p.Controller.Name = strings.Repeat("n", domain.MaxNoticeName+1)
				p.Controller.Address = strings.Repeat("a", domain.MaxNoticeAddress+1)
				p.Rights = strings.Repeat("r", domain.MaxNoticeText+1)
			})),
			fields: []string{"controller.name", "controller.address", "rights"}},
		{name: "the longest", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) { p.Rights = strings.Repeat("ä", domain.MaxNoticeText) })),
			then:   []domain.Event{domain.PrivacyNoticeSet{Notice: with(func(p *domain.PrivacyNotice) { p.Rights = strings.Repeat("ä", domain.MaxNoticeText) })}}},
		{name: "a name of two lines", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) { p.Authority.Name = "Behörde\nBcc: x@example.org" })), fields: []string{"authority.name"}},
		{name: "control characters and not UTF-8", given: []domain.Event{created},
			decide: set(with(func(p *domain.PrivacyNotice) { p.Purposes, p.LegalBasis = "a\x1b[31m", "\xff" })),
			fields: []string{"purposes", "legal_basis"}},
	}
	runNetworkCases(t, tests)
}

func TestInstancePrivacyNotice(t *testing.T) {
	// The instance's notice lives in a network that is never created.
	got, err := domain.DecidePrivacyNotice(nil, aNotice)
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %v; want one event", got, err)
	}
	n := domain.Network{}.Evolve(got[0])
	if n.Exists() || n.PrivacyNotice == nil || *n.PrivacyNotice != aNotice {
		t.Fatalf("folded %+v", n)
	}
	if again, err := domain.DecidePrivacyNotice(n.PrivacyNotice, aNotice); err != nil || len(again) != 0 {
		t.Errorf("the same notice again: %v, %v", again, err)
	}
	if renamed := foldNetwork(created, got[0], domain.NetworkRenamed{Title: "X"}); renamed.PrivacyNotice == nil {
		t.Error("a rename lost the notice")
	}
}
