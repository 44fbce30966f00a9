package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

type checkInBody struct {
	RegistrationID domain.RegistrationID `json:"registration_id"`
	Day            domain.Day            `json:"day"`
	SessionID      domain.SessionID      `json:"session_id"`
}

// checkIn answers 201 with the check-in, also when it already existed: at a door desk a second
// scan is normal, and the answer states what now holds.
func (a *api) checkIn(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b checkInBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if b.RegistrationID == "" {
		return domain.FieldErrors{{Field: "registration_id", Code: domain.CodeRequired, Detail: "must not be empty"}}
	}
	cmd := domain.CheckInParticipant(b)
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.CheckInParticipant, cmd); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, checkInJSON(b))
}

// annulCheckIn takes back the check-in named by the query: registration_id, day and, for a
// session's check-in, session_id.
func (a *api) annulCheckIn(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	for _, name := range []string{"registration_id", "day"} {
		if q.Get(name) == "" {
			return newProblem(http.StatusBadRequest, "the query parameter %q is required", name)
		}
	}
	cmd := domain.CheckInParticipant{RegistrationID: domain.RegistrationID(q.Get("registration_id")),
		Day: domain.Day(q.Get("day")), SessionID: domain.SessionID(q.Get("session_id"))}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.AnnulCheckIn, cmd); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *api) attendance(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v, err := a.readerFor(ctx).Attendance(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, attendanceOf(v))
}

type walkInBody struct {
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Organisation string     `json:"organisation"`
	District     string     `json:"district"`
	Day          domain.Day `json:"day"`
}

type walkedInJSON struct {
	ID        domain.RegistrationID `json:"id"`
	Day       domain.Day            `json:"day"`
	Status    domain.Status         `json:"status"`
	CheckedIn bool                  `json:"checked_in"`
}

// registerWalkIn registers a person at the door and checks them in for the day, in one
// decision; the answer's Location is the new registration.
func (a *api) registerWalkIn(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b walkInBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	rid, err := a.cmds.RegisterWalkIn(c.Request().Context(), id, op, app.WalkIn(b))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/workshops/"+string(id)+"/registrations/"+string(rid))
	return c.JSON(http.StatusCreated, walkedInJSON{ID: rid, Day: b.Day, Status: domain.Confirmed, CheckedIn: true})
}

type admissionBody struct {
	Day domain.Day `json:"day"`
}

type admittedJSON struct {
	RegistrationID domain.RegistrationID `json:"registration_id"`
	Day            domain.Day            `json:"day"`
	DayStatus      domain.Status         `json:"day_status"`
	CheckedIn      bool                  `json:"checked_in"`
}

// admitWaitlisted admits at the door a person waiting for a seat on the day: confirmed on the
// day and checked in, in one decision.
func (a *api) admitWaitlisted(c echo.Context) error {
	id, rid, err := registrationPath(c)
	if err != nil {
		return err
	}
	var b admissionBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if b.Day == "" {
		return domain.FieldErrors{{Field: "day", Code: domain.CodeRequired, Detail: "must not be empty"}}
	}
	cmd := domain.AdmitWaitlisted{RegistrationID: rid, Day: b.Day}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.AdmitWaitlisted, cmd); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, admittedJSON{RegistrationID: rid, Day: b.Day, DayStatus: domain.Confirmed, CheckedIn: true})
}
