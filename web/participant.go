package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

func workshopID(c echo.Context) (domain.WorkshopID, error) {
	if id := c.Param("id"); domain.ValidID(id) {
		return domain.WorkshopID(id), nil
	}
	return "", domain.ErrWorkshopNotFound
}

// upcoming lists the workshops whose last day is today or later, today in the instance's zone.
func (s *site) upcoming(c echo.Context) error {
	all, err := s.cfg.Reader.Workshops(c.Request().Context())
	if err != nil {
		return err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return err
	}
	today := s.cmds.Today()
	ctx := app.Remembering(c.Request().Context())
	var list []projections.WorkshopView
	for _, w := range all {
		if len(w.Days) == 0 || w.Days[len(w.Days)-1] < today {
			continue
		}
		if ok, err := s.cmds.Sees(ctx, caller, w.Network, w.Visibility); err != nil {
			return err
		} else if ok {
			list = append(list, w)
		}
	}
	return s.render(c, http.StatusOK, "upcoming.html", "UpcomingTitle", map[string]any{"Workshops": list,
		"Calendar": s.calendarLinksOf(c, "workshops", "FeedHeading", "FeedHint", "/api/v1/workshops.ics", "")})
}

// agendaDay is the agenda of one day.
type agendaDay struct {
	Day      domain.Day
	Sessions []domain.Session
}

func agendaByDay(w projections.WorkshopView) []agendaDay {
	days := make([]agendaDay, len(w.Days))
	for i, d := range w.Days {
		days[i].Day = d
		for _, s := range w.Agenda {
			if s.Day == d {
				days[i].Sessions = append(days[i].Sessions, s)
			}
		}
	}
	return days
}

func (s *site) workshopView(c echo.Context) (projections.WorkshopView, error) {
	id, err := workshopID(c)
	if err != nil {
		return projections.WorkshopView{}, err
	}
	return s.cfg.Reader.Workshop(c.Request().Context(), id)
}

// visibleWorkshop is the route's workshop as the public pages show it to whoever is signed in
// (or nobody): a members-only workshop is not found for anyone who is no member of its
// network, so that its existence is not revealed. A participant's own pages go by their token
// instead.
func (s *site) visibleWorkshop(c echo.Context) (projections.WorkshopView, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return w, err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return projections.WorkshopView{}, err
	}
	if ok, err := s.cmds.Sees(c.Request().Context(), caller, w.Network, w.Visibility); err != nil || !ok {
		return projections.WorkshopView{}, errOr(err, domain.ErrWorkshopNotFound)
	}
	return w, nil
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

func (s *site) workshop(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "workshop.html", w.Title, map[string]any{"W": w, "Agenda": agendaByDay(w),
		"Open":        s.cmds.RegistrationOpen(w),
		"Materials":   s.materialsOf(c, w.ID),
		"Calendar":    s.calendarLinksOf(c, "agenda", "CalendarHeading", "CalendarHint", agendaCalendarPath(w.ID), ""),
		"NetworkFeed": networkFeedOf(c, s, w.Network),
		// the documentation is linked once the workshop has begun
		"Documented": len(w.Days) > 0 && w.Days[0] <= s.cmds.Today()})
}

// networkFeedOf is the address of the calendar feed of a workshop's network, in the page's
// language; "" for a workshop of no network.
func networkFeedOf(c echo.Context, s *site, n domain.NetworkID) string {
	if n == "" {
		return ""
	}
	return networkCalendarPath(n) + "?" + url.Values{"lang": {s.texts(c).lang}}.Encode()
}

func (s *site) registrationForm(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	f := newForm(s)
	for _, d := range w.Days {
		f.Values.Add("days", string(d)) // every day unless the person unticks some
	}
	// A member of the workshop's network, signed in, finds their account's details filled in.
	if caller, ok, err := s.pageCaller(c); err != nil {
		return err
	} else if ok && caller.Account != "" && w.Network != "" {
		m, err := s.cmds.Member(c.Request().Context(), caller, w.Network, caller.Account)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		if err == nil && !m.Erased {
			f.Values.Set("name", m.Name)
			f.Values.Set("email", m.Email)
			f.Values.Set("organisation", m.Organisation)
		}
	}
	return s.registerPage(c, http.StatusOK, w, f, !s.cmds.RegistrationOpen(w))
}

// registerPage shows the registration form of w with f, or that registration closed; before
// the consent, the excerpt of the privacy notice.
func (s *site) registerPage(c echo.Context, status int, w projections.WorkshopView, f form, closed bool) error {
	excerpt, err := s.privacyExcerptOf(c, w)
	if err != nil {
		return err
	}
	return s.render(c, status, "register.html", "RegisterTitle", map[string]any{"W": w, "Form": f, "Closed": closed,
		"Privacy": excerpt, "Retention": s.retentionNotice(c, w.ID)})
}

func (s *site) register(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	days := f.days("days")
	if len(days) == 0 {
		// The domain reads no days as "every day"; a person who unticked every day meant none.
		f.Errors = map[string]string{"days": s.texts(c).T("ErrDaysRequired")}
		f.Message = s.texts(c).T("ErrForm")
		return s.registerPage(c, http.StatusUnprocessableEntity, w, f, false)
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return err
	}
	// RegisterAs, as the API does: a member registers for their network's members-only
	// workshop, an organiser of the workshop registers the person by hand.
	r, err := s.cmds.RegisterAs(c.Request().Context(), caller, w.ID, app.Op{Key: f.Key, Scope: "web register " + string(w.ID), Body: f.body()},
		app.Registration{Name: f.V("name"), Email: f.V("email"), Organisation: f.V("organisation"),
			District: f.V("district"), Dietary: f.V("dietary"), Days: days,
			Overnight: f.V("overnight") == "yes", Consent: f.V("consent") == "yes", Lang: s.texts(c).lang,
			PhotoConsent: f.V("photo_consent") == "yes",
			Answers:      registrationAnswersOf(f, w.RegistrationQuestions)})
	if errors.Is(err, domain.ErrRegistrationClosed) {
		// Closed since the form was opened: say so instead of showing the form again.
		return s.registerPage(c, http.StatusConflict, w, f, true)
	}
	if err != nil {
		if !f.rejected(s.texts(c), err) {
			return err
		}
		return s.registerPage(c, http.StatusUnprocessableEntity, w, f, false)
	}
	return seeOther(c, personalPath(w.ID, r.ID), "token", r.Token, "welcome", "1")
}

func personalPath(id domain.WorkshopID, rid domain.RegistrationID) string {
	return "/w/" + url.PathEscape(string(id)) + "/r/" + url.PathEscape(string(rid))
}

// ownRegistration loads the registration of the path if token is its personal token. Any
// mismatch is "not found": the page must not tell which registrations exist.
func (s *site) ownRegistration(c echo.Context, token string) (projections.WorkshopView, projections.RegistrationView, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return w, projections.RegistrationView{}, err
	}
	r, err := s.registrationOf(c.Request().Context(), w.ID, c.Param("rid"), token)
	return w, r, err
}

// actingRegistration is ownRegistration for the pages where the participant acts (cafés,
// topics, feedback): an erased person's link opens only the notice on the personal page.
func (s *site) actingRegistration(c echo.Context, token string) (projections.WorkshopView, projections.RegistrationView, error) {
	w, r, err := s.ownRegistration(c, token)
	if err == nil && r.Erased {
		err = domain.ErrRegistrationErased
	}
	return w, r, err
}

// registrationOf loads registration rid of workshop w if token is its personal token; any
// mismatch is domain.ErrRegistrationNotFound.
func (s *site) registrationOf(ctx context.Context, w domain.WorkshopID, rid, token string) (projections.RegistrationView, error) {
	if !domain.ValidID(rid) {
		return projections.RegistrationView{}, domain.ErrRegistrationNotFound
	}
	r, err := s.cfg.Reader.Registration(ctx, w, domain.RegistrationID(rid))
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return r, err // the token could not be checked (an unreachable read model)
	}
	if err != nil || !app.OwnsRegistration(r, token) {
		return r, domain.ErrRegistrationNotFound
	}
	return r, nil
}

// personal is the participant's own page, opened with the link that carries their token.
func (s *site) personal(c echo.Context) error {
	token := c.QueryParam("token")
	w, r, err := s.ownRegistration(c, token)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if r.Erased {
		// Nothing personal is left to show: say so instead of an empty name.
		return s.render(c, http.StatusOK, "personal.html", "DataDeletedTitle", map[string]any{"W": w, "R": r, "Erased": true})
	}
	forgotten := c.QueryParam("forgotten") == "1"
	if !forgotten { // right after "forget this device" the page must not remember it again
		s.rememberDevice(c, w, r, token)
	}
	return s.personalPage(c, w, r, token, http.StatusOK, changeFormOf(s, r), map[string]any{"Forgotten": forgotten,
		"Welcome": c.QueryParam("welcome") == "1", "Cancelled": c.QueryParam("cancelled") == "1",
		"Changed": c.QueryParam("changed") == "1"})
}

// personalPage renders the participant's own page with status, the change form f and the
// notices in data.
func (s *site) personalPage(c echo.Context, w projections.WorkshopView, r projections.RegistrationView, token string,
	status int, f form, data map[string]any) error {
	fb, err := s.cfg.Reader.Feedback(c.Request().Context(), w.ID)
	if err != nil {
		return err
	}
	checkedIn, err := s.checkedIn(c, w.ID, r.ID)
	if err != nil {
		return err
	}
	link := absoluteURL(c, personalPath(w.ID, r.ID)+"?token="+url.QueryEscape(token))
	code, err := qrSVG(link, s.texts(c).T("PersonalLinkCode"))
	if err != nil {
		return err
	}
	data["W"], data["R"], data["Token"], data["Link"], data["LinkCode"] = w, r, token, link, code
	data["Materials"] = s.materialsOf(c, w.ID)
	data["Days"], data["FeedbackOpen"] = r.Days, fb.State == domain.AnswersOpen
	data["CheckedIn"], data["Change"] = checkedIn && r.Status == domain.Confirmed, f
	data["Calendar"] = s.calendarLinksOf(c, "personal", "PersonalCalendarHeading", "PersonalCalendarHint",
		personalCalendarPath(w.ID, r.ID), token)
	return s.render(c, status, "personal.html", "PersonalTitle", data)
}

func (s *site) cancel(c echo.Context) error {
	token := c.FormValue("token")
	w, r, err := s.ownRegistration(c, token)
	if err != nil {
		return err
	}
	_, err = s.cmds.CancelRegistration(c.Request().Context(), w.ID, app.Op{Actor: app.ActorParticipant(r.ID)}, r.ID)
	if err != nil && !errors.Is(err, domain.ErrAlreadyCancelled) { // a double tap is done, not an error
		return err
	}
	return seeOther(c, personalPath(w.ID, r.ID), "token", token, "cancelled", "1")
}

// eraseOwnData erases the participant's personal data; their link then shows that it is gone.
func (s *site) eraseOwnData(c echo.Context) error {
	token := c.FormValue("token")
	w, r, err := s.ownRegistration(c, token)
	if err != nil {
		return err
	}
	if err := s.cmds.Erase(c.Request().Context(), w.ID, app.Op{Actor: app.ActorParticipant(r.ID)}, r.ID); err != nil {
		return err
	}
	return seeOther(c, personalPath(w.ID, r.ID), "token", token)
}
