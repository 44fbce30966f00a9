package handlers

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// A GDPR request comes per person, not per registration: "delete all my data" covers every
// workshop the person registered for. The organiser names the person by email; the pages and
// the API find every registration that holds it and erase each one through Commands.Erase.

// PersonRegistration is one registration of a person found by email, as the organiser checks
// it before erasing.
type PersonRegistration struct {
	Workshop      domain.WorkshopID     `json:"workshop"`
	WorkshopTitle string                `json:"workshop_title"`
	FirstDay      domain.Day            `json:"first_day"`
	Registration  domain.RegistrationID `json:"registration_id"`
	Name          string                `json:"name"`
	Status        domain.Status         `json:"status"`
}

// ErasedRegistration names a registration whose personal data an erasure request erased (or,
// in an ErasePersonError, did not erase). It carries no personal data.
type ErasedRegistration struct {
	Workshop      domain.WorkshopID     `json:"workshop"`
	WorkshopTitle string                `json:"workshop_title"`
	FirstDay      domain.Day            `json:"first_day"`
	Registration  domain.RegistrationID `json:"registration_id"`
}

// ErasePersonError reports an erasure request that erased some registrations but not all.
// Repeating the request finishes it: the erased ones are no longer found, the others are.
type ErasePersonError struct {
	Erased    []ErasedRegistration
	NotErased []ErasedRegistration
	Err       error // the first failure
}

func (e *ErasePersonError) Error() string {
	return fmt.Sprintf("erased %d of %d registrations of the person: %v", len(e.Erased),
		len(e.Erased)+len(e.NotErased), e.Err)
}

func (e *ErasePersonError) Unwrap() error { return e.Err }

// checkPersonEmail validates the email an erasure request names, with the registration form's
// rule, so that anything a person could register with can be looked up.
func checkPersonEmail(email string) error {
	email = strings.TrimSpace(email)
	if email == "" {
		return domain.FieldErrors{{Field: "email", Detail: "must not be empty"}}
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return domain.FieldErrors{{Field: "email", Detail: "must be an email address such as name@example.org"}}
	}
	return nil
}

// FindPerson returns every registration, in every workshop, whose email matches email as the
// duplicate-email rule matches it (the same keyed hash), in the order of the workshop list and
// then of registration. Erased registrations hold no email any more and are not found. An
// invalid email is a domain.FieldErrors on "email"; an unknown one finds nothing.
func (c *Commands) FindPerson(ctx context.Context, email string) ([]PersonRegistration, error) {
	if err := checkPersonEmail(email); err != nil {
		return nil, err
	}
	want := c.emailKey(email)
	workshops, err := c.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	found := []PersonRegistration{}
	for _, w := range workshops {
		regs, err := c.cfg.Reader.Registrations(ctx, w.ID)
		if err != nil {
			return nil, err
		}
		var first domain.Day
		if len(w.Days) > 0 {
			first = w.Days[0]
		}
		for _, r := range regs {
			// The read models keep the email as decrypted, not its key; hashing it again with
			// the same normalisation gives the key the duplicate rule compared.
			if r.Erased || r.Email == "" || c.emailKey(r.Email) != want {
				continue
			}
			found = append(found, PersonRegistration{Workshop: w.ID, WorkshopTitle: w.Title, FirstDay: first,
				Registration: r.ID, Name: r.Name, Status: r.Status})
		}
	}
	return found, nil
}

// ErasePerson erases every registration whose email key matches email, each through Erase, so
// that cancelling, key deletion and repeats behave as for one registration. It returns what it
// erased, in the order of the workshop list (an empty list when nothing matched, as on a repeat).
// When some erasures fail it still tries the others and returns an *ErasePersonError that names
// both sides.
//
// It matches on the workshops' own state, not on the read models: those forget the email as
// soon as the erasure is appended, but the workshop keeps the key, so a repeat finds a
// registration whose key deletion failed and deletes the key again (Erase decides nothing
// then). Such repairs are not listed as erased: the registration was erased before.
//
// With op.Key, each registration's erasure gets its own key: the store recognises a repeated
// command per workshop, and one person may hold two registrations of the same workshop (one
// cancelled, one new).
func (c *Commands) ErasePerson(ctx context.Context, op Op, email string) ([]ErasedRegistration, error) {
	if err := checkPersonEmail(email); err != nil {
		return nil, err
	}
	want := c.emailKey(email)
	workshops, err := c.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	erased := []ErasedRegistration{}
	var failed *ErasePersonError
	for _, w := range workshops {
		matches, err := c.registrationsByEmailKey(ctx, w.ID, want)
		if err != nil {
			return erased, &ErasePersonError{Erased: erased, NotErased: failedOf(failed), Err: err}
		}
		for _, r := range matches {
			e := ErasedRegistration{Workshop: w.ID, WorkshopTitle: w.Title, Registration: r.ID}
			if len(w.Days) > 0 {
				e.FirstDay = w.Days[0]
			}
			one := op
			if one.Key != "" {
				one.Key = op.Key + " " + string(w.ID) + " " + string(r.ID)
			}
			if err := c.Erase(ctx, w.ID, one, r.ID); err != nil {
				if errors.Is(err, ErrKeyReused) {
					return erased, err // the key erased someone for another request: nothing of it is repeated
				}
				if failed == nil {
					failed = &ErasePersonError{Err: err}
				}
				failed.NotErased = append(failed.NotErased, e)
				continue
			}
			if !r.Erased {
				erased = append(erased, e)
			}
		}
	}
	if failed != nil {
		failed.Erased = erased
		return erased, failed
	}
	return erased, nil
}

func failedOf(e *ErasePersonError) []ErasedRegistration {
	if e == nil {
		return nil
	}
	return e.NotErased
}

// registrationsByEmailKey returns the registrations of workshop id that the duplicate rule
// knows under key, erased ones included, in registration order (ids are ULIDs). It reads the
// workshop through Update with a decision that decides nothing: Update then only makes sure
// the state is the latest, and appends nothing.
func (c *Commands) registrationsByEmailKey(ctx context.Context, id domain.WorkshopID, key string) ([]domain.Registration, error) {
	var found []domain.Registration
	_, err := c.cfg.Workshops.Update(ctx, id, domain.Meta{}, func(w domain.Workshop) ([]domain.Event, error) {
		found = found[:0] // Update may call again after catching up
		for _, r := range w.Registrations {
			if r.EmailKey == key {
				found = append(found, *r)
			}
		}
		return nil, nil
	})
	slices.SortFunc(found, func(a, b domain.Registration) int { return cmp.Compare(a.ID, b.ID) })
	return found, err
}

type erasureRequestBody struct {
	Email string `json:"email"`
}

// previewErasure lists the registrations an erasure request for the email would erase.
func (a *api) previewErasure(c echo.Context) error {
	var b erasureRequestBody
	if err := decode(c, &b); err != nil {
		return err
	}
	found, err := a.cmds.FindPerson(c.Request().Context(), b.Email)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"registrations": found})
}

// erasePerson erases every registration of the email and answers what it erased. When some
// could not be erased it answers a 5xx problem naming what was erased and what not.
func (a *api) erasePerson(c echo.Context) error {
	var b erasureRequestBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, ActorOrganiser)
	if err != nil {
		return err
	}
	erased, err := a.cmds.ErasePerson(c.Request().Context(), op, b.Email)
	var partial *ErasePersonError
	if errors.As(err, &partial) {
		return a.incompleteErasure(c, partial)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"erased": erased})
}

// incompleteErasureProblem is the problem of an erasure request that failed part-way, with the
// registrations on each side as extension members.
type incompleteErasureProblem struct {
	problem
	Erased    []ErasedRegistration `json:"erased"`
	NotErased []ErasedRegistration `json:"not_erased"`
}

func (a *api) incompleteErasure(c echo.Context, e *ErasePersonError) error {
	status := toProblem(e.Err).Status
	if status < http.StatusInternalServerError {
		status = http.StatusInternalServerError // the request as a whole is not the client's to fix
	}
	a.Logger.Error("erasure request incomplete", "path", c.Request().URL.Path, "erased", len(e.Erased),
		"not_erased", len(e.NotErased), "err", e.Err)
	p := incompleteErasureProblem{
		problem: problem{Type: problemType + "erasure-incomplete", Title: "Erasure incomplete", Status: status,
			Detail: fmt.Sprintf("erased %d of %d registrations; repeat the request to erase the rest",
				len(e.Erased), len(e.Erased)+len(e.NotErased)), Instance: c.Request().URL.Path},
		Erased: e.Erased, NotErased: e.NotErased,
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(status, "application/problem+json", body)
}
