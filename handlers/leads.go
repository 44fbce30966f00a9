package handlers

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// Lead tokens open a series' reports to its project lead, read-only. They are credentials, not
// domain facts: nothing is stored. A token carries its series and expiry and is signed with a
// pseudonym of both, so rotating the master key revokes every lead token at once.

// LeadTokenLifetime is how long a lead token is valid after it is issued.
const LeadTokenLifetime = 180 * 24 * time.Hour

const (
	leadTokenPrefix  = "lead."
	leadTokenPurpose = "lead-token"
)

var (
	errLeadReadsOnly = newProblem(http.StatusForbidden, "a lead token only reads the reports of its series")
	errNoSeries      = domain.FieldErrors{{Field: "series", Detail: "must name a series"}}
)

// IssueLeadToken returns a lead token for series, valid until now plus LeadTokenLifetime.
func IssueLeadToken(p Pseudonyms, series string, now time.Time) (token string, expires time.Time) {
	expires = now.Add(LeadTokenLifetime).Truncate(time.Second)
	unix := strconv.FormatInt(expires.Unix(), 10)
	return leadTokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(series)) + "." + unix + "." +
		base64.RawURLEncoding.EncodeToString([]byte(leadSignature(p, series, unix))), expires.UTC()
}

func leadSignature(p Pseudonyms, series, unix string) string {
	return p.Pseudonym(leadTokenPurpose, series+"|"+unix)
}

// IsLeadToken reports whether token has the form of a lead token, valid or not.
func IsLeadToken(token string) bool { return strings.HasPrefix(token, leadTokenPrefix) }

// LeadSeries returns the series a lead token opens and when it expires, if its signature holds
// and it has not expired at now.
func LeadSeries(p Pseudonyms, token string, now time.Time) (series string, expires time.Time, ok bool) {
	parts := strings.Split(strings.TrimPrefix(token, leadTokenPrefix), ".")
	if !IsLeadToken(token) || len(parts) != 3 {
		return "", time.Time{}, false
	}
	name, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	sig, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	unix, err3 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || len(name) == 0 {
		return "", time.Time{}, false
	}
	want := leadSignature(p, string(name), parts[1])
	expires = time.Unix(unix, 0).UTC()
	if subtle.ConstantTimeCompare(sig, []byte(want)) != 1 || !now.Before(expires) {
		return "", time.Time{}, false
	}
	return string(name), expires, true
}

// issueLeadToken answers POST /series/{series}/lead-tokens for the organiser.
func (a *api) issueLeadToken(c echo.Context) error {
	series := strings.TrimSpace(c.Param("series"))
	if series == "" {
		return errNoSeries
	}
	token, expires := IssueLeadToken(a.Pseudonyms, series, a.Now())
	return c.JSON(http.StatusCreated, map[string]any{"token": token, "series": series, "expires_at": expires})
}

// reader lets the organiser, or the lead of the series the route is about, through to h: the
// route's :series, or the series of its workshop :id. A lead of another series gets 403, a lead
// token that does not hold 401; other tokens are answered as organiser-only routes answer them.
func (a *api) reader(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok {
			return errNoToken
		}
		if a.isOrganiser(token) {
			return h(c)
		}
		if !IsLeadToken(token) {
			return a.refuse(c, token)
		}
		series, _, ok := LeadSeries(a.Pseudonyms, token, a.Now())
		if !ok {
			return errBadToken
		}
		if c.Request().Method != http.MethodGet || a.routeSeries(c) != series {
			return errLeadReadsOnly
		}
		return h(c)
	}
}

// routeSeries is the series a report route is about; "" if it names none or an unknown workshop.
func (a *api) routeSeries(c echo.Context) string {
	if s := c.Param("series"); s != "" {
		return s
	}
	id, err := workshopID(c)
	if err != nil {
		return ""
	}
	ws, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return ""
	}
	return ws.Series
}

// noLeads refuses a lead token with 403 on every route that is not a report: the token is
// recognised, it just does not open this. Other tokens go on to h unchanged.
func (a *api) noLeads(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok || !IsLeadToken(token) {
			return h(c)
		}
		if _, _, ok := LeadSeries(a.Pseudonyms, token, a.Now()); !ok {
			return errBadToken
		}
		return errLeadReadsOnly
	}
}
