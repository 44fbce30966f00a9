package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// Host links: the organiser issues one per café table (a link with a QR code to print or show);
// the table's host opens it on their phone and writes the table's notes per round. The page
// shows the table's topic and the rounds with their times, nothing else of the workshop.

// hostLinkPage is the organiser's page with a table's new host link.
type hostLinkPage struct {
	cafePage
	Table domain.Table
	Link  string
	Code  any // the link's QR code (template.HTML)
}

// issueHostLink gives a table a new host link (the old one stops working) and shows it.
func (s *site) issueHostLink(c echo.Context) error {
	p, t, err := s.loadCafeTable(c)
	if err != nil {
		return err
	}
	token, err := s.cmds.IssueHostLink(c.Request().Context(), p.W.ID, app.Op{}, p.Session.ID, t.ID)
	if err != nil {
		return err
	}
	link := absoluteURL(c, hostPath(p.W.ID, p.Session.ID, t.ID)+"?token="+url.QueryEscape(token))
	code, err := qrSVG(link, s.texts(c).T("HostLinkCode", "Topic", t.Topic))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "cafe-host-link.html", "HostLinkTitle", hostLinkPage{cafePage: p, Table: t, Link: link, Code: code})
}

// revokeHostLink makes a table's host link invalid and goes back to the café.
func (s *site) revokeHostLink(c echo.Context) error {
	p, t, err := s.loadCafeTable(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.RevokeHostLink(c.Request().Context(), p.W.ID, app.Op{}, p.Session.ID, t.ID); err != nil {
		return err
	}
	return s.backToCafe(c)
}

// loadCafeTable loads the café of the path and its table :tid.
func (s *site) loadCafeTable(c echo.Context) (cafePage, domain.Table, error) {
	p, err := s.loadCafe(c)
	if err != nil {
		return p, domain.Table{}, err
	}
	t, ok := p.table(domain.TableID(c.Param("tid")))
	if !ok {
		return p, domain.Table{}, domain.ErrTableNotFound
	}
	return p, t, nil
}

func hostPath(w domain.WorkshopID, sid domain.SessionID, tid domain.TableID) string {
	return "/w/" + url.PathEscape(string(w)) + "/cafes/" + url.PathEscape(string(sid)) + "/tables/" + url.PathEscape(string(tid)) + "/host"
}

// hostPage is what the host sees: the table, a notes form per round, and the table's
// materials with a form to upload one.
type hostPage struct {
	Table     domain.Table
	Title     string
	Token     string
	Path      string
	Rounds    []hostRound
	Saved     int
	Materials []projections.MaterialView
	Upload    form
	Uploaded  bool
	MaxMB     string
	Workshop  domain.WorkshopID
}

type hostRound struct {
	N    int
	Time string
	Form form
}

// hostView loads the host's page of the path's table by token; errors are ErrHostLinkNotFound.
func (s *site) hostView(c echo.Context, token string) (hostPage, error) {
	id, err := workshopID(c)
	if err != nil {
		return hostPage{}, domain.ErrHostLinkNotFound
	}
	sid, tid := domain.SessionID(c.Param("sid")), domain.TableID(c.Param("tid"))
	v, err := s.cmds.HostTable(c.Request().Context(), id, sid, tid, token)
	if err != nil {
		return hostPage{}, err
	}
	p := hostPage{Table: v.Table, Title: v.Session.Title, Token: token, Path: hostPath(id, sid, tid), Upload: newForm(s),
		MaxMB: strconv.FormatInt(s.cmds.MaxMaterialBytes()/1_000_000, 10), Workshop: id}
	ms, err := s.cfg.Reader.Materials(c.Request().Context(), id)
	if err != nil {
		return hostPage{}, err
	}
	for _, m := range ms {
		if m.TableID == tid && m.SessionID == sid {
			p.Materials = append(p.Materials, m)
		}
	}
	times := reports.Lang(s.texts(c).lang).RoundTimes(v.Session, v.Rounds)
	for n := 1; n <= v.Rounds; n++ {
		r := hostRound{N: n, Form: newForm(s)}
		if n-1 < len(times) {
			r.Time = times[n-1]
		}
		notes := v.Notes[n]
		r.Form.Values.Set("key_points", strings.Join(notes.KeyPoints, "\n"))
		r.Form.Values.Set("examples", strings.Join(notes.Examples, "\n"))
		r.Form.Values.Set("open_questions", strings.Join(notes.OpenQuestions, "\n"))
		p.Rounds = append(p.Rounds, r)
	}
	return p, nil
}

func (s *site) hostNotesPage(c echo.Context) error {
	p, err := s.hostView(c, c.QueryParam("token"))
	if err != nil {
		return err
	}
	p.Saved, _ = strconv.Atoi(c.QueryParam("saved"))
	p.Uploaded = c.QueryParam("material") == "saved"
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "cafe-host.html", "HostNotesTitle", p)
}

// recordHostNotes records the notes of one round by the host link (actor host).
func (s *site) recordHostNotes(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	token := f.V("token")
	p, err := s.hostView(c, token)
	if err != nil {
		return err
	}
	round, err := strconv.Atoi(c.Param("round"))
	if err != nil || round < 1 || round > len(p.Rounds) {
		return domain.ErrHostLinkNotFound
	}
	id, _ := workshopID(c) // hostView checked it
	cmd := domain.RecordNotes{SessionID: domain.SessionID(c.Param("sid")), TableID: p.Table.ID, Round: round,
		Notes: domain.TableNotes{KeyPoints: lines(f.V("key_points")), Examples: lines(f.V("examples")),
			OpenQuestions: lines(f.V("open_questions"))}}
	_, err = s.cmds.RecordNotesAsHost(c.Request().Context(), id, app.Op{}, token, cmd)
	c.Response().Header().Set("Cache-Control", "no-store")
	if err != nil {
		if !f.rejectedInCafe(s.texts(c), err) {
			return err
		}
		p.Rounds[round-1].Form = f
		return s.render(c, http.StatusUnprocessableEntity, "cafe-host.html", "HostNotesTitle", p)
	}
	return seeOther(c, p.Path, "token", token, "saved", strconv.Itoa(round))
}

// hostMaterialsPath is where a table's host uploads a material to the table (a photo of the
// flipchart, minutes) by the host link.
const hostMaterialsPath = "/w/:id/cafes/:sid/tables/:tid/host/materials"

// uploadHostMaterial stores the host's upload as a material of the table (actor host); a file
// over the limit or of another type is a message on the host's page.
func (s *site) uploadHostMaterial(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	token := f.V("token")
	p, err := s.hostView(c, token)
	if err != nil {
		return err
	}
	id, _ := workshopID(c) // hostView checked it
	sid := domain.SessionID(c.Param("sid"))
	op := app.Op{Key: f.Key, Scope: "web host material " + string(id) + " " + string(p.Table.ID), Body: f.body()}
	err = s.withUpload(c, func(u app.Upload) error {
		file, err := s.cmds.StoreUploadAsHost(c.Request().Context(), id, op, token, sid, p.Table.ID, u)
		if err != nil {
			return err
		}
		_, err = s.cmds.AddMaterialAsHost(c.Request().Context(), id, op, token, sid, p.Table.ID, file, f.V("title"), personalChoice(f.V("personal"), file))
		return err
	})
	c.Response().Header().Set("Cache-Control", "no-store")
	if err != nil {
		if errors.Is(err, domain.ErrMaterialTooLarge) || errors.Is(err, domain.ErrMaterialType) {
			err = domain.FieldErrors{{Field: "file", Code: ruleCode(err), Detail: err.Error()}}
		}
		if !f.rejected(s.texts(c), err) {
			return err
		}
		p.Upload = f
		return s.render(c, http.StatusUnprocessableEntity, "cafe-host.html", "HostNotesTitle", p)
	}
	return seeOther(c, p.Path, "token", token, "material", "saved")
}
