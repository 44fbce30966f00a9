package handlers_test

import (
	"testing"

	ics "github.com/arran4/golang-ical"
)

// TestNetworkCalendar: a network's feed holds its public workshops that are not over for
// everybody, its members-only ones as well for its members and the administrator; never
// another network's workshops. Without credentials it may be cached, with them not. An unknown
// network is 404.
func TestNetworkCalendar(t *testing.T) {
	eachReadModel(t, testNetworkCalendar)
}

func testNetworkCalendar(t *testing.T, s *service) {
	n := newNetworkWorld(s)
	schedule := func(token, title, network, visibility string, days ...string) string {
		body := map[string]any{"title": title, "series": "Ideenwerkstatt", "venue": "Eisenach", "days": days,
			"capacity": 20, "network": network, "visibility": visibility}
		var w struct{ ID string }
		s.must(request{method: "POST", path: "/api/v1/workshops", token: token, body: body}, 201, &w)
		return w.ID
	}
	open := schedule(n.olaf.Token, "Offene Werkstatt", n.forum, "public", "2037-03-02", "2037-03-03")
	closed := schedule(n.olaf.Token, "Interne Werkstatt", n.forum, "members", "2037-04-06")
	past := schedule(org, "Vergangene Werkstatt", n.forum, "public", "2020-01-06")
	other := schedule(n.max.Token, "Wartburg", n.wartburg, "public", "2037-05-04")
	path := "/api/v1/networks/" + n.forum + "/workshops.ics"
	const file = `attachment; filename="workshops-forum-integration.ics"`

	workshops := func(events map[string]*ics.VEvent) map[string]int {
		got := map[string]int{}
		for _, e := range events {
			for _, id := range []string{open, closed, past, other} {
				if prop(e, ics.ComponentPropertyUrl) == s.url+"/w/"+id {
					got[id]++
				}
			}
		}
		return got
	}
	public := workshops(calendarOf(t, s, request{method: "GET", path: path}, file))
	if public[open] != 2 || public[closed] != 0 || public[past] != 0 || public[other] != 0 || len(public) != 1 {
		t.Errorf("the public feed: events per workshop %v, want the open workshop's 2 days only", public)
	}
	if cc := s.do(request{method: "GET", path: path}).header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("the public feed: Cache-Control %q, want public, max-age=300", cc)
	}
	for who, token := range map[string]string{"a member": n.mia.Token, "the administrator": org} {
		got := workshops(calendarOf(t, s, request{method: "GET", path: path, token: token}, file))
		if got[open] != 2 || got[closed] != 1 || len(got) != 2 {
			t.Errorf("the feed for %s: events per workshop %v, want the open (2 days) and the members-only (1)", who, got)
		}
		if cc := s.do(request{method: "GET", path: path, token: token}).header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the feed for %s: Cache-Control %q, want no-store", who, cc)
		}
	}
	// Max is a member of another network: he sees the public workshops only.
	if got := workshops(calendarOf(t, s, request{method: "GET", path: path, token: n.max.Token}, file)); got[closed] != 0 || got[open] != 2 {
		t.Errorf("the feed for another network's member: %v, want the public workshop only", got)
	}
	calendarOf(t, s, request{method: "GET", path: path + "?lang=en"}, file)
	problemOf(t, s.do(request{method: "GET", path: path + "?lang=fr"}), 400)
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/networks/01ARZ3NDEKTSV4RRFFQ69G5FAV/workshops.ics"}), 404)
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/networks/kein%20Netz/workshops.ics"}), 404)
}
