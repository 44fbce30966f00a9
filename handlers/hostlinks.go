package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// hostLinkJSON is the answer to a new host link: its token, shown only now. The host sends it
// as Authorization: Bearer on PUT .../tables/{tid}/notes/{round}.
type hostLinkJSON struct {
	Token string `json:"token"`
}

// issueHostLink gives a café table a new host link (replacing the old one) and answers 201.
func (a *api) issueHostLink(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	tid := domain.TableID(c.Param("tid"))
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	token, err := a.cmds.IssueHostLink(c.Request().Context(), id, op, sid, tid)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, hostLinkJSON{Token: token})
}

// revokeHostLink makes a table's host link invalid and answers 204 (also without one).
func (a *api) revokeHostLink(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	tid := domain.TableID(c.Param("tid"))
	if _, err := run(a, c, id, app.ActorOrganiser, func(ctx context.Context, id domain.WorkshopID, op app.Op, tid domain.TableID) (domain.Appended, error) {
		return a.cmds.RevokeHostLink(ctx, id, op, sid, tid)
	}, tid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// recordNotesAsHost records a table's notes by its host link's token (see recordNotes). A
// token that is not the table's current link answers 404.
func (a *api) recordNotesAsHost(c echo.Context, id domain.WorkshopID, sid domain.SessionID, round int, token string) error {
	var b notesBody
	if err := decode(c, &b); err != nil {
		return err
	}
	cmd := domain.RecordNotes{SessionID: sid, TableID: domain.TableID(c.Param("tid")), Round: round, Notes: domain.TableNotes(b)}
	if _, err := a.use(c, id, app.ActorHost, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return a.cmds.RecordNotesAsHost(ctx, id, op, token, cmd)
	}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, notesBody{KeyPoints: nonNil(b.KeyPoints), Examples: nonNil(b.Examples),
		OpenQuestions: nonNil(b.OpenQuestions)})
}
