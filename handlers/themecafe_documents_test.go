package handlers_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// cafeDocs is a theme café set up for the documents: three tables, two rounds, five guests and
// a host who is registered.
type cafeDocs struct {
	s      *service
	base   string
	host   registered
	guests map[string]registered // by name
	tables []cafeTable
}

func setUpCafeDocs(t *testing.T) cafeDocs {
	t.Helper()
	s := startService(t)
	w := s.schedule(40)
	var se session
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/sessions", token: org, body: map[string]any{
		"title": "Zukunft der Straße", "kind": "theme_cafe", "day": day1, "starts": "14:00", "ends": "15:00"}}, 201, &se)
	d := cafeDocs{s: s, base: "/api/v1/workshops/" + w.ID + "/sessions/" + se.ID + "/theme-cafe", guests: map[string]registered{}}
	names := []string{"Hans Weiß", "Jörg Müller", "Ute Groß", "Lena Krüger", "Max Bauer", "Anna Schmidt"}
	for i, name := range names {
		r := s.register(w, map[string]any{"name": name, "email": "p" + string(rune('a'+i)) + "@example.org",
			"organisation": "Verein", "consent": true, "days": []string{day1}})
		if i == 0 {
			d.host = r
		} else {
			d.guests[name] = r
		}
	}
	s.must(request{method: "PUT", path: d.base + "/rounds", token: org, body: map[string]any{"rounds": 2}}, 200, nil)
	for _, body := range []map[string]any{
		{"topic": "Bürgerbeteiligung", "capacity": 3, "host_registration_id": d.host.ID},
		{"topic": "Verkehr in der Straße", "capacity": 3, "host_guest": "Frau Özdemir"},
		{"topic": "Grünflächen", "capacity": 3},
	} {
		var tb cafeTable
		s.must(request{method: "POST", path: d.base + "/tables", token: org, body: body}, 201, &tb)
		d.tables = append(d.tables, tb)
	}
	return d
}

// get fetches a document and checks status and content type.
func (d cafeDocs) get(t *testing.T, path, token string, status int, mime string) response {
	t.Helper()
	res := d.s.must(request{method: "GET", path: d.base + path, token: token}, status, nil)
	if got := res.header.Get("Content-Type"); mime != "" && got != mime {
		t.Errorf("GET %s: got Content-Type %q, want %q", path, got, mime)
	}
	return res
}

// pdfText returns the text of each page, with line breaks and marks the reader cannot decode
// (beyond U+00FF) turned into single spaces.
func pdfText(t *testing.T, b []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open the PDF (%d bytes): %v", len(b), err)
	}
	pages := make([]string, r.NumPage())
	for i := range pages {
		text, err := r.Page(i + 1).GetPlainText(nil)
		if err != nil {
			t.Fatalf("read page %d: %v", i+1, err)
		}
		pages[i] = strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r <= ' ' }), " ")
	}
	return pages
}

func contains(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: got %q, want %q in it", what, got, w)
		}
	}
}

func TestThemeCafeDocuments(t *testing.T) {
	d := setUpCafeDocs(t)
	s := d.s
	d.get(t, "/table-cards.pdf", d.guests["Ute Groß"].Token, 403, "")
	d.get(t, "/table-cards.pdf", "", 401, "")
	d.get(t, "/routes.pdf", org, 409, "") // no plan yet
	cards := pdfText(t, d.get(t, "/table-cards.pdf", org, 200, "application/pdf").body)
	if len(cards) != 3 {
		t.Fatalf("table cards before the plan: got %d pages, want 3", len(cards))
	}
	contains(t, "first card before the plan", cards[0], "Tisch 1", "Bürgerbeteiligung", "Gastgeber·in: Hans Weiß", "Der Rotationsplan steht noch aus.")

	var plan cafe
	s.must(request{method: "POST", path: d.base + "/plan", token: org}, 200, &plan)
	res := d.get(t, "/table-cards.pdf", org, 200, "application/pdf")
	if got, want := res.header.Get("Content-Disposition"), `inline; filename="tischkarten-zukunft-der-strasse.pdf"`; got != want {
		t.Errorf("table cards: got Content-Disposition %q, want %q", got, want)
	}
	cards = pdfText(t, res.body)
	if len(cards) != 3 {
		t.Fatalf("table cards: got %d pages, want one per table: 3", len(cards))
	}
	for i, tb := range d.tables {
		contains(t, "card of "+tb.Topic, cards[i], tb.Topic, "Runde 1 · 14:00", "Runde 2 · 14:30")
		for _, r := range plan.Plan.Rounds {
			for _, fill := range r.Tables {
				if fill.TableID == tb.ID {
					for _, g := range fill.Guests {
						contains(t, "card of "+tb.Topic, cards[i], g.Name)
					}
				}
			}
		}
	}
	contains(t, "second card", cards[1], "Frau Özdemir", "Montag, 16. November 2037")
	english := pdfText(t, d.get(t, "/table-cards.pdf?lang=en", org, 200, "application/pdf").body)
	contains(t, "English card", english[0], "Table 1", "Host: Hans Weiß", "Round 1 · 2:00 pm", "Monday, 16 November 2037")
	d.get(t, "/table-cards.pdf?lang=fr", org, 400, "")

	checkRoutes(t, d)
	checkResults(t, d)
}

func checkRoutes(t *testing.T, d cafeDocs) {
	t.Helper()
	ute := d.guests["Ute Groß"]
	d.get(t, "/routes.pdf", ute.Token, 409, "") // not published
	all := strings.Join(pdfText(t, d.get(t, "/routes.pdf", org, 200, "application/pdf").body), " ")
	for name := range d.guests {
		contains(t, "everyone's routes", all, name)
	}
	d.s.must(request{method: "POST", path: d.base + "/plan/publish", token: org}, 200, nil)
	var own cafe
	d.s.must(request{method: "GET", path: d.base, token: ute.Token}, 200, &own)
	pages := pdfText(t, d.get(t, "/routes.pdf?lang=en", ute.Token, 200, "application/pdf").body)
	if len(pages) != 1 {
		t.Fatalf("own route: got %d pages, want 1", len(pages))
	}
	contains(t, "own route", pages[0], "Ute Groß", "Round 1", "Round 2")
	for _, stop := range own.Route {
		for _, tb := range d.tables {
			if tb.ID == stop.TableID {
				contains(t, "own route", pages[0], tb.Topic)
			}
		}
	}
	for name := range d.guests {
		if name != "Ute Groß" && strings.Contains(pages[0], name) {
			t.Errorf("own route of Ute Groß: got %q, want no %q in it", pages[0], name)
		}
	}
	d.get(t, "/routes.pdf", d.host.Token, 404, "") // hosts stay at their table: no route
}

func checkResults(t *testing.T, d cafeDocs) {
	t.Helper()
	notes := map[string]any{"key_points": []string{"Straße für alle öffnen"}, "examples": []string{"Spielstraße Köln"},
		"open_questions": []string{"Wer trägt die Kosten?"}}
	d.s.must(request{method: "PUT", path: d.base + "/tables/" + d.tables[0].ID + "/notes/1", token: d.host.Token, body: notes}, 200, nil)
	guest := d.guests["Max Bauer"].Token
	pages := pdfText(t, d.get(t, "/results.pdf", guest, 200, "application/pdf").body)
	text := strings.Join(pages, " ")
	contains(t, "results PDF", text, "Ergebnisse", "Tisch 1: Bürgerbeteiligung", "Runde 1", "Kernpunkte",
		"Straße für alle öffnen", "Spielstraße Köln", "Offene Fragen", "Wer trägt die Kosten?",
		"Tisch 3: Grünflächen", "Zu diesem Tisch wurden keine Notizen erfasst.")
	res := d.get(t, "/results.md?lang=en", guest, 200, "text/markdown; charset=utf-8")
	if got, want := res.header.Get("Content-Disposition"), `attachment; filename="results-zukunft-der-strasse.md"`; got != want {
		t.Errorf("results.md: got Content-Disposition %q, want %q", got, want)
	}
	contains(t, "results Markdown", string(res.body), "# Results: Theme café “Zukunft der Straße”",
		"## Table 1: Bürgerbeteiligung\n", "### Round 1 · 2:00 pm – 2:30 pm\n", "**Key points**\n\n- Straße für alle öffnen\n",
		"- Spielstraße Köln\n", "**Open questions**\n\n- Wer trägt die Kosten?\n", "## Table 3: Grünflächen\n\nHost: to be announced\n\n*No notes were recorded")
	d.get(t, "/results.md", "", 401, "")
}
