package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The public entry to feedback, /w/:id/feedback: what the QR code on the projector carries. A
// code on a screen cannot carry anyone's token, so the device has to know whose feedback it
// is: it remembers the registration once the person opened their personal page (or pasted
// their personal link here), and the entry sends it on to that person's own feedback page.

// rememberCookie holds, on a participant's device, "<registration id>.<personal token>" for one
// workshop (its path is the workshop's). It is checked like a personal link on every use.
const rememberCookie = "werkstatt_registration"

// rememberAfterWorkshop is how long after the workshop's last day a device keeps the
// registration: feedback may stay open for a while after the event.
const rememberAfterWorkshop = 4 * 7 * 24 * time.Hour

func workshopPath(id domain.WorkshopID) string { return "/w/" + url.PathEscape(string(id)) }

// absoluteURL is path on this site as people outside reach it: the request's scheme (echo
// honours X-Forwarded-Proto) and host, as the configuration names no public base URL.
func absoluteURL(c echo.Context, path string) string {
	return c.Scheme() + "://" + c.Request().Host + path
}

// rememberDevice lets the device remember registration r of workshop w until some weeks after
// the workshop's last day. The cookie is strictly necessary for what the person asked for:
// being sent to their own questionnaire by a code that carries no token.
func (s *site) rememberDevice(c echo.Context, w projections.WorkshopView, r projections.RegistrationView, token string) {
	now := s.cfg.Now()
	until := now
	if n := len(w.Days); n > 0 {
		if last, err := time.Parse(time.DateOnly, string(w.Days[n-1])); err == nil {
			until = last.AddDate(0, 0, 1)
		}
	}
	maxAge := int(until.Add(rememberAfterWorkshop).Sub(now).Seconds())
	if maxAge <= 0 {
		return // long over: nothing left to give feedback on
	}
	s.setRememberCookie(c, w.ID, string(r.ID)+"."+token, maxAge)
}

// forgetDevice removes what the device remembers for workshop w.
func (s *site) forgetDevice(c echo.Context, w domain.WorkshopID) {
	s.setRememberCookie(c, w, "", -1)
}

func (s *site) setRememberCookie(c echo.Context, w domain.WorkshopID, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: rememberCookie, Value: value, Path: workshopPath(w), MaxAge: maxAge,
		HttpOnly: true, Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
}

// rememberedRegistration returns the registration of workshop w the device remembers and its
// token, if the cookie still names a registration it owns whose person was not erased. A
// cookie that no longer does is forgotten: the device asks for a link again.
func (s *site) rememberedRegistration(c echo.Context, w domain.WorkshopID) (projections.RegistrationView, string, bool) {
	ck, err := c.Cookie(rememberCookie)
	if err != nil {
		return projections.RegistrationView{}, "", false
	}
	rid, token, ok := strings.Cut(ck.Value, ".")
	r, err := s.registrationOf(c.Request().Context(), w, rid, token)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return projections.RegistrationView{}, "", false // not checked now: the device keeps its cookie
	}
	if !ok || err != nil || r.Erased {
		s.forgetDevice(c, w)
		return projections.RegistrationView{}, "", false
	}
	return r, token, true
}

// feedbackEntry is the public entry page.
type feedbackEntry struct {
	W       projections.WorkshopView
	State   domain.FeedbackState
	Q       domain.QuestionnaireID // the questionnaire the code is about; "" for none
	Heading string                 // what Q is about
	Form    form
}

// Open reports whether people may answer now; otherwise the page says why and has no form.
func (e feedbackEntry) Open() bool { return e.State == domain.AnswersOpen }

// Path is the entry's address, the form's action.
func (e feedbackEntry) Path() string { return feedbackEntryPath(e.W.ID) }

func feedbackEntryPath(w domain.WorkshopID) string { return workshopPath(w) + "/feedback" }

// loadFeedbackEntry reads the workshop and the questionnaire named by q (query or form). An
// unknown q is ignored: the person still reaches all questionnaires.
func (s *site) loadFeedbackEntry(c echo.Context) (feedbackEntry, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return feedbackEntry{}, err
	}
	fb, err := s.cfg.Reader.Feedback(c.Request().Context(), w.ID)
	if err != nil {
		return feedbackEntry{}, err
	}
	e := feedbackEntry{W: w, State: fb.State, Form: newForm(s)}
	q := domain.QuestionnaireID(c.FormValue("q"))
	if session, ok := questionnaireOf(fb, q); ok {
		e.Q = q
		e.Heading = questionnaireHeading(s.texts(c), w, session)
	}
	return e, nil
}

// questionnaireHeading names what a questionnaire is about: a session, or the whole workshop.
func questionnaireHeading(t texts, w projections.WorkshopView, session domain.SessionID) string {
	for _, s := range w.Agenda {
		if session != "" && s.ID == session {
			return t.T("FeedbackAboutSession", "Title", s.Title)
		}
	}
	return t.T("FeedbackAboutWorkshop")
}

// ownFeedbackLink is the address of a participant's feedback page with questionnaire q first.
func ownFeedbackLink(w domain.WorkshopID, rid domain.RegistrationID, token string, q domain.QuestionnaireID) string {
	v := url.Values{"token": {token}}
	if q != "" {
		v.Set("q", string(q))
	}
	return personalPath(w, rid) + "/feedback?" + v.Encode()
}

// showFeedbackEntry sends a remembered device to its own feedback page; other devices get the
// page that explains how to get there.
func (s *site) showFeedbackEntry(c echo.Context) error {
	e, err := s.loadFeedbackEntry(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if r, token, ok := s.rememberedRegistration(c, e.W.ID); ok {
		return c.Redirect(http.StatusSeeOther, ownFeedbackLink(e.W.ID, r.ID, token, e.Q))
	}
	return s.render(c, http.StatusOK, "feedback-entry.html", "FeedbackEntryTitle", e)
}

// enterFeedbackWithLink takes a pasted personal link: a valid one makes the device remember
// the registration and leads to the person's feedback page.
func (s *site) enterFeedbackWithLink(c echo.Context) error {
	e, err := s.loadFeedbackEntry(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	r, token, problem := s.linkedRegistration(c, e.W.ID, f.V("link"))
	if problem != "" {
		f.Errors["link"] = s.texts(c).T(problem)
		e.Form = f
		c.Response().Header().Set("Cache-Control", "no-store")
		return s.render(c, http.StatusUnprocessableEntity, "feedback-entry.html", "FeedbackEntryTitle", e)
	}
	s.rememberDevice(c, e.W, r, token)
	return c.Redirect(http.StatusSeeOther, ownFeedbackLink(e.W.ID, r.ID, token, e.Q))
}

// personalLink finds workshop, registration and query of a personal link in what a person
// pasted: also without the scheme ("host:port/w/…" is no URL to url.Parse), with a page of
// theirs behind it, or with words around it.
var personalLink = regexp.MustCompile(`(?:^|/)w/([^/?#\s]+)/r/([^/?#\s]+)[^?#\s]*(?:\?([^#\s]*))?`)

// linkedRegistration reads the registration a pasted personal link opens. problem is the
// message id of what is wrong with the link, "" if nothing.
func (s *site) linkedRegistration(c echo.Context, w domain.WorkshopID, link string) (r projections.RegistrationView, token, problem string) {
	link = strings.TrimSpace(link)
	if link == "" {
		return r, "", "ErrLinkMissing"
	}
	m := personalLink.FindStringSubmatch(link)
	if m == nil {
		return r, "", "ErrNotAPersonalLink"
	}
	query, err := url.ParseQuery(m[3])
	if token = query.Get("token"); err != nil || token == "" {
		return r, "", "ErrNotAPersonalLink"
	}
	if m[1] != string(w) {
		return r, "", "ErrLinkOtherWorkshop"
	}
	r, err = s.registrationOf(c.Request().Context(), w, m[2], token)
	if err != nil {
		return projections.RegistrationView{}, "", "ErrLinkNotValid"
	}
	return r, token, ""
}

// forgetThisDevice is the personal page's "forget this device" (shared computers). It goes
// back to the personal page, which then does not remember the device again.
func (s *site) forgetThisDevice(c echo.Context) error {
	token := c.FormValue("token")
	w, r, err := s.ownRegistration(c, token)
	if err != nil {
		return err
	}
	s.forgetDevice(c, w.ID)
	return seeOther(c, personalPath(w.ID, r.ID), "token", token, "forgotten", "1")
}
