package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// rememberCookie is the cookie by which a device remembers a participant's registration.
const rememberCookie = "werkstatt_registration"

// setCookie returns the Set-Cookie header of the page for cookie name, "" if none.
func (p page) setCookie(name string) string {
	for _, c := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

// entryPath is the public feedback entry of workshop id for questionnaire q, as the QR code
// carries it.
func entryPath(id, q string) string { return "/w/" + id + "/feedback?q=" + url.QueryEscape(q) }

// ownFeedbackPath is where a participant's device lands for questionnaire q.
func ownFeedbackPath(id string, p participant, q string) string {
	return "/w/" + id + "/r/" + p.id + "/feedback?" + url.Values{"q": {q}, "token": {p.token}}.Encode()
}

// pasteLink sends a personal link through the entry's form.
func pasteLink(t *testing.T, b *browser, id, q, link string) page {
	t.Helper()
	form := b.get(entryPath(id, q)).wantStatus(t, "open the entry", http.StatusOK)
	return b.post("/w/"+id+"/feedback", url.Values{"_csrf": {form.csrf(t)}, "q": {q}, "link": {link}})
}

// TestFeedbackEntry walks the QR code's way to a participant's own questionnaire: a phone that
// knows nobody gets the explanation and a form for the personal link, which it then remembers
// (one pasted wrongly gets a precise 422); a remembered phone goes straight to the
// questionnaire; "forget this device" ends that; feedback that is not open, and a cancelled
// registration, get a message instead of a form.
func TestFeedbackEntry(t *testing.T) {
	s := startService(t)
	id, session, people := s.feedbackRound("Kommunale Wärmeplanung")
	ann, ben, dana := people[0], people[1], people[3]
	sq := "session-" + session
	link := func(p participant) string {
		return s.url + "/w/" + id + "/r/" + p.id + "?token=" + url.QueryEscape(p.token)
	}

	s.browser().get(entryPath(id, sq)).wantStatus(t, "the entry before feedback opens", http.StatusOK).
		mustContain(t, "the entry before feedback opens", "Die Rückmeldung ist noch nicht geöffnet.")
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/open", organiserToken, nil, nil)

	phone := s.browser()
	entry := phone.get(entryPath(id, sq)).wantStatus(t, "the entry on a new phone", http.StatusOK)
	entry.mustContain(t, "the entry on a new phone", "Programmpunkt: Begrüßung",
		"Öffnen Sie den persönlichen Link aus Ihrer Anmeldebestätigung, oder scannen Sie den Code auf Ihrer persönlichen Seite.",
		`name="link"`, `name="q" value="session-`)
	if c := entry.setCookie(rememberCookie); c != "" {
		t.Errorf("the entry on a new phone: got cookie %q, want none", c)
	}

	t.Run("a wrong link", func(t *testing.T) {
		other, _ := s.workshop("Andere Werkstatt", 10)
		stranger := s.registerWithToken(other, "Olga Other", "Stadt Fulda")
		for _, c := range []struct{ name, link, want string }{
			{"nothing", "  ", "Bitte fügen Sie Ihren persönlichen Link ein."},
			{"some text", "meine Anmeldung", "Das ist kein persönlicher Link."},
			{"a link without its token", s.url + "/w/" + id + "/r/" + ann.id, "Das ist kein persönlicher Link."},
			{"another workshop's link", s.url + "/w/" + other + "/r/" + stranger.id + "?token=" + stranger.token,
				"Dieser persönliche Link gehört zu einem anderen Workshop."},
			{"someone else's token", s.url + "/w/" + id + "/r/" + ann.id + "?token=" + ben.token,
				"Dieser Link gilt nicht (mehr): Er passt zu keiner Anmeldung dieses Workshops."},
		} {
			p := pasteLink(t, phone, id, sq, c.link).wantStatus(t, "paste "+c.name, http.StatusUnprocessableEntity)
			p.mustContain(t, "paste "+c.name, `id="e-link">`+c.want, `aria-invalid="true"`, `name="q" value="session-`)
			if ck := p.setCookie(rememberCookie); ck != "" {
				t.Errorf("paste %s: got cookie %q, want none", c.name, ck)
			}
		}
	})

	// Ann pastes her link without the scheme, as people copy it from a mail.
	pasted := pasteLink(t, phone, id, sq, strings.TrimPrefix(link(ann), "http://")).
		wantStatus(t, "paste Ann's link", http.StatusSeeOther)
	if got, want := pasted.header.Get("Location"), ownFeedbackPath(id, ann, sq); got != want {
		t.Fatalf("paste Ann's link: got a redirect to %q, want %q", got, want)
	}
	ck := pasted.setCookie(rememberCookie)
	for _, want := range []string{"Path=/w/" + id + ";", "HttpOnly", "SameSite=Lax", "Max-Age="} {
		if !strings.Contains(ck, want) {
			t.Errorf("the remembering cookie %q lacks %s", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("the remembering cookie over plain http: got %q, want it without Secure (the browser would drop it)", ck)
	}
	form := phone.get(pasted.header.Get("Location")).wantStatus(t, "Ann's session questionnaire", http.StatusOK)
	form.mustContain(t, "Ann's session questionnaire", `type="checkbox" name="a.format"`, `id="all-questionnaires"`)
	if strings.Contains(form.body, `name="a.satisfaction"`) {
		t.Errorf("Ann's session questionnaire: got the workshop's questions too, want the session's alone")
	}
	saved := phone.post("/w/"+id+"/r/"+ann.id+"/feedback", url.Values{"_csrf": {form.csrf(t)}, "token": {ann.token},
		"questionnaire": {sq}, "q": {sq}, "a.format": {"talk"}}).wantStatus(t, "Ann answers", http.StatusSeeOther)
	if got := saved.header.Get("Location"); !strings.Contains(got, "q="+sq) || !strings.Contains(got, "saved=1") {
		t.Errorf("after answering: got a redirect to %q, want the session's questionnaire with the saved notice", got)
	}

	// The next code Ann scans takes her phone straight to her questionnaire.
	straight := phone.get(entryPath(id, "workshop")).wantStatus(t, "a remembered phone scans", http.StatusSeeOther)
	if got, want := straight.header.Get("Location"), ownFeedbackPath(id, ann, "workshop"); got != want {
		t.Errorf("a remembered phone scans: got a redirect to %q, want %q", got, want)
	}
	phone.get(straight.header.Get("Location")).mustContain(t, "the workshop questionnaire", `name="a.satisfaction"`)

	t.Run("the personal page remembers and forgets", func(t *testing.T) {
		laptop := s.browser()
		laptop.header.Set("X-Forwarded-Proto", "https")
		own := laptop.get("/w/" + id + "/r/" + ben.id + "?token=" + url.QueryEscape(ben.token))
		if ck := own.setCookie(rememberCookie); !strings.Contains(ck, "Secure") || !strings.Contains(ck, "HttpOnly") {
			t.Errorf("the personal page over https: got cookie %q, want a Secure, HttpOnly one", ck)
		}
		laptop.header.Del("X-Forwarded-Proto")
		own = laptop.get("/w/"+id+"/r/"+ben.id+"?token="+url.QueryEscape(ben.token)).
			wantStatus(t, "Ben's personal page", http.StatusOK)
		own.mustContain(t, "Ben's personal page", `id="forget-device"`, "Dieses Gerät vergessen")
		if got, want := laptop.get(entryPath(id, sq)).header.Get("Location"), ownFeedbackPath(id, ben, sq); got != want {
			t.Fatalf("the entry after Ben's personal page: got a redirect to %q, want %q", got, want)
		}
		forgot := laptop.post("/w/"+id+"/r/"+ben.id+"/forget", url.Values{"_csrf": {own.csrf(t)}, "token": {ben.token}}).
			wantStatus(t, "forget this device", http.StatusSeeOther)
		if ck := forgot.setCookie(rememberCookie); !strings.Contains(ck, "Max-Age=0") || !strings.Contains(ck, "Path=/w/"+id+";") {
			t.Errorf("forget this device: got cookie %q, want it cleared on the workshop's path", ck)
		}
		after := laptop.get(forgot.header.Get("Location")).wantStatus(t, "the personal page after forgetting", http.StatusOK)
		after.mustContain(t, "the personal page after forgetting", "Dieses Gerät hat Ihre Anmeldung vergessen.")
		if ck := after.setCookie(rememberCookie); ck != "" {
			t.Errorf("the personal page right after forgetting: got cookie %q, want none", ck)
		}
		laptop.get(entryPath(id, sq)).wantStatus(t, "the entry on a forgotten laptop", http.StatusOK).
			mustContain(t, "the entry on a forgotten laptop", `name="link"`)
		laptop.post("/w/"+id+"/r/"+ben.id+"/forget", url.Values{"_csrf": {own.csrf(t)}, "token": {ann.token}}).
			wantStatus(t, "forget with someone else's token", http.StatusNotFound)
	})

	t.Run("a cancelled registration cannot answer", func(t *testing.T) {
		b := s.browser()
		own := b.get("/w/" + id + "/r/" + dana.id + "?token=" + url.QueryEscape(dana.token))
		b.post("/w/"+id+"/r/"+dana.id+"/cancel", url.Values{"_csrf": {own.csrf(t)}, "token": {dana.token}}).
			wantStatus(t, "Dana cancels", http.StatusSeeOther)
		to := b.get(entryPath(id, "workshop")).wantStatus(t, "Dana's phone scans", http.StatusSeeOther).header.Get("Location")
		p := b.get(to).wantStatus(t, "Dana's feedback page", http.StatusOK)
		p.mustContain(t, "Dana's feedback page", "Rückmeldungen geben nur Personen mit bestätigter Anmeldung.")
		if strings.Contains(p.body, `name="a.satisfaction"`) {
			t.Errorf("Dana's feedback page: got a form, want only the message")
		}
		b.post("/w/"+id+"/r/"+dana.id+"/feedback", feedbackWith(own.csrf(t), dana.token, feedbackAnswers("5", ""))).
			wantStatus(t, "Dana answers anyway", http.StatusUnprocessableEntity).
			mustContain(t, "Dana answers anyway", "Eine Rückmeldung geben nur Personen mit bestätigter Anmeldung.")
	})

	var ev struct {
		Questionnaires []struct {
			ID        string
			Responses int
		}
	}
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/feedback/evaluation", organiserToken, nil, &ev)
	for _, q := range ev.Questionnaires {
		if want := map[string]int{"workshop": 0, sq: 1}[q.ID]; q.Responses != want {
			t.Errorf("the evaluation of %s: got %d responses, want %d", q.ID, q.Responses, want)
		}
	}

	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/close", organiserToken, nil, nil)
	s.browser().get(entryPath(id, sq)).wantStatus(t, "the entry after closing", http.StatusOK).
		mustContain(t, "the entry after closing", "Die Rückmeldung ist geschlossen. Vielen Dank!")
	if strings.Contains(s.browser().get(entryPath(id, sq)).body, `name="link"`) {
		t.Errorf("the entry after closing: got the form for the link, want only the message")
	}
	closed := phone.get(entryPath(id, sq)).wantStatus(t, "a remembered phone after closing", http.StatusSeeOther)
	phone.get(closed.header.Get("Location")).mustContain(t, "Ann's page after closing", "Die Rückmeldung ist geschlossen.")
}

// feedbackWith adds the CSRF token and the personal token to answers.
func feedbackWith(csrf, token string, answers url.Values) url.Values {
	answers.Set("_csrf", csrf)
	answers.Set("token", token)
	return answers
}

// TestFeedbackProjectorPage checks the organiser's projector page: organisers only, the code
// and the link of the entry, the session's title, and a warning while feedback is not open.
func TestFeedbackProjectorPage(t *testing.T) {
	s := startService(t)
	id, session, _ := s.feedbackRound("Kommunale Wärmeplanung")
	sq := "session-" + session
	qr := "/organiser/workshops/" + id + "/feedback/qr?q=" + sq

	anonymous := s.browser().get(qr)
	if anonymous.status != http.StatusSeeOther || !strings.HasPrefix(anonymous.header.Get("Location"), "/organiser/sign-in") {
		t.Errorf("the projector page without signing in: got %d to %q, want 303 to the sign-in", anonymous.status, anonymous.header.Get("Location"))
	}
	if strings.Contains(anonymous.body, "<svg") {
		t.Errorf("the projector page without signing in: got the code, want none")
	}

	b := s.signIn(t)
	fb := b.get("/organiser/workshops/"+id+"/feedback").wantStatus(t, "the feedback page", http.StatusOK)
	fb.mustContain(t, "the feedback page", `id="qr-workshop" href="/organiser/workshops/`+id+`/feedback/qr?q=workshop"`,
		`id="qr-`+sq+`" href="/organiser/workshops/`+id+`/feedback/qr?q=`+sq+`"`, "Programmpunkt: Begrüßung")

	p := b.get(qr).wantStatus(t, "the projector page", http.StatusOK)
	host := strings.TrimPrefix(s.url, "http://")
	p.mustContain(t, "the projector page", "<h1>Begrüßung</h1>", "Kommunale Wärmeplanung", `class="qr"`,
		`id="short-link">`+host+"/w/"+id+"/feedback<", "Code mit der Kamera Ihres Smartphones scannen",
		`id="not-open"`, "Die Rückmeldung ist nicht geöffnet", `href="/organiser/workshops/`+id+`/feedback#h-collect"`)
	if got, want := scanQRInPage(t, "the projector's code", p.body), s.url+entryPath(id, sq); got != want {
		t.Errorf("the projector's code: got %q, want %q", got, want)
	}
	b.get("/organiser/workshops/"+id+"/feedback/qr?q=session-nonsense").wantStatus(t, "an unknown questionnaire", http.StatusNotFound)

	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/open", organiserToken, nil, nil)
	open := b.get("/organiser/workshops/"+id+"/feedback/qr").wantStatus(t, "the workshop's projector page", http.StatusOK)
	open.mustContain(t, "the workshop's projector page", "<h1>Kommunale Wärmeplanung</h1>")
	if strings.Contains(open.body, `id="not-open"`) {
		t.Errorf("the projector page while feedback is open: got the warning, want none")
	}
	for _, no := range []string{"<nav", `class="top"`, "/organiser/sign-out", "Ausloggen"} {
		if strings.Contains(open.body, no) {
			t.Errorf("the projector page holds the organiser's %q", no)
		}
	}
	if got, want := scanQRInPage(t, "the workshop's code", open.body), s.url+entryPath(id, "workshop"); got != want {
		t.Errorf("the workshop's code: got %q, want %q", got, want)
	}
}

// TestPrivacyNamesTheRememberingCookie checks the one sentence the privacy notice owes people.
func TestPrivacyNamesTheRememberingCookie(t *testing.T) {
	s := startService(t)
	s.browser().get("/privacy").mustContain(t, "the privacy notice", `id="remember-cookie"`, "technisch notwendig",
		"Dieses Gerät vergessen")
}
