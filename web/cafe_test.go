package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// participant is a registration with its personal token.
type participant struct{ id, token string }

// registerWithToken registers a participant for every day through the JSON API.
func (s *service) registerWithToken(workshop, name, organisation string) participant {
	s.t.Helper()
	var r struct{ ID, Token string }
	s.api(http.MethodPost, "/api/v1/workshops/"+workshop+"/registrations", "", map[string]any{"name": name,
		"email": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", "organisation": organisation,
		"consent": true}, &r)
	return participant{r.ID, r.Token}
}

// themeCafe plans a theme café on the first day of workshop id and returns its session id.
func (s *service) themeCafe(id, title string) string {
	s.t.Helper()
	var se struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/sessions", organiserToken, map[string]any{"title": title,
		"kind": "theme_cafe", "day": "2026-11-16", "starts": "11:00", "ends": "12:30", "room": "Foyer"}, &se)
	return se.ID
}

// cafeState is the organiser's JSON of a café: the tables and who sits where.
type cafeState struct {
	Tables []struct{ ID, Topic string }
	Plan   *struct {
		Rounds []struct {
			Tables []struct {
				TableID string `json:"table_id"`
				Guests  []struct {
					ID string `json:"registration_id"`
				}
			}
		}
	}
}

func (s *service) cafeState(id, sid string) cafeState {
	s.t.Helper()
	var c cafeState
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/sessions/"+sid+"/theme-cafe", organiserToken, nil, &c)
	return c
}

// table returns the id of the table with topic.
func (c cafeState) table(t *testing.T, topic string) string {
	t.Helper()
	for _, tb := range c.Tables {
		if tb.Topic == topic {
			return tb.ID
		}
	}
	t.Fatalf("the café has no table %q: %+v", topic, c.Tables)
	return ""
}

// route returns the tables of guest in each round of the plan.
func (c cafeState) route(guest string) []string {
	var r []string
	for _, round := range c.Plan.Rounds {
		at := ""
		for _, tb := range round.Tables {
			if slices.ContainsFunc(tb.Guests, func(g struct {
				ID string `json:"registration_id"`
			}) bool {
				return g.ID == guest
			}) {
				at = tb.TableID
			}
		}
		r = append(r, at)
	}
	return r
}

// wantStatus fails unless p has status want.
func (p page) wantStatus(t *testing.T, doing string, want int) page {
	t.Helper()
	if p.status != want {
		t.Fatalf("%s: got %d, want %d:\n%s", doing, p.status, want, p.body)
	}
	return p
}

// TestThemeCafePages walks the organiser's and a participant's café pages with their forms,
// the rejections included, from setting up tables to the notes of the results.
func TestThemeCafePages(t *testing.T) {
	s := startService(t)
	id, keynote := s.workshop("Kommunale Wärmeplanung", 10)
	ben := s.registerWithToken(id, "Ben Okafor", "Landkreis Fulda")
	clara := s.registerWithToken(id, "Clara Wendt", "Stadt Kassel")
	dana := s.registerWithToken(id, "Dana Kurz", "Stadt Marburg")
	s.registerWithToken(id, "Emil Sauer", "Landkreis Kassel")
	sid := s.themeCafe(id, "Themencafé Klimaanpassung")
	b := s.signIn(t)
	cafe := "/organiser/workshops/" + id + "/cafes/" + sid
	setup := b.get(cafe).wantStatus(t, "open the café", http.StatusOK)
	setup.mustContain(t, "the new café", "Noch keine Tische.", "Die Tischwahl ist noch nicht geöffnet.", "0 Personen haben gewählt")
	csrf := setup.csrf(t)
	post := func(path string, v url.Values) page {
		t.Helper()
		v.Set("_csrf", csrf)
		return b.post(cafe+path, v)
	}
	table := func(topic, host, guest, capacity string) url.Values {
		return url.Values{"topic": {topic}, "description": {"Was Kommunen tun können"}, "host": {host},
			"host_guest": {guest}, "capacity": {capacity}}
	}

	b.get("/organiser/workshops/"+id).mustContain(t, "the agenda editor links the café", `href="`+cafe+`"`)
	if p := b.get("/organiser/workshops/" + id + "/cafes/" + keynote); p.status != http.StatusNotFound {
		t.Errorf("the café page of a keynote: got %d, want 404", p.status)
	}
	if p := s.browser().get(cafe); p.status != http.StatusSeeOther {
		t.Errorf("the café page without a session: got %d, want 303 to the sign-in", p.status)
	}

	t.Run("rejected setup", func(t *testing.T) {
		rejections := []struct {
			name, path string
			form       url.Values
			want       string
		}{
			{"a table without topic", "/tables", table("", "", "", "4"), `id="e-topic">Bitte ausfüllen.`},
			{"a table without seats", "/tables", table("Hitze", "", "", "0"), "Bitte eine Zahl von 1 bis 1000 Plätzen angeben."},
			{"two hosts", "/tables", table("Hitze", ben.id, "Dr. Roth", "4"), `id="e-host">Bitte entweder`},
			{"open without tables", "/preferences", url.Values{"action": {"open"}}, "Bitte zuerst mindestens einen Tisch anlegen."},
			{"plan without tables", "/plan", url.Values{}, "Bitte zuerst mindestens einen Tisch anlegen."},
			{"nine rounds", "/rounds", url.Values{"rounds": {"9"}}, "Bitte eine Zahl von 1 bis 8 angeben."},
		}
		for _, r := range rejections {
			p := post(r.path, r.form).wantStatus(t, r.name, http.StatusUnprocessableEntity)
			p.mustContain(t, r.name, r.want)
		}
	})

	post("/tables", table("Hitzeschutz", ben.id, "", "1")).wantStatus(t, "add a table hosted by Ben", http.StatusSeeOther)
	post("/tables", table("Starkregen", "", "Dr. Jana Roth", "1")).wantStatus(t, "add a table with a guest host", http.StatusSeeOther)
	post("/tables", table("Stadtgrün", "", "", "1")).wantStatus(t, "add a table", http.StatusSeeOther)
	post("/tables", table("Wegwerf", "", "", "1")).wantStatus(t, "add a table to remove", http.StatusSeeOther)
	post("/tables", table("Zweiter Tisch", ben.id, "", "1")).wantStatus(t, "Ben hosts twice", http.StatusUnprocessableEntity).
		mustContain(t, "Ben hosts twice", "Diese Person ist schon Gastgeber·in eines anderen Tisches dieses Themencafés.")
	post("/rounds", url.Values{"rounds": {"2"}}).wantStatus(t, "set two rounds", http.StatusSeeOther)
	state := s.cafeState(id, sid)
	hitze, regen, gruen := state.table(t, "Hitzeschutz"), state.table(t, "Starkregen"), state.table(t, "Stadtgrün")
	post("/tables/"+state.table(t, "Wegwerf")+"/remove", url.Values{}).wantStatus(t, "remove a table", http.StatusSeeOther)
	post("/tables/"+gruen, table("Stadtgrün und Schatten", "", "", "")).wantStatus(t, "change a table without seats",
		http.StatusUnprocessableEntity).mustContain(t, "change a table without seats", `id="t-`+gruen+`-e-capacity"`)
	post("/tables/"+gruen, table("Stadtgrün und Schatten", "", "", "1")).wantStatus(t, "change a table", http.StatusSeeOther)
	setup = b.get(cafe)
	setup.mustContain(t, "the café with tables", "Stadtgrün und Schatten", "Gastgeber·in: Ben Okafor", "Gastgeber·in: Dr. Jana Roth")
	if strings.Contains(setup.body, "Wegwerf") {
		t.Errorf("the café still lists the removed table")
	}

	post("/preferences", url.Values{"action": {"open"}}).wantStatus(t, "open the collection", http.StatusSeeOther)
	own := "/w/" + id + "/r/" + clara.id + "/cafes/" + sid
	pb := s.browser()
	pb.get("/w/"+id+"/r/"+clara.id+"?token="+url.QueryEscape(clara.token)).mustContain(t, "the personal page links the café", own+"?token=")
	if p := pb.get(own + "?token=wrong"); p.status != http.StatusNotFound {
		t.Errorf("the ranking page with a wrong token: got %d, want 404", p.status)
	}
	ranking := pb.get(own+"?token="+url.QueryEscape(clara.token)).wantStatus(t, "Clara opens her café page", http.StatusOK)
	ranking.mustContain(t, "the ranking page", "1. Wahl", "3. Wahl", "Starkregen", "Gastgeber·in: Dr. Jana Roth")
	rank := func(tables ...string) page {
		v := url.Values{"_csrf": {ranking.csrf(t)}, "token": {clara.token}}
		for i, tb := range tables {
			v.Set("rank"+string(rune('1'+i)), tb)
		}
		return pb.post(own, v)
	}
	rank(regen, regen).wantStatus(t, "rank a table twice", http.StatusUnprocessableEntity).
		mustContain(t, "rank a table twice", `id="e-ranking">Sie haben denselben Tisch zweimal gewählt.`)
	saved := rank(regen, "", gruen).wantStatus(t, "rank two tables", http.StatusSeeOther)
	pb.get(saved.header.Get("Location")).mustContain(t, "the saved ranking", "Ihre Wahl ist gespeichert.",
		`<option value="`+regen+`" selected>`, `<option value="`+gruen+`" selected>`)
	b.get(cafe).mustContain(t, "the count of choices", "1 Person hat gewählt")
	post("/preferences", url.Values{"action": {"close"}}).wantStatus(t, "close the collection", http.StatusSeeOther)
	rank(hitze).wantStatus(t, "rank after closing", http.StatusUnprocessableEntity).
		mustContain(t, "rank after closing", "Tische können nur gewählt werden, solange die Tischwahl geöffnet ist.")

	post("/plan", url.Values{"key": {"plan-1"}}).wantStatus(t, "generate the plan", http.StatusSeeOther)
	plan := b.get(cafe+"/plan").wantStatus(t, "the plan page", http.StatusOK)
	plan.mustContain(t, "the plan page", "Noch nicht veröffentlicht", "Runde 1", "Runde 2", "Belegte Plätze", "Clara Wendt",
		"Besuche am Tisch der 1. Wahl", "1 von 1", "(voll)", "Tischkarten (PDF)")
	if strings.Contains(pb.get(own+"?token="+url.QueryEscape(clara.token)).body, "Ihr Laufzettel") {
		t.Errorf("Clara sees her route before it is published")
	}

	t.Run("rejected moves", func(t *testing.T) {
		route := s.cafeState(id, sid).route(clara.id)
		other := slices.DeleteFunc([]string{hitze, regen, gruen}, func(tb string) bool { return slices.Contains(route, tb) })
		moves := []struct {
			name, guest, table, want string
		}{
			{"to a table visited in round 2", clara.id, route[1], "Diese Person besucht diesen Tisch schon in einer anderen Runde."},
			{"to a full table", clara.id, other[0], "Dieser Tisch ist in dieser Runde schon voll."},
			{"a host", ben.id, other[0], "bleiben an ihrem Tisch"},
		}
		for _, m := range moves {
			p := post("/plan/moves", url.Values{"registration_id": {m.guest}, "round": {"1"}, "table_id": {m.table}})
			p.wantStatus(t, "move "+m.name, http.StatusUnprocessableEntity).mustContain(t, "move "+m.name, m.want)
		}
		post("/tables/"+other[0], table(s.topic(t, id, sid, other[0]), "", guestHost(other[0], regen), "2")).
			wantStatus(t, "give a table a second seat", http.StatusSeeOther)
		post("/plan/moves", url.Values{"registration_id": {clara.id}, "round": {"1"}, "table_id": {other[0]}}).
			wantStatus(t, "move Clara to the bigger table", http.StatusSeeOther)
		if got := s.cafeState(id, sid).route(clara.id); got[0] != other[0] {
			t.Errorf("Clara's route after the move: got %v, want %s in round 1", got, other[0])
		}
	})

	s.registerWithToken(id, "Greta Spät", "Stadt Kassel")
	b.get(cafe+"/plan").mustContain(t, "the plan after a late registration", "Nicht im Plan", "<li>Greta Spät</li>")
	post("/plan/publish", url.Values{}).wantStatus(t, "publish", http.StatusSeeOther)
	b.get(cafe+"/plan").mustContain(t, "the published plan", "Veröffentlicht: Die Teilnehmenden sehen ihre Laufzettel.")
	pb.get(own+"?token="+url.QueryEscape(clara.token)).mustContain(t, "Clara's route", "Ihr Laufzettel",
		"Runde 1 · <time>11:00–11:45 Uhr</time>: <strong>",
		"Die Tischwahl ist beendet.")
	s.browser().get("/w/"+id+"/r/"+dana.id+"/cafes/"+sid+"?token="+url.QueryEscape(dana.token)).mustContain(t, "Dana's route",
		"Runde 2 · <time>11:45–12:30 Uhr</time>: <strong>")

	t.Run("printouts", func(t *testing.T) {
		docs := []struct{ path, contentType, starts string }{
			{"/table-cards.pdf", "application/pdf", "%PDF"},
			{"/routes.pdf", "application/pdf", "%PDF"},
			{"/results.pdf", "application/pdf", "%PDF"},
			{"/results.md", "text/markdown", "#"},
		}
		for _, d := range docs {
			p := b.get(cafe+d.path).wantStatus(t, "GET "+d.path, http.StatusOK)
			if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, d.contentType) || !strings.HasPrefix(p.body, d.starts) {
				t.Errorf("GET %s: got %s starting %.10q, want %s starting %q", d.path, ct, p.body, d.contentType, d.starts)
			}
		}
		if p := s.browser().get(cafe + "/table-cards.pdf"); p.status != http.StatusSeeOther {
			t.Errorf("the table cards without a session: got %d, want 303 to the sign-in", p.status)
		}
	})
	t.Run("notes and results", func(t *testing.T) {
		b.get(cafe+"/results").mustContain(t, "the empty results", "Noch keine Notizen.", cafe+"/notes/"+hitze+"/2", "Ergebnisse (PDF)")
		notes := cafe + "/notes/" + hitze + "/1"
		form := b.get(notes).wantStatus(t, "the notes form", http.StatusOK)
		form.mustContain(t, "the notes form", "Kernpunkte", "Gute Beispiele aus der Praxis", "Offene Fragen", "Ein Eintrag pro Zeile.")
		v := url.Values{"_csrf": {csrf}, "key_points": {"Schattenplätze kartieren\r\n\r\nHitzeaktionsplan"},
			"examples": {"Kühle Räume in Kassel"}, "open_questions": {"Wer zahlt?"}}
		b.post(notes, v).wantStatus(t, "record notes", http.StatusSeeOther)
		b.get(cafe+"/results").mustContain(t, "the results", "<li>Schattenplätze kartieren</li>", "<li>Hitzeaktionsplan</li>",
			"<li>Kühle Räume in Kassel</li>", "<li>Wer zahlt?</li>")
		b.get(notes).mustContain(t, "the notes form again", "Schattenplätze kartieren\nHitzeaktionsplan")
		b.post(cafe+"/notes/"+hitze+"/3", v).wantStatus(t, "notes of round 3 of 2", http.StatusUnprocessableEntity).
			mustContain(t, "notes of round 3 of 2", "Bitte eine der Runden wählen.")
		if p := b.get(cafe + "/notes/no-such-table/1"); p.status != http.StatusNotFound {
			t.Errorf("the notes of a table that does not exist: got %d, want 404", p.status)
		}
	})
}

// topic returns the topic of table tid.
func (s *service) topic(t *testing.T, id, sid, tid string) string {
	t.Helper()
	for _, tb := range s.cafeState(id, sid).Tables {
		if tb.ID == tid {
			return tb.Topic
		}
	}
	t.Fatalf("no table %s", tid)
	return ""
}

// guestHost keeps the guest host of the Starkregen table when a form changes it.
func guestHost(tid, regen string) string {
	if tid == regen {
		return "Dr. Jana Roth"
	}
	return ""
}

// cafeEnglishPages are the café's pages in English, for TestPagesInEnglish: b has chosen
// English already.
func cafeEnglishPages(t *testing.T, s *service, b *browser, id string) []struct {
	name string
	page page
	want []string
} {
	t.Helper()
	host := s.registerWithToken(id, "Gina Host", "Stadt Kassel")
	guest := s.registerWithToken(id, "Hans Guest", "Stadt Fulda")
	sid := s.publishedCafe(id, "Climate café", host, "Heat", "Rain")
	cafe := "/organiser/workshops/" + id + "/cafes/" + sid
	own := "/w/" + id + "/r/" + guest.id + "/cafes/" + sid + "?token=" + url.QueryEscape(guest.token)
	setup := b.get(cafe)
	ranked := b.post("/w/"+id+"/r/"+guest.id+"/cafes/"+sid, url.Values{"_csrf": {setup.csrf(t)}, "token": {guest.token},
		"rank1": {s.cafeState(id, sid).Tables[1].ID}, "rank2": {s.cafeState(id, sid).Tables[1].ID}})
	moved := b.post(cafe+"/plan/moves", url.Values{"_csrf": {setup.csrf(t)}, "registration_id": {host.id}, "round": {"1"},
		"table_id": {s.cafeState(id, sid).Tables[1].ID}})
	return []struct {
		name string
		page page
		want []string
	}{
		{"the theme café", setup, []string{"Theme café", "Choice of tables", "Add a table", "Seats per round", "Host: Gina Host"}},
		{"the rotation plan", b.get(cafe + "/plan"), []string{"How good is the plan?", "Round 1", "Published", "Move a person"}},
		{"a rejected move", moved, []string{"A host stays at their own table and cannot be moved."}},
		{"the café results", b.get(cafe + "/results"), []string{"No notes yet.", "Record notes", "Results (PDF)"}},
		{"the notes form", b.get(cafe + "/notes/" + s.cafeState(id, sid).Tables[0].ID + "/1"), []string{"Key points", "One item per line."}},
		{"a participant's café page", b.get(own), []string{"Your route",
			"Round 1 · <time>11:00 am – 11:45 am</time>", "Round 2 · <time>11:45 am – 12:30 pm</time>", "Choice 1", "(no choice)"}},
		{"a rejected ranking", ranked, []string{"You chose the same table twice."}},
	}
}
