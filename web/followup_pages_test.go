package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// followUpSeries sets up two workshops of a series through the JSON API: in the first, a
// participant with a proposed topic, voting open and an action item for them. It returns the
// workshops, the participant and the topic.
func (s *service) followUpSeries(series, title, topic string) (first, second string, p participant, tid string) {
	s.t.Helper()
	first = s.seriesWorkshop(title+" I", series, "2026-11-16")
	second = s.seriesWorkshop(title+" II", series, "2027-03-10")
	p = s.registerWithToken(first, "Maximiliane Mustermann-Oberhausen", "Landesamt für Umwelt, Naturschutz und Geologie")
	var t struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops/"+first+"/topics", organiserToken, map[string]any{"title": topic,
		"description": "Wie Kommunen Abwärme aus Rechenzentren nutzen können"}, &t)
	s.api(http.MethodPost, "/api/v1/workshops/"+first+"/topics/voting/open", organiserToken, nil, nil)
	s.api(http.MethodPost, "/api/v1/workshops/"+first+"/action-items", organiserToken, map[string]any{
		"what": "Förderrichtlinienübersicht zusammenstellen", "who": map[string]any{"registration_id": p.id}}, nil)
	return first, second, p, t.ID
}

// doneItem agrees an action item for p in workshop id and has p tick it off; it returns its id.
func (s *service) doneItem(id string, p participant, what string) string {
	s.t.Helper()
	var a struct{ ID string }
	items := "/api/v1/workshops/" + id + "/action-items"
	s.api(http.MethodPost, items, organiserToken, map[string]any{"what": what, "who": map[string]any{"registration_id": p.id}}, &a)
	s.api(http.MethodPost, items+"/"+a.ID+"/done", p.token, nil, nil)
	return a.ID
}

// followUpPhonePages are the follow-up pages for the 360-px check, with long German words.
func followUpPhonePages(t *testing.T, s *service) []struct{ name, path, ready string } {
	t.Helper()
	first, second, p, _ := s.followUpSeries("kwp-phone", "Kommunalewärmeplanungsumsetzungswerkstatt",
		"Abwärmenutzungspotenzialanalyseverfahren")
	s.doneItem(first, p, "Wärmenetzausbaupriorisierungskriterienkatalog abstimmen") // its reopen button beside the open one's
	w := "/organiser/workshops/"
	return []struct{ name, path, ready string }{
		{"the topics and action items", w + first + "/topics", "#h-items"},
		{"the live ranking", w + first + "/topics/ranking", "#ranking"},
		{"the series backlog", w + second + "/backlog", "#backlog"},
		{"a participant's topics page", "/w/" + first + "/r/" + p.id + "/topics?token=" + url.QueryEscape(p.token), "#save-votes"},
	}
}

// followUpEnglishPages are the follow-up pages in English, for TestPagesInEnglish: b has chosen
// English already.
func followUpEnglishPages(t *testing.T, s *service, b *browser) []struct {
	name string
	page page
	want []string
} {
	t.Helper()
	first, second, p, tid := s.followUpSeries("heat-en", "Heat planning", "Waste heat")
	own := "/w/" + first + "/r/" + p.id
	topics := b.get(own + "/topics?token=" + url.QueryEscape(p.token))
	over := b.post(own+"/votes", url.Values{"_csrf": {topics.csrf(t)}, "token": {p.token}, "topic": {tid, tid}})
	w := "/organiser/workshops/"
	open := b.get(w + first + "/topics")
	aid := s.doneItem(first, p, "Share the minutes")
	done := b.get(w + first + "/topics")
	reopened := b.post(own+"/action-items/"+aid+"/reopen", url.Values{"_csrf": {topics.csrf(t)}, "token": {p.token}})
	return []struct {
		name string
		page page
		want []string
	}{
		{"the topics and action items", open, []string{"Topics &amp; action items", "Voting open", "0 votes", "Tick off as done"}},
		{"a done action item", done, []string{"✓ done", "Reopen<span class=\"sr-only\">: Share the minutes"}},
		{"a participant's reopened item", b.get(reopened.header.Get("Location")), []string{"The action item is open again."}},
		{"the live ranking", b.get(w + first + "/topics/ranking"), []string{"Live ranking", "Waste heat", "0 people have voted"}},
		{"the series backlog", b.get(w + second + "/backlog"), []string{"Open topics", "Plan as a session", "History", "proposed"}},
		{"a participant's topics page", topics, []string{"Topics for the next meeting", "You have 3 of 3 votes left.", "Your action items"}},
		{"a rejected vote", over, []string{"Please check the marked entries.", "Please tick only topics from the list."}},
	}
}
