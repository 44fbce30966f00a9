package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The retention of a series (organiser of the series) and the instance's retention runs
// (instance administrator).

type retentionBody struct {
	Months            *int    `json:"months"`
	EvidenceHoldUntil *string `json:"evidence_hold_until"`
}

// policy checks the body: months required and in range, the hold a date or null.
func (b retentionBody) policy() (domain.RetentionPolicy, error) {
	var p domain.RetentionPolicy
	var fe domain.FieldErrors
	if b.Months == nil {
		fe = append(fe, domain.FieldError{Field: "months", Code: domain.CodeRequired, Detail: "must be given: 1 to 120"})
	} else {
		p.Months = *b.Months
	}
	if b.EvidenceHoldUntil != nil {
		p.EvidenceHoldUntil = domain.Day(*b.EvidenceHoldUntil)
	}
	if len(fe) > 0 {
		if err := p.Check(); err != nil {
			var more domain.FieldErrors
			if errors.As(err, &more) {
				for _, f := range more {
					if f.Field != "months" {
						fe = append(fe, f)
					}
				}
			}
		}
		return p, fe
	}
	return p, p.Check()
}

// setSeriesRetention sets the retention of every workshop of the series.
func (a *api) setSeriesRetention(c echo.Context) error {
	var b retentionBody
	if err := decode(c, &b); err != nil {
		return err
	}
	p, err := b.policy()
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	res, err := a.cmds.SetSeriesRetention(c.Request().Context(), SeriesParam(c), op, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// seriesRetention answers the retention of the series and the dates of its workshops.
func (a *api) seriesRetention(c echo.Context) error {
	res, err := a.cmds.SeriesRetentionOf(c.Request().Context(), SeriesParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

type retentionRunBody struct {
	AsOf   *string `json:"as_of"`
	DryRun *bool   `json:"dry_run"`
}

// runRetention runs (or previews) the retention at as_of.
func (a *api) runRetention(c echo.Context) error {
	var b retentionRunBody
	if err := decode(c, &b); err != nil {
		return err
	}
	var fe domain.FieldErrors
	var asOf time.Time
	if b.AsOf == nil {
		fe = append(fe, domain.FieldError{Field: "as_of", Code: domain.CodeRequired, Detail: "must be an RFC 3339 time such as 2027-06-01T00:00:00+02:00"})
	} else if t, err := time.Parse(time.RFC3339, *b.AsOf); err != nil {
		fe = append(fe, domain.FieldError{Field: "as_of", Code: domain.CodeNotATime, Detail: "must be an RFC 3339 time such as 2027-06-01T00:00:00+02:00"})
	} else {
		asOf = t
	}
	if b.DryRun == nil {
		fe = append(fe, domain.FieldError{Field: "dry_run", Code: domain.CodeRequired, Detail: "must be true (preview) or false (run)"})
	}
	if len(fe) > 0 {
		return fe
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	run, err := a.cmds.RunRetention(c.Request().Context(), op, asOf, *b.DryRun)
	if err != nil && !errors.Is(err, app.ErrRetentionIncomplete) {
		return err
	}
	if err != nil {
		a.Logger.Error("retention run incomplete", "failed", len(run.Failed), "err", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, run)
}

type networkRetentionBody struct {
	Months *int `json:"months"`
}

// setNetworkRetention sets the network's default retention period (its admins).
func (a *api) setNetworkRetention(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	var b networkRetentionBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if b.Months == nil {
		// Who may not set it learns that first (the network's admins set it, as its notice).
		if err := a.cmds.StatesPrivacyNotice(c.Request().Context(), callerOf(c), id); err != nil {
			return err
		}
		return domain.FieldErrors{{Field: "months", Code: domain.CodeRequired, Detail: "must be given: 1 to 120"}}
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	res, err := a.cmds.SetNetworkRetention(c.Request().Context(), callerOf(c), op, id, *b.Months)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// networkRetention answers the network's default retention period (its admins and organisers).
func (a *api) networkRetention(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	res, err := a.cmds.NetworkRetentionOf(c.Request().Context(), callerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
