package handlers_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestNetworkWorkshops: a network's events overview lists its public workshops to everybody,
// its members-only ones as well to its members and the administrator (never another network's),
// upcoming first day first, past last day first, with free seats per day; it filters by series
// and by the districts of the registrations; a wrong when or hostile filter is a 422, an
// unknown network 404.
func TestNetworkWorkshops(t *testing.T) {
	eachReadModel(t, testNetworkWorkshops)
}

type overviewAnswer struct {
	When      string
	Workshops []struct {
		ID, Title, Series, Venue, Visibility string
		Days                                 []string
		Seats                                []struct {
			Day             string
			Confirmed, Free int
		}
	}
}

func testNetworkWorkshops(t *testing.T, s *service) {
	n := newNetworkWorld(s)
	schedule := func(token, title, series, network, visibility string, capacity int, days ...string) string {
		body := map[string]any{"title": title, "series": series, "venue": "Eisenach", "days": days,
			"capacity": capacity, "network": network, "visibility": visibility}
		var w struct{ ID string }
		s.must(request{method: "POST", path: "/api/v1/workshops", token: token, body: body}, 201, &w)
		return w.ID
	}
	later := schedule(n.olaf.Token, "Spätere Werkstatt", "Ideenwerkstatt", n.forum, "public", 20, "2037-05-04")
	open := schedule(n.olaf.Token, "Offene Werkstatt", "Ideenwerkstatt", n.forum, "public", 2, "2037-03-02", "2037-03-03")
	closed := schedule(n.olaf.Token, "Interne Werkstatt", "Ideenwerkstatt", n.forum, "members", 20, "2037-04-06")
	treffen := schedule(org, "Netzwerktreffen März", "Netzwerktreffen", n.forum, "public", 20, "2037-03-20")
	old := schedule(org, "Alte Werkstatt", "Ideenwerkstatt", n.forum, "public", 20, "2019-01-06")
	older := schedule(org, "Vergangene Werkstatt", "Ideenwerkstatt", n.forum, "public", 20, "2020-01-06")
	oldClosed := schedule(org, "Vergangene interne", "Ideenwerkstatt", n.forum, "members", 20, "2021-01-06")
	schedule(n.max.Token, "Wartburg", "Ideenwerkstatt", n.wartburg, "public", 20, "2037-05-04")

	reg := func(id, name, district string, days ...string) {
		body := person(name, "Landkreis")
		body["district"] = district
		if len(days) > 0 {
			body["days"] = days
		}
		s.must(request{method: "POST", path: "/api/v1/workshops/" + id + "/registrations", body: body}, 201, nil)
	}
	reg(open, "Alice", "Wartburgkreis")
	reg(open, "Bob", "Gotha", "2037-03-02")
	reg(treffen, "Carol", "Eisenach")

	path := "/api/v1/networks/" + n.forum + "/workshops"
	get := func(query, token string) overviewAnswer {
		t.Helper()
		var a overviewAnswer
		s.must(request{method: "GET", path: path + query, token: token}, 200, &a)
		return a
	}
	ids := func(a overviewAnswer) []string {
		var got []string
		for _, w := range a.Workshops {
			got = append(got, w.ID)
		}
		return got
	}

	public := get("", "")
	if want := []string{open, treffen, later}; public.When != "upcoming" || !slices.Equal(ids(public), want) {
		t.Errorf("the public overview: %s %v, want upcoming %v", public.When, ids(public), want)
	}
	// Free seats per day: capacity 2, Alice on both days, Bob on the first.
	w := public.Workshops[0]
	if w.Title != "Offene Werkstatt" || w.Series != "Ideenwerkstatt" || w.Venue != "Eisenach" || w.Visibility != "public" ||
		len(w.Seats) != 2 || w.Seats[0].Free != 0 || w.Seats[0].Confirmed != 2 || w.Seats[1].Free != 1 || w.Seats[1].Day != "2037-03-03" {
		t.Errorf("the open workshop: %+v, want 0 free seats on the first day, 1 on the second", w)
	}
	for who, token := range map[string]string{"a member": n.mia.Token, "the administrator": org} {
		if got, want := ids(get("", token)), []string{open, treffen, closed, later}; !slices.Equal(got, want) {
			t.Errorf("the overview for %s: %v, want %v", who, got, want)
		}
		if got, want := ids(get("?when=past", token)), []string{oldClosed, older, old}; !slices.Equal(got, want) {
			t.Errorf("the past for %s: %v, want %v", who, got, want)
		}
		if cc := s.do(request{method: "GET", path: path, token: token}).header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the overview for %s: Cache-Control %q, want no-store", who, cc)
		}
	}
	// Another network's member and the anonymous reader see no members-only workshop.
	if got, want := ids(get("?when=past", n.max.Token)), []string{older, old}; !slices.Equal(got, want) {
		t.Errorf("the past for another network's member: %v, want %v", got, want)
	}
	if got, want := ids(get("?when=past", "")), []string{older, old}; !slices.Equal(got, want) {
		t.Errorf("the public past: %v, want %v", got, want)
	}
	if got, want := ids(get("?series=netzwerktreffen", "")), []string{treffen}; !slices.Equal(got, want) {
		t.Errorf("series Netzwerktreffen: %v, want %v", got, want)
	}
	if got, want := ids(get("?district="+url.QueryEscape("Gotha"), "")), []string{open}; !slices.Equal(got, want) {
		t.Errorf("district Gotha: %v, want %v", got, want)
	}
	if got := ids(get("?district=Eisenach&series=Ideenwerkstatt", "")); len(got) != 0 {
		t.Errorf("district Eisenach in the Ideenwerkstatt: %v, want none", got)
	}

	for q, field := range map[string]string{"?when=tomorrow": "when", "?when=PAST": "when", "?series=%00": "series",
		"?district=a%0Ab": "district", "?district=%FF": "district", "?series=" + strings.Repeat("x", 201): "series"} {
		if p := problemOf(t, s.do(request{method: "GET", path: path + q}), 422); len(p.Errors) != 1 || p.Errors[0].Field != field {
			t.Errorf("%s: errors %+v, want the field %s named", q, p.Errors, field)
		}
	}
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/networks/01ARZ3NDEKTSV4RRFFQ69G5FAV/workshops"}), 404)
	problemOf(t, s.do(request{method: "GET", path: "/api/v1/networks/kein%20Netz/workshops"}), 404)
}
