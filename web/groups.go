package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// The pages of a network's working groups, /networks/{id}/groups (the list, and a form to
// create one for its organisers) and /networks/{id}/groups/{gid} (a group with its members,
// meetings and open tasks, and the organisers' forms), and of its partner participation report,
// /networks/{id}/partners (a period form, the figures and the downloads). Every form asks the
// application, as the API does.

func groupsURL(id domain.NetworkID) string { return announcementsURL(id) + "/groups" }

func groupURL(id domain.NetworkID, gid domain.GroupID) string {
	return groupsURL(id) + "/" + url.PathEscape(string(gid))
}

func (s *site) groupRoutes() []route {
	const n = announcementsBase + "/:id"
	const g = n + "/groups/:gid"
	get, post := http.MethodGet, http.MethodPost
	signedIn := s.anyoneSignedIn
	return []route{
		{get, n + "/groups", signedIn(s.groupsPage), false},
		{post, n + "/groups", signedIn(s.createGroup), false},
		{get, g, signedIn(s.groupPage), false},
		{post, g, signedIn(s.changeGroup), false},
		{post, g + "/close", signedIn(s.closeGroup), false},
		{post, g + "/members", signedIn(s.addGroupMember), false},
		{post, g + "/members/:mid/remove", signedIn(s.removeGroupMember), false},
		{get, n + "/partners", signedIn(s.partnersPage), false},
		{get, n + "/partners.csv", signedIn(s.partnersFile("csv")), false},
		{get, n + "/partners.xlsx", signedIn(s.partnersFile("xlsx")), false},
		{get, n + "/partners.pdf", signedIn(s.partnersFile("pdf")), false},
	}
}

// groupsPage is what the list of groups and one group's page show.
type groupsPage struct {
	ID      domain.NetworkID
	Path    string
	Manages bool
	Groups  []app.GroupView
	Group   app.GroupView
	// Candidates are the network's members a manager may add to Group.
	Candidates []app.GroupMemberView
	Form       form
	Notice     string
}

func (s *site) groupsData(c echo.Context) (groupsPage, error) {
	id, err := networkID(c)
	if err != nil {
		return groupsPage{}, err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return groupsPage{}, err
	}
	ctx := c.Request().Context()
	manages, err := s.cmds.GroupsAccess(ctx, caller, id)
	if err != nil {
		return groupsPage{}, err
	}
	p := groupsPage{ID: id, Path: groupsURL(id), Manages: manages, Form: newForm(s)}
	if gid := c.Param("gid"); gid != "" {
		if !domain.ValidID(gid) {
			return groupsPage{}, domain.ErrGroupNotFound
		}
		if p.Group, err = s.cmds.Group(ctx, caller, id, domain.GroupID(gid)); err != nil {
			return groupsPage{}, err
		}
		p.Path = groupURL(id, p.Group.ID)
		p.Form.Values.Set("name", p.Group.Name)
		p.Form.Values.Set("description", p.Group.Description)
		p.Form.Values.Set("series", p.Group.Series)
		if manages {
			if p.Candidates, err = s.cmds.GroupCandidates(ctx, caller, id); err != nil {
				return groupsPage{}, err
			}
		}
	} else if p.Groups, err = s.cmds.Groups(ctx, caller, id); err != nil {
		return groupsPage{}, err
	}
	switch c.QueryParam("done") {
	case "created", "changed", "closed", "added", "removed":
		p.Notice = "Group_" + c.QueryParam("done")
	}
	return p, nil
}

func (s *site) groupsPage(c echo.Context) error {
	return show(s, c, s.groupsData, "groups.html", "GroupsTitle")
}

func (s *site) groupPage(c echo.Context) error {
	return show(s, c, s.groupsData, "group.html", "GroupTitle")
}

// groupForm is the route's network and group, the caller and the posted form.
func (s *site) groupForm(c echo.Context) (domain.NetworkID, domain.GroupID, app.Caller, form, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", app.Caller{}, form{}, err
	}
	gid := c.Param("gid")
	if gid != "" && !domain.ValidID(gid) {
		return "", "", app.Caller{}, form{}, domain.ErrGroupNotFound
	}
	caller, err := s.caller(c)
	if err != nil {
		return "", "", app.Caller{}, form{}, err
	}
	manages, err := s.cmds.GroupsAccess(c.Request().Context(), caller, id)
	switch {
	case err != nil:
		return "", "", app.Caller{}, form{}, err
	case !manages:
		return "", "", app.Caller{}, form{}, app.ErrForbidden
	}
	f, err := submitted(c)
	return id, domain.GroupID(gid), caller, f, err
}

func groupText(f form) domain.GroupText {
	return domain.GroupText{Name: f.V("name"), Description: f.V("description"), Series: f.V("series")}
}

func (s *site) createGroup(c echo.Context) error {
	id, _, caller, f, err := s.groupForm(c)
	if err != nil {
		return err
	}
	g, err := s.cmds.CreateGroup(c.Request().Context(), caller, callerOp(f, "create group"), id, groupText(f))
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.groupsData,
			func(p *groupsPage, f form) { p.Form = f }, "groups.html", "GroupsTitle")
	}
	return seeOther(c, groupURL(id, g.ID), "done", "created")
}

func (s *site) changeGroup(c echo.Context) error {
	id, gid, caller, f, err := s.groupForm(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.ChangeGroup(c.Request().Context(), caller, callerOp(f, "change group"), id, gid, groupText(f)); err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.groupsData,
			func(p *groupsPage, f form) { p.Form = f }, "group.html", "GroupTitle")
	}
	return seeOther(c, groupURL(id, gid), "done", "changed")
}

func (s *site) closeGroup(c echo.Context) error {
	id, gid, caller, f, err := s.groupForm(c)
	if err != nil {
		return err
	}
	if err := s.cmds.CloseGroup(c.Request().Context(), caller, callerOp(f, "close group"), id, gid); err != nil {
		return err
	}
	return seeOther(c, groupsURL(id), "done", "closed")
}

func (s *site) addGroupMember(c echo.Context) error {
	id, gid, caller, f, err := s.groupForm(c)
	if err != nil {
		return err
	}
	mid := f.V("member")
	if !domain.ValidID(mid) {
		return domain.ErrMemberNotFound
	}
	if err := s.cmds.AddGroupMember(c.Request().Context(), caller, callerOp(f, "add group member"), id, gid, domain.AccountID(mid)); err != nil {
		return err
	}
	return seeOther(c, groupURL(id, gid), "done", "added")
}

func (s *site) removeGroupMember(c echo.Context) error {
	id, gid, caller, f, err := s.groupForm(c)
	if err != nil {
		return err
	}
	mid := c.Param("mid")
	if !domain.ValidID(mid) {
		return domain.ErrMemberNotFound
	}
	if err := s.cmds.RemoveGroupMember(c.Request().Context(), caller, callerOp(f, "remove group member"), id, gid, domain.AccountID(mid)); err != nil {
		return err
	}
	return seeOther(c, groupURL(id, gid), "done", "removed")
}

// partnersPage is what the partner participation page shows.
type partnersPage struct {
	ID   domain.NetworkID
	Path string
	// Downloads are the file forms' addresses for the period shown, by extension.
	Downloads map[string]string
	Report    reports.PartnerReport
	Form      form
}

// Percent writes a regularity as a whole percentage.
func (partnersPage) Percent(r float64) int { return int(r*100 + 0.5) }

func (s *site) partnersPage(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return err
	}
	period := app.PartnerPeriod{From: c.QueryParam("from"), To: c.QueryParam("to")}
	p := partnersPage{ID: id, Path: announcementsURL(id) + "/partners", Form: newForm(s)}
	p.Form.Values.Set("from", period.From)
	p.Form.Values.Set("to", period.To)
	r, err := s.cmds.PartnerReport(c.Request().Context(), caller, id, period)
	var fe domain.FieldErrors
	if errors.As(err, &fe) {
		p.Form.rejected(s.texts(c), err)
		r, err = s.cmds.PartnerReport(c.Request().Context(), caller, id, app.PartnerPeriod{})
		if err == nil {
			p.Report = r
			return s.render(c, http.StatusUnprocessableEntity, "partners.html", "PartnersTitle", p)
		}
	}
	if err != nil {
		return err
	}
	p.Report = r
	q := url.Values{"from": {string(r.From)}, "to": {string(r.To)}}.Encode()
	p.Downloads = map[string]string{"xlsx": p.Path + ".xlsx?" + q, "pdf": p.Path + ".pdf?" + q, "csv": p.Path + ".csv?" + q}
	return s.render(c, http.StatusOK, "partners.html", "PartnersTitle", p)
}

// partnersFile serves the report in form ext (csv, xlsx or pdf) in the page's language.
func (s *site) partnersFile(ext string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := networkID(c)
		if err != nil {
			return err
		}
		caller, _, err := s.pageCaller(c)
		if err != nil {
			return err
		}
		lang := s.reportLang(c)
		r, err := s.cmds.PartnerReport(c.Request().Context(), caller, id, app.PartnerPeriod{From: c.QueryParam("from"), To: c.QueryParam("to")})
		if err != nil {
			return err
		}
		mime, disposition, render := "text/csv; charset=utf-8", "attachment", func(w io.Writer) error { return reports.PartnersCSV(w, lang, r) }
		switch ext {
		case "xlsx":
			mime, render = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", func(w io.Writer) error { return reports.PartnersXLSX(w, lang, r) }
		case "pdf":
			mime, disposition, render = "application/pdf", "inline", func(w io.Writer) error { return reports.PartnersPDF(w, lang, r) }
		}
		return sendFile(c, mime, disposition, reports.FileName(lang, reports.PartnersDocument, r.Network+" "+string(r.From)+" "+string(r.To), ext), render)
	}
}
