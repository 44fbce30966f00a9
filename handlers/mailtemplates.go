package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// The routes of a network's mail wording (app.MailTemplates): its organisers read, set, preview
// and reset the subject and main text of each adjustable mail per language.

// mailTemplatePath is the route's network, kind and language; a malformed one names nothing.
func mailTemplatePath(c echo.Context) (domain.NetworkID, string, string, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", "", err
	}
	kind, lang := c.Param("kind"), c.Param("lang")
	if !domain.ValidID(kind) || !domain.ValidID(lang) {
		return "", "", "", domain.ErrMailTemplateNotFound
	}
	return id, kind, lang, nil
}

func (a *api) listMailTemplates(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	list, err := a.cmds.MailTemplates(c.Request().Context(), callerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]app.MailTemplateView{"mail_templates": list})
}

// mailWording binds the body {"subject", "text"}.
func mailWording(c echo.Context) (app.MailWording, error) {
	var b struct {
		Subject string `json:"subject"`
		Text    string `json:"text"`
	}
	err := decode(c, &b)
	return app.MailWording{Subject: b.Subject, Text: b.Text}, err
}

func (a *api) setMailTemplate(c echo.Context) error {
	id, kind, lang, err := mailTemplatePath(c)
	if err != nil {
		return err
	}
	w, err := mailWording(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.SetMailTemplate(c.Request().Context(), callerOf(c), op, id, kind, lang, w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) resetMailTemplate(c echo.Context) error {
	id, kind, lang, err := mailTemplatePath(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.ResetMailTemplate(c.Request().Context(), callerOf(c), op, id, kind, lang); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// mailPreview is a rendered sample mail.
type mailPreview struct {
	Kind    mails.Kind `json:"kind"`
	Lang    string     `json:"lang"`
	Subject string     `json:"subject"`
	Text    string     `json:"text"`
	HTML    string     `json:"html"`
}

func (a *api) previewMailTemplate(c echo.Context) error {
	id, kind, lang, err := mailTemplatePath(c)
	if err != nil {
		return err
	}
	w, err := mailWording(c)
	if err != nil {
		return err
	}
	m, err := a.cmds.PreviewMailTemplate(c.Request().Context(), callerOf(c), id, kind, lang, w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, mailPreview{Kind: m.Kind, Lang: m.Lang, Subject: m.Subject, Text: m.Text, HTML: m.HTML})
}
