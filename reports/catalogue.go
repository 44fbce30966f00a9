package reports

import (
	"embed"
	"fmt"
	"io/fs"
	"reflect"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The documents' fixed texts live in go-i18n catalogues, as the pages' do (web/locales), one
// file per kind of document and language: <name>.<lang>.toml.
//
//go:embed locales/*.toml
var locales embed.FS

// dictionary and reportDictionary hold the texts of each language, read from the catalogues
// once: the documents are rendered often, the catalogues never change while the program runs.
var dictionary, reportDictionary = mustLoadDictionaries()

// exportDictionary holds the texts of a person's export (locales/export.<lang>.toml).
var exportDictionary = mustLoadExportWords()

func mustLoadDictionaries() (map[Lang]words, map[Lang]reportWords) {
	cafe, reports, err := loadDictionaries()
	if err != nil {
		panic(err) // the catalogues are embedded: the tests see this first
	}
	return cafe, reports
}

func mustLoadExportWords() map[Lang]exportWords {
	out, err := loadExportWords()
	if err != nil {
		panic(err) // the catalogues are embedded: the tests see this first
	}
	return out
}

// loadExportWords reads the catalogues and fills the export's words of every language.
func loadExportWords() (map[Lang]exportWords, error) {
	b := i18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(locales, name); err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
	}
	out := map[Lang]exportWords{}
	for _, l := range []Lang{German, English} {
		var w exportWords
		if err := fill(&w, i18n.NewLocalizer(b, string(l)), l, "Export"); err != nil {
			return nil, err
		}
		out[l] = w
	}
	return out, nil
}

// loadDictionaries reads the catalogues and fills the words of every language. A text that a
// language's catalogue lacks is an error, never a silent fallback to another language.
func loadDictionaries() (map[Lang]words, map[Lang]reportWords, error) {
	b := i18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		return nil, nil, err
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(locales, name); err != nil {
			return nil, nil, fmt.Errorf("load %s: %w", name, err)
		}
	}
	cafe, reports := map[Lang]words{}, map[Lang]reportWords{}
	for _, l := range []Lang{German, English} {
		loc := i18n.NewLocalizer(b, string(l))
		var w words
		if err := fill(&w, loc, l, "Cafe"); err != nil {
			return nil, nil, err
		}
		var r reportWords
		if err := fill(&r, loc, l, "Report"); err != nil {
			return nil, nil, err
		}
		cafe[l], reports[l] = w, r
	}
	return cafe, reports, nil
}

// fill sets every string field of the struct dst points to from the message prefix+field name
// in language l.
func fill(dst any, loc *i18n.Localizer, l Lang, prefix string) error {
	v := reflect.ValueOf(dst).Elem()
	for i := range v.NumField() {
		id := prefix + v.Type().Field(i).Name
		s, tag, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id})
		if err != nil {
			return fmt.Errorf("reports: message %s (%s): %w", id, l, err)
		}
		if base, _ := tag.Base(); base.String() != string(l) {
			return fmt.Errorf("reports: the %s catalogue lacks message %s", l, id)
		}
		v.Field(i).SetString(s)
	}
	return nil
}
