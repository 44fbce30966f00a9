package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// eraseTimeout bounds the key deletion after the erasure is appended. It does not end with the
// request: a client that goes away must not leave the key behind.
const eraseTimeout = 10 * time.Second

var errNoEraser = errors.New("app: no Eraser configured, so personal data cannot be erased")

// Erase erases the personal data of registration rid (GDPR Art. 17): the domain decides
// (cancelling what the registration still holds), the decision is appended, then the
// registration's data key is deleted. A repeat decides nothing and deletes the key again, so a
// failure between the two is repaired by trying again.
func (a *App) Erase(ctx context.Context, id domain.WorkshopID, op Op, rid domain.RegistrationID) error {
	_, err := a.erase(ctx, id, op, rid, domain.ErasureRequested)
	return err
}

// erase is Erase for a reason (a person's request or the retention period). Besides the
// registration's key it deletes its evidence key, which exists when an evidence hold reduced
// the registration before.
func (a *App) erase(ctx context.Context, id domain.WorkshopID, op Op, rid domain.RegistrationID, reason domain.ErasureReason) (domain.Appended, error) {
	if a.cfg.Eraser == nil {
		return domain.Appended{}, errNoEraser
	}
	var removed map[domain.MaterialID][]string
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		events, err := w.Erase(domain.EraseParticipant{RegistrationID: rid, Reason: reason})
		removed = erasedMaterials(w, events) // the personal uploads of a café table's host
		return events, err
	})
	if err != nil {
		return res, err
	}
	if len(res.Events) > 0 {
		a.purgeErased(ctx, id, removed)
	}
	return res, a.deleteKeys(ctx, rid, true)
}

// deleteKeys deletes the data key of registration rid and, with evidence, its evidence key.
// It does not end with the request: a client that goes away must not leave a key behind.
func (a *App) deleteKeys(ctx context.Context, rid domain.RegistrationID, evidence bool) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), eraseTimeout)
	defer cancel()
	subjects := []string{domain.ParticipantRegistered{RegistrationID: rid}.DataSubject()}
	if evidence {
		subjects = append(subjects, domain.EvidenceSubject(rid))
	}
	for _, subject := range subjects {
		if err := a.cfg.Eraser.Erase(ctx, subject); err != nil {
			return fmt.Errorf("delete the data key of registration %s: %w", rid, err)
		}
	}
	return nil
}

// A GDPR request comes per person, not per registration: "delete all my data" covers every
// workshop the person registered for. The organiser names the person by email; the pages and
// the API find every registration that holds it and erase each one through App.Erase.

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
		return domain.FieldErrors{{Field: "email", Code: domain.CodeRequired, Detail: "must not be empty"}}
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return domain.FieldErrors{{Field: "email", Code: domain.CodeNotAnEmail, Detail: "must be an email address such as name@example.org"}}
	}
	return nil
}

// personSearch checks the email a GDPR request names and returns its key and the workshops to
// search for it.
func (a *App) personSearch(ctx context.Context, email string) (string, []projections.WorkshopView, error) {
	if err := checkPersonEmail(email); err != nil {
		return "", nil, err
	}
	workshops, err := a.cfg.Reader.Workshops(ctx)
	return a.emailKey(email), workshops, err
}

// FindPerson returns every registration, in every workshop, whose email matches email as the
// duplicate-email rule matches it (the same keyed hash), in the order of the workshop list and
// then of registration. Erased registrations hold no email any more and are not found. An
// invalid email is a domain.FieldErrors on "email"; an unknown one finds nothing.
func (a *App) FindPerson(ctx context.Context, email string) ([]PersonRegistration, error) {
	want, workshops, err := a.personSearch(ctx, email)
	if err != nil {
		return nil, err
	}
	found := []PersonRegistration{}
	for _, w := range workshops {
		regs, err := a.cfg.Reader.Registrations(ctx, w.ID)
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
			if r.Erased || r.Email == "" || a.emailKey(r.Email) != want {
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
func (a *App) ErasePerson(ctx context.Context, op Op, email string) ([]ErasedRegistration, error) {
	want, workshops, err := a.personSearch(ctx, email)
	if err != nil {
		return nil, err
	}
	erased := []ErasedRegistration{}
	var failed *ErasePersonError
	for _, w := range workshops {
		matches, err := a.registrationsByEmailKey(ctx, w.ID, want)
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
			if err := a.Erase(ctx, w.ID, one, r.ID); err != nil {
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
func (a *App) registrationsByEmailKey(ctx context.Context, id domain.WorkshopID, key string) ([]domain.Registration, error) {
	var found []domain.Registration
	_, err := a.cfg.Workshops.Update(ctx, id, domain.Meta{}, func(w domain.Workshop) ([]domain.Event, error) {
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
