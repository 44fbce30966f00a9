package handlers_test

import (
	"slices"
	"strings"
	"testing"
)

// member is a member of a network as the test knows them: their account and API token.
type member struct {
	ID, Token string
}

// networkWorld is two networks with a person in each role: Forum Integration (anna admin, olaf
// organiser of Ideenwerkstatt, otto organiser of Netzwerktreffen, dora at the door, lea lead of
// Ideenwerkstatt, mia member) and Netzwerk Wartburgkreis (max, its admin).
type networkWorld struct {
	forum, wartburg                       string
	anna, olaf, otto, dora, lea, mia, max member
}

func newNetworkWorld(s *service) networkWorld {
	s.t.Helper()
	var w networkWorld
	create := func(name string) string {
		var n struct{ ID, Name string }
		s.must(request{method: "POST", path: "/api/v1/networks", token: org, body: map[string]any{"name": name}}, 201, &n)
		if n.Name != name || n.ID == "" {
			s.t.Fatalf("created network: got %+v, want %q", n, name)
		}
		return n.ID
	}
	w.forum, w.wartburg = create("Forum Integration"), create("Netzwerk Wartburgkreis")
	add := func(network, name string, roles ...map[string]any) member {
		var m member
		s.must(request{method: "POST", path: "/api/v1/networks/" + network + "/members", token: org, body: map[string]any{
			"name": name, "email": name + "@example.org", "organisation": "Landkreis " + name, "roles": roles}}, 201, &m)
		var tok struct{ Token string }
		s.must(request{method: "POST", path: "/api/v1/networks/" + network + "/members/" + m.ID + "/api-tokens", token: org,
			body: map[string]any{"label": "Skript"}}, 201, &tok)
		m.Token = tok.Token
		return m
	}
	role := func(r string, series ...string) map[string]any {
		if len(series) == 0 {
			return map[string]any{"role": r}
		}
		return map[string]any{"role": r, "series": series}
	}
	w.anna = add(w.forum, "anna", role("admin"))
	w.olaf = add(w.forum, "olaf", role("organiser", "Ideenwerkstatt"))
	w.otto = add(w.forum, "otto", role("organiser", "Netzwerktreffen"))
	w.dora = add(w.forum, "dora", role("door"))
	w.lea = add(w.forum, "lea", role("lead", "Ideenwerkstatt"))
	w.mia = add(w.forum, "mia", role("member"))
	w.max = add(w.wartburg, "max", role("admin"))
	return w
}

// TestNetworksAndRoles: two networks, a person per role; each does what their role allows on a
// members-only workshop of their network and nothing else, outsiders do not learn it exists, the
// log names who acted, a removed member's token stops at once, and erasing an account erases the
// person in the log, the history and either read model.
func TestNetworksAndRoles(t *testing.T) {
	eachReadModel(t, testNetworksAndRoles)
}

func testNetworksAndRoles(t *testing.T, s *service) {
	n := newNetworkWorld(s)

	// The same e-mail address in a second network is the same account.
	var again member
	s.must(request{method: "POST", path: "/api/v1/networks/" + n.wartburg + "/members", token: n.max.Token, body: map[string]any{
		"name": "mia", "email": "MIA@example.org ", "roles": []map[string]any{{"role": "member"}}}}, 201, &again)
	if again.ID != n.mia.ID {
		t.Errorf("mia in a second network: got account %s, want %s", again.ID, n.mia.ID)
	}

	// Scheduling: an organiser of the series, in their one network (no network named); max, the
	// admin of the other network, schedules in his own.
	var maxs struct{ Network string }
	s.must(request{method: "POST", path: "/api/v1/workshops", token: n.max.Token, body: map[string]any{"title": "Treffen",
		"venue": "Eisenach", "days": []string{day1}, "capacity": 20}}, 201, &maxs)
	if maxs.Network != n.wartburg {
		t.Errorf("max's workshop: got network %q, want %s", maxs.Network, n.wartburg)
	}
	s.must(request{method: "POST", path: "/api/v1/workshops", token: n.max.Token, body: map[string]any{"title": "Treffen",
		"venue": "Eisenach", "days": []string{day1}, "capacity": 20, "network": n.forum}}, 422, nil) // not his: unknown
	body := map[string]any{"title": "Ideenwerkstatt März", "series": "Ideenwerkstatt", "venue": "Eisenach",
		"days": []string{day1}, "capacity": 20, "visibility": "members"}
	for _, who := range []member{n.otto, n.dora, n.lea, n.mia} {
		if res := s.do(request{method: "POST", path: "/api/v1/workshops", token: who.Token, body: body}); res.status != 403 && res.status != 422 {
			t.Errorf("scheduling Ideenwerkstatt with %s's token: got %d %s, want 403 or 422", who.ID, res.status, res.body)
		}
	}
	var w struct {
		ID, Network, Visibility string
	}
	s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: body}, 201, &w)
	if w.Network != n.forum || w.Visibility != "members" {
		t.Fatalf("scheduled: got %+v, want network %s, members only", w, n.forum)
	}
	path := "/api/v1/workshops/" + w.ID

	// Outsiders neither list nor find it; members do.
	listed := func(token string) bool {
		var list struct{ Workshops []struct{ ID string } }
		s.must(request{method: "GET", path: "/api/v1/workshops", token: token}, 200, &list)
		return slices.ContainsFunc(list.Workshops, func(x struct{ ID string }) bool { return x.ID == w.ID })
	}
	if listed("") || listed(n.max.Token) || !listed(n.mia.Token) || !listed(org) {
		t.Errorf("listing: anonymous %v, max %v, mia %v, admin %v; want only mia and the administrator",
			listed(""), listed(n.max.Token), listed(n.mia.Token), listed(org))
	}
	for _, token := range []string{"", n.max.Token} {
		s.must(request{method: "GET", path: path, token: token}, 404, nil)
		s.must(request{method: "POST", path: path + "/registrations", token: token, body: person("Eve", "Stadt")}, 404, nil)
		want := 404
		if token == "" {
			want = 401
		}
		s.must(request{method: "PATCH", path: path, token: token, body: map[string]any{"capacity": 30}}, want, nil)
	}

	s.must(request{method: "GET", path: path + "/topics", token: n.max.Token}, 404, nil) // a participant's route
	for _, token := range []string{"", n.max.Token} {
		s.must(request{method: "GET", path: path + "/agenda.ics", token: token}, 404, nil)
		s.must(request{method: "GET", path: path + "/registration-questions", token: token}, 404, nil)
	}
	s.must(request{method: "GET", path: path + "/agenda.ics", token: n.mia.Token}, 200, nil)
	if feed := s.must(request{method: "GET", path: "/api/v1/workshops.ics"}, 200, nil); strings.Contains(string(feed.body), "Ideenwerkstatt März") {
		t.Errorf("the public calendar feed holds the members-only workshop")
	}

	// A member registers with their own token and the account's details.
	var mia struct{ ID, Token string }
	s.must(request{method: "POST", path: path + "/registrations", token: n.mia.Token, body: map[string]any{"consent": true}}, 201, &mia)
	var reg struct{ Name, Email, Organisation string }
	s.must(request{method: "GET", path: path + "/registrations/" + mia.ID, token: mia.Token}, 200, &reg)
	if reg.Name != "mia" || reg.Email != "mia@example.org" || reg.Organisation != "Landkreis mia" {
		t.Errorf("mia's registration: got %+v, want her account's details", reg)
	}

	// Each role on the workshop.
	patch := request{method: "PATCH", path: path, body: map[string]any{"capacity": 30}}
	checkIn := request{method: "POST", path: path + "/check-ins", body: map[string]any{"registration_id": mia.ID, "day": day1}}
	report := request{method: "GET", path: path + "/reports/attendance.json"}
	list := request{method: "GET", path: path + "/registrations"}
	cases := []struct {
		who                          member
		patch, checkIn, report, list int
	}{
		{n.anna, 200, 0, 200, 200},
		{n.olaf, 200, 0, 200, 200},
		{n.otto, 403, 403, 403, 403},
		{n.dora, 403, 0, 403, 403},
		{n.lea, 403, 403, 200, 403},
		{n.mia, 403, 403, 403, 403},
	}
	for _, c := range cases {
		for _, r := range []struct {
			req  request
			want int
		}{{patch, c.patch}, {checkIn, c.checkIn}, {report, c.report}, {list, c.list}} {
			if r.want == 0 {
				continue
			}
			r.req.token = c.who.Token
			if res := s.do(r.req); res.status != r.want {
				t.Errorf("%s %s with the token of %s: got %d %s, want %d", r.req.method, r.req.path, c.who.ID, res.status, res.body, r.want)
			}
		}
	}
	checkIn.token = n.dora.Token
	s.must(checkIn, 201, nil)

	// The history names who acted, in which role.
	var h []historyEntry
	s.must(request{method: "GET", path: path + "/history", token: n.anna.Token}, 200, &h)
	roles := map[string]string{}
	for _, e := range h {
		if e.Actor.Name != nil {
			roles[e.Type] = *e.Actor.Name + "/" + e.Actor.Role
		}
	}
	if roles["workshop.scheduled.v1"] != "olaf/organiser" || roles["participant.registered.v1"] != "mia/member" ||
		roles["checkin.recorded.v1"] != "dora/door" || roles["workshop.changed.v1"] != "anna/admin" {
		t.Errorf("history: got %v, want olaf scheduling, anna changing, mia registering, dora checking in", roles)
	}

	// Members: admins manage, others do not, outsiders do not find the network.
	var renamed struct{ Name string }
	s.must(request{method: "PATCH", path: "/api/v1/networks/" + n.forum, token: n.anna.Token, body: map[string]any{"name": "Forum Integration Thüringen"}}, 200, &renamed)
	s.must(request{method: "PATCH", path: "/api/v1/networks/" + n.forum, token: n.olaf.Token, body: map[string]any{"name": "X"}}, 403, nil)
	if renamed.Name != "Forum Integration Thüringen" {
		t.Errorf("renamed: got %q", renamed.Name)
	}
	members := "/api/v1/networks/" + n.forum + "/members"
	s.must(request{method: "GET", path: members, token: n.anna.Token}, 200, nil)
	s.must(request{method: "GET", path: members, token: n.olaf.Token}, 403, nil)
	s.must(request{method: "GET", path: members, token: n.max.Token}, 404, nil)
	s.must(request{method: "DELETE", path: members + "/" + n.anna.ID, token: n.anna.Token}, 409, nil) // the last admin
	s.must(request{method: "PUT", path: members + "/" + n.lea.ID + "/roles", token: n.anna.Token,
		body: map[string]any{"roles": []map[string]any{{"role": "lead"}}}}, 422, nil) // a lead names series

	// A removed member's token stops at once (the members-only workshop is not found for them any
	// more); a revoked token too.
	s.must(request{method: "DELETE", path: members + "/" + n.olaf.ID, token: n.anna.Token}, 204, nil)
	patch.token = n.olaf.Token
	s.must(patch, 404, nil)
	var tokens struct{ Tokens []struct{ ID string } }
	s.must(request{method: "GET", path: members + "/" + n.dora.ID + "/api-tokens", token: n.dora.Token}, 200, &tokens)
	if len(tokens.Tokens) != 1 {
		t.Fatalf("dora's tokens: got %+v, want one", tokens)
	}
	s.must(request{method: "DELETE", path: members + "/" + n.dora.ID + "/api-tokens/" + tokens.Tokens[0].ID, token: n.dora.Token}, 204, nil)
	checkIn.token = n.dora.Token
	s.must(checkIn, 401, nil)

	// An admin signs a person out everywhere; nobody else may.
	s.must(request{method: "DELETE", path: members + "/" + n.mia.ID + "/sessions", token: n.lea.Token}, 403, nil)
	s.must(request{method: "DELETE", path: members + "/" + n.mia.ID + "/sessions", token: n.anna.Token}, 204, nil)

	// Erasing an account: gone from every network, unnamed in the history.
	s.must(request{method: "DELETE", path: "/api/v1/accounts/" + n.mia.ID, token: n.anna.Token}, 403, nil)
	s.must(request{method: "DELETE", path: "/api/v1/accounts/" + n.mia.ID, token: org}, 204, nil)
	s.must(request{method: "GET", path: members + "/" + n.mia.ID, token: n.anna.Token}, 404, nil)
	var erased struct {
		Name   *string
		Erased bool
	}
	s.must(request{method: "GET", path: path + "/registrations/" + mia.ID, token: org}, 200, &erased)
	if !erased.Erased || (erased.Name != nil && *erased.Name != "") {
		t.Errorf("mia's registration after erasing her account: got %+v, want it erased", erased)
	}
	s.must(request{method: "GET", path: path + "/history", token: n.anna.Token}, 200, &h)
	for _, e := range h {
		if e.Type == "participant.registered.v1" && (e.Actor.Name != nil || e.Actor.Role != "member") {
			t.Errorf("mia's registration after erasing her account: got actor %+v, want a member without a name", e.Actor)
		}
	}
	s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID, token: n.mia.Token}, 404, nil) // her token names nobody now
}
