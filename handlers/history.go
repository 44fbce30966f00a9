package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// historyEntryJSON is one event of a workshop's history.
type historyEntryJSON struct {
	Seq   uint64    `json:"seq"`
	At    time.Time `json:"at"`
	Type  string    `json:"type"`
	Actor actorJSON `json:"actor"`
}

// actorJSON is who acted: id and name are null where there is no person (the organiser
// token, the public, a host) or the person was erased.
type actorJSON struct {
	ID   *string `json:"id"`
	Name *string `json:"name"`
	Role string  `json:"role"`
}

// actorOf returns the actor of a history entry as the API shows it.
func actorOf(e app.HistoryEntry) actorJSON {
	a := actorJSON{Name: e.Name, Role: e.Actor.Role}
	if e.Actor.ID != "" {
		id := e.Actor.ID
		a.ID = &id
	}
	return a
}

var (
	errBadAfterSeq = newProblem(http.StatusBadRequest, "after_seq must be a whole number of 0 or more")
	errBadLimit    = newProblem(http.StatusBadRequest, "limit must be a whole number from 1 to %d", maxHistoryLimit)
)

// maxHistoryLimit bounds a page of the history.
const maxHistoryLimit = 1000

// history answers the workshop's events, oldest first. after_seq leaves out the decisions up to
// that sequence; limit ends the page after that many events, at the end of a decision, so that
// the last entry's seq is the next page's after_seq.
func (a *api) history(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	after, limit, err := historyPage(c)
	if err != nil {
		return err
	}
	entries, err := a.cmds.History(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := []historyEntryJSON{}
	for _, e := range entries {
		if e.Seq <= after {
			continue
		}
		if limit > 0 && len(out) >= limit && out[len(out)-1].Seq != e.Seq {
			break
		}
		out = append(out, historyEntryJSON{Seq: e.Seq, At: e.At, Type: e.Type, Actor: actorOf(e)})
	}
	return c.JSON(http.StatusOK, out)
}

func historyPage(c echo.Context) (after uint64, limit int, err error) {
	if s := c.QueryParam("after_seq"); s != "" {
		if after, err = strconv.ParseUint(s, 10, 64); err != nil {
			return 0, 0, errBadAfterSeq
		}
	}
	if s := c.QueryParam("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > maxHistoryLimit {
			return 0, 0, errBadLimit
		}
	}
	return after, limit, nil
}

var (
	errBadAsOf    = newProblem(http.StatusBadRequest, "as_of must be an RFC 3339 time, such as 2027-03-15T18:00:00+01:00")
	errAsOfFuture = newProblem(http.StatusBadRequest, "as_of lies in the future: the log tells how things stood, not how they will")
)

// asOfKey carries the read models of a request "as of" a time in its context.
type asOfKey struct{}

type asOf struct {
	reader projections.Reader
	at     time.Time
}

// asOf lets h read the workshop as it stood at the query's as_of time (an RFC 3339 time): the
// read models folded from the log up to then (app.AsOf), which readerFor and todayFor give h.
// Without as_of h reads the read models as they are.
func (a *api) asOf(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := c.QueryParam("as_of")
		if s == "" {
			return h(c)
		}
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return errBadAsOf
		}
		id, err := workshopID(c)
		if err != nil {
			return err
		}
		r, err := a.cmds.AsOf(c.Request().Context(), id, at)
		if errors.Is(err, app.ErrAsOfInFuture) {
			return errAsOfFuture
		}
		if err != nil {
			return err
		}
		ctx := context.WithValue(c.Request().Context(), asOfKey{}, asOf{reader: r, at: at})
		c.SetRequest(c.Request().WithContext(ctx))
		return h(c)
	}
}

// readerFor is the read models a request reads: as of its as_of time, or as they are.
func (a *api) readerFor(ctx context.Context) projections.Reader {
	if v, ok := ctx.Value(asOfKey{}).(asOf); ok {
		return v.reader
	}
	return a.Reader
}

// todayFor is the day a report tells "today" by: that of the as_of time, or today.
func (a *api) todayFor(ctx context.Context) domain.Day {
	if v, ok := ctx.Value(asOfKey{}).(asOf); ok {
		return domain.Day(v.at.In(a.cmds.Config().Location).Format(time.DateOnly))
	}
	return a.cmds.Today()
}
