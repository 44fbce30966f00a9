package handlers_test

import (
	"testing"
)

// TestDigestSubscription: a member subscribes and unsubscribes themself, repeats change
// nothing; the instance's administrator (no account, no address) is refused, outsiders learn
// nothing, nobody is asked to sign in, hostile paths find nothing.
func TestDigestSubscription(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	path := "/api/v1/networks/" + n.forum + "/digest-subscription"
	for _, m := range []string{"PUT", "PUT", "DELETE", "DELETE", "PUT"} {
		s.must(request{method: m, path: path, token: n.mia.Token}, 204, nil)
	}
	s.must(request{method: "PUT", path: path, token: n.anna.Token}, 204, nil)
	s.must(request{method: "PUT", path: path, token: n.max.Token}, 404, nil)
	s.must(request{method: "DELETE", path: path, token: n.max.Token}, 404, nil)
	s.must(request{method: "PUT", path: path, token: org}, 403, nil)
	s.must(request{method: "PUT", path: path}, 401, nil)
	s.must(request{method: "PUT", path: path, token: "wst_made-up"}, 401, nil)
	for _, bad := range []string{"/api/v1/networks/nope/digest-subscription", "/api/v1/networks/%2e%2e/digest-subscription",
		"/api/v1/networks/x%00y/digest-subscription", "/api/v1/networks/" + n.wartburg + "/digest-subscription"} {
		s.must(request{method: "PUT", path: bad, token: n.mia.Token}, 404, nil)
	}
	s.must(request{method: "POST", path: path, token: n.mia.Token}, 405, nil)
	// An idempotency key replays the first answer; the same key elsewhere is refused.
	s.must(request{method: "PUT", path: path, token: n.mia.Token, header: map[string]string{"Idempotency-Key": "k1"}}, 204, nil)
	s.must(request{method: "PUT", path: path, token: n.mia.Token, header: map[string]string{"Idempotency-Key": "k1"}}, 204, nil)
}

// TestAnnouncementMaterial: an announcement attaches a material of one of the network's
// workshops and shows its download link; one of another network's workshops, an unknown one,
// a half or hostile reference is refused at the boundary; an edit without it drops it.
func TestAnnouncementMaterial(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		n := newNetworkWorld(s)
		workshop := func(token, series string) (string, string) {
			var w struct{ ID string }
			s.must(request{method: "POST", path: "/api/v1/workshops", token: token, body: map[string]any{"title": "Ideenwerkstatt März",
				"series": series, "venue": "Eisenach", "days": []string{day1}, "capacity": 20, "visibility": "members"}}, 201, &w)
			var m materialAnswer
			s.must(form(t, "POST", "/api/v1/workshops/"+w.ID+"/materials", token, part{name: "file", filename: "Folien.pdf", data: slidesPDF("x", 1000)}), 201, &m)
			return w.ID, m.ID
		}
		w, m := workshop(n.olaf.Token, "Ideenwerkstatt")
		ow, om := workshop(n.max.Token, "Treffen")
		base := "/api/v1/networks/" + n.forum + "/announcements"
		var out struct {
			ID       string
			Material *struct{ Workshop, ID, Download string }
		}
		s.must(request{method: "POST", path: base, token: n.olaf.Token, body: map[string]any{"title": "Folien", "body": "Die Folien vom März.",
			"visibility": "members", "material": map[string]any{"workshop": w, "id": m}}}, 201, &out)
		if out.Material == nil || out.Material.Download != "/w/"+w+"/materials/"+m {
			t.Fatalf("posted with a material: %+v", out)
		}
		for _, bad := range []any{
			map[string]any{"workshop": w, "id": "nope"},
			map[string]any{"workshop": ow, "id": om},
			map[string]any{"workshop": w},
			map[string]any{"workshop": "../" + w, "id": m},
			map[string]any{"workshop": "nope", "id": m},
			map[string]any{"workshop": w, "id": "a\u0000b"},
		} {
			s.must(request{method: "POST", path: base, token: n.olaf.Token, body: map[string]any{"title": "T", "body": "B", "material": bad}}, 422, nil)
		}
		for _, bad := range []any{"x", 3, []string{w, m}} {
			s.must(request{method: "POST", path: base, token: n.olaf.Token, body: map[string]any{"title": "T", "body": "B", "material": bad}}, 400, nil)
		}
		var edited struct{ Material any }
		s.must(request{method: "PUT", path: base + "/" + out.ID, token: n.olaf.Token, body: map[string]any{"title": "Folien", "body": "Ohne.",
			"visibility": "members"}}, 200, &edited)
		if edited.Material != nil {
			t.Errorf("an edit without the material keeps it: %+v", edited)
		}
	})
}
