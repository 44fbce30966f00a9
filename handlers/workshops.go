package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

func (a *api) listWorkshops(c echo.Context) error {
	views, err := a.Reader.Workshops(c.Request().Context())
	if err != nil {
		return err
	}
	caller, _, err := a.callerOf(c)
	if err != nil {
		return err
	}
	ctx := app.Remembering(c.Request().Context())
	list := make([]workshopJSON, 0, len(views))
	for _, v := range views {
		if ok, err := a.cmds.Sees(ctx, caller, v.Network, v.Visibility); err != nil {
			return err
		} else if ok {
			list = append(list, workshopOfView(v, a.cmds.RegistrationOpen(v)))
		}
	}
	return c.JSON(http.StatusOK, map[string][]workshopJSON{"workshops": list})
}

func (a *api) showWorkshop(c echo.Context) error {
	v, err := a.seenWorkshop(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, workshopOfView(v, a.cmds.RegistrationOpen(v)))
}

type scheduleBody struct {
	Title    string       `json:"title"`
	Series   string       `json:"series"`
	Venue    string       `json:"venue"`
	Days     []domain.Day `json:"days"`
	Capacity int          `json:"capacity"`
	// RegistrationCloses is an RFC 3339 time, "" (or absent) for none.
	RegistrationCloses string `json:"registration_closes"`
	// Network owns the workshop; absent: the caller's one network (see app.ScheduleFor).
	Network domain.NetworkID `json:"network"`
	// Visibility is "public" (absent) or "members".
	Visibility domain.Visibility `json:"visibility"`
	// ReminderDays is how many days before its first day the workshop reminds its confirmed
	// people (0: no reminder); absent: domain.DefaultReminderDays.
	ReminderDays *int `json:"reminder_days"`
}

// parseCloses reads a registration closing time: an RFC 3339 time, or "" for none (the zero
// time). A malformed one is a field error.
func parseCloses(s string, fe *domain.FieldErrors) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		*fe = append(*fe, domain.FieldError{Field: "registration_closes", Code: domain.CodeNotATime,
			Detail: `must be an RFC 3339 time such as 2027-03-15T18:00:00+01:00, or "" for none`})
		return time.Time{}
	}
	return t
}

func (a *api) scheduleWorkshop(c echo.Context) error {
	var b scheduleBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	var fe domain.FieldErrors
	closes := parseCloses(b.RegistrationCloses, &fe)
	if len(fe) > 0 {
		return fe
	}
	cmd := domain.ScheduleWorkshop{Title: b.Title, Series: b.Series, Venue: b.Venue, Days: b.Days, Capacity: b.Capacity,
		RegistrationCloses: closes, Network: b.Network, Visibility: b.Visibility, ReminderDays: b.ReminderDays}
	s, err := a.cmds.ScheduleFor(c.Request().Context(), callerOf(c), op, cmd)
	if err != nil {
		return err
	}
	v, err := a.Reader.Workshop(c.Request().Context(), s.ID) // the command waited for the read models
	if lagging(err) {
		v = scheduledView(s, closes) // they lag beyond the wait: the workshop is as decided
	} else if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/workshops/"+string(s.ID))
	return c.JSON(http.StatusCreated, workshopOfView(v, a.cmds.RegistrationOpen(v)))
}

// changeBody is a JSON merge patch of a workshop: absent fields stay as they are.
type changeBody struct {
	Title    optional[string] `json:"title"`
	Venue    optional[string] `json:"venue"`
	Capacity optional[int]    `json:"capacity"`
	// RegistrationCloses is an RFC 3339 time; null or "" removes it.
	RegistrationCloses optional[string] `json:"registration_closes"`
	// Visibility is "public" or "members".
	Visibility optional[domain.Visibility] `json:"visibility"`
	// ReminderDays is how many days before its first day the workshop reminds (0: none).
	ReminderDays optional[int] `json:"reminder_days"`
}

func (a *api) changeWorkshop(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b changeBody
	if err := decode(c, &b); err != nil {
		return err
	}
	var fe domain.FieldErrors
	cmd := domain.ChangeWorkshop{Title: required(b.Title, "title", &fe), Venue: required(b.Venue, "venue", &fe),
		Capacity: required(b.Capacity, "capacity", &fe), Visibility: required(b.Visibility, "visibility", &fe),
		ReminderDays: required(b.ReminderDays, "reminder_days", &fe)}
	if b.RegistrationCloses.Set {
		closes := parseCloses(b.RegistrationCloses.Value, &fe) // null leaves Value "": none
		cmd.RegistrationCloses = &closes
	}
	if len(fe) > 0 {
		return fe
	}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.ChangeWorkshop, cmd); err != nil {
		return err
	}
	v, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return a.recorded(c, err)
	}
	return c.JSON(http.StatusOK, workshopOfView(v, a.cmds.RegistrationOpen(v)))
}

type sessionBody struct {
	Title    string      `json:"title"`
	Kind     domain.Kind `json:"kind"`
	Day      domain.Day  `json:"day"`
	Starts   string      `json:"starts"`
	Ends     string      `json:"ends"`
	Room     string      `json:"room"`
	Speakers []string    `json:"speakers"`
}

func (a *api) planSession(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b sessionBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	s, err := a.cmds.PlanSession(c.Request().Context(), id, op, domain.Session{Title: b.Title, Kind: b.Kind,
		Day: b.Day, Starts: b.Starts, Ends: b.Ends, Room: b.Room, Speakers: b.Speakers})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+string(s.ID))
	return c.JSON(http.StatusCreated, sessionOf(s))
}

// sessionPatch is a JSON merge patch of a session. A null room or speakers list removes it;
// the other fields cannot be removed.
type sessionPatch struct {
	Title    optional[string]      `json:"title"`
	Kind     optional[domain.Kind] `json:"kind"`
	Day      optional[domain.Day]  `json:"day"`
	Starts   optional[string]      `json:"starts"`
	Ends     optional[string]      `json:"ends"`
	Room     optional[string]      `json:"room"`
	Speakers optional[[]string]    `json:"speakers"`
}

// apply returns s with the patch's fields set.
func (p sessionPatch) apply(s domain.Session) (domain.Session, error) {
	var fe domain.FieldErrors
	set := func(dst *string, o optional[string], field string) {
		if v := required(o, field, &fe); v != nil {
			*dst = *v
		}
	}
	set(&s.Title, p.Title, "title")
	set(&s.Starts, p.Starts, "starts")
	set(&s.Ends, p.Ends, "ends")
	if v := required(p.Kind, "kind", &fe); v != nil {
		s.Kind = *v
	}
	if v := required(p.Day, "day", &fe); v != nil {
		s.Day = *v
	}
	if p.Room.Set {
		s.Room = p.Room.Value // "" when null: no room
	}
	if p.Speakers.Set {
		s.Speakers = p.Speakers.Value
	}
	if len(fe) > 0 {
		return s, fe
	}
	return s, nil
}

func (a *api) changeSession(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	var p sessionPatch
	if err := decode(c, &p); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	_, err = a.cmds.ChangeSession(c.Request().Context(), id, op, sid, p.apply)
	if err != nil {
		return err
	}
	v, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return a.recorded(c, err)
	}
	for _, s := range v.Agenda {
		if s.ID == sid {
			return c.JSON(http.StatusOK, sessionOf(s))
		}
	}
	return a.recorded(c, domain.ErrSessionNotFound) // cancelled meanwhile, or the read model lags
}

func (a *api) cancelSession(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.CancelSession, sid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func sessionPath(c echo.Context) (domain.WorkshopID, domain.SessionID, error) {
	id, err := workshopID(c)
	if err != nil {
		return "", "", err
	}
	sid := c.Param("sid")
	if !domain.ValidID(sid) {
		return "", "", domain.ErrSessionNotFound
	}
	return id, domain.SessionID(sid), nil
}
