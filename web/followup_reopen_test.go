package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// openItems lists the whats of the series' open action items, as the organiser's JSON has them.
func (s *service) openItems(series string) []string {
	s.t.Helper()
	var list struct {
		ActionItems []struct{ What string } `json:"action_items"`
	}
	s.api(http.MethodGet, "/api/v1/series/"+url.PathEscape(series)+"/action-items?status=open", organiserToken, nil, &list)
	var whats []string
	for _, a := range list.ActionItems {
		whats = append(whats, a.What)
	}
	return whats
}

// TestReopenActionItemPages: the participant ticks off their item by mistake and reopens it on
// their phone; the organiser reopens an item on the topics page and finds it in the next
// workshop's backlog again. Someone else cannot reopen the item.
func TestReopenActionItemPages(t *testing.T) {
	s := startService(t)
	first, second, ann, _ := s.followUpSeries("reopen", "Wärmeplanung", "Abwärme")
	const what = "Förderrichtlinienübersicht zusammenstellen"
	ben := s.registerWithToken(first, "Ben Okafor", "Landkreis Fulda")
	anns, bens := s.own(first, ann), s.own(first, ben)
	aid := between(t, anns.page(t).body, "/action-items/", "/done")

	t.Run("the participant", func(t *testing.T) {
		anns.post(t, "/action-items/"+aid+"/done", url.Values{}).wantStatus(t, "Ann closes her item", http.StatusSeeOther)
		done := anns.page(t)
		done.mustContain(t, "Ann's done item", "✓ erledigt", `action="/w/`+first+`/r/`+ann.id+`/action-items/`+aid+`/reopen"`,
			"Wieder öffnen<span class=\"sr-only\">: "+what)
		if strings.Contains(done.body, "Als erledigt abhaken") {
			t.Errorf("Ann's done item: got the button to tick it off, want only the one to reopen it")
		}
		bens.post(t, "/action-items/"+aid+"/reopen", url.Values{}).wantStatus(t, "Ben reopens Ann's item", http.StatusUnprocessableEntity).
			mustContain(t, "Ben reopens Ann's item", "Nur die genannte Person oder das Orga-Team kann diese Aufgabe wieder öffnen.")
		reopened := anns.post(t, "/action-items/"+aid+"/reopen", url.Values{}).wantStatus(t, "Ann reopens her item", http.StatusSeeOther)
		if loc := reopened.header.Get("Location"); !strings.Contains(loc, "saved=reopened") {
			t.Errorf("Ann reopens her item: got Location %q, want back to her page, saying so", loc)
		}
		after := anns.b.get(reopened.header.Get("Location"))
		after.mustContain(t, "after reopening", "Die Aufgabe ist wieder offen.", "Als erledigt abhaken")
		if strings.Contains(after.body, "✓ erledigt") || strings.Contains(after.body, "/reopen") {
			t.Errorf("after reopening: got the item done, want it open:\n%s", after.body)
		}
		anns.post(t, "/action-items/"+aid+"/reopen", url.Values{}).wantStatus(t, "Ann reopens it twice", http.StatusSeeOther)
		if got := s.openItems("reopen"); len(got) != 1 || got[0] != what {
			t.Errorf("the series' open items after Ann reopened: got %v, want her item", got)
		}
	})

	t.Run("the organiser", func(t *testing.T) {
		b := s.signIn(t)
		topics := "/organiser/workshops/" + first + "/topics"
		csrf := b.get(topics).csrf(t)
		b.post("/organiser/workshops/"+first+"/action-items/"+aid+"/done", url.Values{"_csrf": {csrf}}).
			wantStatus(t, "the organiser closes the item", http.StatusSeeOther)
		backlog := "/organiser/workshops/" + second + "/backlog"
		if page := b.get(backlog); strings.Contains(page.body, what) {
			t.Errorf("the backlog with the item done: got it among the open items")
		}
		page := b.get(topics)
		page.mustContain(t, "the topics page with the item done", `class="session item-done"`,
			`action="/organiser/workshops/`+first+`/action-items/`+aid+`/reopen"`, "Wieder öffnen")
		reopen := "/organiser/workshops/" + first + "/action-items/" + aid + "/reopen"
		for _, doing := range []string{"the organiser reopens the item", "the organiser reopens it again"} {
			b.post(reopen, url.Values{"_csrf": {csrf}}).wantStatus(t, doing, http.StatusSeeOther)
		}
		b.get(topics).mustContain(t, "the topics page after reopening", `class="session item-open"`, "Als erledigt abhaken")
		b.get(backlog).mustContain(t, "the backlog after reopening", "Offene Aufgaben aus früheren Workshops", what)
		b.post("/organiser/workshops/"+first+"/action-items/nope/reopen", url.Values{"_csrf": {csrf}}).
			wantStatus(t, "reopen an unknown item", http.StatusUnprocessableEntity).
			mustContain(t, "reopen an unknown item", "Diese Aufgabe gibt es nicht.")
	})
}
