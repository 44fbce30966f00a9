package handlers

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The printable documents of a theme café: table cards and personal routes as PDF, the
// results as PDF and Markdown, rendered by package reports. ?lang=en selects English; German
// is the default.

const (
	mimePDF      = "application/pdf"
	mimeMarkdown = "text/markdown; charset=utf-8"
)

var (
	errBadLang          = newProblem(http.StatusBadRequest, "lang must be de or en")
	errRouteUnpublished = newProblem(http.StatusConflict, "the rotation plan is not published yet")
)

// cafeDocument is what a document handler has read: the language, the café and who asks.
type cafeDocument struct {
	lang reports.Lang
	ws   projections.WorkshopView
	cafe reports.Cafe
	acc  access
}

// readCafeDocument checks the language and the caller (organiser or participant of the
// workshop) and reads the café.
func (a *api) readCafeDocument(c echo.Context) (cafeDocument, error) {
	lang, ok := reports.ParseLang(c.QueryParam("lang"))
	if !ok {
		return cafeDocument{}, errBadLang
	}
	id, sid, err := sessionPath(c)
	if err != nil {
		return cafeDocument{}, err
	}
	acc, err := a.workshopAccess(c, id)
	if err != nil {
		return cafeDocument{}, err
	}
	ws, cafe, err := reports.LoadCafe(c.Request().Context(), a.Reader, id, sid)
	return cafeDocument{lang: lang, ws: ws, cafe: cafe, acc: acc}, err
}

// title is the café session's title, for file names.
func (d cafeDocument) title() string {
	for _, s := range d.ws.Agenda {
		if s.ID == d.cafe.View.Session {
			return s.Title
		}
	}
	return ""
}

// sendDocument renders into memory first, so that a failure still answers a problem, then
// sends the document. Documents name people, so no cache may keep them.
func sendDocument(c echo.Context, mime, disposition, name string, render func(io.Writer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("%s; filename=%q", disposition, name))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, mime, b.Bytes())
}

// cafeTableCards serves the table cards; the route admits only the organiser.
func (a *api) cafeTableCards(c echo.Context) error {
	d, err := a.readCafeDocument(c)
	if err != nil {
		return err
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(d.lang, reports.TableCardsDocument, d.title(), "pdf"),
		func(w io.Writer) error { return reports.TableCards(w, d.lang, d.ws, d.cafe) })
}

// cafeRoutes serves every route to the organiser, published or not (they print before they
// publish), and a participant's own route once the plan is published.
func (a *api) cafeRoutes(c echo.Context) error {
	d, err := a.readCafeDocument(c)
	if err != nil {
		return err
	}
	var only domain.RegistrationID
	if d.acc.actor != app.ActorOrganiser {
		if !d.cafe.View.Published || d.cafe.View.Plan == nil {
			return errRouteUnpublished
		}
		only = d.acc.view.ID
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(d.lang, reports.SeatRoutesDocument, d.title(), "pdf"),
		func(w io.Writer) error { return reports.SeatRoutes(w, d.lang, d.ws, d.cafe, only) })
}

// cafeResultsPDF serves the results as PDF to the organiser and the workshop's participants,
// like the JSON results.
func (a *api) cafeResultsPDF(c echo.Context) error {
	d, err := a.readCafeDocument(c)
	if err != nil {
		return err
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(d.lang, reports.ResultsDocument, d.title(), "pdf"),
		func(w io.Writer) error { return reports.CafeResultsPDF(w, d.lang, d.ws, d.cafe) })
}

// cafeResultsMarkdown serves the results as Markdown, as a download.
func (a *api) cafeResultsMarkdown(c echo.Context) error {
	d, err := a.readCafeDocument(c)
	if err != nil {
		return err
	}
	return sendDocument(c, mimeMarkdown, "attachment", reports.FileName(d.lang, reports.ResultsDocument, d.title(), "md"),
		func(w io.Writer) error { return reports.CafeResultsMarkdown(w, d.lang, d.ws, d.cafe) })
}
