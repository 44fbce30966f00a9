package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

type registerBody struct {
	Name         string       `json:"name"`
	Email        string       `json:"email"`
	Organisation string       `json:"organisation"`
	District     string       `json:"district"`
	Days         []domain.Day `json:"days"`
	Dietary      string       `json:"dietary"`
	Overnight    bool         `json:"overnight"`
	PhotoConsent bool         `json:"photo_consent"`
	Consent      bool         `json:"consent"`
	// Lang is the language of the person's mails: "de" (default) or "en".
	Lang string `json:"lang"`
	// Answers answers the registration questions: a string for text and choice questions, true
	// or false for yes/no ones.
	Answers map[string]any `json:"answers"`
}

// registerParticipant is public: anyone may register (see app.RegisterAs). With the token of an
// organiser of the workshop it registers the person by hand: the closing time does not apply
// and the organiser is the actor. With a member's own token the account's details fill what the
// body leaves out. The answer carries the participant's token, the only key to their registration
// besides the organiser's.
func (a *api) registerParticipant(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b registerBody
	if err := decode(c, &b); err != nil {
		return err
	}
	caller, _, err := a.callerOf(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorPublic)
	if err != nil {
		return err
	}
	r, err := a.cmds.RegisterAs(c.Request().Context(), caller, id, op, app.Registration{Name: b.Name, Email: b.Email,
		Organisation: b.Organisation, District: b.District, Dietary: b.Dietary, Days: b.Days,
		Overnight: b.Overnight, Consent: b.Consent, PhotoConsent: b.PhotoConsent, Lang: b.Lang, Answers: b.Answers})
	if err != nil {
		return err
	}
	answer := registeredJSON{ID: r.ID, Status: r.Status, DayStatus: nonNilMap(r.DayStatus),
		WaitlistPositions: nonNilMap(r.WaitlistPositions), WaitlistPosition: r.WaitlistPosition, Token: r.Token}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+string(answer.ID))
	return c.JSON(http.StatusCreated, answer)
}

func (a *api) listRegistrations(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	views, err := a.readerFor(ctx).Registrations(ctx, id)
	if err != nil {
		return err
	}
	qs, err := a.questionsOf(c, id)
	if err != nil {
		return err
	}
	list := make([]registrationJSON, 0, len(views))
	for _, v := range views {
		list = append(list, registrationOf(v, qs))
	}
	return c.JSON(http.StatusOK, map[string][]registrationJSON{"registrations": list})
}

func (a *api) showRegistration(c echo.Context) error {
	id, rid, acc, err := a.registrationCaller(c)
	if err != nil {
		return err
	}
	view := acc.view
	if acc.actor == app.ActorOrganiser {
		if view, err = a.Reader.Registration(c.Request().Context(), id, rid); err != nil {
			return err
		}
	}
	qs, err := a.questionsOf(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, registrationOf(view, qs))
}

// cancelRegistration answers 204: the registration is cancelled and its seats, if it had any,
// went to the waitlist in the same decision.
func (a *api) cancelRegistration(c echo.Context) error {
	id, rid, acc, err := a.registrationCaller(c)
	if err != nil {
		return err
	}
	if _, err := run(a, c, id, acc.actor, a.cmds.CancelRegistration, rid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func registrationPath(c echo.Context) (domain.WorkshopID, domain.RegistrationID, error) {
	id, err := workshopID(c)
	if err != nil {
		return "", "", err
	}
	rid := c.Param("rid")
	if !domain.ValidID(rid) {
		return "", "", domain.ErrRegistrationNotFound
	}
	return id, domain.RegistrationID(rid), nil
}

// registrationChangeBody is a JSON merge patch of a registration: absent fields stay as they are.
type registrationChangeBody struct {
	Days      optional[[]domain.Day] `json:"days"`
	Dietary   optional[string]       `json:"dietary"`
	Overnight optional[bool]         `json:"overnight"`
	// PhotoConsent sets whether photos showing the person may be published.
	PhotoConsent optional[bool] `json:"photo_consent"`
}

// changeRegistration answers 200 with the registration as it is after the change: its days,
// dietary needs and overnight stay, and its status (a waitlisted person may have moved up).
// The participant (by their token) or the organiser may change it.
func (a *api) changeRegistration(c echo.Context) error {
	id, rid, acc, err := a.registrationCaller(c)
	if err != nil {
		return err
	}
	var b registrationChangeBody
	if err := decode(c, &b); err != nil {
		return err
	}
	var fe domain.FieldErrors
	ch := app.RegistrationChange{Days: required(b.Days, "days", &fe), Overnight: required(b.Overnight, "overnight", &fe),
		PhotoConsent: required(b.PhotoConsent, "photo_consent", &fe)}
	if b.Dietary.Set {
		dietary := b.Dietary.Value // null leaves Value "": none
		ch.Dietary = &dietary
	}
	if len(fe) > 0 {
		return fe
	}
	if _, err := a.use(c, id, acc.actor, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return a.cmds.ChangeRegistration(ctx, id, op, rid, ch)
	}); err != nil {
		return err
	}
	v, err := a.Reader.Registration(c.Request().Context(), id, rid)
	if err != nil {
		return a.recorded(c, err)
	}
	qs, err := a.questionsOf(c, id)
	if err != nil {
		return a.recorded(c, err)
	}
	return c.JSON(http.StatusOK, registrationOf(v, qs))
}

type linkRequestBody struct {
	Email string `json:"email"`
}

// requestLink is public: whoever lost their personal link asks for it again with their email.
// The answer is 202 whether or not the address is registered; the outbox mails the link when
// it is.
func (a *api) requestLink(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b linkRequestBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorPublic)
	if err != nil {
		return err
	}
	if err := a.cmds.RequestLink(c.Request().Context(), id, op, b.Email); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
