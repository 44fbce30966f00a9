package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// followUpsInTheBrowser walks the follow-ups of a series: the organiser opens the vote; a
// participant proposes a topic and votes on a phone; the projector's ranking follows a second
// vote by itself; in the next workshop of the series the organiser turns the topic into a
// session; an action item is agreed and the participant ticks it off.
func followUpsInTheBrowser(t *testing.T, ctx context.Context, s *service) {
	first := s.seriesWorkshop("Wärmeplanung Nordhessen I", "waerme-nh", "2026-11-16")
	second := s.seriesWorkshop("Wärmeplanung Nordhessen II", "waerme-nh", "2027-03-10")
	ann := s.registerWithToken(first, "Ann Albers", "Stadt Kassel")
	ben := s.registerWithToken(first, "Ben Okafor", "Landkreis Fulda")
	org := s.url + "/organiser/workshops/"
	step(t, ctx, "sit at a laptop", chromedp.EmulateViewport(1024, 768))
	signInInBrowser(t, ctx, s)
	step(t, ctx, "open the vote", chromedp.Navigate(org+first+"/topics?lang=de"),
		chromedp.Click(chromedp.CSS("#open-voting")), chromedp.WaitVisible(chromedp.CSS("#close-voting")))

	own := s.url + "/w/" + first + "/r/" + ann.id
	step(t, ctx, "Ann proposes a topic on her phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(own+"?lang=de&token="+url.QueryEscape(ann.token)),
		chromedp.Click(chromedp.CSS("#topics-link")), chromedp.WaitVisible(chromedp.CSS("#propose")),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Abwärme aus Rechenzentren"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Wer hat Erfahrungen?"),
		chromedp.Click(chromedp.CSS("#propose")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(t, ctx, "after proposing", ".notice", "Ihr Thema ist eingetragen.")
	checkPhonePage(t, ctx, "the topics page after proposing")
	tid := s.board(first).topic(t, "Abwärme aus Rechenzentren")
	step(t, ctx, "Ann ticks her topic and saves", chromedp.Click(chromedp.CSS(`input[value="`+tid+`"]`)),
		chromedp.Click(chromedp.CSS("#save-votes")),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Stimmen sind gespeichert")]`))
	wantText(t, ctx, "after voting", "main", "Ihre Stimmen sind gespeichert.", "Sie haben noch 2 von 3 Stimmen.")

	step(t, ctx, "show the ranking on the projector", chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(org+first+"/topics/ranking"), chromedp.WaitVisible(chromedp.CSS("#ranking")))
	wantText(t, ctx, "the ranking", "#ranking", "Abwärme aus Rechenzentren", "1 Stimme", "1 Person hat abgestimmt")
	for _, title := range []string{"Fördermittel für Wärmenetze", "Beteiligung der Bürgerinnen und Bürger"} {
		s.api(http.MethodPost, "/api/v1/workshops/"+first+"/topics", organiserToken, map[string]any{"title": title}, nil)
	}
	funding := s.board(first).topic(t, "Fördermittel für Wärmenetze")
	s.own(first, ben).post(t, "/votes", url.Values{"topic": {tid, funding}}).wantStatus(t, "Ben votes", http.StatusSeeOther)
	step(t, ctx, "wait for the ranking to count Ben", chromedp.WaitVisible(`//div[@id="ranking"]//span[contains(., "2 Stimmen")]`))
	screenshot(t, ctx, "projector.png")

	step(t, ctx, "plan the topic in the next workshop", chromedp.EmulateViewport(1024, 768),
		chromedp.Navigate(org+second+"/backlog"), chromedp.WaitVisible(chromedp.CSS("#backlog")),
		chromedp.Click(chromedp.CSS("#b-"+tid+" details:nth-of-type(2) summary")),
		chromedp.SetValue(chromedp.CSS("#p-"+tid+"-f-starts"), "10:00"),
		chromedp.SetValue(chromedp.CSS("#p-"+tid+"-f-ends"), "11:00"),
		chromedp.Click(chromedp.CSS("#b-"+tid+" button.plan-topic")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(t, ctx, "the backlog after planning", "main", "Gespeichert.", "Fördermittel für Wärmenetze")
	if got := textOf(t, ctx, "#backlog"); strings.Contains(got, "Abwärme") {
		t.Errorf("the backlog after planning: got %q, want the planned topic gone", got)
	}
	step(t, ctx, "open the agenda", chromedp.Navigate(org+second), chromedp.WaitVisible(chromedp.CSS(".editor")))
	wantText(t, ctx, "the agenda of the next workshop", ".editor", "10:00–11:00 Abwärme aus Rechenzentren")

	step(t, ctx, "agree an action item", chromedp.Navigate(org+first+"/topics"),
		chromedp.SendKeys(chromedp.CSS("#a-f-what"), "Kontakte der Rechenzentren sammeln"),
		chromedp.SetValue(chromedp.CSS("#a-f-who"), ann.id),
		chromedp.Click(chromedp.CSS(`form[aria-labelledby="h-agree"] button[type=submit]`)),
		// The list was there before the form was sent: wait for the new item in it.
		chromedp.WaitVisible(`//*[@id="action-items"][contains(., "Kontakte der Rechenzentren sammeln")]`))
	wantText(t, ctx, "the action items", "#action-items", "Kontakte der Rechenzentren sammeln", "Ann Albers", "fällig bis Mi., 10.03.2027")
	step(t, ctx, "Ann ticks it off on her phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(own+"/topics?token="+url.QueryEscape(ann.token)),
		chromedp.Click(chromedp.CSS("#own-items button")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(t, ctx, "after ticking off", "#own-items", "erledigt")
}
