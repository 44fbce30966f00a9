package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// feedbackInTheBrowser walks issues 5 and 6: the organiser opens feedback; a participant finds
// the form on their personal page on a phone, first forgets a required answer, then answers;
// the organiser reads the evaluation and turns a "next topics" answer into a follow-up topic.
func feedbackInTheBrowser(t *testing.T, ctx context.Context, s *service) {
	id, _, people := s.feedbackRound("Klimaanpassung in Nordhessen")
	ann := people[0]
	fb := s.url + "/organiser/workshops/" + id + "/feedback"
	step(t, ctx, "sit at a laptop", chromedp.EmulateViewport(1024, 768))
	signInInBrowser(t, ctx, s)
	step(t, ctx, "open feedback", chromedp.Navigate(fb+"?lang=de"),
		chromedp.Click(chromedp.CSS("#open-feedback")), chromedp.WaitVisible(chromedp.CSS("#close-feedback")))

	step(t, ctx, "Ann opens the form on her phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/w/"+id+"/r/"+ann.id+"?lang=de&token="+url.QueryEscape(ann.token)),
		chromedp.Click(chromedp.CSS("#feedback-link")), chromedp.WaitVisible(chromedp.CSS("#send-workshop")))
	wantText(t, ctx, "the form", "main", "anonym", "Wie zufrieden waren Sie insgesamt?")
	checkPhonePage(t, ctx, "the feedback form")
	step(t, ctx, "Ann sends without rating the satisfaction",
		chromedp.Click(chromedp.CSS("#workshop-content-3")), chromedp.Click(chromedp.CSS("#workshop-organisation-4")),
		chromedp.Click(chromedp.CSS("#workshop-usefulness-4")),
		chromedp.SendKeys(chromedp.CSS("#workshop-next_topics"), "Hitzeschutz in Kitas"),
		chromedp.Click(chromedp.CSS("#send-workshop")), chromedp.WaitVisible(chromedp.CSS("#e-workshop-satisfaction")))
	wantText(t, ctx, "the missing answer", "#workshop-satisfaction", "Bitte beantworten Sie diese Frage.")
	checkPhonePage(t, ctx, "the feedback form with a field error")
	screenshot(t, ctx, "feedback-phone.png")
	step(t, ctx, "Ann rates the satisfaction and sends again", chromedp.Click(chromedp.CSS("#workshop-satisfaction-4")),
		chromedp.Click(chromedp.CSS("#send-workshop")), chromedp.WaitVisible(chromedp.CSS("#feedback-saved")))
	wantText(t, ctx, "after answering", "#feedback-saved", "Sie können sie ändern, bis die Rückmeldung schließt.")

	for _, p := range people[1:3] {
		s.ownFeedback(id, p).post(t, feedbackAnswers("4", "Hitzeschutz in Kitas")).wantStatus(t, "another answer", http.StatusSeeOther)
	}
	step(t, ctx, "read the evaluation at the laptop", chromedp.EmulateViewport(1024, 768),
		chromedp.Navigate(fb), chromedp.WaitVisible(chromedp.CSS("#evaluation")))
	wantText(t, ctx, "the evaluation", "#evaluation", "3 Rückmeldungen", "Rücklauf 100 % von 3 Anwesenden", "Mittelwert")
	screenshot(t, ctx, "feedback-evaluation.png")
	step(t, ctx, "make the wish a topic", chromedp.Click(chromedp.CSS("#idea-0")),
		chromedp.WaitVisible(`//ul[@id="ideas"]//span[contains(., "Ist Folgethema")]`))
	s.board(id).topic(t, "Hitzeschutz in Kitas")
}

// feedbackPhonePages are the feedback pages for the 360-px check, with long German words.
func feedbackPhonePages(t *testing.T, s *service) []struct{ name, path, ready string } {
	t.Helper()
	id, _, people := s.feedbackRound("Klimafolgenanpassungsstrategieentwicklungswerkstatt")
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/open", organiserToken, nil, nil)
	for _, p := range people[:3] {
		s.ownFeedback(id, p).post(t, feedbackAnswers("5", "Starkregengefahrenkartenerstellungsverfahrensbeschleunigung")).
			wantStatus(t, "an answer", http.StatusSeeOther)
	}
	p := people[0]
	return []struct{ name, path, ready string }{
		{"the feedback evaluation", "/organiser/workshops/" + id + "/feedback", "#ideas"},
		{"a participant's feedback form", "/w/" + id + "/r/" + p.id + "/feedback?token=" + url.QueryEscape(p.token), "#send-workshop"},
		// The entry comes before the personal page: that makes the phone remember p.
		{"the feedback entry behind the QR code", "/w/" + id + "/feedback?q=workshop", "#f-link"},
		{"the personal page with its QR code", "/w/" + id + "/r/" + p.id + "?token=" + url.QueryEscape(p.token), "#link-code svg"},
		{"the feedback QR code for the projector", "/organiser/workshops/" + id + "/feedback/qr?q=workshop", "#qr svg"},
	}
}

// feedbackEnglishPages are the feedback pages in English, for TestPagesInEnglish: b has chosen
// English already.
func feedbackEnglishPages(t *testing.T, s *service, b *browser) []struct {
	name string
	page page
	want []string
} {
	t.Helper()
	id, _, people := s.feedbackRound("Heat planning")
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/open", organiserToken, nil, nil)
	for _, p := range people[:3] {
		s.ownFeedback(id, p).post(t, feedbackAnswers("4", "Waste heat")).wantStatus(t, "an answer", http.StatusSeeOther)
	}
	p := people[0]
	own := "/w/" + id + "/r/" + p.id + "/feedback"
	form := b.get(own + "?token=" + url.QueryEscape(p.token))
	rejected := b.post(own, url.Values{"_csrf": {form.csrf(t)}, "token": {p.token}, "questionnaire": {"workshop"}})
	entry := b.get("/w/" + id + "/feedback?q=workshop") // before the personal page makes b remember p
	wrongLink := b.post("/w/"+id+"/feedback", url.Values{"_csrf": {entry.csrf(t)}, "link": {"my registration"}})
	return []struct {
		name string
		page page
		want []string
	}{
		{"the feedback evaluation", b.get("/organiser/workshops/" + id + "/feedback"),
			[]string{"Evaluation", "3 responses", "response rate 100% of 3 present", "Mean", "Make it a follow-up topic", "Waste heat"}},
		{"a participant's feedback form", form, []string{"Your feedback", "How satisfied were you overall?", "anonymous", "Send feedback"}},
		{"a rejected feedback form", rejected, []string{"Please check the marked entries.", "Please answer this question."}},
		{"the feedback entry", entry, []string{"Workshop feedback", "To reach your questionnaire", "Continue to feedback"}},
		{"a wrong personal link", wrongLink, []string{"This is not a personal link."}},
		{"the personal page with feedback open", b.get("/w/" + id + "/r/" + p.id + "?token=" + url.QueryEscape(p.token)),
			[]string{"Give feedback", "Open it on your phone", "Forget this device"}},
		{"the feedback QR code for the projector", b.get("/organiser/workshops/" + id + "/feedback/qr?q=workshop"),
			[]string{"Scan the code with your phone", "QR code of the link to the feedback"}},
		{"the feedback page with the projector links", b.get("/organiser/workshops/" + id + "/feedback"),
			[]string{"QR code for the projector", "The workshop as a whole"}},
	}
}
