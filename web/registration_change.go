package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// changeFormOf is the change form of a registration filled with what it holds now.
func changeFormOf(s *site, r projections.RegistrationView) form {
	f := newForm(s)
	for _, d := range r.Days {
		f.Values.Add("days", string(d))
	}
	f.Values.Set("dietary", r.Dietary)
	if r.Overnight {
		f.Values.Set("overnight", "yes")
	}
	if r.PhotoConsent {
		f.Values.Set("photo_consent", "yes")
	}
	return f
}

// registrationChangeOf reads a submitted change form: every field is sent, so every field is
// changed. No ticked day is a field error of its own (the domain would read it as none).
func registrationChangeOf(t texts, f *form) (app.RegistrationChange, bool) {
	days, dietary, overnight, photos := f.days("days"), f.V("dietary"), f.V("overnight") == "yes", f.V("photo_consent") == "yes"
	if len(days) == 0 {
		f.Errors = map[string]string{"days": t.T("ErrDaysRequired")}
		f.Message = t.T("ErrForm")
		return app.RegistrationChange{}, false
	}
	return app.RegistrationChange{Days: &days, Dietary: &dietary, Overnight: &overnight, PhotoConsent: &photos}, true
}

// changeOwn changes the participant's own registration from their personal page; a refused
// change shows the page again with the messages next to the fields.
func (s *site) changeOwn(c echo.Context) error {
	token := c.FormValue("token")
	w, r, err := s.actingRegistration(c, token)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t := s.texts(c)
	ch, ok := registrationChangeOf(t, &f)
	if ok {
		_, err = s.cmds.ChangeRegistration(c.Request().Context(), w.ID, app.Op{Actor: app.ActorParticipant(r.ID)}, r.ID, ch)
		if err == nil {
			return seeOther(c, personalPath(w.ID, r.ID), "token", token, "changed", "1")
		}
		if !f.rejected(t, err) {
			return err
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.personalPage(c, w, r, token, changeStatus(err), f, map[string]any{})
}

// changeStatus is the status of a page showing a refused change: 409 for a rule about the
// current state, 422 for values.
func changeStatus(err error) int {
	if errors.Is(err, domain.ErrConflict) {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// organiserRegistration loads the registration of the path for the organiser's pages.
func (s *site) organiserRegistration(c echo.Context) (projections.WorkshopView, projections.RegistrationView, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return w, projections.RegistrationView{}, err
	}
	rid := c.Param("rid")
	if !domain.ValidID(rid) {
		return w, projections.RegistrationView{}, domain.ErrRegistrationNotFound
	}
	r, err := s.cfg.Reader.Registration(c.Request().Context(), w.ID, domain.RegistrationID(rid))
	return w, r, err
}

// registrationEdit is the organiser's page of one registration: change it for the person, or
// cancel it.
func (s *site) registrationEdit(c echo.Context) error {
	w, r, err := s.organiserRegistration(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "registration-edit.html", "ChangeRegistrationTitle",
		map[string]any{"W": w, "R": r, "Form": changeFormOf(s, r), "Cancel": newForm(s)})
}

// changeRegistration changes a registration for the person; the registration closing time
// does not hold for the organiser.
func (s *site) changeRegistration(c echo.Context) error {
	w, r, err := s.organiserRegistration(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t := s.texts(c)
	ch, ok := registrationChangeOf(t, &f)
	if ok {
		_, err = s.cmds.ChangeRegistration(c.Request().Context(), w.ID, app.Op{Actor: actorOf(c)}, r.ID, ch)
		if err == nil {
			return seeOther(c, "/organiser/workshops/"+string(w.ID)+"/registrations")
		}
		if !f.rejected(t, err) {
			return err
		}
	}
	return s.render(c, changeStatus(err), "registration-edit.html", "ChangeRegistrationTitle",
		map[string]any{"W": w, "R": r, "Form": f, "Cancel": newForm(s)})
}

// cancelFor cancels a registration for the person; their seats go to the waitlist.
func (s *site) cancelFor(c echo.Context) error {
	w, r, err := s.organiserRegistration(c)
	if err != nil {
		return err
	}
	_, err = s.cmds.CancelRegistration(c.Request().Context(), w.ID, app.Op{Actor: actorOf(c)}, r.ID)
	if err != nil && !errors.Is(err, domain.ErrAlreadyCancelled) { // a double tap is done, not an error
		return err
	}
	return seeOther(c, "/organiser/workshops/"+string(w.ID)+"/registrations")
}
