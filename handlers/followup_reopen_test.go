package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// idsOf lists the ids of action items.
func idsOf(items []actionItem) []string {
	ids := []string{}
	for _, a := range items {
		ids = append(ids, a.ID)
	}
	return ids
}

// TestReopenActionItem: someone taps "done" on the wrong item at a network meeting. Whoever may
// close an item reopens it, it reads as open again in the series views and the next workshop's
// planning, a repeat answers the same, and nobody else may reopen it.
func TestReopenActionItem(t *testing.T) {
	s := startService(t)
	first := s.schedule(20)
	second := scheduleAt(t, s, "Werkstatt 2026", "2038-03-01")
	ann, ben := s.register(first, person("Ann", "Stadt Kassel")), s.register(first, person("Ben", "Landkreis Fulda"))
	items := "/api/v1/workshops/" + first.ID + "/action-items"
	var anns, room actionItem
	s.must(request{method: "POST", path: items, token: org, body: map[string]any{"what": "Protokoll verschicken",
		"who": map[string]any{"registration_id": ann.ID}}}, 201, &anns)
	s.must(request{method: "POST", path: items, token: org, body: map[string]any{"what": "Saal buchen",
		"who": map[string]any{"organisation": "Jugendring"}}}, 201, &room)
	s.must(request{method: "POST", path: items + "/" + anns.ID + "/done", token: ann.Token}, 200, nil)
	s.must(request{method: "POST", path: items + "/" + room.ID + "/done", token: org}, 200, nil)
	openInSeries := func(doing string, want ...string) {
		t.Helper()
		var open, plan struct {
			ActionItems []actionItem `json:"action_items"`
		}
		s.must(request{method: "GET", path: "/api/v1/series/" + url.PathEscape("Werkstatt 2026") + "/action-items?status=open", token: org}, 200, &open)
		s.must(request{method: "GET", path: "/api/v1/workshops/" + second.ID + "/backlog", token: org}, 200, &plan)
		if got := idsOf(open.ActionItems); !slices.Equal(got, want) {
			t.Errorf("%s: got open items %v of the series, want %v", doing, got, want)
		}
		if got := idsOf(plan.ActionItems); !slices.Equal(got, want) {
			t.Errorf("%s: got items %v in the next workshop's planning, want %v", doing, got, want)
		}
	}
	openInSeries("both done")

	t.Run("someone else", func(t *testing.T) {
		seq := s.lastSeq()
		p := problemOf(t, s.do(request{method: "POST", path: items + "/" + anns.ID + "/reopen", token: ben.Token}), http.StatusForbidden)
		if p.Detail != "only the person the action item names or an organiser may reopen it" {
			t.Errorf("Ben reopens Ann's item: got detail %q, want who may reopen it", p.Detail)
		}
		problemOf(t, s.do(request{method: "POST", path: items + "/" + room.ID + "/reopen", token: ann.Token}), http.StatusForbidden)
		problemOf(t, s.do(request{method: "POST", path: items + "/" + room.ID + "/reopen"}), http.StatusUnauthorized)
		if got := s.lastSeq(); got != seq {
			t.Errorf("refused reopens moved the stream from %d to %d", seq, got)
		}
	})

	var reopened actionItem
	s.must(request{method: "POST", path: items + "/" + anns.ID + "/reopen", token: ann.Token}, 200, &reopened)
	if reopened.ID != anns.ID || reopened.Status != "open" || reopened.DoneAt != "" || reopened.DoneBy != nil {
		t.Errorf("Ann reopens her item: got %+v, want it open, without when or by whom it was done", reopened)
	}
	openInSeries("Ann's reopened", anns.ID)

	key := map[string]string{"Idempotency-Key": "reopen-room-1"}
	reopen := request{method: "POST", path: items + "/" + room.ID + "/reopen", token: org, header: key}
	var roomReopened actionItem
	once := s.must(reopen, 200, &roomReopened)
	if roomReopened.ID != room.ID || roomReopened.Status != "open" || roomReopened.DoneAt != "" {
		t.Errorf("the organiser reopens the room: got %+v, want it open", roomReopened)
	}
	seq := s.lastSeq()
	sameJSON(t, "reopened again with the key", s.must(reopen, 200, nil).body, once.body)
	reopen.header = nil
	sameJSON(t, "reopened again without a key", s.must(reopen, 200, nil).body, once.body)
	if got := s.lastSeq(); got != seq {
		t.Errorf("reopening an open item moved the stream from %d to %d, want nothing decided", seq, got)
	}
	openInSeries("both reopened", anns.ID, room.ID)

	var closed actionItem
	s.must(request{method: "POST", path: items + "/" + anns.ID + "/done", token: org}, 200, &closed)
	if closed.Status != "done" || closed.DoneAt == "" || closed.DoneBy != nil {
		t.Errorf("closed again by the organiser: got %+v, want done now, not by Ann any more", closed)
	}
	openInSeries("Ann's closed again", room.ID)

	problemOf(t, s.do(request{method: "POST", path: items + "/nope/reopen", token: org}), http.StatusNotFound)
	problemOf(t, s.do(request{method: "POST", path: "/api/v1/workshops/nope/action-items/" + room.ID + "/reopen", token: org}), http.StatusNotFound)
}
