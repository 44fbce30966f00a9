package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// bearer returns the token of an Authorization: Bearer header.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get(echo.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

func (a *api) isOrganiser(token string) bool { return a.cmds.IsOrganiser(token) }

var (
	errNoToken  = newProblem(http.StatusUnauthorized, "send a token as Authorization: Bearer <token>")
	errBadToken = newProblem(http.StatusUnauthorized, "the token is not valid")
	errNotYours = newProblem(http.StatusForbidden, "a participant's token opens only that participant's registration")
)

// refuse answers a token that does not open the resource: 403 if it belongs to a participant of
// the workshop, else 401.
func (a *api) refuse(c echo.Context, token string) error {
	if caller, known, err := a.callerOf(c); err != nil || known {
		if err == nil && c.Param("id") != "" { // network routes never refuse: the use case decides
			// A members-only workshop stays unknown to whoever does not see it.
			if _, err := a.visibleWorkshop(c, caller); err != nil {
				return err
			}
		}
		return errOr(err, errRole) // a person's own token: valid, but their roles do not reach
	}
	id, err := workshopID(c)
	if err != nil {
		return errBadToken
	}
	regs, err := a.Reader.Registrations(c.Request().Context(), id)
	if err != nil {
		return unknownToken(err)
	}
	for _, r := range regs {
		if app.OwnsRegistration(r, token) {
			return errNotYours
		}
	}
	return errBadToken
}

// unknownToken answers a failed lookup of a token's registrations: a workshop that does not
// exist holds no participant's token (401); any other error means the token could not be
// checked, which is the error's to answer (an unreachable read model is 503), never 401.
func unknownToken(err error) error {
	if errors.Is(err, domain.ErrNotFound) {
		return errBadToken
	}
	return err
}

// access is who opened a registration.
type access struct {
	actor string
	view  projections.RegistrationView // loaded for the participant; zero for the organiser
}

// registrationCaller returns the workshop and registration of the request's path and admits
// the organiser or the registration's own participant.
func (a *api) registrationCaller(c echo.Context) (domain.WorkshopID, domain.RegistrationID, access, error) {
	id, rid, err := registrationPath(c)
	if err != nil {
		return "", "", access{}, err
	}
	token, ok := bearer(c.Request())
	if !ok {
		return "", "", access{}, errNoToken
	}
	if ok, err := a.organises(c, id, domain.RoleOrganiser); err != nil {
		return "", "", access{}, err
	} else if ok {
		return id, rid, access{actor: app.ActorOrganiser}, nil
	}
	view, err := a.Reader.Registration(c.Request().Context(), id, rid)
	if err == nil && app.OwnsRegistration(view, token) {
		return id, rid, access{actor: app.ActorParticipant(rid), view: view}, nil
	}
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return "", "", access{}, err // the token could not be checked: not a wrong token
	}
	return "", "", access{}, a.refuse(c, token)
}

// caller returns the workshop of the request's path and who calls it (see workshopAccess).
func (a *api) caller(c echo.Context) (domain.WorkshopID, access, error) {
	id, err := workshopID(c)
	if err != nil {
		return "", access{}, err
	}
	acc, err := a.workshopAccess(c, id)
	return id, acc, err
}

// workshopAccess admits the organiser or any participant of the workshop (by their token).
func (a *api) workshopAccess(c echo.Context, id domain.WorkshopID) (access, error) {
	token, ok := bearer(c.Request())
	if !ok {
		return access{}, errNoToken
	}
	if ok, err := a.organises(c, id, domain.RoleOrganiser); err != nil {
		return access{}, err
	} else if ok {
		return access{actor: app.ActorOrganiser}, nil
	}
	regs, err := a.Reader.Registrations(c.Request().Context(), id)
	if err != nil {
		return access{}, unknownToken(err)
	}
	for _, r := range regs {
		if app.OwnsRegistration(r, token) && r.Erased {
			return access{}, domain.ErrRegistrationErased // nobody acts as an erased person
		}
		if app.OwnsRegistration(r, token) {
			return access{actor: app.ActorParticipant(r.ID), view: r}, nil
		}
	}
	if _, known, err := a.callerOf(c); err != nil || known {
		return access{}, a.refuse(c, token) // a person's own token: 403, or 404 for an unseen workshop
	}
	return access{}, errBadToken
}

// actingFor returns the registration a command acts for: a participant's own (naming another
// one is forbidden), or the one an organiser names in the request (what says what it is about).
func (acc access) actingFor(named domain.RegistrationID, what string) (domain.RegistrationID, error) {
	switch {
	case acc.actor != app.ActorOrganiser && named != "" && named != acc.view.ID:
		return "", errNotYours
	case acc.actor != app.ActorOrganiser:
		return acc.view.ID, nil
	case named == "":
		return "", domain.FieldErrors{{Field: "registration_id", Code: domain.CodeNotAllowed, Detail: "must name the registration whose " + what + " this is"}}
	}
	return named, nil
}
