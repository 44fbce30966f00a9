package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"maps"
	"net/mail"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// registeredOf reads the answer to a registration from the events of its decision: for a
// repeated request these are the first decision's, with the first registration's id.
func registeredOf(events []domain.Event) Registered {
	r := Registered{DayStatus: map[domain.Day]domain.Status{}, WaitlistPositions: map[domain.Day]int{}}
	var days []domain.Day
	for _, e := range events {
		switch e := e.(type) {
		case domain.ParticipantRegistered:
			r.ID, days = e.RegistrationID, e.Days
		case domain.RegistrationConfirmed:
			for _, d := range orAll(e.Days, days) {
				r.DayStatus[d] = domain.Confirmed
			}
		case domain.RegistrationWaitlisted:
			for _, d := range orAll(e.Days, days) {
				r.DayStatus[d] = domain.Waitlisted
				r.WaitlistPositions[d] = e.Position // an event of before per-day waitlists: one place
			}
			maps.Copy(r.WaitlistPositions, e.Positions)
			r.WaitlistPosition = e.Position
		}
	}
	r.Status = projections.StatusOf("", r.DayStatus)
	return r
}

// orAll is the Days of a confirmation or waitlisting, or all of the registration's when empty.
func orAll(days, all []domain.Day) []domain.Day {
	if len(days) == 0 {
		return all
	}
	return days
}

// tokenHash is how a participant's token is stored: hex SHA-256.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func isOrganiser(hash [32]byte, token string) bool {
	sum := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(sum[:], hash[:]) == 1
}

// owns reports whether token is the personal token of the registration r.
func owns(r projections.RegistrationView, token string) bool {
	return r.TokenHash != "" && subtle.ConstantTimeCompare([]byte(tokenHash(token)), []byte(r.TokenHash)) == 1
}

// RespondentKey identifies a participant's answer to a questionnaire without naming them:
// stable, so that a repeat replaces the answer, and keyed, so that nobody without the keyring
// can link it to the registration. The API and the pages both use it, so their answers replace each other.
func RespondentKey(p Pseudonyms, id domain.WorkshopID, q domain.QuestionnaireID, r domain.RegistrationID) string {
	return p.Pseudonym("feedback", string(id)+"|"+string(q)+"|"+string(r))
}

// WalkIn is what the organiser takes down at the door for a person who arrives without a
// registration. The email is optional.
type WalkIn struct {
	Name, Email, Organisation, District string
	Day                                 domain.Day
}

// RegisterWalkIn registers a walk-in on workshop id for one day and checks them in, in one
// decision (see domain.Workshop.RegisterWalkIn), and returns the registration's id. The actor
// is the organiser. A walk-in gets no personal token: the organiser acts for them, and the
// registration appears in lists, attendance and reports like any other.
func (a *App) RegisterWalkIn(ctx context.Context, id domain.WorkshopID, op Op, r WalkIn) (domain.RegistrationID, error) {
	op.Actor = organiserActor(op.Actor)
	cmd := domain.RegisterWalkIn{ID: domain.RegistrationID(a.cfg.NewID()),
		Person:       domain.Person{Name: r.Name, Email: r.Email},
		Organisation: r.Organisation, District: r.District, Day: r.Day, Today: a.Today()}
	if strings.TrimSpace(r.Email) != "" {
		cmd.EmailKey = a.emailKey(r.Email)
	}
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.RegisterWalkIn(cmd)
	})
	if err != nil {
		return "", err
	}
	return registeredOf(res.Events).ID, nil
}

// RegistrationChange is a change of a registration's days, dietary needs, overnight stay or
// photo consent; nil fields stay as they are.
type RegistrationChange struct {
	Days         *[]domain.Day
	Dietary      *string
	Overnight    *bool
	PhotoConsent *bool
}

// ChangeRegistration changes registration rid (see domain.Workshop.ChangeRegistration). The
// organiser may change it after registration closed; the participant may not.
func (a *App) ChangeRegistration(ctx context.Context, id domain.WorkshopID, op Op, rid domain.RegistrationID, ch RegistrationChange) (domain.Appended, error) {
	at := a.cfg.Now()
	cmd := domain.ChangeRegistration{ID: rid, Days: ch.Days, Dietary: ch.Dietary, Overnight: ch.Overnight,
		PhotoConsent: ch.PhotoConsent, Organiser: ActsAsOrganiser(op.Actor), At: at, Today: domain.Day(at.In(a.cfg.Location).Format(time.DateOnly))}
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.ChangeRegistration(cmd) })
}

// RequestLink asks for the personal link of the registration of email on workshop id again:
// the outbox mails it when there is an active registration, and nothing happens when there is
// none. The answer is the same either way, so that nobody learns whether an address is
// registered, and it takes as long (Config.QuietAnswerFloor); only a malformed address or an
// unknown workshop is refused. The actor is the public.
func (a *App) RequestLink(ctx context.Context, id domain.WorkshopID, op Op, email string) error {
	start := time.Now()
	op.Actor = ActorPublic
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != strings.TrimSpace(email) || !domain.ValidText(email, false) {
		return domain.FieldErrors{{Field: "email", Code: domain.CodeNotAnEmail, Detail: "must be an email address such as name@example.org"}}
	}
	key := a.emailKey(email)
	return a.quietly(ctx, start, func() error {
		_, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
			return w.RequestLink(key, func(r domain.RegistrationID) string { return tokenHash(a.PersonalToken(id, r)) })
		})
		return err
	})
}
