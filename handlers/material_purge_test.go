package handlers_test

import (
	"context"
	"errors"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// TestRemovedMaterialsBytesArePurged: removing a material deletes its bytes from the real object
// store once no other material uses the same digest (here one of another workshop, then an
// old version of a third material); the removed material answers 404; on both read models.
func TestRemovedMaterialsBytesArePurged(t *testing.T) {
	eachReadModelWithBlobs(t, func(t *testing.T, s *service, blobs app.Blobs) { testPurge(t, s, blobs) })
}

func testPurge(t *testing.T, s *service, blobs app.Blobs) {
	ctx := context.Background()
	stored := func(b []byte) bool {
		t.Helper()
		_, err := blobs.Get(ctx, "sha256:"+sha(b))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("get: %v", err)
		}
		return err == nil
	}
	w1, w2 := s.schedule(10), s.schedule(10)
	shared, own, old := slidesPDF("geteilt", 3000), slidesPDF("eigen", 3000), slidesPDF("alt", 3000)
	upload := func(w workshop, b []byte) materialAnswer {
		var m materialAnswer
		s.must(form(t, "POST", "/api/v1/workshops/"+w.ID+"/materials", org, part{name: "file", filename: "f.pdf", data: b}), 201, &m)
		return m
	}
	m1 := upload(w1, shared)
	m2 := upload(w2, shared)
	m3 := upload(w1, own)
	m4 := upload(w1, old) // then replaced: its first version keeps the bytes of old
	s.must(form(t, "PUT", "/api/v1/workshops/"+w1.ID+"/materials/"+m4.ID, org, part{name: "file", filename: "neu.pdf", data: own}), 200, nil)
	m5 := upload(w2, old)

	remove := func(w workshop, m materialAnswer) {
		t.Helper()
		s.must(request{method: "DELETE", path: "/api/v1/workshops/" + w.ID + "/materials/" + m.ID, token: org}, 204, nil)
		if res := s.do(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/materials/" + m.ID}); res.status != 404 {
			t.Errorf("the removed material answers %d, want 404", res.status)
		}
	}
	remove(w1, m1)
	if !stored(shared) {
		t.Errorf("the bytes another workshop's material uses were purged")
	}
	if res := s.do(request{method: "GET", path: "/api/v1/workshops/" + w2.ID + "/materials/" + m2.ID}); res.status != 200 {
		t.Errorf("the other workshop's material answers %d, want 200", res.status)
	}
	remove(w2, m2)
	if stored(shared) {
		t.Errorf("the bytes no material uses any more are still stored")
	}
	remove(w1, m3) // own is still the current version of m4
	if !stored(own) {
		t.Errorf("the bytes of another material's current version were purged")
	}
	remove(w2, m5) // old is still m4's first version
	if !stored(old) {
		t.Errorf("the bytes of another material's earlier version were purged")
	}
	remove(w1, m4)
	if stored(own) || stored(old) {
		t.Errorf("the bytes of the last material's versions are still stored")
	}
}
