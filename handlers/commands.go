package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
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
	decide domain.Decision) (domain.Appended, error) {
	op, err := a.op(c, actor)
	if err != nil {
		return domain.Appended{}, err
	}
	return a.cmds.Decide(c.Request().Context(), id, op, decide)
}

// op is the command's sender and idempotency: only a POST is repeatable by key, bound to its
// sender (actor) and to its method, path and body.
func (a *api) op(c echo.Context, actor string) (Op, error) {
	key, err := idempotencyKey(c)
	if err != nil {
		return Op{}, err
	}
	if c.Request().Method != http.MethodPost || key == "" {
		return Op{Actor: actor}, nil
	}
	body, err := requestBody(c)
	if err != nil {
		return Op{}, err
	}
	return Op{Actor: actor, Key: key, Scope: c.Request().Method + " " + c.Request().URL.Path, Body: body}, nil
}

// newWorkshopID returns the id of a workshop to schedule. With an idempotency key it derives
// the id from the key's command id (bound to its sender), so that a repeat addresses the same
// workshop and the store recognises the command, or refuses another request under the key.
func (c *Commands) newWorkshopID(op Op) domain.WorkshopID {
	commandID, _ := c.binding(op)
	if commandID == "" {
		return domain.WorkshopID(c.cfg.NewID())
	}
	sum := sha256.Sum256([]byte(c.cfg.Pseudonyms.Pseudonym("workshop-id", commandID)))
	var id ulid.ULID
	copy(id[:], sum[:])
	return domain.WorkshopID(id.String()) // 26 characters of Crockford base32, like any ULID
}

// newToken returns a participant's personal token. With an idempotency key it derives the token
// from the key's command id and request, so that the same request repeated hands out the same
// token again (the store keeps only its hash) and no other request can.
func (c *Commands) newToken(id domain.WorkshopID, op Op) string {
	if commandID, request := c.binding(op); commandID != "" {
		return c.cfg.Pseudonyms.Pseudonym("token", string(id)+"|"+commandID+"|"+request)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
