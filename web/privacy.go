package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
	"github.com/werkstatt/werkstatt/projections"
)

// The pages of the privacy notice (app.PrivacyNotice): the public notice of a network
// (/networks/{id}/privacy) and of the instance (/privacy), the form with which a network's
// admins state theirs (/organiser/networks/{id}/privacy) and the instance's administrator the
// instance's (/organiser/privacy), pre-filled with the template; and the excerpt the
// registration page shows before the consent.

// privacyPath is the public notice of network id, "" for the instance's.
func privacyPath(id domain.NetworkID) string { return mails.PrivacyPath(id) }

// privacyFormPath is the form of the notice of network id, "" for the instance's.
func privacyFormPath(id domain.NetworkID) string {
	if id == "" {
		return "/organiser/privacy"
	}
	return networkURL(id) + "/privacy"
}

func (s *site) privacyRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	signedIn := s.anyoneSignedIn
	return []route{
		{get, "/networks/:id/privacy", s.networkPrivacy, false},
		{get, networksPath + "/:id/privacy", signedIn(s.privacyFormPage), false},
		{post, networksPath + "/:id/privacy", signedIn(s.setPrivacyNotice), false},
		{post, networksPath + "/:id/retention", signedIn(s.setNetworkRetention), false},
		{get, "/organiser/privacy", s.privacyFormPage, true},
		{post, "/organiser/privacy", s.setPrivacyNotice, true},
	}
}

// privacyPage is what a notice's page shows.
type privacyPage struct {
	V app.PrivacyNoticeView
	// Instance is the instance's own notice, with what the instance itself does (the cookie of
	// the personal page).
	Instance bool
}

func (s *site) privacyData(c echo.Context, id domain.NetworkID) (privacyPage, error) {
	v, err := s.cmds.PrivacyNotice(c.Request().Context(), id, s.texts(c).lang)
	return privacyPage{V: v, Instance: id == ""}, err
}

func (s *site) privacy(c echo.Context) error {
	return show(s, c, func(c echo.Context) (privacyPage, error) { return s.privacyData(c, "") }, "privacy.html", "PrivacyTitle")
}

func (s *site) networkPrivacy(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	return show(s, c, func(c echo.Context) (privacyPage, error) { return s.privacyData(c, id) }, "privacy.html", "PrivacyTitle")
}

// privacyExcerpt is what the registration page tells before the consent: who is responsible,
// why, how long the data is kept, and where the whole notice is.
type privacyExcerpt struct {
	Controller string
	Purposes   string
	Period     app.StoragePeriod
	Link       string
}

// maxExcerpt bounds the purposes the registration page shows, in characters.
const maxExcerpt = 300

// privacyExcerptOf is the excerpt of the notice of w's network (or the instance's).
func (s *site) privacyExcerptOf(c echo.Context, w projections.WorkshopView) (privacyExcerpt, error) {
	v, err := s.cmds.PrivacyNotice(c.Request().Context(), w.Network, s.texts(c).lang)
	if err != nil {
		return privacyExcerpt{}, err
	}
	purposes, _, _ := strings.Cut(v.Notice.Purposes, "\n")
	if utf8.RuneCountInString(purposes) > maxExcerpt {
		cut := string([]rune(purposes)[:maxExcerpt])
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
		purposes = cut + " …"
	}
	period, err := s.cmds.StoragePeriod(c.Request().Context(), w.Network, w.Series)
	if err != nil {
		return privacyExcerpt{}, err
	}
	return privacyExcerpt{Controller: v.Notice.Controller.Name, Purposes: purposes, Period: period, Link: privacyPath(w.Network)}, nil
}

// privacyFormPage is what the form of a notice shows.
type privacyFormPage struct {
	// Network is the notice's network, "" for the instance's; Name its name.
	Network domain.NetworkID
	Name    string
	Path    string
	Public  string
	Set     bool
	Form    form
	// Notice is a message id of what the last form did.
	Notice string
	// Retention is a network's default retention period and RetentionForm the form that sets
	// it (not on the instance's notice).
	Retention     app.NetworkRetention
	RetentionForm form
}

// noticeFields are the form's fields, named as the notice's fields.
var noticeFields = []string{"controller.name", "controller.address", "controller.email", "controller.phone", "controller.url",
	"officer.name", "officer.address", "officer.email", "officer.phone", "officer.url",
	"purposes", "legal_basis", "recipients", "rights", "authority.name", "authority.address", "authority.email",
	"authority.phone", "authority.url"}

// noticeField returns the field of p named name.
func noticeField(p *domain.PrivacyNotice, name string) *string {
	contact := func(c *domain.NoticeContact, field string) *string {
		switch field {
		case "name":
			return &c.Name
		case "address":
			return &c.Address
		case "email":
			return &c.Email
		case "phone":
			return &c.Phone
		}
		return &c.URL
	}
	switch who, field, _ := strings.Cut(name, "."); who {
	case "controller":
		return contact(&p.Controller, field)
	case "officer":
		return contact(&p.Officer, field)
	case "authority":
		return contact(&p.Authority, field)
	case "purposes":
		return &p.Purposes
	case "legal_basis":
		return &p.LegalBasis
	case "recipients":
		return &p.Recipients
	}
	return &p.Rights
}

// noticeOf reads the notice of a posted form.
func noticeOf(f form) domain.PrivacyNotice {
	var p domain.PrivacyNotice
	for _, name := range noticeFields {
		*noticeField(&p, name) = f.V(name)
	}
	return p
}

// noticeRoute is the route's network, "" on the instance's form.
func noticeRoute(c echo.Context) (domain.NetworkID, error) {
	if c.Param("id") == "" && strings.HasPrefix(c.Path(), "/organiser/privacy") {
		return "", nil
	}
	return networkID(c)
}

func (s *site) privacyFormData(c echo.Context) (privacyFormPage, error) {
	id, err := noticeRoute(c)
	if err != nil {
		return privacyFormPage{}, err
	}
	if _, err := s.checkedCaller(c, func(ctx context.Context, caller app.Caller) error {
		return s.cmds.StatesPrivacyNotice(ctx, caller, id)
	}); err != nil {
		return privacyFormPage{}, err
	}
	v, err := s.cmds.PrivacyNotice(c.Request().Context(), id, s.texts(c).lang)
	if err != nil {
		return privacyFormPage{}, err
	}
	p := privacyFormPage{Network: id, Name: v.NetworkName, Path: privacyFormPath(id), Public: privacyPath(id), Set: v.Set, Form: newForm(s)}
	for _, name := range noticeFields {
		p.Form.Values.Set(name, *noticeField(&v.Notice, name))
	}
	switch c.QueryParam("saved") {
	case "1":
		p.Notice = "PrivacySaved"
	case "retention":
		p.Notice = "NetworkRetentionSaved"
	}
	if id != "" {
		caller, err := s.caller(c)
		if err != nil {
			return privacyFormPage{}, err
		}
		if p.Retention, err = s.cmds.NetworkRetentionOf(c.Request().Context(), caller, id); err != nil {
			return privacyFormPage{}, err
		}
		p.RetentionForm = newForm(s)
		if p.Retention.Source == "network" {
			p.RetentionForm.Values.Set("months", strconv.Itoa(p.Retention.Months))
		}
	}
	return p, nil
}

// setNetworkRetention sets the network's default retention period from the form beside its
// notice.
func (s *site) setNetworkRetention(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	caller, f, err := s.noticeForm(c, id)
	if err != nil {
		return err
	}
	months, err := strconv.Atoi(strings.TrimSpace(f.V("months")))
	if err != nil {
		err = domain.FieldErrors{{Field: "months", Code: domain.CodeOutOfRange, Detail: "must be a whole number of months, 1 to 120"}}
	} else {
		_, err = s.cmds.SetNetworkRetention(c.Request().Context(), caller, callerOp(f, "network retention "+string(id)), id, months)
	}
	if err != nil {
		return rerender(s, c, err, rejectedNoticeForm, s.privacyFormData, func(p *privacyFormPage, f form) { p.RetentionForm = f }, "privacy-edit.html", "PrivacyEditTitle")
	}
	return seeOther(c, privacyFormPath(id), "saved", "retention")
}

// noticeForm returns the sender of a form about the notice of id (a network's admin, or the
// instance's administrator) and the form.
func (s *site) noticeForm(c echo.Context, id domain.NetworkID) (app.Caller, form, error) {
	caller, err := s.checkedCaller(c, func(ctx context.Context, caller app.Caller) error {
		return s.cmds.StatesPrivacyNotice(ctx, caller, id)
	})
	if err != nil {
		return caller, form{}, err
	}
	f, err := submitted(c)
	return caller, f, err
}

// rejectedNoticeForm explains a rejected notice or retention form: a refusal by role, or the
// fields.
func rejectedNoticeForm(f *form, t texts, err error) bool {
	if errors.Is(err, app.ErrForbidden) {
		f.Message = t.T("ErrRoleForbidden")
		return true
	}
	return f.rejected(t, err)
}

func (s *site) privacyFormPage(c echo.Context) error {
	return show(s, c, s.privacyFormData, "privacy-edit.html", "PrivacyEditTitle")
}

func (s *site) setPrivacyNotice(c echo.Context) error {
	id, err := noticeRoute(c)
	if err != nil {
		return err
	}
	caller, f, err := s.noticeForm(c, id)
	if err != nil {
		return err
	}
	if _, err := s.cmds.SetPrivacyNotice(c.Request().Context(), caller, callerOp(f, "privacy notice "+string(id)), id, noticeOf(f),
		s.texts(c).lang); err != nil {
		return rerender(s, c, err, rejectedNoticeForm, s.privacyFormData, func(p *privacyFormPage, f form) { p.Form = f }, "privacy-edit.html", "PrivacyEditTitle")
	}
	return seeOther(c, privacyFormPath(id), "saved", "1")
}
