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

// addTableMaterialAsHost lets a café table's host upload a material to their table (a photo of
// the flipchart, minutes) with the host link's token as Authorization: Bearer, as multipart/
// form-data with the file and an optional title. The link is checked before any byte is stored
// and again in the decision; a token that is not the table's current link answers 404.
func (a *api) addTableMaterialAsHost(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	tid := domain.TableID(c.Param("tid"))
	token, ok := bearer(c.Request())
	if !ok || !app.IsHostToken(token) {
		return domain.ErrHostLinkNotFound
	}
	if _, err := a.cmds.HostTable(c.Request().Context(), id, sid, tid, token); err != nil {
		return err
	}
	op, err := a.uploadOp(c)
	if err != nil {
		return err
	}
	op.Actor = app.ActorHost
	form, err := a.readMaterialForm(c, id, op, "title", "personal")
	if err != nil {
		return err
	}
	added, err := a.cmds.AddMaterialAsHost(c.Request().Context(), id, op, token, sid, tid, *form.file, form.text.Title, form.text.Personal)
	if err != nil {
		return err
	}
	f := added.MaterialFile
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/workshops/"+string(id)+"/materials/"+string(added.MaterialID))
	return c.JSON(http.StatusCreated, materialJSON{ID: added.MaterialID, Name: f.Name, Title: added.Title, Size: f.Size,
		SHA256: f.SHA256, ContentType: f.ContentType, Version: 1, SessionID: added.SessionID, TableID: added.TableID, Personal: added.Personal})
}
