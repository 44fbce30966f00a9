package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.MailTemplateSet{Kind: "received", Lang: "de", Subject: "Willkommen: {{.Workshop}}", Text: "Hallo!\nBis bald."},
		domain.MailTemplateReset{Kind: "received", Lang: "de"})
}

func TestMailTemplateDecisions(t *testing.T) {
	set := func(c domain.SetMailTemplate) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.SetMailTemplate(c) }
	}
	reset := func(kind, lang string) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.ResetMailTemplate(kind, lang) }
	}
	welcome := domain.MailTemplateSet{Kind: "received", Lang: "de", Subject: "Willkommen: {{.Workshop}}", Text: "Hallo!\nBis bald."}
	tests := []networkCase{
		{name: "set", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: " Willkommen: {{.Workshop}} ", Text: "Hallo!\r\nBis bald.\n"}),
			then:   []domain.Event{welcome}},
		{name: "the same wording again changes nothing", given: []domain.Event{created, welcome},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: "Willkommen: {{.Workshop}}", Text: "Hallo!\nBis bald."})},
		{name: "another language is another template", given: []domain.Event{created, welcome},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "en", Subject: "Welcome", Text: "Hello"}),
			then:   []domain.Event{domain.MailTemplateSet{Kind: "received", Lang: "en", Subject: "Welcome", Text: "Hello"}}},
		{name: "set in an unknown network",
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: "S", Text: "T"}), err: domain.ErrNetworkNotFound},
		{name: "an unknown language", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "fr", Subject: "S", Text: "T"}), err: domain.ErrMailTemplateNotFound},
		{name: "a malformed kind", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "a/b", Lang: "de", Subject: "S", Text: "T"}), err: domain.ErrMailTemplateNotFound},
		{name: "empty", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: " ", Text: "\n"}), fields: []string{"subject", "text"}},
		{name: "too long", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: strings.Repeat("s", domain.MaxMailSubject+1),
				Text: strings.Repeat("t", domain.MaxMailText+1)}), fields: []string{"subject", "text"}},
		{name: "the longest", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: strings.Repeat("s", domain.MaxMailSubject),
				Text: strings.Repeat("ä", domain.MaxMailText)}),
			then: []domain.Event{domain.MailTemplateSet{Kind: "received", Lang: "de", Subject: strings.Repeat("s", domain.MaxMailSubject),
				Text: strings.Repeat("ä", domain.MaxMailText)}}},
		{name: "a subject of two lines", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: "Hallo\nBcc: x@example.org", Text: "T"}), fields: []string{"subject"}},
		{name: "control characters", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: "S\x00", Text: "T\x1b[31m"}), fields: []string{"subject", "text"}},
		{name: "a tab in the text", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: "S", Text: "a\tb"}), fields: []string{"text"}},
		{name: "not UTF-8", given: []domain.Event{created},
			decide: set(domain.SetMailTemplate{Kind: "received", Lang: "de", Subject: "S", Text: "\xff"}), fields: []string{"text"}},
		{name: "reset", given: []domain.Event{created, welcome}, decide: reset("received", "de"),
			then: []domain.Event{domain.MailTemplateReset{Kind: "received", Lang: "de"}}},
		{name: "reset the built-in text changes nothing", given: []domain.Event{created, welcome}, decide: reset("received", "en")},
		{name: "reset after a reset changes nothing", given: []domain.Event{created, welcome, domain.MailTemplateReset{Kind: "received", Lang: "de"}},
			decide: reset("received", "de")},
		{name: "reset in an unknown network", decide: reset("received", "de"), err: domain.ErrNetworkNotFound},
		{name: "reset an unknown language", given: []domain.Event{created}, decide: reset("received", "xx"), err: domain.ErrMailTemplateNotFound},
	}
	runNetworkCases(t, tests)
}

func TestMailTemplatesFold(t *testing.T) {
	set := domain.MailTemplateSet{Kind: "received", Lang: "de", Subject: "S", Text: "T"}
	n := foldNetwork(created, set)
	key := domain.MailTemplateKey{Kind: "received", Lang: "de"}
	if got := n.MailTemplates[key]; got != (domain.MailTemplate{Subject: "S", Text: "T"}) {
		t.Fatalf("folded %+v, want the set template", got)
	}
	clone := n.Clone()
	after := n.Evolve(domain.MailTemplateReset{Kind: "received", Lang: "de"})
	if _, ok := after.MailTemplates[key]; ok {
		t.Error("the reset template is still there")
	}
	if _, ok := n.MailTemplates[key]; !ok {
		t.Error("evolving changed the network it started from")
	}
	if _, ok := clone.MailTemplates[key]; !ok {
		t.Error("the clone lost the template")
	}
	if renamed := n.Evolve(domain.NetworkRenamed{Title: "X"}); len(renamed.MailTemplates) != 1 {
		t.Error("a rename lost the templates")
	}
}
