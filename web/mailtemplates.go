package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// The pages of a network's mail wording: the list of the adjustable mails per language, and
// one mail's form with its placeholders, a preview with sample data and the way back to the
// built-in text. The application decides who may (app.MailTemplates): the network's admins and
// the organisers of all its series, and the instance's administrator.

// mailTemplatesURL is the list of network id's mails.
func mailTemplatesURL(id domain.NetworkID) string { return networkURL(id) + "/mail-templates" }

// mailTemplateURL is the form of one mail of network id.
func mailTemplateURL(id domain.NetworkID, kind, lang string) string {
	return mailTemplatesURL(id) + "/" + url.PathEscape(kind) + "/" + url.PathEscape(lang)
}

func (s *site) mailTemplateRoutes() []route {
	const base = networksPath + "/:id/mail-templates"
	const one = base + "/:kind/:lang"
	get, post := http.MethodGet, http.MethodPost
	signedIn := s.anyoneSignedIn
	return []route{
		{get, base, signedIn(s.mailTemplatesPage), false},
		{get, one, signedIn(s.mailTemplatePage), false},
		{post, one, signedIn(s.setMailTemplate), false},
		{post, one + "/preview", signedIn(s.previewMailTemplate), false},
		{post, one + "/reset", signedIn(s.resetMailTemplate), false},
	}
}

// mailKindRow is one adjustable mail in every language.
type mailKindRow struct {
	Kind, Label string
	Langs       []app.MailTemplateView
}

// mailKindLabel is the name of a kind of mail in the page's language; the kind itself when the
// catalogues have no name for it yet.
func mailKindLabel(t texts, kind string) string {
	id := "MailKind_" + kind
	if label := t.T(id); label != id {
		return label
	}
	return kind
}

// mailTemplatesPage is what the list of a network's mails shows.
type mailTemplatesPage struct {
	N     app.NetworkView
	Path  string
	Kinds []mailKindRow
}

func (s *site) mailTemplatesData(c echo.Context) (mailTemplatesPage, error) {
	id, err := networkID(c)
	if err != nil {
		return mailTemplatesPage{}, err
	}
	caller, err := s.caller(c)
	if err != nil {
		return mailTemplatesPage{}, err
	}
	ctx := c.Request().Context()
	list, err := s.cmds.MailTemplates(ctx, caller, id)
	if err != nil {
		return mailTemplatesPage{}, err
	}
	n, err := s.cmds.Network(ctx, caller, id)
	if err != nil {
		return mailTemplatesPage{}, err
	}
	p := mailTemplatesPage{N: n, Path: mailTemplatesURL(id)}
	for _, v := range list {
		if len(p.Kinds) == 0 || p.Kinds[len(p.Kinds)-1].Kind != v.Kind {
			p.Kinds = append(p.Kinds, mailKindRow{Kind: v.Kind, Label: mailKindLabel(s.texts(c), v.Kind)})
		}
		last := &p.Kinds[len(p.Kinds)-1]
		last.Langs = append(last.Langs, v)
	}
	return p, nil
}

func (s *site) mailTemplatesPage(c echo.Context) error {
	return show(s, c, s.mailTemplatesData, "mail-templates.html", "MailTemplatesTitle")
}

// mailTemplatePage is what one mail's form shows.
type mailTemplatePage struct {
	N     app.NetworkView
	M     app.MailTemplateView
	Label string
	Path  string
	List  string
	Form  form
	// Preview is the sample mail of the form's wording, after the preview button.
	Preview *mails.Message
	// Notice is a message id of what the last form did.
	Notice string
}

func (s *site) mailTemplateData(c echo.Context) (mailTemplatePage, error) {
	id, err := networkID(c)
	if err != nil {
		return mailTemplatePage{}, err
	}
	caller, err := s.caller(c)
	if err != nil {
		return mailTemplatePage{}, err
	}
	ctx := c.Request().Context()
	m, err := s.cmds.MailTemplate(ctx, caller, id, c.Param("kind"), c.Param("lang"))
	if err != nil {
		return mailTemplatePage{}, err
	}
	n, err := s.cmds.Network(ctx, caller, id)
	if err != nil {
		return mailTemplatePage{}, err
	}
	p := mailTemplatePage{N: n, M: m, Label: mailKindLabel(s.texts(c), m.Kind), Path: mailTemplateURL(id, m.Kind, m.Lang),
		List: mailTemplatesURL(id), Form: newForm(s)}
	w := m.BuiltIn
	if m.Override != nil {
		w = *m.Override
	}
	p.Form.Values.Set("subject", w.Subject)
	p.Form.Values.Set("text", w.Text)
	switch {
	case c.QueryParam("saved") == "1":
		p.Notice = "MailTemplateSaved"
	case c.QueryParam("reset") == "1":
		p.Notice = "MailTemplateResetNotice"
	}
	return p, nil
}

func (s *site) mailTemplatePage(c echo.Context) error {
	return show(s, c, s.mailTemplateData, "mail-template.html", "MailTemplateTitle")
}

// mailTemplateForm is the route's mail, the caller and the posted form, read only once the
// caller was found to word the network's mails.
func (s *site) mailTemplateForm(c echo.Context) (domain.NetworkID, string, string, app.Caller, form, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", "", app.Caller{}, form{}, err
	}
	caller, err := s.checkedCaller(c, func(ctx context.Context, caller app.Caller) error {
		return s.cmds.WordsMails(ctx, caller, id)
	})
	if err != nil {
		return "", "", "", app.Caller{}, form{}, err
	}
	f, err := submitted(c)
	return id, c.Param("kind"), c.Param("lang"), caller, f, err
}

// wording is the subject and text of a posted mail form.
func wording(f form) app.MailWording {
	return app.MailWording{Subject: f.V("subject"), Text: f.V("text")}
}

func (s *site) setMailTemplate(c echo.Context) error {
	id, kind, lang, caller, f, err := s.mailTemplateForm(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.SetMailTemplate(c.Request().Context(), caller, callerOp(f, "mail template "+string(id)+" "+kind+" "+lang),
		id, kind, lang, wording(f)); err != nil {
		return s.rejectedMailTemplate(c, err)
	}
	return seeOther(c, mailTemplateURL(id, kind, lang), "saved", "1")
}

func (s *site) previewMailTemplate(c echo.Context) error {
	id, kind, lang, caller, f, err := s.mailTemplateForm(c)
	if err != nil {
		return err
	}
	m, err := s.cmds.PreviewMailTemplate(c.Request().Context(), caller, id, kind, lang, wording(f))
	if err != nil {
		return s.rejectedMailTemplate(c, err)
	}
	p, err := s.mailTemplateData(c)
	if err != nil {
		return err
	}
	p.Form, p.Preview = f, &m
	return s.render(c, http.StatusOK, "mail-template.html", "MailTemplateTitle", p)
}

func (s *site) resetMailTemplate(c echo.Context) error {
	id, kind, lang, caller, f, err := s.mailTemplateForm(c)
	if err != nil {
		return err
	}
	if err := s.cmds.ResetMailTemplate(c.Request().Context(), caller, callerOp(f, "reset mail template "+string(id)+" "+kind+" "+lang),
		id, kind, lang); err != nil {
		return s.rejectedMailTemplate(c, err)
	}
	return seeOther(c, mailTemplateURL(id, kind, lang), "reset", "1")
}

// rejectedMailTemplate shows the mail's form again with what was typed and why it was refused.
func (s *site) rejectedMailTemplate(c echo.Context, err error) error {
	return rerender(s, c, err, func(f *form, t texts, err error) bool {
		if errors.Is(err, app.ErrForbidden) {
			f.Message = t.T("ErrRoleForbidden")
			return true
		}
		return f.rejected(t, err)
	}, s.mailTemplateData, func(p *mailTemplatePage, f form) { p.Form = f }, "mail-template.html", "MailTemplateTitle")
}
