package handlers_test

import (
	"slices"
	"strings"
	"testing"
)

type groupOut struct {
	ID, Name, Description, Series string
	Members                       []struct{ ID, Name, Organisation string }
	Meetings                      []struct {
		Workshop, Title string
		Days            []string
	}
	OpenTasks []struct{ Workshop, ID, What, Organisation string } `json:"open_tasks"`
	Minutes   []struct{ Workshop, Material, Title, Name string }  `json:"minutes"`
}

// TestWorkingGroups: a network's admins and organisers create, change and close working groups
// and name their members; its members read them with their meetings (the network's workshops of
// the group's series, not another network's of the same name) and the open action items of
// those meetings; other roles are refused, outsiders and unknown ids get 404, hostile input 422.
func TestWorkingGroups(t *testing.T) {
	eachReadModel(t, testWorkingGroups)
}

func testWorkingGroups(t *testing.T, s *service) {
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/groups"

	var g groupOut
	res := s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{
		"name": " AG Sprache ", "description": "Sprachkurse im Landkreis", "series": "AG Sprache"}}, 201, &g)
	if g.Name != "AG Sprache" || g.Series != "AG Sprache" || g.ID == "" || res.header.Get("Location") != base+"/"+g.ID {
		t.Fatalf("created: got %+v (Location %q)", g, res.header.Get("Location"))
	}
	group := base + "/" + g.ID
	s.must(request{method: "POST", path: base, token: n.olaf.Token, body: map[string]any{"name": "AG Wohnen"}}, 201, nil)

	// Who may not manage: members without an organising role (403), outsiders (404), nobody (401).
	for _, who := range []member{n.mia, n.dora, n.lea} {
		s.must(request{method: "POST", path: base, token: who.Token, body: map[string]any{"name": "X"}}, 403, nil)
		s.must(request{method: "PATCH", path: group, token: who.Token, body: map[string]any{"name": "X"}}, 403, nil)
		s.must(request{method: "PUT", path: group + "/members/" + who.ID, token: who.Token}, 403, nil)
		s.must(request{method: "DELETE", path: group, token: who.Token}, 403, nil)
	}
	s.must(request{method: "POST", path: base, token: n.max.Token, body: map[string]any{"name": "X"}}, 404, nil)
	s.must(request{method: "GET", path: base, token: n.max.Token}, 404, nil)
	s.must(request{method: "GET", path: group, token: n.max.Token}, 404, nil)
	s.must(request{method: "GET", path: base}, 401, nil)
	s.must(request{method: "POST", path: base, body: map[string]any{"name": "X"}}, 401, nil)

	// Hostile input and unknown ids.
	for _, bad := range []map[string]any{
		{"name": ""}, {"name": strings.Repeat("x", 201)}, {"name": "A\u0000B"}, {"name": "A", "series": "S\u0007"},
		{"name": "A", "description": strings.Repeat("x", 5001)},
	} {
		s.must(request{method: "POST", path: base, token: n.anna.Token, body: bad}, 422, nil)
	}
	s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"name": 1}}, 400, nil)
	s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"name": "A", "colour": "red"}}, 400, nil)
	s.must(request{method: "GET", path: base + "/nope", token: n.anna.Token}, 404, nil)
	s.must(request{method: "GET", path: base + "/bad%20id", token: n.anna.Token}, 404, nil)
	s.must(request{method: "GET", path: "/api/v1/networks/nope/groups", token: org}, 404, nil)
	s.must(request{method: "PUT", path: group + "/members/" + n.max.ID, token: n.anna.Token}, 404, nil) // no member of the forum
	s.must(request{method: "PUT", path: group + "/members/nobody", token: n.anna.Token}, 404, nil)
	s.must(request{method: "DELETE", path: group + "/members/" + n.mia.ID, token: n.anna.Token}, 404, nil) // not in the group

	// Members.
	for _, who := range []member{n.mia, n.lea} {
		s.must(request{method: "PUT", path: group + "/members/" + who.ID, token: n.olaf.Token}, 204, nil)
	}
	s.must(request{method: "PUT", path: group + "/members/" + n.mia.ID, token: n.olaf.Token}, 204, nil) // again: nothing new
	s.must(request{method: "DELETE", path: group + "/members/" + n.lea.ID, token: org}, 204, nil)

	// Meetings: the forum's workshops of the series; Wartburg's of the same name do not count.
	var w1, w2 struct{ ID string }
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{"title": "AG Sprache Januar",
		"series": "AG Sprache", "venue": "Eisenach", "days": []string{day1}, "capacity": 20, "network": n.forum}}, 201, &w1)
	s.must(request{method: "POST", path: "/api/v1/workshops", token: n.max.Token, body: map[string]any{"title": "Fremd",
		"series": "AG Sprache", "venue": "Eisenach", "days": []string{day2}, "capacity": 20}}, 201, &w2)
	var item struct{ ID string }
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w1.ID + "/action-items", token: org, body: map[string]any{
		"what": "Kursliste sammeln", "who": map[string]any{"organisation": "Volkshochschule"}}}, 201, &item)
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w2.ID + "/action-items", token: org, body: map[string]any{
		"what": "Fremde Aufgabe", "who": map[string]any{"organisation": "Anderswo"}}}, 201, nil)

	var minutes struct{ ID string }
	s.must(form(t, "POST", "/api/v1/workshops/"+w1.ID+"/materials", org, part{name: "title", data: []byte("Protokoll Januar")},
		part{name: "file", filename: "januar.pdf", data: slidesPDF("Protokoll", 500)}), 201, &minutes)
	s.must(form(t, "POST", "/api/v1/workshops/"+w1.ID+"/materials", org, part{name: "file", filename: "folien.pdf",
		data: slidesPDF("Folien", 500)}), 201, nil)
	s.must(form(t, "POST", "/api/v1/workshops/"+w2.ID+"/materials", n.max.Token, part{name: "file", filename: "protokoll.pdf",
		data: slidesPDF("Fremd", 500)}), 201, nil)

	var got groupOut
	s.must(request{method: "GET", path: group, token: n.mia.Token}, 200, &got)
	if len(got.Minutes) != 1 || got.Minutes[0].Material != minutes.ID || got.Minutes[0].Workshop != w1.ID || got.Minutes[0].Title != "Protokoll Januar" {
		t.Errorf("minutes: got %+v, want the forum meeting's Protokoll alone", got.Minutes)
	}
	if len(got.Members) != 1 || got.Members[0].ID != n.mia.ID || got.Members[0].Organisation != "Landkreis mia" {
		t.Errorf("members: got %+v, want mia alone", got.Members)
	}
	if len(got.Meetings) != 1 || got.Meetings[0].Workshop != w1.ID || !slices.Equal(got.Meetings[0].Days, []string{day1}) {
		t.Errorf("meetings: got %+v, want the forum's workshop of the series", got.Meetings)
	}
	if len(got.OpenTasks) != 1 || got.OpenTasks[0].ID != item.ID || got.OpenTasks[0].Organisation != "Volkshochschule" {
		t.Errorf("open tasks: got %+v, want the forum meeting's item", got.OpenTasks)
	}

	// Change: absent fields stay.
	s.must(request{method: "PATCH", path: group, token: n.otto.Token, body: map[string]any{"description": "Neu"}}, 200, &got)
	if got.Name != "AG Sprache" || got.Description != "Neu" || got.Series != "AG Sprache" {
		t.Errorf("changed: got %+v", got)
	}
	s.must(request{method: "PATCH", path: group, token: n.otto.Token, body: map[string]any{"name": " "}}, 422, nil)

	var list struct{ Groups []groupOut }
	s.must(request{method: "GET", path: base, token: n.dora.Token}, 200, &list)
	if len(list.Groups) != 2 || list.Groups[0].Name != "AG Sprache" || list.Groups[1].Name != "AG Wohnen" {
		t.Errorf("list: got %+v, want both groups by name", list.Groups)
	}

	// Closing: gone from the list and from its own address; closing again is 404.
	s.must(request{method: "DELETE", path: group, token: n.anna.Token}, 204, nil)
	s.must(request{method: "DELETE", path: group, token: n.anna.Token}, 404, nil)
	s.must(request{method: "GET", path: group, token: n.anna.Token}, 404, nil)
	s.must(request{method: "GET", path: base, token: n.mia.Token}, 200, &list)
	if len(list.Groups) != 1 || list.Groups[0].Name != "AG Wohnen" {
		t.Errorf("list after closing: got %+v", list.Groups)
	}
}
