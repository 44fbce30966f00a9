package reports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// TestCataloguesHoldEveryWord fails when a language's catalogue lacks a text of a document: it
// would fall back to another language, or show nothing.
func TestCataloguesHoldEveryWord(t *testing.T) {
	cafe, reports, err := loadDictionaries()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []Lang{German, English} {
		for _, w := range []any{cafe[l], reports[l]} {
			v := reflect.ValueOf(w)
			for i := range v.NumField() {
				if v.Field(i).String() == "" {
					t.Errorf("%s: %s.%s is empty", l, v.Type().Name(), v.Type().Field(i).Name)
				}
			}
		}
	}
	if cafe[German].Table != "Tisch" || cafe[English].Table != "Table" || reports[English].NoShows != "No-shows" {
		t.Errorf("got %q, %q, %q, want the catalogues' Tisch, Table, No-shows",
			cafe[German].Table, cafe[English].Table, reports[English].NoShows)
	}
}

// TestFillRefusesAMissingMessage checks that a text one language lacks is an error, not the
// default language's text.
func TestFillRefusesAMissingMessage(t *testing.T) {
	b := i18n.NewBundle(language.German)
	b.MustAddMessages(language.German, &i18n.Message{ID: "XOnlyGerman", Other: "nur Deutsch"})
	var dst struct{ OnlyGerman string }
	if err := fill(&dst, i18n.NewLocalizer(b, "de"), German, "X"); err != nil || dst.OnlyGerman != "nur Deutsch" {
		t.Fatalf("German: got %q, %v, want the text", dst.OnlyGerman, err)
	}
	err := fill(&dst, i18n.NewLocalizer(b, "en"), English, "X")
	if err == nil || !strings.Contains(err.Error(), "XOnlyGerman") {
		t.Errorf("English: got %v, want an error naming XOnlyGerman", err)
	}
}
