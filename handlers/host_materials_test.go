package handlers_test

import (
	"bytes"
	"testing"
)

// TestHostUploadsToTheTable: a café table's host uploads a material to their table with the host
// link's token (actor "host"); it is the workshop's material of that table, listed and shown on
// the documentation under the table. Another table's link, a revoked one, a participant's token
// and no token answer 404 and store nothing; on both read models.
func TestHostUploadsToTheTable(t *testing.T) {
	eachReadModelWithMaterialLimit(t, func(t *testing.T, s *service) {
		w := s.schedule(10)
		base := "/api/v1/workshops/" + w.ID
		var se session
		s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{
			"title": "Themencafé", "kind": "theme_cafe", "day": day1, "starts": "10:00", "ends": "12:00"}}, 201, &se)
		cafe := base + "/sessions/" + se.ID + "/theme-cafe"
		var a, b cafeTable
		s.must(request{method: "POST", path: cafe + "/tables", token: org, body: map[string]any{"topic": "Wohnen", "capacity": 6}}, 201, &a)
		s.must(request{method: "POST", path: cafe + "/tables", token: org, body: map[string]any{"topic": "Arbeit", "capacity": 6}}, 201, &b)
		var la, lb struct{ Token string }
		s.must(request{method: "POST", path: cafe + "/tables/" + a.ID + "/host-link", token: org}, 201, &la)
		s.must(request{method: "POST", path: cafe + "/tables/" + b.ID + "/host-link", token: org}, 201, &lb)
		alice := s.register(w, person("Alice", "Stadtwerke"))

		minutes := slidesPDF("Protokoll Wohnen", 2000)
		upload := func(tid, token string) request {
			return form(t, "POST", cafe+"/tables/"+tid+"/materials", token, part{name: "title", data: []byte("Protokoll")},
				part{name: "file", filename: "protokoll.pdf", data: minutes})
		}
		for _, bad := range []struct{ name, tid, token string }{
			{"another table's link", a.ID, lb.Token}, {"a participant's token", a.ID, alice.Token},
			{"no token", a.ID, ""}, {"the organiser's token", a.ID, org}, {"an unknown table", "nope", la.Token},
		} {
			if res := s.do(upload(bad.tid, bad.token)); res.status != 404 {
				t.Errorf("%s: got %d %s, want 404", bad.name, res.status, res.body)
			}
		}
		var added materialAnswer
		res := s.must(upload(a.ID, la.Token), 201, &added)
		if added.Title != "Protokoll" || added.SHA256 != sha(minutes) || added.SessionID != se.ID {
			t.Errorf("the host's upload: got %+v", added)
		}
		if got := s.lastActor(); got != "host" {
			t.Errorf("the upload's actor = %q, want host", got)
		}
		if loc := res.header.Get("Location"); loc != base+"/materials/"+added.ID {
			t.Errorf("Location = %q", loc)
		}
		if got := s.do(request{method: "GET", path: base + "/materials/" + added.ID}); got.status != 200 || !bytes.Equal(got.body, minutes) {
			t.Errorf("download: got %d", got.status)
		}
		var list []struct {
			ID      string
			TableID string `json:"table_id"`
		}
		s.must(request{method: "GET", path: base + "/materials"}, 200, &list)
		if len(list) != 1 || list[0].TableID != a.ID {
			t.Errorf("the list: got %+v, want the one material of table %s", list, a.ID)
		}
		var d struct {
			Cafes []struct {
				Tables []struct {
					ID        string
					Materials []struct{ ID, Title, Name string }
				}
			}
		}
		s.must(request{method: "GET", path: base + "/documentation"}, 200, &d)
		if len(d.Cafes) != 1 || len(d.Cafes[0].Tables) != 2 || len(d.Cafes[0].Tables[0].Materials) != 1 ||
			d.Cafes[0].Tables[0].Materials[0].ID != added.ID || len(d.Cafes[0].Tables[1].Materials) != 0 {
			t.Errorf("the documentation's tables: got %+v", d.Cafes)
		}

		// A revoked link uploads nothing.
		s.must(request{method: "DELETE", path: cafe + "/tables/" + a.ID + "/host-link", token: org}, 204, nil)
		if res := s.do(upload(a.ID, la.Token)); res.status != 404 {
			t.Errorf("a revoked link: got %d, want 404", res.status)
		}
	})
}
