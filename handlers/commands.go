package handlers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// headerIdempotencyKey makes a POST repeatable: the repeat answers what the first one did and
// appends nothing.
const headerIdempotencyKey = "Idempotency-Key"

const maxIdempotencyKey = 200

// idempotencyKey returns the request's Idempotency-Key ("" if none).
func idempotencyKey(c echo.Context) (string, error) {
	key := c.Request().Header.Get(headerIdempotencyKey)
	if len(key) > maxIdempotencyKey {
		return "", newProblem(http.StatusBadRequest, "the Idempotency-Key header is longer than %d characters", maxIdempotencyKey)
	}
	return key, nil
}

// update decides a command on workshop id and waits until the read models reflect it, so that
// the client's next GET on this instance sees its write. A duplicate (same Idempotency-Key)
// comes back with the first decision's events.
func (a *api) update(c echo.Context, id domain.WorkshopID, actor string,
	decide func(domain.Workshop) ([]domain.Event, error)) (eventstore.Result, error) {
	key, err := idempotencyKey(c)
	if err != nil {
		return eventstore.Result{}, err
	}
	meta := eventstore.Meta{Actor: actor, At: a.Now()}
	if key != "" && c.Request().Method == http.MethodPost {
		meta.CommandID = a.Pseudonyms.Pseudonym("command", c.Request().Method+" "+c.Request().URL.Path+" "+key)
	}
	ctx := c.Request().Context()
	res, err := a.Workshops.Update(ctx, id, meta, decide)
	if err != nil {
		return res, err
	}
	a.waitFor(ctx, res.Seq)
	return res, nil
}

// waitFor waits, bounded, until the read models reflect seq. When they lag further the command
// has still succeeded, so the handler answers anyway and the lag is logged: an error would
// invite the client to repeat a write that already happened.
func (a *api) waitFor(ctx context.Context, seq uint64) {
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	if err := a.Consistency.WaitFor(ctx, seq); err != nil {
		a.Logger.Warn("read models lag behind a command", "seq", seq, "err", err)
	}
}

// newWorkshopID returns the id of a workshop to schedule. With an Idempotency-Key it derives
// the id from the key, so that a repeat addresses the same workshop and the store recognises
// the command.
func (a *api) newWorkshopID(key string) domain.WorkshopID {
	if key == "" {
		return domain.WorkshopID(a.NewID())
	}
	sum := sha256.Sum256([]byte(a.Pseudonyms.Pseudonym("workshop-id", key)))
	var id ulid.ULID
	copy(id[:], sum[:])
	return domain.WorkshopID(id.String()) // 26 characters of Crockford base32, like any ULID
}

// newToken returns a participant's personal token. With an Idempotency-Key it derives the token
// from the key, so that a repeat can hand out the same token again; the store keeps only its
// hash.
func (a *api) newToken(id domain.WorkshopID, key string) string {
	if key != "" {
		return a.Pseudonyms.Pseudonym("token", string(id)+"|"+key)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
