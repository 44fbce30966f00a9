package handlers_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// exported is a person's export as a client reads it.
type exported struct {
	Email         string `json:"email"`
	Registrations []struct {
		Workshop      string            `json:"workshop"`
		WorkshopTitle string            `json:"workshop_title"`
		Registration  string            `json:"registration_id"`
		Name          string            `json:"name"`
		Email         string            `json:"email"`
		Dietary       string            `json:"dietary"`
		Overnight     bool              `json:"overnight"`
		Status        string            `json:"status"`
		DayStatus     map[string]string `json:"day_status"`
		CheckIns      []struct {
			Day string `json:"day"`
		} `json:"check_ins"`
		Cafes []struct {
			Choices []string `json:"choice_of_tables"`
			Route   []string `json:"route"`
			Hosts   []string `json:"hosts"`
		} `json:"theme_cafes"`
		Topics []struct {
			Title string `json:"title"`
		} `json:"topics_proposed"`
		Votes       []string `json:"votes"`
		ActionItems []struct {
			What string `json:"what"`
		} `json:"action_items"`
	} `json:"registrations"`
	Memberships []any    `json:"memberships"`
	Notes       []string `json:"notes"`
}

// TestPersonExport: two people share two workshops, a theme café and the follow-ups; the
// export of one holds exactly their registrations, choices, route, topic, vote and action item
// and no trace of the other, on both read models; each export is recorded on every workshop it
// covers without the address; an erased person is not found; refusals are precise.
func TestPersonExport(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		autumn := s.schedule(10)
		spring := scheduleAt(t, s, "Werkstatt 2027", "2038-03-10")
		ada := person("Ada", "Jugendring")
		ada["dietary"], ada["overnight"] = "vegan", true
		adaAutumn := s.register(autumn, ada)
		adaSpring := s.register(spring, person("Ada", "Jugendring"))
		bob := person("Bob", "Landkreis Kassel")
		bob["dietary"] = "Nussallergie"
		bobAutumn := s.register(autumn, bob)
		s.register(spring, person("Bob", "Landkreis Kassel"))
		base := "/api/v1/workshops/" + autumn.ID

		// A theme café: Ada hosts "Mobilität", both choose tables, the plan seats both.
		var cafe struct{ ID string }
		s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{"title": "Themencafé",
			"kind": "theme_cafe", "day": day1, "starts": "14:00", "ends": "15:30"}}, 201, &cafe)
		cb := base + "/sessions/" + cafe.ID + "/theme-cafe"
		s.must(request{method: "PUT", path: cb + "/rounds", token: org, body: map[string]any{"rounds": 2}}, 200, nil)
		tables := map[string]string{}
		for _, tb := range []map[string]any{{"topic": "Mobilität", "capacity": 5, "host_registration_id": adaAutumn.ID},
			{"topic": "Wohnen", "capacity": 5, "host_guest": "Jonas Weber"}, {"topic": "Arbeit", "capacity": 5, "host_guest": "Lea Sommer"}} {
			var x struct{ ID string }
			s.must(request{method: "POST", path: cb + "/tables", token: org, body: tb}, 201, &x)
			tables[tb["topic"].(string)] = x.ID
		}
		s.must(request{method: "POST", path: cb + "/preferences/open", token: org}, 200, nil)
		s.must(request{method: "PUT", path: cb + "/preferences", token: bobAutumn.Token,
			body: map[string]any{"ranking": []string{tables["Arbeit"], tables["Wohnen"]}}}, 200, nil)
		s.must(request{method: "POST", path: cb + "/preferences/close", token: org}, 200, nil)
		s.must(request{method: "POST", path: cb + "/plan", token: org}, 200, nil)

		// Follow-ups: each proposes a topic, Ada votes for Bob's, Bob gets an action item.
		var adaTopic, bobTopic struct{ ID string }
		s.must(request{method: "POST", path: base + "/topics", token: adaAutumn.Token, body: map[string]any{"title": "Radwege"}}, 201, &adaTopic)
		s.must(request{method: "POST", path: base + "/topics", token: bobAutumn.Token, body: map[string]any{"title": "Busverbindungen"}}, 201, &bobTopic)
		s.must(request{method: "POST", path: base + "/topics/voting/open", token: org}, 200, nil)
		s.must(request{method: "PUT", path: base + "/topics/votes", token: adaAutumn.Token, body: map[string]any{"topic_ids": []string{bobTopic.ID}}}, 200, nil)
		s.must(request{method: "PUT", path: base + "/topics/votes", token: bobAutumn.Token, body: map[string]any{"topic_ids": []string{adaTopic.ID}}}, 200, nil)
		s.must(request{method: "POST", path: base + "/action-items", token: org, body: map[string]any{"what": "Fahrplan prüfen",
			"who": map[string]any{"registration_id": bobAutumn.ID}}}, 201, nil)
		s.must(request{method: "POST", path: base + "/action-items", token: org, body: map[string]any{"what": "Karte zeichnen",
			"who": map[string]any{"registration_id": adaAutumn.ID}}}, 201, nil)
		s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{"registration_id": adaAutumn.ID, "day": day1}}, 201, nil)

		path := "/api/v1/people/export?email=" + url.QueryEscape(" ADA@example.org ")
		seq := s.lastSeq()
		var got exported
		res := s.must(request{method: "GET", path: path, token: org}, 200, &got)
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		for _, other := range []string{"Bob", "bob@example.org", "Nussallergie", "Landkreis Kassel", bobAutumn.ID, "Fahrplan"} {
			if bytes.Contains(res.body, []byte(other)) {
				t.Errorf("Ada's export holds %q of Bob: %s", other, res.body)
			}
		}
		if len(got.Registrations) != 2 || got.Email != "ADA@example.org" && got.Email != "ada@example.org" {
			t.Fatalf("got %+v, want Ada's two registrations", got)
		}
		a := got.Registrations[0]
		if a.Registration != adaAutumn.ID || a.Name != "Ada" || a.Email != "ada@example.org" || a.Dietary != "vegan" || !a.Overnight ||
			a.Status != "confirmed" || len(a.CheckIns) != 1 || a.CheckIns[0].Day != day1 {
			t.Errorf("the autumn registration: got %+v", a)
		}
		if len(a.Cafes) != 1 || len(a.Cafes[0].Hosts) != 1 || a.Cafes[0].Hosts[0] != "Mobilität" || len(a.Cafes[0].Choices) != 0 {
			t.Errorf("Ada's café: got %+v, want her hosting Mobilität and no choice of tables", a.Cafes)
		}
		if len(a.Topics) != 1 || a.Topics[0].Title != "Radwege" || len(a.Votes) != 1 || a.Votes[0] != "Busverbindungen" ||
			len(a.ActionItems) != 1 || a.ActionItems[0].What != "Karte zeichnen" {
			t.Errorf("Ada's follow-ups: got topics %+v, votes %v, action items %+v", a.Topics, a.Votes, a.ActionItems)
		}
		if got.Registrations[1].Registration != adaSpring.ID || len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "anonymous") {
			t.Errorf("got %+v, want the spring registration and a note on anonymous feedback", got)
		}

		// Bob's export holds his choice of tables and route, by table, and nothing of Ada.
		var bobs exported
		res = s.must(request{method: "GET", path: "/api/v1/people/export?email=bob@example.org", token: org}, 200, &bobs)
		if bytes.Contains(res.body, []byte("Ada")) || bytes.Contains(res.body, []byte("vegan")) {
			t.Errorf("Bob's export names Ada: %s", res.body)
		}
		if c := bobs.Registrations[0].Cafes; len(c) != 1 || strings.Join(c[0].Choices, ",") != "Arbeit,Wohnen" || len(c[0].Route) != 2 {
			t.Errorf("Bob's café: got %+v, want his choice Arbeit, Wohnen and a route of two rounds", c)
		}

		// Each export is on the log of each workshop it covered, with the actor, without the address.
		var records []domain.PersonalDataExported
		for _, e := range replay(t, s.events) {
			if e.Seq <= seq {
				continue
			}
			if x, ok := e.Event.(domain.PersonalDataExported); ok {
				records = append(records, x)
				if e.Actor != "organiser" {
					t.Errorf("an export recorded with actor %q, want organiser", e.Actor)
				}
			}
			if b, _ := json.Marshal(e.Event); bytes.Contains(b, []byte("example.org")) {
				t.Errorf("the log holds an address after the export: %s", b)
			}
		}
		if len(records) != 4 || records[0].RegistrationID != domain.RegistrationID(adaAutumn.ID) || records[0].Channel != domain.ExportByAdmin {
			t.Errorf("got export records %+v, want Ada's two and Bob's two", records)
		}

		// The PDF starts as one and answers in the language asked.
		pdf := s.must(request{method: "GET", path: path + "&format=pdf&lang=en", token: org}, 200, nil)
		if !bytes.HasPrefix(pdf.body, []byte("%PDF")) || pdf.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("the PDF: got %s %.20q", pdf.header.Get("Content-Type"), pdf.body)
		}
		text := strings.Join(pdfText(t, pdf.body), " ")
		contains(t, "Ada's PDF", text, "Your data stored in Werkstatt", "Ada", "ada@example.org", "vegan", "Mobilität", "Karte zeichnen")
		if strings.Contains(text, "Bob") || strings.Contains(text, "Nussallergie") {
			t.Errorf("Ada's PDF names Bob: %s", text)
		}
		accept := s.must(request{method: "GET", path: path, token: org, header: map[string]string{"Accept": "application/pdf"}}, 200, nil)
		if !bytes.HasPrefix(accept.body, []byte("%PDF")) {
			t.Errorf("Accept: application/pdf answered %.20q", accept.body)
		}

		// Refusals: no token, a participant's token, a malformed or huge address, an unknown
		// format or language, nobody stored.
		problemOf(t, s.do(request{method: "GET", path: path}), 401)
		problemOf(t, s.do(request{method: "GET", path: path, token: adaAutumn.Token}), 401)
		for _, bad := range []string{"", "keine Adresse", strings.Repeat("a", 300) + "@example.org", "a@example.org\x00", "<a@example.org>"} {
			if p := problemOf(t, s.do(request{method: "GET", path: "/api/v1/people/export?email=" + url.QueryEscape(bad), token: org}), 422); !namesField(p, "email") {
				t.Errorf("email %.20q: got %+v, want the field email named", bad, p)
			}
		}
		problemOf(t, s.do(request{method: "GET", path: path + "&format=xlsx", token: org}), 400)
		problemOf(t, s.do(request{method: "GET", path: path + "&lang=fr", token: org}), 400)
		problemOf(t, s.do(request{method: "GET", path: "/api/v1/people/export?email=niemand@example.org", token: org}), 404)

		// Once erased, Ada is not found any more; Bob still is.
		s.must(request{method: "POST", path: "/api/v1/erasure-requests", token: org, body: map[string]any{"email": "ada@example.org"}}, 200, nil)
		problemOf(t, s.do(request{method: "GET", path: path, token: org}), 404)
		s.must(request{method: "GET", path: "/api/v1/people/export?email=bob@example.org", token: org}, 200, nil)
	})
}

// TestExportRequest: the answer is 202 for a known and an unknown address alike; only the known
// one's request reaches the log, on the workshop of their latest registration, and it holds no
// address. A malformed address or language is refused.
func TestExportRequest(t *testing.T) {
	s := startService(t)
	w := s.schedule(10)
	ada := s.register(w, person("Ada", "Verein"))
	const path = "/api/v1/people/export-requests"
	seq := s.lastSeq()
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "niemand@example.org"}}, 202, nil)
	if s.lastSeq() != seq {
		t.Errorf("a request for an unknown address appended to the log")
	}
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "ADA@example.org", "lang": "en"}}, 202, nil)
	var asked []domain.DataExportRequested
	for _, e := range replay(t, s.events) {
		if x, ok := e.Event.(domain.DataExportRequested); ok && e.Seq > seq {
			asked = append(asked, x)
		}
	}
	if len(asked) != 1 || asked[0].RegistrationID != domain.RegistrationID(ada.ID) || asked[0].Lang != "en" || asked[0].LinkID == "" {
		t.Errorf("got requests %+v, want one on Ada's registration in English", asked)
	}
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "keine Adresse"}}), 422); !namesField(p, "email") {
		t.Errorf("a malformed address: got %+v, want the field email named", p)
	}
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "ada@example.org", "lang": "fr"}}), 422); !namesField(p, "lang") {
		t.Errorf("an unknown language: got %+v, want the field lang named", p)
	}
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": strings.Repeat("a", 300) + "@example.org"}}), 422)
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": 7}}), 400)
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "ada@example.org", "x": 1}}), 400)
}

// TestPersonExportOfANetwork: a network's admin exports the person's part in their network's
// workshops and their account there, nothing of other networks' or of no network's workshops;
// other roles are refused; the instance's administrator sees everything.
func TestPersonExportOfANetwork(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	inForum := func(title, network string) workshop {
		var w workshop
		s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{"title": title,
			"series": "Ideenwerkstatt", "venue": "Winsen", "days": []string{day1}, "capacity": 20, "network": network}}, 201, &w)
		return w
	}
	forum, wartburg := inForum("Forum", n.forum), inForum("Wartburg", n.wartburg)
	s.register(forum, person("mia", "Landkreis mia"))
	s.register(wartburg, person("mia", "Landkreis mia"))
	posts := "/api/v1/networks/" + n.forum + "/announcements"
	var post announcementOut
	s.must(request{method: "POST", path: posts, token: n.anna.Token, body: map[string]any{"title": "Sommerfest", "body": "B"}}, 201, &post)
	s.must(request{method: "POST", path: posts + "/" + post.ID + "/comments", token: n.mia.Token, body: map[string]any{"text": "Ich komme gern"}}, 201, nil)
	s.must(request{method: "POST", path: posts + "/" + post.ID + "/comments", token: n.anna.Token, body: map[string]any{"text": "Danke, Anna"}}, 201, nil)
	path := "/api/v1/people/export?email=mia@example.org"
	res := s.must(request{method: "GET", path: path, token: n.anna.Token}, 200, nil)
	if !bytes.Contains(res.body, []byte(`"text":"Ich komme gern"`)) || !bytes.Contains(res.body, []byte(`"announcement":"Sommerfest"`)) ||
		bytes.Contains(res.body, []byte("Danke, Anna")) || !bytes.Contains(res.body, []byte(`"announcements_posted":[]`)) {
		t.Errorf("mia's export: want her comment on Sommerfest, no announcement and nothing of Anna's: %s", res.body)
	}
	res = s.must(request{method: "GET", path: "/api/v1/people/export?email=anna@example.org", token: org}, 200, nil)
	if !bytes.Contains(res.body, []byte(`"announcements_posted":["Sommerfest"]`)) || bytes.Contains(res.body, []byte("Ich komme gern")) {
		t.Errorf("Anna's export: want her announcement and not Mia's comment: %s", res.body)
	}
	export := func(token string) exported {
		t.Helper()
		var e exported
		s.must(request{method: "GET", path: path, token: token}, 200, &e)
		return e
	}
	if e := export(n.anna.Token); len(e.Registrations) != 1 || e.Registrations[0].WorkshopTitle != "Forum" || len(e.Memberships) != 1 {
		t.Errorf("the forum's admin: got %+v, want mia's forum registration and her forum account", e)
	}
	if e := export(n.max.Token); len(e.Registrations) != 1 || e.Registrations[0].WorkshopTitle != "Wartburg" || len(e.Memberships) != 0 {
		t.Errorf("the Wartburg admin: got %+v, want only mia's Wartburg registration", e)
	}
	if e := export(org); len(e.Registrations) != 2 || len(e.Memberships) != 1 {
		t.Errorf("the administrator: got %+v, want both registrations and the account", e)
	}
	for _, m := range []member{n.olaf, n.dora, n.lea, n.mia} {
		problemOf(t, s.do(request{method: "GET", path: path, token: m.Token}), 403)
	}
	// Someone only the other network knows is not found for the forum's admin.
	s.register(wartburg, person("Zora", "Wartburgkreis"))
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/people/export?email=zora@example.org", token: n.anna.Token}), 404)
}

// TestExportLink: the link derived from a request opens the export of that one person, is
// recorded as given through the mailed link with the person as the actor, and stops working
// when it expires, when it is forged, or when the person was erased.
func TestExportLink(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	clock := time.Now()
	cfg.Now = func() time.Time { return clock }
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}
	a := app.New(cfg.Config)
	w := s.schedule(10)
	ada := s.register(w, person("Ada", "Verein"))
	s.register(w, person("Bob", "Amt"))
	s.must(request{method: "POST", path: "/api/v1/people/export-requests", body: map[string]any{"email": "ada@example.org"}}, 202, nil)
	var token string
	for _, e := range replay(t, s.events) {
		if x, ok := e.Event.(domain.DataExportRequested); ok {
			token = domain.DataExportToken(cfg.Pseudonyms.Pseudonym, e.Workshop, x)
		}
	}
	if token == "" {
		t.Fatal("no request in the log")
	}
	seq := s.lastSeq()
	e, err := a.ExportByLink(t.Context(), token)
	if err != nil || len(e.Registrations) != 1 || e.Registrations[0].Name != "Ada" || e.Email != "ada@example.org" {
		t.Fatalf("the link: got %+v, %v, want Ada's export", e, err)
	}
	for _, r := range replay(t, s.events) {
		if x, ok := r.Event.(domain.PersonalDataExported); ok && r.Seq > seq &&
			(x.Channel != domain.ExportByMailLink || r.Actor != app.ActorParticipant(domain.RegistrationID(ada.ID))) {
			t.Errorf("the export by link recorded %+v by %q, want the mail link and Ada", x, r.Actor)
		}
	}
	enc, mac, _ := strings.Cut(token, ".")
	for name, bad := range map[string]string{"empty": "", "no signature": enc, "another signature": enc + ".x" + mac[1:],
		"huge": strings.Repeat("a", 10000) + "." + mac, "garbage": "%%%.###"} {
		if _, err := a.ExportByLink(t.Context(), bad); !errors.Is(err, domain.ErrExportLinkInvalid) {
			t.Errorf("%s token: got %v, want ErrExportLinkInvalid", name, err)
		}
	}
	clock = clock.Add(app.DataExportLinkLifetime + time.Minute)
	if _, err := a.ExportByLink(t.Context(), token); !errors.Is(err, domain.ErrExportLinkInvalid) {
		t.Errorf("an expired link: got %v, want ErrExportLinkInvalid", err)
	}
	clock = clock.Add(-2*time.Minute - app.DataExportLinkLifetime)
	s.must(request{method: "POST", path: "/api/v1/erasure-requests", token: org, body: map[string]any{"email": "ada@example.org"}}, 200, nil)
	if _, err := a.ExportByLink(t.Context(), token); !errors.Is(err, domain.ErrExportLinkInvalid) {
		t.Errorf("the link of an erased person: got %v, want ErrExportLinkInvalid", err)
	}
}
