package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// eraseTimeout bounds the key deletion after the erasure is appended. It does not end with the
// request: a client that goes away must not leave the key behind.
const eraseTimeout = 10 * time.Second

var errNoEraser = errors.New("handlers: no Eraser configured, so personal data cannot be erased")

// Erase erases the personal data of registration rid (GDPR Art. 17): the domain decides
// (cancelling what the registration still holds), the decision is appended, then the
// registration's data key is deleted. A repeat decides nothing and deletes the key again, so a
// failure between the two is repaired by trying again.
func (c *Commands) Erase(ctx context.Context, id domain.WorkshopID, op Op, rid domain.RegistrationID) error {
	if c.cfg.Eraser == nil {
		return errNoEraser
	}
	if _, err := c.Decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Erase(domain.EraseParticipant{RegistrationID: rid})
	}); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), eraseTimeout)
	defer cancel()
	subject := domain.ParticipantRegistered{RegistrationID: rid}.DataSubject()
	if err := c.cfg.Eraser.Erase(ctx, subject); err != nil {
		return fmt.Errorf("delete the data key of registration %s: %w", rid, err)
	}
	return nil
}

// erasePersonalData answers 204 once the person's data is erased, also when it already was.
// The organiser and the participant themselves (with their token) may erase.
func (a *api) erasePersonalData(c echo.Context) error {
	id, rid, acc, err := a.registrationCaller(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, acc.actor)
	if err != nil {
		return err
	}
	if err := a.cmds.Erase(c.Request().Context(), id, op, rid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
