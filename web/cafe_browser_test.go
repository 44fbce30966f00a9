package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// cafeAPI is the JSON API's address of the café of session sid.
func cafeAPI(id, sid string) string {
	return "/api/v1/workshops/" + id + "/sessions/" + sid + "/theme-cafe"
}

// publishedCafe sets up a theme café through the JSON API: a table per topic (the first hosted
// by host), two rounds, the collection open, a plan, published. It returns the session id.
func (s *service) publishedCafe(id, title string, host participant, topics ...string) string {
	s.t.Helper()
	sid := s.themeCafe(id, title)
	for i, topic := range topics {
		t := map[string]any{"topic": topic, "description": "Erfahrungen aus " + topic, "capacity": 3}
		if i == 0 {
			t["host_registration_id"] = host.id
		} else {
			t["host_guest"] = "Prof. Dr.-Ing. Maximiliane Mustermann-Oberhausen"
		}
		s.api(http.MethodPost, cafeAPI(id, sid)+"/tables", organiserToken, t, nil)
	}
	s.api(http.MethodPut, cafeAPI(id, sid)+"/rounds", organiserToken, map[string]any{"rounds": 2}, nil)
	s.api(http.MethodPost, cafeAPI(id, sid)+"/preferences/open", organiserToken, nil, nil)
	s.api(http.MethodPost, cafeAPI(id, sid)+"/plan", organiserToken, nil, nil)
	s.api(http.MethodPost, cafeAPI(id, sid)+"/plan/publish", organiserToken, nil, nil)
	return sid
}

// cafePhonePages are the café's pages for the 360-px check, with the long words of German
// offices: the organiser's pages and a participant's.
func cafePhonePages(t *testing.T, s *service, id string) []struct{ name, path, ready string } {
	t.Helper()
	host := s.registerWithToken(id, "Friederike Hohenstein-Wolfsburg", "Kreisverwaltung Marburg-Biedenkopf")
	guest := s.registerWithToken(id, "Bartholomäus Schwarzenberger", "Landesbetrieb Hessen Mobil")
	sid := s.publishedCafe(id, "Themencafé Klimafolgenanpassungsstrategieentwicklung", host,
		"Hitzeaktionsplanfortschreibung", "Starkregengefahrenkartenerstellung", "Grünflächenbewässerungsmanagement")
	tid := s.cafeState(id, sid).Tables[0].ID
	cafe := "/organiser/workshops/" + id + "/cafes/" + sid
	return []struct{ name, path, ready string }{
		{"the theme café", cafe, "#h-tables"},
		{"the rotation plan", cafe + "/plan", "#quality"},
		{"the café results", cafe + "/results", "main h2"},
		{"the notes form", cafe + "/notes/" + tid + "/1", "#f-key_points"},
		{"a participant's café page", "/w/" + id + "/r/" + guest.id + "/cafes/" + sid + "?token=" + url.QueryEscape(guest.token), "#f-rank1"},
	}
}

// themeCafeInTheBrowser walks a theme café: the organiser adds tables and rounds and opens the
// collection; a participant ranks tables on their page; the organiser closes it, generates the
// plan and reviews it, then publishes; the participant sees their route.
func themeCafeInTheBrowser(t *testing.T, ctx context.Context, s *service) {
	id, _ := s.workshop("Klimawerkstatt Nordhessen", 20)
	ben := s.registerWithToken(id, "Ben Okafor", "Landkreis Fulda")
	clara := s.registerWithToken(id, "Clara Wendt", "Stadt Kassel")
	for _, name := range []string{"Dana Kurz", "Emil Sauer", "Fatma Yilmaz"} {
		s.registerWithToken(id, name, "Stadt Marburg")
	}
	sid := s.themeCafe(id, "Themencafé Klimaanpassung")
	step(t, ctx, "sit at a laptop", chromedp.EmulateViewport(1024, 768))
	signInInBrowser(t, ctx, s)
	step(t, ctx, "open the café from the agenda editor", chromedp.Navigate(s.url+"/organiser/workshops/"+id+"?lang=de"),
		chromedp.Click(chromedp.CSS("a.cafe-link")), chromedp.WaitVisible(chromedp.CSS("#h-tables")))
	addTable := func(topic, host string) {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{chromedp.SendKeys(chromedp.CSS("#f-topic"), topic),
			chromedp.SetValue(chromedp.CSS("#f-capacity"), "2")}
		if host != "" {
			actions = append(actions, chromedp.SetValue(chromedp.CSS("#f-host"), host))
		}
		actions = append(actions, chromedp.Click(chromedp.CSS(`form[aria-labelledby="h-add"] button[type=submit]`)),
			chromedp.WaitVisible(`//ul[@class="editor"]//strong[.="`+topic+`"]`))
		step(t, ctx, "add the table "+topic, actions...)
	}
	addTable("Hitzeschutz", ben.id)
	addTable("Starkregen", "")
	addTable("Stadtgrün", "")
	step(t, ctx, "set two rounds and open the collection",
		chromedp.SetValue(chromedp.CSS("#r-f-rounds"), "2"),
		chromedp.Click(chromedp.CSS(`form[action$="/rounds"] button`)),
		// The page before already shows a notice; wait for the one that rendered two rounds.
		chromedp.WaitVisible(`//input[@id="r-f-rounds"][@value="2"]`),
		chromedp.Click(chromedp.CSS("#open-collection")),
		chromedp.WaitVisible(chromedp.CSS("#close-collection")))
	wantText(t, ctx, "the open collection", "#collection", "Die Teilnehmenden wählen ihre Tische.", "0 Personen haben gewählt")

	tables := s.cafeState(id, sid)
	step(t, ctx, "Clara opens her personal page and ranks two tables",
		chromedp.Navigate(s.url+"/w/"+id+"/r/"+clara.id+"?token="+url.QueryEscape(clara.token)),
		chromedp.Click(chromedp.CSS("#cafes a")), chromedp.WaitVisible(chromedp.CSS("#f-rank1")),
		chromedp.SetValue(chromedp.CSS("#f-rank1"), tables.table(t, "Stadtgrün")),
		chromedp.SetValue(chromedp.CSS("#f-rank2"), tables.table(t, "Starkregen")),
		chromedp.Click(chromedp.CSS("#save-ranking")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(t, ctx, "after ranking", ".notice", "Ihre Wahl ist gespeichert.")

	cafe := s.url + "/organiser/workshops/" + id + "/cafes/" + sid
	step(t, ctx, "close the collection and generate the plan", chromedp.Navigate(cafe),
		chromedp.WaitVisible(chromedp.CSS("#close-collection")))
	wantText(t, ctx, "the count of choices", "#collection", "1 Person hat gewählt")
	step(t, ctx, "close and plan", chromedp.Click(chromedp.CSS("#close-collection")),
		chromedp.WaitVisible(chromedp.CSS("#open-collection")),
		chromedp.Click(chromedp.CSS("#plan")), chromedp.WaitVisible(chromedp.CSS("#quality")))
	wantText(t, ctx, "the plan", "main", "Noch nicht veröffentlicht", "Runde 1", "Runde 2", "Clara Wendt", "Stadtgrün")
	screenshot(t, ctx, "theme-cafe.png")

	step(t, ctx, "publish the plan", chromedp.Click(chromedp.CSS("#publish")),
		chromedp.WaitVisible(`//p[@id="plan-state"][contains(., "Veröffentlicht")]`))
	step(t, ctx, "Clara opens her café page again",
		chromedp.Navigate(s.url+"/w/"+id+"/r/"+clara.id+"/cafes/"+sid+"?token="+url.QueryEscape(clara.token)),
		chromedp.WaitVisible(chromedp.CSS("#route")))
	wantText(t, ctx, "Clara's route", "#route", "Runde 1 · 11:00–11:45 Uhr:", "Runde 2 · 11:45–12:30 Uhr:")
}

// hostNotesInTheBrowser: a table's host opens the host link (the page fits a 360-px phone and
// labels its fields), writes the first round's notes on a 390-px phone and sees them saved.
func hostNotesInTheBrowser(t *testing.T, ctx context.Context, s *service) {
	id, _ := s.workshop("Klimawerkstatt Osthessen", 20)
	sid := s.themeCafe(id, "Themencafé Hitzeschutz")
	var table struct{ ID string }
	s.api(http.MethodPost, cafeAPI(id, sid)+"/tables", organiserToken, map[string]any{"topic": "Hitzeaktionsplanfortschreibung", "capacity": 4}, &table)
	var link struct{ Token string }
	s.api(http.MethodPost, cafeAPI(id, sid)+"/tables/"+table.ID+"/host-link", organiserToken, nil, &link)
	page := "/w/" + id + "/cafes/" + sid + "/tables/" + table.ID + "/host?lang=de&token=" + url.QueryEscape(link.Token)
	step(t, ctx, "open the host link on a small phone", chromedp.EmulateViewport(phoneWidth, 740),
		chromedp.Navigate(s.url+page), chromedp.WaitVisible(chromedp.CSS("#r1-key_points")))
	checkPhonePage(t, ctx, "the host's notes page")
	step(t, ctx, "write the first round's notes on a 390-px phone", chromedp.EmulateViewport(390, 844),
		chromedp.SendKeys(chromedp.CSS("#r1-key_points"), "Trinkbrunnen\nSchattenplätze"),
		chromedp.SendKeys(chromedp.CSS("#r1-open_questions"), "Wer zahlt?"),
		chromedp.Click(chromedp.CSS("#save-1")), chromedp.WaitVisible(chromedp.CSS("#saved-1")))
	wantText(t, ctx, "the saved notes", "#round-1", "Gespeichert.")
	notes, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#r1-key_points")))
	if err != nil {
		t.Fatalf("read the saved notes back: %v", err)
	}
	if !strings.Contains(notes, "Schattenplätze") {
		t.Errorf("the host's notes after saving: got %q, want Schattenplätze", notes)
	}
}
