package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// registrationWithQuestionsAndFullDays: an organiser sets up a registration question on a
// laptop; on a phone a participant sees that day 2 is fully booked, answers the question, keeps
// both days and ends up confirmed on day 1 and on the waitlist of day 2 (issue #14).
func registrationWithQuestionsAndFullDays(t *testing.T, ctx context.Context, s *service) {
	id, _ := s.workshop("Ankommen im Landkreis", 1)
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Ada Berg",
		"email": "ada.berg@example.org", "organisation": "Verein A", "consent": true, "days": []string{"2026-11-17"}}, nil)

	step(t, ctx, "sit at a laptop", chromedp.EmulateViewport(1024, 768))
	signInInBrowser(t, ctx, s)
	q := `[id="f-q0.`
	step(t, ctx, "ask for the sector on the registration form",
		chromedp.Navigate(s.url+"/organiser/workshops/"+id+"/registration-questions?lang=de"),
		chromedp.WaitVisible(chromedp.CSS(q+`id"]`)),
		chromedp.SendKeys(chromedp.CSS(q+`id"]`), "sektor"),
		chromedp.SendKeys(chromedp.CSS(q+`label"]`), "Sektor"),
		chromedp.SetValue(chromedp.CSS(q+`kind"]`), "choice"),
		chromedp.SendKeys(chromedp.CSS(q+`options"]`), "Politik\nVerwaltung\nZivilgesellschaft"),
		chromedp.Click(chromedp.CSS(`input[name="q0.required"]`)),
		chromedp.Click(chromedp.CSS("#registration-questions button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#saved")))

	step(t, ctx, "open the registration form on a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/w/"+id+"/register?lang=de"),
		chromedp.WaitVisible(chromedp.CSS("#f-name")))
	wantText(t, ctx, "the seats of day 1", "#seats-2026-11-16", "freie Plätze: 1")
	wantText(t, ctx, "the seats of day 2", "#seats-2026-11-17", "ausgebucht")
	checkPhonePage(t, ctx, "the registration form with a question and a full day")
	step(t, ctx, "register without answering the required question",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Bora Demir"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "bora.demir@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-organisation"), "Landkreis Harburg"),
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`[id="e-answers.sektor"]`)))
	step(t, ctx, "answer it and register",
		chromedp.SetValue(chromedp.CSS(`[id="f-answers.sektor"]`), "Verwaltung"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#day-status")))
	wantText(t, ctx, "the status per day", "#day-status", "16.11.2026: bestätigt", "17.11.2026: auf der Warteliste (Platz 1)")

	step(t, ctx, "the organiser's list on a laptop", chromedp.EmulateViewport(1024, 768),
		chromedp.Navigate(s.url+"/organiser/workshops/"+id+"/registrations?lang=de"),
		chromedp.WaitVisible(chromedp.CSS("main table")))
	wantText(t, ctx, "the list", "main", "Bora Demir", "Verwaltung", "Sektor")
}
