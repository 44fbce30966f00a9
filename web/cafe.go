package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The theme café of a session, as organisers set it up: tables with topic, host and seats,
// the number of rounds and the collection of preferences. cafe_plan.go holds the rotation
// plan, cafe_notes.go the notes and results, cafe_participant.go the participants' ranking.

// cafePage is what every café page shows: the workshop, the session with its café and the
// names of the registrations, which the café keeps by id only.
type cafePage struct {
	W       projections.WorkshopView
	Session domain.Session
	Cafe    projections.ThemeCafeView
	regs    people
}

// loadCafe reads the café of the path's session. A session that is not on the agenda or is not
// a theme café is not found.
func (s *site) loadCafe(c echo.Context) (cafePage, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return cafePage{}, err
	}
	sid := c.Param("sid")
	i := slices.IndexFunc(w.Agenda, func(se domain.Session) bool { return string(se.ID) == sid })
	if !domain.ValidID(sid) || i < 0 || w.Agenda[i].Kind != domain.ThemeCafe {
		return cafePage{}, domain.ErrSessionNotFound
	}
	ctx := c.Request().Context()
	cafe, err := s.cfg.Reader.ThemeCafe(ctx, w.ID, w.Agenda[i].ID)
	if err != nil {
		return cafePage{}, err
	}
	regs, err := s.peopleOf(ctx, w.ID)
	if err != nil {
		return cafePage{}, err
	}
	p := cafePage{W: w, Session: w.Agenda[i], Cafe: cafe, regs: regs}
	return p, nil
}

// Name is the name of registration id; an erased or unknown one shows its id.
func (p cafePage) Name(id domain.RegistrationID) string { return p.regs.Name(id) }

// Host names the host of table t: the registration's name or the guest's, "" for none.
func (p cafePage) Host(t domain.Table) string {
	if t.Host != "" {
		return p.Name(t.Host)
	}
	return t.HostGuest
}

// Topic is the topic of table id, or the id of a table that is gone.
func (p cafePage) Topic(id domain.TableID) string {
	if i := slices.IndexFunc(p.Cafe.Tables, func(t domain.Table) bool { return t.ID == id }); i >= 0 {
		return p.Cafe.Tables[i].Topic
	}
	return string(id)
}

// Path is the organiser's address of the café.
func (p cafePage) Path() string { return cafePath(p.W.ID, p.Session.ID) }

func cafePath(w domain.WorkshopID, s domain.SessionID) string {
	return "/organiser/workshops/" + url.PathEscape(string(w)) + "/cafes/" + url.PathEscape(string(s))
}

// people are the registrations confirmed for the café's day, by name: those who may host a
// table, rank tables and be seated.
func (p cafePage) people() []projections.RegistrationView {
	var list []projections.RegistrationView
	for _, r := range p.regs {
		if r.Status == domain.Confirmed && slices.Contains(r.Days, p.Session.Day) {
			list = append(list, r)
		}
	}
	slices.SortFunc(list, func(a, b projections.RegistrationView) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return list
}

// cafeSetup is the organiser's café page: the tables with their edit forms, the rounds and the
// collection. One of the forms may come back with messages.
type cafeSetup struct {
	cafePage
	Hosts    []projections.RegistrationView
	Add      form
	Rounds   form
	Edit     form
	EditedID domain.TableID // the table whose form Edit is
	Actions  form           // collection and planning: a message only
	Saved    bool
}

// TableForm is the edit form of table t: what was typed into it if it came back rejected,
// else t as it stands.
func (e cafeSetup) TableForm(t domain.Table) form {
	if t.ID == e.EditedID && e.Edit.Values.Has("topic") {
		return e.Edit
	}
	f := form{Values: url.Values{"topic": {t.Topic}, "description": {t.Description}, "host": {string(t.Host)},
		"host_guest": {t.HostGuest}, "capacity": {strconv.Itoa(t.Capacity)}}, Errors: map[string]string{}}
	if t.ID == e.EditedID {
		f.Message = e.Edit.Message // a rejected removal sends no fields
	}
	return f
}

func (s *site) cafeSetup(c echo.Context) (cafeSetup, error) {
	p, err := s.loadCafe(c)
	if err != nil {
		return cafeSetup{}, err
	}
	e := cafeSetup{cafePage: p, Hosts: p.people(), Add: newForm(s), Rounds: newForm(s), Actions: newForm(s),
		Saved: c.QueryParam("saved") == "1"}
	e.Add.Values.Set("capacity", "8")
	e.Rounds.Values.Set("rounds", strconv.Itoa(p.Cafe.Rounds))
	return e, nil
}

func (s *site) cafeSetupPage(c echo.Context) error {
	return show(s, c, s.cafeSetup, "cafe-setup.html", "CafeTitle")
}

// cafeRejected renders the café page with the submitted form (which err rejected) in its place.
func (s *site) cafeRejected(c echo.Context, err error, place func(*cafeSetup, form)) error {
	return rerender(s, c, err, (*form).rejectedInCafe, s.cafeSetup, place, "cafe-setup.html", "CafeTitle")
}

// decideCafe runs an organiser's café command from a form; key makes a double submit
// harmless where the command creates something.
func (s *site) decideCafe(c echo.Context, key, scope string,
	u func(context.Context, domain.WorkshopID, app.Op, domain.SessionID) (domain.Appended, error)) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	sid := domain.SessionID(c.Param("sid"))
	op := app.Op{Actor: actorOf(c)}
	if key != "" {
		op.Key, op.Scope = key, "web "+scope+" "+string(id)+" "+string(sid)
	}
	_, err = u(c.Request().Context(), id, op, sid)
	return err
}

func (s *site) setCafeRounds(c echo.Context) error {
	rounds, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("rounds"))) // not a number: 0, which the domain rejects
	err := s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return s.cmds.SetCafeRounds(ctx, id, op, domain.SetRounds{SessionID: sid, Rounds: rounds})
	})
	if err != nil {
		return s.cafeRejected(c, err, func(e *cafeSetup, f form) { e.Rounds = f })
	}
	return s.backToCafe(c)
}

// tableOf reads a table's fields from a form. A form that names both a registered host and a
// guest is rejected here with the domain's own words: ChangeTable would let the later one win.
func tableOf(f form) (domain.Table, error) {
	capacity, _ := strconv.Atoi(strings.TrimSpace(f.V("capacity")))
	t := domain.Table{Topic: f.V("topic"), Description: f.V("description"), Host: domain.RegistrationID(f.V("host")),
		HostGuest: strings.TrimSpace(f.V("host_guest")), Capacity: capacity}
	if t.Host != "" && t.HostGuest != "" {
		return t, domain.FieldErrors{{Field: "host", Code: domain.CodeEitherOr, Detail: "name either a registration or a guest as host, not both"}}
	}
	return t, nil
}

func (s *site) addCafeTable(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t, err := tableOf(f)
	if err == nil {
		t.ID = domain.TableID(s.cfg.NewID())
		err = s.decideCafe(c, f.Key, "add table", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
			return s.cmds.AddCafeTable(ctx, id, op, domain.AddTable{SessionID: sid, Table: t})
		})
	}
	if err != nil {
		return s.cafeRejected(c, err, func(e *cafeSetup, f form) { e.Add = f })
	}
	return s.backToCafe(c)
}

func (s *site) changeCafeTable(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	tid := domain.TableID(c.Param("tid"))
	t, err := tableOf(f)
	if err == nil {
		cmd := domain.ChangeTable{TableID: tid, Topic: &t.Topic, Description: &t.Description, Capacity: &t.Capacity}
		if t.Host != "" {
			cmd.Host = &t.Host
		} else {
			cmd.HostGuest = &t.HostGuest // clears the registered host too; "" removes the host
		}
		err = s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
			cmd.SessionID = sid
			return s.cmds.ChangeCafeTable(ctx, id, op, cmd)
		})
	}
	if err != nil {
		return s.cafeRejected(c, err, func(e *cafeSetup, f form) { e.Edit, e.EditedID = f, tid })
	}
	return s.backToCafe(c)
}

func (s *site) removeCafeTable(c echo.Context) error {
	tid := domain.TableID(c.Param("tid"))
	err := s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return s.cmds.RemoveCafeTable(ctx, id, op, sid, tid)
	})
	if err != nil {
		return s.cafeRejected(c, err, func(e *cafeSetup, f form) { e.Actions = f })
	}
	return s.backToCafe(c)
}

// setCafeCollection opens (action=open) or closes the collection of preferences.
func (s *site) setCafeCollection(c echo.Context) error {
	open := c.FormValue("action") == "open"
	err := s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		if open {
			return s.cmds.OpenPreferences(ctx, id, op, sid)
		}
		return s.cmds.ClosePreferences(ctx, id, op, sid)
	})
	if err != nil {
		return s.cafeRejected(c, err, func(e *cafeSetup, f form) { e.Actions = f })
	}
	return s.backToCafe(c)
}

func (s *site) backToCafe(c echo.Context) error {
	id, _ := workshopID(c) // the command succeeded: the id is valid
	return seeOther(c, cafePath(id, domain.SessionID(c.Param("sid"))), "saved", "1")
}

// cafeRoutes are the pages of theme cafés: the organiser's under the workshop, the
// participant's under their registration.
func (s *site) cafeRoutes() []route {
	const cafe = "/organiser/workshops/:id/cafes/:sid"
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, cafe, s.cafeSetupPage, true},
		{post, cafe + "/rounds", s.setCafeRounds, true},
		{post, cafe + "/tables", s.addCafeTable, true},
		{post, cafe + "/tables/:tid", s.changeCafeTable, true},
		{post, cafe + "/tables/:tid/remove", s.removeCafeTable, true},
		{post, cafe + "/tables/:tid/host-link", s.issueHostLink, true},
		{post, cafe + "/tables/:tid/host-link/revoke", s.revokeHostLink, true},
		{post, cafe + "/preferences", s.setCafeCollection, true},
		{post, cafe + "/plan", s.planCafe, true},
		{get, cafe + "/plan", s.cafePlanPage, true},
		{post, cafe + "/plan/moves", s.moveCafeGuest, true},
		{post, cafe + "/plan/publish", s.publishCafePlan, true},
		{get, cafe + "/notes/:tid/:round", s.cafeNotesPage, true},
		{post, cafe + "/notes/:tid/:round", s.recordCafeNotes, true},
		{get, cafe + "/results", s.cafeResultsPage, true},
		{get, cafe + "/table-cards.pdf", s.cafePrintout("table-cards"), true},
		{get, cafe + "/routes.pdf", s.cafePrintout("routes"), true},
		{get, cafe + "/results.pdf", s.cafePrintout("results-pdf"), true},
		{get, cafe + "/results.md", s.cafePrintout("results-md"), true},

		{get, "/w/:id/r/:rid/cafes/:sid", s.cafeRankingPage, false},
		{get, "/w/:id/cafes/:sid/tables/:tid/host", s.hostNotesPage, false},
		{post, "/w/:id/cafes/:sid/tables/:tid/host/:round", s.recordHostNotes, false},
		{post, hostMaterialsPath, s.uploadHostMaterial, false},
		{post, "/w/:id/r/:rid/cafes/:sid", s.stateCafePreferences, false},
	}
}
