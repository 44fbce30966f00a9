package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The theme café of a session: organisers set up tables and rounds, collect rankings, plan,
// move and publish the rotation; participants rank tables and see their route; hosts and
// organisers record each table's notes. Commands answer the café as GET shows it.

type roundsBody struct {
	Rounds int `json:"rounds"`
}

func (a *api) setCafeRounds(c echo.Context) error {
	var b roundsBody
	return a.cafeCommand(c, &b, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return a.cmds.SetCafeRounds(ctx, id, op, domain.SetRounds{SessionID: sid, Rounds: b.Rounds})
	})
}

type tableBody struct {
	Topic       string                `json:"topic"`
	Description string                `json:"description"`
	Host        domain.RegistrationID `json:"host_registration_id"`
	HostGuest   string                `json:"host_guest"`
	Capacity    int                   `json:"capacity"`
}

func (a *api) addCafeTable(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	var b tableBody
	if err := decode(c, &b); err != nil {
		return err
	}
	t := domain.Table{ID: domain.TableID(a.NewID()), Topic: b.Topic, Description: b.Description, Host: b.Host,
		HostGuest: b.HostGuest, Capacity: b.Capacity}
	res, err := run(a, c, id, app.ActorOrganiser, a.cmds.AddCafeTable, domain.AddTable{SessionID: sid, Table: t})
	if err != nil {
		return err
	}
	for _, e := range res.Events { // a repeat answers the first request's table
		if added, ok := e.(domain.TableAdded); ok {
			t = added.Table
		}
	}
	names, err := a.names(c, id)
	if err != nil && !lagging(err) { // lagging read models only cost the host's name
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+string(t.ID))
	return c.JSON(http.StatusCreated, tableOf(t, names))
}

// tablePatch is a JSON merge patch of a table. A null host removes it; setting one kind of host
// replaces the other.
type tablePatch struct {
	Topic       optional[string]                `json:"topic"`
	Description optional[string]                `json:"description"`
	Host        optional[domain.RegistrationID] `json:"host_registration_id"`
	HostGuest   optional[string]                `json:"host_guest"`
	Capacity    optional[int]                   `json:"capacity"`
}

func (p tablePatch) command(sid domain.SessionID, tid domain.TableID) (domain.ChangeTable, error) {
	var fe domain.FieldErrors
	cmd := domain.ChangeTable{SessionID: sid, TableID: tid, Topic: required(p.Topic, "topic", &fe),
		Capacity: required(p.Capacity, "capacity", &fe)}
	if p.Description.Set {
		cmd.Description = &p.Description.Value
	}
	if p.Host.Set {
		cmd.Host = &p.Host.Value
	}
	if p.HostGuest.Set && (!p.HostGuest.Null || !p.Host.Set) {
		cmd.HostGuest = &p.HostGuest.Value
	}
	if len(fe) > 0 {
		return cmd, fe
	}
	return cmd, nil
}

func (a *api) changeCafeTable(c echo.Context) error {
	var p tablePatch
	return a.cafeCommand(c, &p, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		cmd, err := p.command(sid, domain.TableID(c.Param("tid")))
		if err != nil {
			return domain.Appended{}, err
		}
		return a.cmds.ChangeCafeTable(ctx, id, op, cmd)
	})
}

func (a *api) removeCafeTable(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	if _, err := a.use(c, id, app.ActorOrganiser, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return a.cmds.RemoveCafeTable(ctx, id, op, sid, domain.TableID(c.Param("tid")))
	}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *api) openPreferences(c echo.Context) error {
	return a.cafeCommand(c, nil, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return a.cmds.OpenPreferences(ctx, id, op, sid)
	})
}

func (a *api) closePreferences(c echo.Context) error {
	return a.cafeCommand(c, nil, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return a.cmds.ClosePreferences(ctx, id, op, sid)
	})
}

type planBody struct {
	PresentOnly bool `json:"present_only"`
}

// planCafe plans or re-plans. The seed comes from a fresh id (or, for a repeated request, from
// its key), so that the plan is reproducible from the recorded event.
func (a *api) planCafe(c echo.Context) error {
	var b planBody
	seed := seedOf(a.NewID())
	if key, _ := idempotencyKey(c); key != "" {
		seed = seedOf(key)
	}
	return a.cafeCommand(c, &b, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return a.cmds.PlanCafe(ctx, id, op, domain.PlanCafe{SessionID: sid, Seed: seed, PresentOnly: b.PresentOnly})
	})
}

func seedOf(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}

type moveBody struct {
	RegistrationID domain.RegistrationID `json:"registration_id"`
	Round          int                   `json:"round"`
	TableID        domain.TableID        `json:"table_id"`
}

func (a *api) moveCafeGuest(c echo.Context) error {
	var b moveBody
	return a.cafeCommand(c, &b, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return a.cmds.MoveCafeGuest(ctx, id, op, domain.MoveGuest{SessionID: sid, RegistrationID: b.RegistrationID, Round: b.Round, TableID: b.TableID})
	})
}

func (a *api) publishCafePlan(c echo.Context) error {
	return a.cafeCommand(c, nil, func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return a.cmds.PublishCafePlan(ctx, id, op, sid)
	})
}

// cafeCommand is an organiser's command on a café: decode body (unless nil or optional and
// absent), decide, answer the café.
func (a *api) cafeCommand(c echo.Context, body any,
	u func(context.Context, domain.WorkshopID, app.Op, domain.SessionID) (domain.Appended, error)) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	if body != nil && (c.Request().ContentLength != 0 || c.Request().Header.Get(echo.HeaderContentType) != "") {
		if err := decode(c, body); err != nil {
			return err
		}
	}
	if _, err := a.use(c, id, app.ActorOrganiser, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return u(ctx, id, op, sid)
	}); err != nil {
		return err
	}
	return a.showCafeTo(c, id, sid, access{actor: app.ActorOrganiser})
}

type preferencesBody struct {
	// RegistrationID lets an organiser state a ranking for someone; participants leave it out.
	RegistrationID domain.RegistrationID `json:"registration_id"`
	Ranking        []domain.TableID      `json:"ranking"`
}

func (a *api) statePreferences(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	acc, err := a.workshopAccess(c, id)
	if err != nil {
		return err
	}
	var b preferencesBody
	if err := decode(c, &b); err != nil {
		return err
	}
	rid, err := acc.actingFor(b.RegistrationID, "ranking")
	if err != nil {
		return err
	}
	if _, err := run(a, c, id, acc.actor, a.cmds.StatePreferences, domain.StatePreferences{SessionID: sid, RegistrationID: rid, Ranking: b.Ranking}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]domain.TableID{"ranking": nonNil(b.Ranking)})
}

type notesBody struct {
	KeyPoints     []string `json:"key_points"`
	Examples      []string `json:"examples"`
	OpenQuestions []string `json:"open_questions"`
}

// recordNotes lets the organiser or the table's host (with their token) record a round's notes.
func (a *api) recordNotes(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	round, err := strconv.Atoi(c.Param("round"))
	if err != nil {
		return newProblem(http.StatusNotFound, "the round must be a number from 1")
	}
	if token, ok := bearer(c.Request()); ok && app.IsHostToken(token) {
		return a.recordNotesAsHost(c, id, sid, round, token)
	}
	acc, err := a.workshopAccess(c, id)
	if err != nil {
		return err
	}
	var b notesBody
	if err := decode(c, &b); err != nil {
		return err
	}
	cmd := domain.RecordNotes{SessionID: sid, TableID: domain.TableID(c.Param("tid")), Round: round,
		By: acc.view.ID, Notes: domain.TableNotes(b)}
	_, err = run(a, c, id, acc.actor, a.cmds.RecordNotes, cmd)
	if errors.Is(err, domain.ErrNotTableHost) {
		return newProblem(http.StatusForbidden, "only the table's host or an organiser may record its notes")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, notesBody{KeyPoints: nonNil(b.KeyPoints), Examples: nonNil(b.Examples),
		OpenQuestions: nonNil(b.OpenQuestions)})
}
