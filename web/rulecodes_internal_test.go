package web

import (
	"errors"
	"io/fs"
	"path"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/werkstatt/werkstatt/domain"
)

// embeddedCatalogue reads the message ids of lang from the catalogues the service embeds.
func embeddedCatalogue(t *testing.T, lang string) map[string]bool {
	t.Helper()
	names, err := fs.Glob(locales, "locales/*."+lang+".toml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no catalogue for %s: %v", lang, err)
	}
	ids := map[string]bool{}
	for _, name := range names {
		b, err := fs.ReadFile(locales, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", path.Base(name), err)
		}
		for id := range m {
			ids[id] = true
		}
	}
	return ids
}

// TestEveryRuleCodeHasAMessage fails when a domain rule or field rule has no message in one of
// the languages: a page would show the bare message id.
func TestEveryRuleCodeHasAMessage(t *testing.T) {
	var codes []string
	for _, r := range domain.Rules() {
		codes = append(codes, r.Code())
	}
	codes = append(codes, domain.FieldCodes()...)
	if len(codes) < 40 {
		t.Fatalf("got %d codes from the domain, want all of them", len(codes))
	}
	var overrides []string
	for _, table := range [][]fieldMessage{fieldMessages, cafeFieldMessages, followUpFieldMessages} {
		for _, m := range table {
			overrides = append(overrides, m.message)
		}
	}
	for _, lang := range []string{"de", "en"} {
		ids := embeddedCatalogue(t, lang)
		for _, code := range codes {
			if !ids[messageID(code)] {
				t.Errorf("the %s catalogue has no message %s for the code %q", lang, messageID(code), code)
			}
		}
		for _, id := range overrides {
			if !ids[id] {
				t.Errorf("the %s catalogue has no message %s, which a field asks for", lang, id)
			}
		}
	}
}

func TestMessageID(t *testing.T) {
	for code, want := range map[string]string{
		"already-registered": "ErrAlreadyRegistered",
		"not-utf8":           "ErrNotUtf8",
		"conflict":           "ErrConflict",
		"not-a-day":          "ErrNotADay",
	} {
		if got := messageID(code); got != want {
			t.Errorf("messageID(%q): got %q, want %q", code, got, want)
		}
	}
}

// reworded is a rule whose English text says something else than the rule: what a rewording
// of the domain's text would look like to the pages.
type reworded struct{ rule *domain.Rule }

func (r reworded) Error() string { return "must not be empty: a reworded sentence" }
func (r reworded) Unwrap() error { return r.rule }

// TestPagesSayRulesByCodeNotByText checks that the pages choose their messages by code: a field
// error or a rule whose English text reads like another rule still shows its own message.
func TestPagesSayRulesByCodeNotByText(t *testing.T) {
	bundle, err := newBundle()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		tx := texts{lang: lang, loc: i18n.NewLocalizer(bundle, lang)}
		t.Run(lang, func(t *testing.T) {
			f := form{Errors: map[string]string{}}
			fe := domain.FieldErrors{
				{Field: "title", Code: domain.CodeTooLong, Detail: "must not be empty"},
				{Field: "capacity", Code: domain.CodeOutOfRange, Detail: "must be at most 3 characters"},
				{Field: "email", Code: domain.CodeNotAnEmail, Detail: "consent is required"},
			}
			if !f.rejected(tx, fe) {
				t.Fatal("rejected: got false for field errors, want true")
			}
			for field, id := range map[string]string{"title": "ErrTooLong", "capacity": "ErrCapacity", "email": "ErrNotAnEmail"} {
				if got, want := f.Errors[field], tx.T(id); got != want || got == id {
					t.Errorf("field %s: got %q, want %q (the catalogue's %s)", field, got, want, id)
				}
			}

			f = form{Errors: map[string]string{}}
			err := reworded{domain.ErrAlreadyRegistered}
			if !errors.Is(err, domain.ErrAlreadyRegistered) || !f.rejected(tx, err) {
				t.Fatal("rejected: got false for a rule, want true")
			}
			if got, want := f.Message, tx.T("ErrAlreadyRegistered"); got != want || got == "ErrAlreadyRegistered" {
				t.Errorf("rule already-registered: got %q, want %q", got, want)
			}

			f = form{Errors: map[string]string{}}
			if !f.rejectedInCafe(tx, reworded{domain.ErrNotConfirmedForCafe}) {
				t.Fatal("rejectedInCafe: got false for a café rule, want true")
			}
			if got, want := f.Message, tx.T("ErrNotConfirmedForCafe"); got != want {
				t.Errorf("rule not-confirmed-for-cafe: got %q, want %q", got, want)
			}
		})
	}
}
