package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var formKey = regexp.MustCompile(`name="key" value="([^"]+)"`)

// key returns the idempotency key of the page's first form that has one, or with action of the
// form posting there.
func (p page) key(t *testing.T, action ...string) string {
	t.Helper()
	body := p.body
	if len(action) > 0 {
		_, body, _ = strings.Cut(body, `action="`+action[0]+`"`)
	}
	m := formKey.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form with a key in the page:\n%s", p.body)
	}
	return m[1]
}

// located returns the path a 303 answer sends to, failing the test for any other answer.
func (p page) located(t *testing.T, doing string) string {
	t.Helper()
	if p.status != http.StatusSeeOther {
		t.Fatalf("%s: got %d, want 303:\n%s", doing, p.status, p.body)
	}
	return p.header.Get("Location")
}

// memberRow returns the table row of the member named name on a network's page, "" if none.
func memberRow(p page, name string) string {
	for _, row := range strings.Split(p.body, `<tr id="member-`)[1:] {
		row, _, _ = strings.Cut(row, "</tr>")
		if strings.Contains(row, ">"+name+"</th>") {
			return row
		}
	}
	return ""
}

// TestNetworkPages: the instance's administrator creates a network on the pages, adds people
// with roles, changes and removes them, and is told clearly what the rules refuse.
func TestNetworkPages(t *testing.T) {
	s := startService(t)
	b := s.signIn(t)

	list := b.get("/organiser/networks")
	list.mustContain(t, "the list of networks", `href="/organiser/networks"`, "Noch kein Netzwerk.", "Neues Netzwerk")
	if p := b.post("/organiser/networks", url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "name": {""}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("create a network without a name: got %d, want 422", p.status)
	} else {
		p.mustContain(t, "a network without a name", `id="e-name"`, "Bitte ausfüllen.")
	}
	created := b.post("/organiser/networks", url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "name": {"Forum Integration"}})
	at := created.located(t, "create a network")
	path, query, _ := strings.Cut(at, "?")
	if !strings.HasPrefix(path, "/organiser/networks/") || query != "created=1" {
		t.Fatalf("create a network: sent to %q, want its page", at)
	}
	network := strings.TrimPrefix(path, "/organiser/networks/")
	if again := b.post("/organiser/networks", url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "name": {"Forum Integration"}}); again.located(t, "the same form again") != at {
		t.Errorf("the same form again: sent to %q, want the same network %q", again.header.Get("Location"), at)
	}
	b.get("/organiser/networks").mustContain(t, "the list after creating", `<a href="`+path+`">Forum Integration</a>`)

	netPage := b.get(at)
	netPage.mustContain(t, "the new network's page", "Netzwerk: Forum Integration", "Das Netzwerk ist angelegt", "Person hinzufügen",
		`id="add-role-admin"`, "Reihen des Orga-Teams")
	add := func(fields url.Values) page {
		t.Helper()
		form := b.get(path)
		fields.Set("_csrf", form.csrf(t))
		fields.Set("key", form.key(t, path+"/members"))
		return b.post(path+"/members", fields)
	}
	anna := add(url.Values{"name": {"Anna Schmidt"}, "email": {"anna@example.org"}, "organisation": {"Stadt Kassel"},
		"role": {"admin", "organiser"}, "series_organiser": {"Zukunft, Ideenwerkstatt"}})
	if loc := anna.located(t, "add Anna"); !strings.HasPrefix(loc, path+"?added=") {
		t.Fatalf("add Anna: sent to %q, want the network's page", loc)
	}
	annaID := strings.TrimPrefix(anna.header.Get("Location"), path+"?added=")
	netPage = b.get(anna.header.Get("Location"))
	netPage.mustContain(t, "after adding Anna", "Anna Schmidt gehört jetzt zum Netzwerk.")
	if row := memberRow(netPage, "Anna Schmidt"); !strings.Contains(row, "anna@example.org") || !strings.Contains(row, "Stadt Kassel") ||
		!strings.Contains(row, "Admin, Orga-Team (Ideenwerkstatt, Zukunft)") {
		t.Errorf("Anna's row: got %q, want her e-mail address, organisation and roles", row)
	}
	bora := add(url.Values{"name": {"Bora Yilmaz"}, "email": {"bora@example.org"}, "role": {"member"}})
	boraID := strings.TrimPrefix(bora.located(t, "add Bora"), path+"?added=")

	t.Run("refused forms say why", func(t *testing.T) {
		twice := add(url.Values{"name": {"Anna S."}, "email": {"anna@example.org"}, "role": {"member"}})
		if twice.status != http.StatusUnprocessableEntity {
			t.Fatalf("add Anna's address again: got %d, want 422", twice.status)
		}
		twice.mustContain(t, "Anna's address again", "Diese Person gehört dem Netzwerk schon an.", `value="Anna S."`)
		lead := add(url.Values{"name": {"Clara Wendt"}, "email": {"clara@example.org"}, "role": {"lead"}})
		if lead.status != http.StatusUnprocessableEntity {
			t.Fatalf("a project lead without series: got %d, want 422", lead.status)
		}
		lead.mustContain(t, "a project lead without series", `id="add-e-roles"`, "Bitte prüfen Sie die markierten Angaben.",
			"Bitte mindestens eine Reihe nennen.")
		none := add(url.Values{"name": {"Dora"}, "email": {"dora@example.org"}})
		if none.status != http.StatusUnprocessableEntity || !strings.Contains(none.body, "Bitte mindestens eine Rolle wählen.") {
			t.Errorf("a person without roles: got %d, want 422 with a message at the roles", none.status)
		}
		form := b.get(path)
		last := b.post(path+"/members/"+annaID+"/remove", url.Values{"_csrf": {form.csrf(t)}})
		if last.status != http.StatusUnprocessableEntity {
			t.Fatalf("remove the last admin: got %d, want 422", last.status)
		}
		last.mustContain(t, "the last admin", "Die letzte Person mit dieser Rolle bleibt.")
		if row := memberRow(last, "Anna Schmidt"); !strings.Contains(row, "Die letzte Person mit dieser Rolle bleibt.") {
			t.Errorf("the last admin: want the message in Anna's row, got %q", row)
		}
		lost := b.post(path+"/members/"+annaID+"/roles", url.Values{"_csrf": {form.csrf(t)}, "key": {"k-lost"}, "role": {"member"}})
		if lost.status != http.StatusUnprocessableEntity || !strings.Contains(lost.body, "Die letzte Person mit dieser Rolle bleibt.") {
			t.Errorf("take the admin role from the last admin: got %d, want 422 with the rule", lost.status)
		}
	})

	t.Run("change and remove", func(t *testing.T) {
		form := b.get(path)
		changed := b.post(path+"/members/"+boraID+"/roles", url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t, path+"/members/"+boraID+"/roles")},
			"role": {"door", "member"}})
		page := b.get(changed.located(t, "change Bora's roles"))
		page.mustContain(t, "after changing Bora's roles", "Die Rollen von Bora Yilmaz sind gespeichert.")
		if row := memberRow(page, "Bora Yilmaz"); !strings.Contains(row, "Einlass, Mitglied") {
			t.Errorf("Bora's row: got %q, want the roles Einlass, Mitglied", row)
		}
		var members struct {
			Members []struct {
				ID    string
				Roles []struct{ Role string }
			}
		}
		s.api(http.MethodGet, "/api/v1/networks/"+network+"/members", organiserToken, nil, &members)
		for _, m := range members.Members {
			if m.ID == boraID && (len(m.Roles) != 2 || m.Roles[0].Role != "door" || m.Roles[1].Role != "member") {
				t.Errorf("the API's roles of Bora: got %+v, want door and member", m.Roles)
			}
		}
		removed := b.post(path+"/members/"+boraID+"/remove", url.Values{"_csrf": {form.csrf(t)}})
		page = b.get(removed.located(t, "remove Bora"))
		page.mustContain(t, "after removing Bora", "Die Person gehört dem Netzwerk nicht mehr an.")
		if memberRow(page, "Bora Yilmaz") != "" {
			t.Errorf("Bora is still listed after the removal")
		}
		if again := b.post(path+"/members/"+boraID+"/remove", url.Values{"_csrf": {form.csrf(t)}}); again.status != http.StatusSeeOther {
			t.Errorf("remove Bora a second time (a double click): got %d, want 303", again.status)
		}
	})

	t.Run("invitation link and API tokens", func(t *testing.T) {
		tokens := b.get(path + "/members/" + annaID + "/api-tokens")
		if tokens.status != http.StatusOK {
			t.Fatalf("Anna's API tokens: got %d, want 200", tokens.status)
		}
		tokens.mustContain(t, "Anna's API tokens", "Persönliche API-Tokens: Anna Schmidt", "Noch kein Token.", "Token erzeugen")
		if s.cfg.Credentials == nil {
			t.Skip("the test service has no app.Config.Credentials (infra/credentials) wired: invitation links and tokens are not issued")
		}
		form := b.get(path)
		invited := b.post(path+"/members/"+annaID+"/invitation", url.Values{"_csrf": {form.csrf(t)}})
		if invited.status != http.StatusOK {
			t.Fatalf("invite Anna: got %d, want 200 with the link", invited.status)
		}
		invited.mustContain(t, "the invitation", "Einladungslink für Anna Schmidt", "/set-password/",
			"Die Person bekommt diesen Link auch per E-Mail.", "Er gilt 7 Tage und nur einmal")
		if invited.header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the invitation link: got Cache-Control %q, want no-store", invited.header.Get("Cache-Control"))
		}
		issued := b.post(path+"/members/"+annaID+"/api-tokens", url.Values{"_csrf": {tokens.csrf(t)}, "key": {tokens.key(t)}, "label": {"Skript Anmeldeliste"}})
		m := regexp.MustCompile(`id="api-token" type="text" readonly value="([^"]+)"`).FindStringSubmatch(issued.body)
		if issued.status != http.StatusOK || m == nil {
			t.Fatalf("issue a token: got %d, want 200 with the token shown:\n%s", issued.status, issued.body)
		}
		var me struct{ Networks []struct{ ID string } }
		s.api(http.MethodGet, "/api/v1/networks", m[1], nil, &me)
		if len(me.Networks) != 1 || me.Networks[0].ID != network {
			t.Errorf("the token's networks: got %+v, want %s", me, network)
		}
		list := b.get(path + "/members/" + annaID + "/api-tokens")
		if strings.Contains(list.body, m[1]) {
			t.Errorf("the token page shows the token again")
		}
		id := regexp.MustCompile(`<tr id="token-([^"]+)">`).FindStringSubmatch(list.body)
		if id == nil {
			t.Fatalf("the token page lists no token:\n%s", list.body)
		}
		revoked := b.post(path+"/members/"+annaID+"/api-tokens/"+id[1]+"/revoke", url.Values{"_csrf": {list.csrf(t)}})
		b.get(revoked.located(t, "revoke the token")).mustContain(t, "after revoking", "Das Token „Skript Anmeldeliste“ ist widerrufen.", "Noch kein Token.")
	})

	t.Run("rename", func(t *testing.T) {
		form := b.get(path)
		if p := b.post(path, url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t, path)}, "name": {" "}}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("rename to nothing: got %d, want 422", p.status)
		} else {
			p.mustContain(t, "rename to nothing", `id="rename-e-name"`)
		}
		renamed := b.post(path, url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t, path)}, "name": {"Forum Integration Nord"}})
		b.get(renamed.located(t, "rename")).mustContain(t, "after renaming", "Netzwerk: Forum Integration Nord", "Der neue Name ist gespeichert.")
		b.get("/organiser/networks").mustContain(t, "the list after renaming", ">Forum Integration Nord</a>")
	})

	t.Run("in English", func(t *testing.T) {
		b.get(path+"?lang=en").mustContain(t, "the network's page in English", "Members and roles", "Add a person",
			"Admin, Organisers (Ideenwerkstatt, Zukunft)", "Create invitation link", "Rename the network")
	})

	t.Run("unknown network", func(t *testing.T) {
		if p := b.get("/organiser/networks/01NOSUCHNETWORK"); p.status != http.StatusNotFound {
			t.Errorf("an unknown network: got %d, want 404", p.status)
		}
	})
}

// TestMembersOnlyWorkshops: a workshop scheduled on the pages for a network's members only is
// neither listed nor found for anonymous visitors, while the instance's administrator sees it;
// a participant's own page keeps working by their token.
func TestMembersOnlyWorkshops(t *testing.T) {
	s := startService(t)
	var n struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &n)
	var other struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Netzwerk Wartburgkreis"}, &other)
	admin := s.signIn(t)

	form := admin.get("/organiser/workshops/new")
	form.mustContain(t, "the form for a new workshop", `name="network"`, `<option value="">kein Netzwerk</option>`,
		"Forum Integration", "Netzwerk Wartburgkreis", `<option value="members">Nur für Mitglieder</option>`)
	fields := url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t)}, "title": {"Klausur der Koordinierenden"},
		"venue": {"Kreishaus"}, "capacity": {"20"}, "days": {"2026-11-16"}, "visibility": {"members"}}
	if p := admin.post("/organiser/workshops", fields); p.status != http.StatusUnprocessableEntity {
		t.Errorf("members only without a network: got %d, want 422", p.status)
	} else {
		p.mustContain(t, "members only without a network", "Nur der Workshop eines Netzwerks kann „Nur für Mitglieder“ sein")
	}
	fields.Set("network", "01NOSUCHNETWORK")
	if p := admin.post("/organiser/workshops", fields); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="e-network"`) {
		t.Errorf("an unknown network: got %d, want 422 with a message at the network", p.status)
	}
	fields.Set("network", n.ID)
	loc := admin.post("/organiser/workshops", fields).located(t, "schedule a members-only workshop")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/organiser/workshops/"), "?saved=1")
	var w struct{ Network, Visibility string }
	s.api(http.MethodGet, "/api/v1/workshops/"+id, organiserToken, nil, &w)
	if w.Network != n.ID || w.Visibility != "members" {
		t.Fatalf("the scheduled workshop: got network %q, visibility %q; want %q, members", w.Network, w.Visibility, n.ID)
	}
	public, _ := s.workshop("Ideenwerkstatt Integration", 30)

	anonymous := s.browser()
	start := anonymous.get("/")
	start.mustContain(t, "the start page for anonymous visitors", "Ideenwerkstatt Integration")
	if strings.Contains(start.body, "Klausur der Koordinierenden") {
		t.Errorf("the start page lists the members-only workshop to an anonymous visitor")
	}
	for _, path := range []string{"/w/" + id, "/w/" + id + "/register", "/w/" + id + "/link"} {
		if p := anonymous.get(path); p.status != http.StatusNotFound || strings.Contains(p.body, "Klausur") {
			t.Errorf("GET %s anonymously: got %d, want the plain 404 page", path, p.status)
		}
	}
	csrf := anonymous.get("/w/" + public + "/register").csrf(t)
	for _, path := range []string{"/w/" + id + "/register", "/w/" + id + "/link"} {
		if p := anonymous.post(path, url.Values{"_csrf": {csrf}, "name": {"Eve"}, "email": {"eve@example.org"},
			"organisation": {"X"}, "days": {"2026-11-16"}, "consent": {"yes"}}); p.status != http.StatusNotFound {
			t.Errorf("POST %s anonymously: got %d, want 404", path, p.status)
		}
	}

	home := admin.get("/")
	home.mustContain(t, "the start page for the administrator", "Klausur der Koordinierenden", "Nur für Mitglieder")
	if p := admin.get("/w/" + id); p.status != http.StatusOK {
		t.Errorf("the administrator opens the members-only workshop: got %d, want 200", p.status)
	}
	reg := admin.get("/w/" + id + "/register")
	if p := admin.post("/w/"+id+"/register", url.Values{"_csrf": {reg.csrf(t)}, "key": {reg.key(t)}, "name": {"Carla Neumann"},
		"email": {"carla@example.org"}, "organisation": {"Landkreis Harburg"}, "days": {"2026-11-16"}, "consent": {"yes"}}); p.status != http.StatusSeeOther {
		t.Errorf("the administrator registers a person on the members-only workshop's form: got %d, want 303", p.status)
	}
	edit := admin.get("/organiser/workshops/" + id)
	edit.mustContain(t, "the workshop's settings", "Netzwerk: Forum Integration", `<option value="members" selected>`)

	t.Run("public and members only again, the participant's page stays", func(t *testing.T) {
		if strings.Contains(admin.get("/organiser/workshops/"+public).body, `name="visibility"`) {
			t.Errorf("a workshop of no network offers the visibility")
		}
		change := url.Values{"_csrf": {edit.csrf(t)}, "title": {"Klausur der Koordinierenden"}, "venue": {"Kreishaus"},
			"capacity": {"20"}, "visibility": {"public"}}
		admin.post("/organiser/workshops/"+id, change).located(t, "make the workshop public")
		if p := anonymous.get("/w/" + id); p.status != http.StatusOK {
			t.Errorf("the workshop made public: got %d for an anonymous visitor, want 200", p.status)
		}
		ada := s.registerWithToken(id, "Ada Berg", "Verein")
		change.Set("visibility", "members")
		admin.post("/organiser/workshops/"+id, change).located(t, "make the workshop members-only again")
		if p := anonymous.get("/w/" + id); p.status != http.StatusNotFound {
			t.Errorf("the workshop members-only again: got %d for an anonymous visitor, want 404", p.status)
		}
		if p := anonymous.get("/w/" + id + "/r/" + ada.id + "?token=" + url.QueryEscape(ada.token)); p.status != http.StatusOK {
			t.Errorf("Ada's own page of the members-only workshop: got %d, want 200", p.status)
		}
	})
}
