package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// glossaryAllowed lists catalogue values that use a "do not use" word of docs/glossary.md in
// another sense, as "<language>:<message id>:<word>", each with the reason.
var glossaryAllowed = map[string]string{
	// The product's name, not a workshop.
	"de:ErrUnavailable:Werkstatt": "Werkstatt is the product's name",
	// A working group of a network (docs/glossary.md), not the network itself.
	"en:GroupCloseButton:group":  "a working group",
	"en:GroupCreateButton:group": "a working group",
	"en:GroupEditHeading:group":  "a working group",
	"en:GroupNewHeading:group":   "a working group",
	"en:GroupSeriesHint:group":   "a working group",
	"en:GroupTitle:group":        "a working group",
	"en:Group_closed:group":      "a working group",
	"en:Group_created:group":     "a working group",
	"en:PartnersSeries:group":    "a working group",
	"en:ErrGroupNotFound:group":  "a working group",
}

// glossaryRule is one "do not use" word of the glossary: the term it stands for and how it matches.
type glossaryRule struct {
	term, word string
	re         *regexp.Regexp
}

// glossaryRules parses the table of docs/glossary.md and returns, per language, the words not to
// use: the German column for "de", the English column for "en".
func glossaryRules(t *testing.T) map[string][]glossaryRule {
	t.Helper()
	b, err := os.ReadFile("../docs/glossary.md")
	if err != nil {
		t.Fatalf("reading the glossary: %v", err)
	}
	code := regexp.MustCompile("`([^`]+)`")
	rules := map[string][]glossaryRule{}
	rows := 0
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(line), "|") {
			continue
		}
		term := strings.TrimSpace(cells[0])
		if term == "Deutsch" || strings.HasPrefix(term, "---") {
			continue
		}
		rows++
		for i, lang := range []string{"de", "en"} {
			for _, m := range code.FindAllStringSubmatch(cells[3+i], -1) {
				rules[lang] = append(rules[lang], glossaryRule{term: term, word: m[1], re: wordPattern(m[1])})
			}
		}
	}
	if rows < 30 || len(rules["de"]) < 30 || len(rules["en"]) < 30 {
		t.Fatalf("the glossary's table parsed into %d rows, %d German and %d English words not to use: is its format broken?",
			rows, len(rules["de"]), len(rules["en"]))
	}
	return rules
}

// wordPattern matches w as a whole word or phrase, case-insensitively; "*" stands for further letters.
func wordPattern(w string) *regexp.Regexp {
	parts := strings.Split(w, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])` + strings.Join(parts, `\p{L}*`) + `($|[^\p{L}\p{N}])`)
}

// templateArg is a template action in a message, such as {{.Version}}.
var templateArg = regexp.MustCompile(`\{\{[^}]*\}\}`)

// catalogueValues reads every string of every <dir>/*.<lang>.toml, plural forms included, by
// "<file>:<id>"; the message id is what follows the colon up to a dot.
func catalogueValues(t *testing.T, dir, lang string) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*."+lang+".toml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no catalogue in %s for %s: %v", dir, lang, err)
	}
	values := map[string]string{}
	var walk func(path, id string, v any)
	walk = func(path, id string, v any) {
		switch v := v.(type) {
		case string:
			values[path+":"+id] = templateArg.ReplaceAllString(v, " ") // {{.Version}} is no word of the page
		case map[string]any:
			for k, sub := range v {
				walk(path, id+"."+k, sub)
			}
		}
	}
	for _, path := range paths {
		var m map[string]any
		if _, err := toml.DecodeFile(path, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for id, v := range m {
			walk(path, id, v)
		}
	}
	return values
}

// TestCataloguesFollowTheGlossary checks that no catalogue value of the pages or the reports uses
// a word that docs/glossary.md says not to use for a thing, so one thing keeps one word.
func TestCataloguesFollowTheGlossary(t *testing.T) {
	rules := glossaryRules(t)
	used := map[string]bool{}
	for _, lang := range []string{"de", "en"} {
		values := catalogueValues(t, "locales", lang)
		for k, v := range catalogueValues(t, "../reports/locales", lang) {
			values[k] = v
		}
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_, id, _ := strings.Cut(k, ":")
			id, _, _ = strings.Cut(id, ".")
			for _, r := range rules[lang] {
				if !r.re.MatchString(values[k]) {
					continue
				}
				allow := fmt.Sprintf("%s:%s:%s", lang, id, r.word)
				if _, ok := glossaryAllowed[allow]; ok {
					used[allow] = true
					continue
				}
				t.Errorf("%s: %q uses %q; the glossary's word is %q", k, values[k], r.word, r.term)
			}
		}
	}
	for allow := range glossaryAllowed {
		if !used[allow] {
			t.Errorf("the allow-list entry %s is no longer needed: remove it", allow)
		}
	}
}

// TestGlossaryWordPattern pins how a "do not use" word matches: whole words, any case, "*" for
// further letters, and not inside a longer word.
func TestGlossaryWordPattern(t *testing.T) {
	tests := []struct {
		word, text string
		want       bool
	}{
		{"Kreis", "Kreis / Bezirk", true},
		{"Kreis", "Landkreis / kreisfreie Stadt", false},
		{"moderier*", "Sie moderieren den Tisch", true},
		{"Moderation", "(keine Moderation)", true},
		{"Gastgeberin", "Link für Gastgeber·in", false},
		{"persönliche* Daten", "Ihre persönlichen Daten", true},
		{"delet*", "Your data was deleted", true},
		{"Werkstatt", "Ideenwerkstatt", false},
		{"event", "for this event.", true},
		{"event", "prevents", false},
	}
	for _, tt := range tests {
		if got := wordPattern(tt.word).MatchString(tt.text); got != tt.want {
			t.Errorf("%q in %q: got %v, want %v", tt.word, tt.text, got, tt.want)
		}
	}
}
