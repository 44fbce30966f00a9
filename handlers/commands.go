package handlers

import (
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
	op, err := a.op(c, actor)
	if err != nil {
		return eventstore.Result{}, err
	}
	return a.cmds.Decide(c.Request().Context(), id, op, decide)
}

// op is the command's sender and idempotency: only a POST is repeatable by key, within its
// method and path.
func (a *api) op(c echo.Context, actor string) (Op, error) {
	key, err := idempotencyKey(c)
	if err != nil {
		return Op{}, err
	}
	if c.Request().Method != http.MethodPost {
		key = ""
	}
	return Op{Actor: actor, Key: key, Scope: c.Request().Method + " " + c.Request().URL.Path}, nil
}

// newWorkshopID returns the id of a workshop to schedule. With an idempotency key it derives
// the id from the key, so that a repeat addresses the same workshop and the store recognises
// the command.
func (c *Commands) newWorkshopID(key string) domain.WorkshopID {
	if key == "" {
		return domain.WorkshopID(c.cfg.NewID())
	}
	sum := sha256.Sum256([]byte(c.cfg.Pseudonyms.Pseudonym("workshop-id", key)))
	var id ulid.ULID
	copy(id[:], sum[:])
	return domain.WorkshopID(id.String()) // 26 characters of Crockford base32, like any ULID
}

// newToken returns a participant's personal token. With an idempotency key it derives the token
// from the key, so that a repeat can hand out the same token again; the store keeps only its
// hash.
func (c *Commands) newToken(id domain.WorkshopID, key string) string {
	if key != "" {
		return c.cfg.Pseudonyms.Pseudonym("token", string(id)+"|"+key)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// recorded answers a command whose events were written while the read models cannot show its
// result (they lag behind, or cannot be reached): 202 Accepted, so that the client does not
// repeat a write that already happened, as a 404 or 5xx would invite it to.
func (a *api) recorded(c echo.Context, readErr error) error {
	a.Logger.Warn("command recorded; the read models cannot show it yet", "request_id", RequestID(c),
		"method", c.Request().Method, "path", c.Request().URL.Path, "err", readErr)
	return c.JSON(http.StatusAccepted, map[string]string{"status": "recorded",
		"detail": "the change was recorded; it shows in the read models shortly"})
}
