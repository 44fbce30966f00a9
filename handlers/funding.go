package handlers

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The funding details of a workshop (issue 14): project, funding reference, funder and the
// funder's logo, shown on the sign-in sheets and certificates. The organiser sets them per
// workshop or for every workshop of a series; the series' lead reads them (reportRoutes).

type fundingBody struct {
	Project          optional[string] `json:"project"`
	FundingReference optional[string] `json:"funding_reference"`
	Funder           optional[string] `json:"funder"`
}

// text is the body as the application takes it: an absent field or "" clears it, null is
// refused.
func (b fundingBody) text() (app.FundingText, error) {
	var fe domain.FieldErrors
	value := func(o optional[string], field string) string {
		if v := required(o, field, &fe); v != nil {
			return *v
		}
		return ""
	}
	f := app.FundingText{Project: value(b.Project, "project"), FundingReference: value(b.FundingReference, "funding_reference"),
		Funder: value(b.Funder, "funder")}
	if len(fe) > 0 {
		return app.FundingText{}, fe
	}
	return f, nil
}

// fundingView is a workshop's funding details as the API shows them.
type fundingView struct {
	Workshop         domain.WorkshopID `json:"workshop"`
	Series           string            `json:"series,omitempty"`
	Project          string            `json:"project"`
	FundingReference string            `json:"funding_reference"`
	Funder           string            `json:"funder"`
	Logo             *domain.Logo      `json:"logo"`
}

func (a *api) showFunding(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ws, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := ws.Funding
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, fundingView{Workshop: ws.ID, Series: ws.Series, Project: f.Project,
		FundingReference: f.FundingReference, Funder: f.Funder, Logo: f.Logo})
}

func (a *api) setFunding(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b fundingBody
	if err := decode(c, &b); err != nil {
		return err
	}
	f, err := b.text()
	if err != nil {
		return err
	}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.SetFunding, f); err != nil {
		return err
	}
	return a.showFunding(c)
}

var errLogoType = newProblem(http.StatusUnsupportedMediaType, "send the logo as the raw body with Content-Type image/png or image/jpeg")

// setFundingLogo takes the logo as the raw request body; the type stored is the one detected
// from the bytes.
func (a *api) setFundingLogo(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || (mt != "image/png" && mt != "image/jpeg") {
		return errLogoType
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, domain.MaxLogoBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	} else if err != nil {
		return newProblem(http.StatusBadRequest, "the body could not be read to its end")
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if _, err := a.cmds.SetFundingLogo(c.Request().Context(), id, op, data); err != nil {
		return err
	}
	return a.showFunding(c)
}

func (a *api) removeFundingLogo(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	if _, err := a.use(c, id, app.ActorOrganiser, a.cmds.RemoveFundingLogo); err != nil {
		return err
	}
	return a.showFunding(c)
}

// showFundingLogo serves the logo's bytes with the detected type; the digest names the bytes,
// so the answer may be cached by it.
func (a *api) showFundingLogo(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ws, err := a.Reader.Workshop(ctx, id)
	if err != nil {
		return err
	}
	l := ws.Funding.Logo
	if l == nil {
		return newProblem(http.StatusNotFound, "the workshop has no funder's logo")
	}
	etag := `"` + l.Digest + `"`
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	data, err := a.cmds.FundingLogo(ctx, ws)
	if err != nil {
		return err
	}
	ext := ".png"
	if l.ContentType == "image/jpeg" {
		ext = ".jpg"
	}
	h.Set(echo.HeaderContentDisposition, `inline; filename="logo`+ext+`"`)
	return c.Blob(http.StatusOK, l.ContentType, data)
}

type seriesFundingBody struct {
	fundingBody
	// Logo is the digest of a logo a workshop of the series holds, "" or absent for none.
	Logo string `json:"logo"`
}

// applySeriesFunding sets the same details on every workshop of the series.
func (a *api) applySeriesFunding(c echo.Context) error {
	series := SeriesParam(c)
	var b seriesFundingBody
	if err := decode(c, &b); err != nil {
		return err
	}
	f, err := b.text()
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	res, err := a.cmds.ApplySeriesFunding(c.Request().Context(), series, op, f, b.Logo)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
