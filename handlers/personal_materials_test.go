package handlers_test

import (
	"context"
	"errors"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// TestPersonalUploadsGoWithTheirUploader: a material marked personal is removed (reason
// erasure) and its bytes purged when its uploader is erased, an account (an organiser's upload)
// or a café host's registration (an upload by the host link); the same uploader's material that
// is not personal stays, as do bytes another material still uses. An organiser marks a
// material personal later, and the list shows it. On both read models and the real object store.
func TestPersonalUploadsGoWithTheirUploader(t *testing.T) {
	eachReadModelWithBlobs(t, func(t *testing.T, s *service, blobs app.Blobs) {
		ctx := context.Background()
		stored := func(b []byte) bool {
			t.Helper()
			_, err := blobs.Get(ctx, "sha256:"+sha(b))
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				t.Fatalf("get: %v", err)
			}
			return err == nil
		}
		n := newNetworkWorld(s)
		var w workshop
		s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: map[string]any{"title": "Ideenwerkstatt März",
			"series": "Ideenwerkstatt", "venue": "Eisenach", "days": []string{day1}, "capacity": 20}}, 201, &w)
		base := "/api/v1/workshops/" + w.ID
		photo, names, slides := testImage(t, "png", 40, 20), slidesPDF("Namensliste", 2000), slidesPDF("Folien", 2000)
		upload := func(token, path, name string, b []byte, personal string) materialAnswer {
			t.Helper()
			parts := []part{{name: "file", filename: name, data: b}}
			if personal != "" {
				parts = append(parts, part{name: "personal", data: []byte(personal)})
			}
			var m materialAnswer
			s.must(form(t, "POST", path, token, parts...), 201, &m)
			return m
		}
		gone := func(m materialAnswer) bool {
			t.Helper()
			return s.do(request{method: "GET", path: base + "/materials/" + m.ID, token: org}).status == 404
		}

		// olaf uploads a photo of the group (personal), slides (not), and a list of names an
		// organiser marks personal afterwards.
		olafsPhoto := upload(n.olaf.Token, base+"/materials", "gruppe.png", photo, "true")
		olafsSlides := upload(n.olaf.Token, base+"/materials", "folien.pdf", slides, "false")
		olafsNames := upload(n.olaf.Token, base+"/materials", "namen.pdf", names, "")
		var marked struct {
			ID       string
			Personal bool
		}
		s.must(request{method: "PUT", path: base + "/materials/" + olafsNames.ID + "/personal", token: org, body: map[string]any{"personal": true}}, 200, &marked)
		if !marked.Personal {
			t.Errorf("marking personal: got %+v", marked)
		}
		s.must(request{method: "PUT", path: base + "/materials/" + olafsNames.ID + "/personal", token: org, body: map[string]any{"personal": "yes"}}, 400, nil)
		s.must(request{method: "PUT", path: base + "/materials/" + olafsNames.ID + "/personal", token: org, body: map[string]any{}}, 422, nil)
		s.must(request{method: "PUT", path: base + "/materials/nope/personal", token: org, body: map[string]any{"personal": true}}, 404, nil)
		s.must(request{method: "PUT", path: base + "/materials/" + olafsNames.ID + "/personal", token: n.mia.Token, body: map[string]any{"personal": false}}, 403, nil)
		var list []struct {
			ID       string
			Personal bool
		}
		s.must(request{method: "GET", path: base + "/materials", token: org}, 200, &list)
		if len(list) != 3 || !list[0].Personal || list[1].Personal || !list[2].Personal {
			t.Errorf("the list: got %+v, want the photo and the names personal, the slides not", list)
		}
		s.must(form(t, "POST", base+"/materials", org, part{name: "file", filename: "x.pdf", data: slides}, part{name: "personal", data: []byte("ja")}), 422, nil)

		// A café table hosted by Alice, who uploads by the host link.
		var se session
		s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{
			"title": "Themencafé", "kind": "theme_cafe", "day": day1, "starts": "10:00", "ends": "12:00"}}, 201, &se)
		cafe := base + "/sessions/" + se.ID + "/theme-cafe"
		alice := s.register(w, person("Alice", "Stadtwerke"))
		var tb cafeTable
		s.must(request{method: "POST", path: cafe + "/tables", token: org, body: map[string]any{"topic": "Wohnen", "capacity": 6,
			"host_registration_id": alice.ID}}, 201, &tb)
		var link struct{ Token string }
		s.must(request{method: "POST", path: cafe + "/tables/" + tb.ID + "/host-link", token: org}, 201, &link)
		hostPhoto := testImage(t, "png", 30, 30)
		alicesPhoto := upload(link.Token, cafe+"/tables/"+tb.ID+"/materials", "flipchart.png", hostPhoto, "true")
		alicesMinutes := upload(link.Token, cafe+"/tables/"+tb.ID+"/materials", "protokoll.pdf", slidesPDF("Protokoll", 2000), "")
		alicesCopy := upload(link.Token, cafe+"/tables/"+tb.ID+"/materials", "folien.pdf", slides, "true") // the bytes of olaf's slides

		// Alice's registration is erased: her personal uploads go, her minutes stay.
		s.must(request{method: "DELETE", path: base + "/registrations/" + alice.ID + "/personal-data", token: org}, 204, nil)
		if !gone(alicesPhoto) || !gone(alicesCopy) || gone(alicesMinutes) {
			t.Errorf("after erasing the host: photo gone %v, copy gone %v, minutes gone %v; want the personal ones gone",
				gone(alicesPhoto), gone(alicesCopy), gone(alicesMinutes))
		}
		if stored(hostPhoto) {
			t.Errorf("the bytes of the host's photo are still stored")
		}
		if !stored(slides) {
			t.Errorf("the bytes olaf's slides still use were purged")
		}
		if got := s.lastActor(); got != "organiser" {
			t.Errorf("the erasure's actor = %q", got)
		}

		// olaf's account is erased: his personal uploads go, the slides stay.
		s.must(request{method: "DELETE", path: "/api/v1/accounts/" + n.olaf.ID, token: org}, 204, nil)
		if !gone(olafsPhoto) || !gone(olafsNames) || gone(olafsSlides) {
			t.Errorf("after erasing olaf: photo gone %v, names gone %v, slides gone %v; want the personal ones gone",
				gone(olafsPhoto), gone(olafsNames), gone(olafsSlides))
		}
		if stored(photo) || stored(names) || !stored(slides) {
			t.Errorf("bytes after erasing olaf: photo %v, names %v, slides %v; want only the slides",
				stored(photo), stored(names), stored(slides))
		}
		list = nil // personal is absent when false: decode into fresh elements
		s.must(request{method: "GET", path: base + "/materials", token: org}, 200, &list)
		if len(list) != 2 || list[0].ID != olafsSlides.ID || list[1].ID != alicesMinutes.ID {
			t.Errorf("the list after both erasures: got %+v, want the slides and the minutes", list)
		}
	})
}
