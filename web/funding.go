package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's page "Förderung / Funding" of a workshop (issue 14): project, funding
// reference and funder, the funder's logo (upload with preview, removal), and applying the
// details to every workshop of the series. Sign-in sheets and certificates show them.

const fundingPath = "/organiser/workshops/:id/funding"

// maxLogoForm bounds the logo's upload form: the logo and the form's few fields.
const maxLogoForm = domain.MaxLogoBytes + 16<<10

func (s *site) fundingRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, fundingPath, s.fundingPage, true},
		{post, fundingPath, s.setFunding, true},
		{get, fundingPath + "/logo", s.fundingLogo, true},
		{post, fundingPath + "/logo", s.uploadFundingLogo, true},
		{post, fundingPath + "/logo/remove", s.removeFundingLogo, true},
	}
}

// fundingPageData is what the funding page shows.
type fundingPageData struct {
	W      projections.WorkshopView
	Form   form // the details
	Upload form // the logo
	// Saved, LogoSaved, LogoRemoved and Applied (the number of workshops of the series) say what
	// the last form did.
	Saved, LogoSaved, LogoRemoved bool
	Applied                       string
}

func (s *site) funding(c echo.Context) (fundingPageData, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return fundingPageData{}, err
	}
	f := newForm(s)
	f.Values.Set("project", w.Funding.Project)
	f.Values.Set("funding_reference", w.Funding.FundingReference)
	f.Values.Set("funder", w.Funding.Funder)
	q := c.QueryParam
	return fundingPageData{W: w, Form: f, Upload: newForm(s), Saved: q("saved") == "1", LogoSaved: q("logo") == "saved",
		LogoRemoved: q("logo") == "removed", Applied: q("applied")}, nil
}

func (s *site) fundingPage(c echo.Context) error {
	return show(s, c, s.funding, "funding.html", "FundingTitle")
}

func fundingURL(id domain.WorkshopID) string {
	return "/organiser/workshops/" + string(id) + "/funding"
}

// setFunding saves the details, and with "series" checked applies them (and the logo) to every
// workshop of the series.
func (s *site) setFunding(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	text := app.FundingText{Project: f.V("project"), FundingReference: f.V("funding_reference"), Funder: f.V("funder")}
	ctx := c.Request().Context()
	if f.V("series") == "1" && w.Series != "" {
		digest := ""
		if w.Funding.Logo != nil {
			digest = w.Funding.Logo.Digest
		}
		res, err := s.cmds.ApplySeriesFunding(ctx, w.Series, organiserOp(c, f, "series funding "+w.Series), text, digest)
		if err != nil {
			return s.fundingRejected(c, err)
		}
		return seeOther(c, fundingURL(w.ID), "saved", "1", "applied", strconv.Itoa(len(res.Updated)+len(res.Unchanged)))
	}
	if _, err := s.cmds.SetFunding(ctx, w.ID, organiserOp(c, f, "funding "+string(w.ID)), text); err != nil {
		return s.fundingRejected(c, err)
	}
	return seeOther(c, fundingURL(w.ID), "saved", "1")
}

func (s *site) fundingRejected(c echo.Context, err error) error {
	return rerender(s, c, err, (*form).rejected, s.funding,
		func(p *fundingPageData, f form) { p.Form = f }, "funding.html", "FundingTitle")
}

// uploadFundingLogo takes the logo from the multipart form's file "logo".
func (s *site) uploadFundingLogo(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	data, err := formFile(c, "logo")
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.SetFundingLogo(c.Request().Context(), id, organiserOp(c, f, "funding logo "+string(id)), data); err != nil {
		return rerender(s, c, err, (*form).rejected, s.funding,
			func(p *fundingPageData, f form) { p.Upload = f }, "funding.html", "FundingTitle")
	}
	return seeOther(c, fundingURL(id), "logo", "saved")
}

// formFile reads the uploaded file field name, empty when none was chosen.
func formFile(c echo.Context, name string) ([]byte, error) {
	fh, err := c.FormFile(name)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the form holds no file")
	}
	file, err := fh.Open()
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the file could not be read")
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, domain.MaxLogoBytes+1))
}

func (s *site) removeFundingLogo(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.RemoveFundingLogo(c.Request().Context(), id, organiserOp(c, f, "remove funding logo "+string(id))); err != nil {
		return err
	}
	return seeOther(c, fundingURL(id), "logo", "removed")
}

// fundingLogo serves the logo for the page's preview.
func (s *site) fundingLogo(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	l := w.Funding.Logo
	if l == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	data, err := s.cmds.FundingLogo(c.Request().Context(), w)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("ETag", `"`+l.Digest+`"`)
	name := "logo.png"
	if strings.HasSuffix(l.ContentType, "jpeg") {
		name = "logo.jpg"
	}
	h.Set(echo.HeaderContentDisposition, `inline; filename="`+name+`"`)
	return c.Blob(http.StatusOK, l.ContentType, data)
}
