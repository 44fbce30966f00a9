package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The printouts and results of a café, served from the organiser's pages: they authenticate
// with the session cookie, which the JSON API does not take. The reports package renders them
// in the page's language.

// printout is a document of a café and its content type.
type printout struct {
	file, contentType string
	write             func(io.Writer, reports.Lang, projections.WorkshopView, reports.Cafe) error
}

const pdf = "application/pdf"

var printouts = map[string]printout{
	"table-cards": {"table-cards.pdf", pdf, reports.TableCards},
	"routes": {"routes.pdf", pdf, func(w io.Writer, l reports.Lang, ws projections.WorkshopView, c reports.Cafe) error {
		return reports.SeatRoutes(w, l, ws, c, "")
	}},
	"results-pdf": {"results.pdf", pdf, reports.CafeResultsPDF},
	"results-md":  {"results.md", "text/markdown; charset=utf-8", reports.CafeResultsMarkdown},
}

// cafePrintout answers the document named by the route. It renders into memory first, so that
// a failure becomes an error page rather than half a file.
func (s *site) cafePrintout(name string) echo.HandlerFunc {
	doc := printouts[name]
	return func(c echo.Context) error {
		id, err := workshopID(c)
		if err != nil {
			return err
		}
		sid := c.Param("sid")
		if !domain.ValidID(sid) {
			return domain.ErrSessionNotFound
		}
		ws, cafe, err := reports.LoadCafe(c.Request().Context(), s.cfg.Reader, id, domain.SessionID(sid))
		if errors.Is(err, domain.ErrNotThemeCafe) {
			return domain.ErrSessionNotFound // as the café's pages answer
		}
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := doc.write(&buf, reports.Lang(s.texts(c).lang), ws, cafe); err != nil {
			if errors.Is(err, domain.ErrNoPlan) { // nothing to print yet, not a failure
				return s.render(c, http.StatusConflict, "error.html", "ErrorTitle", errorPage{Message: s.texts(c).T("ErrNoPlan")})
			}
			return err
		}
		disposition := "inline" // a PDF opens in the browser, ready to print
		if doc.contentType != pdf {
			disposition = "attachment"
		}
		c.Response().Header().Set("Content-Disposition", disposition+`; filename="`+doc.file+`"`)
		return c.Blob(http.StatusOK, doc.contentType, buf.Bytes())
	}
}
