package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFeedbackQRInTheBrowser walks the QR code of issue 5 in Chromium: the organiser puts a
// session's code on the projector; Ann, whose phone opened her personal page once, scans it off
// the screen (a screenshot of the code, decoded as a camera would), lands on the session's
// questionnaire, answers, and her answer counts in the organiser's evaluation.
func TestFeedbackQRInTheBrowser(t *testing.T) {
	s := startService(t)
	ctx := startBrowser(t)
	id, session, people := s.feedbackRound("Klimaanpassung in Nordhessen")
	ann, sq := people[0], "session-"+session
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/open", organiserToken, nil, nil)

	step(t, ctx, "sit at the laptop on the projector", chromedp.EmulateViewport(1280, 800))
	signInInBrowser(t, ctx, s)
	step(t, ctx, "show the session's code", chromedp.Navigate(s.url+"/organiser/workshops/"+id+"/feedback?lang=de"),
		chromedp.Click(chromedp.CSS("#qr-"+sq)), chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	wantText(t, ctx, "the projector page", "main", "Begrüßung", "Code mit der Kamera",
		strings.TrimPrefix(s.url, "http://")+"/w/"+id+"/feedback")
	side, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('#qr svg').getBoundingClientRect().width`))
	if err != nil {
		t.Fatalf("measure the code: %v", err)
	}
	if side < 400 {
		t.Errorf("the code on an 800-px-high projector: got %.0f px wide, want at least 400", side)
	}
	screenshot(t, ctx, "feedback-qr-projector.png")
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#qr"), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("photograph the code: %v", err)
	}
	entry := scanQRInPNG(t, "the code on the projector", shot)
	if want := s.url + "/w/" + id + "/feedback?q=" + sq; entry != want {
		t.Fatalf("the code on the projector: got %q, want %q", entry, want)
	}

	step(t, ctx, "Ann opens her personal page on her phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/w/"+id+"/r/"+ann.id+"?lang=de&token="+url.QueryEscape(ann.token)),
		chromedp.WaitVisible(chromedp.CSS("#link-code svg")))
	checkPhonePage(t, ctx, "the personal page with its code")
	screenshot(t, ctx, "personal-qr-phone.png")
	step(t, ctx, "Ann scans the code on the projector", chromedp.Navigate(entry),
		chromedp.WaitVisible(chromedp.CSS("#send-"+sq)))
	wantText(t, ctx, "the questionnaire Ann lands on", "main", "Programmpunkt: Begrüßung", "Was hat geholfen?")
	others, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#send-workshop') === null`))
	if err != nil || !others {
		t.Errorf("the questionnaire Ann lands on: got the workshop's form too (%v), want the session's alone", err)
	}
	checkPhonePage(t, ctx, "the session's questionnaire")
	screenshot(t, ctx, "feedback-qr-phone.png")
	step(t, ctx, "Ann answers", chromedp.Click(chromedp.CSS("#"+sq+"-format-0")),
		chromedp.Click(chromedp.CSS("#send-"+sq)), chromedp.WaitVisible(chromedp.CSS("#feedback-saved")))

	step(t, ctx, "read the evaluation at the laptop", chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(s.url+"/organiser/workshops/"+id+"/feedback"), chromedp.WaitVisible(chromedp.CSS("#evaluation")))
	wantText(t, ctx, "the evaluation", "#evaluation", "Programmpunkt: Begrüßung", "1 Rückmeldung", "Vortrag")
	var ev struct {
		Questionnaires []struct {
			ID        string
			Responses int
		}
	}
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/feedback/evaluation", organiserToken, nil, &ev)
	counted := false
	for _, q := range ev.Questionnaires {
		counted = counted || (q.ID == sq && q.Responses == 1)
	}
	if !counted {
		t.Errorf("the evaluation after Ann's answer: got %+v, want one response to %s", ev.Questionnaires, sq)
	}
}
