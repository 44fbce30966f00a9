// Package app is Werkstatt's application layer: one named method per use case, which the JSON
// API (handlers) and the pages (web) both call, so that a rule and an access check exist once.
// A use case checks who may do it, lets the domain decide through the event store (Workshops),
// waits until the read models reflect the write, and returns domain results. It knows nothing
// of HTTP; the adapters it needs are the small interfaces declared here, which cmd/werkstatt
// wires.
package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// App is the write side that the JSON API and the web pages share: it lets the domain decide
// through the event store, derives ids and tokens, recognises repeated commands and waits until
// the read models reflect a write. Adapters only translate their input into the arguments of
// its methods, so that there is one code path per use case.
type App struct {
	cfg Config
}

// Workshops decides a command on one workshop and appends the events of the decision.
// *eventstore.Store implements it. A decide error appends nothing and comes back unchanged.
type Workshops interface {
	Update(ctx context.Context, id domain.WorkshopID, meta domain.Meta,
		decide domain.Decision) (domain.Appended, error)
}

// Consistency lets a handler wait until the read models reflect a stream sequence.
// *projections.Runner implements it.
type Consistency interface {
	WaitFor(ctx context.Context, seq uint64) error
}

// Pseudonyms derives stable keyed hashes (email keys, command ids, derived tokens).
// *keys.Keyring implements it.
type Pseudonyms interface {
	Pseudonym(purpose, value string) string
}

// Eraser deletes a data subject's key, which erases their personal data from every copy of
// the log (crypto-shredding). *keys.Keyring implements it.
type Eraser interface {
	Erase(ctx context.Context, subject string) error
}

// Config is what the application needs. Workshops, Reader, Consistency and Pseudonyms are
// required, LeadGrants wherever project leads sign in (without it, lead tokens never hold and
// granting access fails) and Eraser wherever people may be erased (without it, erasure fails
// before it decides anything); the others have defaults.
type Config struct {
	Workshops   Workshops
	Reader      projections.Reader
	Consistency Consistency
	Pseudonyms  Pseudonyms
	LeadGrants  LeadGrants
	Eraser      Eraser
	// Blobs keeps the funders' logos; without it, uploading a logo and reading one fail as
	// unavailable.
	Blobs Blobs
	// MaxMaterialBytes is the largest file a material may be; 0 is
	// domain.DefaultMaxMaterialBytes.
	MaxMaterialBytes int64
	// Mailbox holds kept and failed mails; without it the outbox page is empty.
	Mailbox Mailbox
	// Networks keeps the networks; without it there are none and only the instance's
	// administrator organises.
	Networks Networks
	// Credentials keeps personal API tokens and one-time links to set a password; without it
	// accounts cannot act through the API.
	Credentials Credentials
	// Log reads a workshop's recorded events, for its history and its lists as of a time;
	// without it both fail.
	Log Log
	// AccountNames tells the names of signed-in people in a history; without it they are
	// null.
	AccountNames AccountNames
	// WebhookLog holds the webhooks' last delivery attempts; without it their lists show none.
	WebhookLog WebhookLog
	// WebhooksToInternal lets a webhook name an internal address (loopback, a private or
	// link-local network); without it such a URL is refused (webhooks.NewClient refuses to
	// dial one too).
	WebhooksToInternal bool

	// OrganiserTokenHash is the SHA-256 of the organiser token. The token itself never
	// reaches the process's memory beyond a request.
	OrganiserTokenHash [32]byte

	// QuietAnswerFloor is the least time the answers that must not reveal whether an address
	// is known take (a lost personal link, a password reset): a known address's extra work
	// does not show in the time to answer. Default DefaultQuietAnswerFloor; negative: none.
	QuietAnswerFloor time.Duration

	Now func() time.Time // default time.Now
	// Location is the instance's time zone, in which "today" is told (the end of a workshop,
	// and so the latest registration closing time); default Europe/Berlin.
	Location *time.Location
	NewID    func() string // default: a fresh ULID
	Logger   *slog.Logger  // default slog.Default()
}

// WithDefaults returns cfg with the defaults of the unset optional fields applied.
func (cfg Config) WithDefaults() Config {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = defaultLocation()
	}
	if cfg.NewID == nil {
		cfg.NewID = func() string { return ulid.Make().String() }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.QuietAnswerFloor == 0 {
		cfg.QuietAnswerFloor = DefaultQuietAnswerFloor
	}
	return cfg
}

// DefaultTimeZone is the time zone of an instance that names none.
const DefaultTimeZone = "Europe/Berlin"

// defaultLocation is DefaultTimeZone, or UTC where the system has no time zone data (the
// binary embeds it: cmd/werkstatt imports time/tzdata).
func defaultLocation() *time.Location {
	if loc, err := time.LoadLocation(DefaultTimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Today is the date of now in the instance's time zone.
func (a *App) Today() domain.Day {
	return domain.Day(a.cfg.Now().In(a.cfg.Location).Format(time.DateOnly))
}

// RegistrationOpen reports whether w takes registrations now (see domain.RegistrationClosed).
func (a *App) RegistrationOpen(w projections.WorkshopView) bool {
	now := a.cfg.Now()
	return !domain.RegistrationClosed(w.RegistrationCloses, w.Days, now, domain.Day(now.In(a.cfg.Location).Format(time.DateOnly)))
}

// New returns the application on cfg (with the defaults of Config applied).
func New(cfg Config) *App {
	return &App{cfg: cfg.WithDefaults()}
}

// Config returns the configuration with the defaults applied (clock, ids, logger).
func (a *App) Config() Config { return a.cfg }

// waitTimeout bounds how long a command waits for the read models before it answers anyway.
const waitTimeout = 5 * time.Second

// Op says who sends a command and how a repeat of it is recognised.
type Op struct {
	// Actor is who sends the command (organiser, public, a participant's registration): a key
	// belongs to its sender, so that nobody else can repeat their command.
	Actor string
	// Key is the client's idempotency key, "" for none. A repeat by the same Actor with the same
	// Key, Scope and Body appends nothing and comes back with the first decision; the same Key
	// with another Scope or Body is refused with ErrKeyReused and reveals nothing of the first.
	Key string
	// Scope names what is asked (the JSON API: method and path; a page: its form).
	Scope string
	// Body is what was sent with it (the JSON API: the body; a page: its fields).
	Body []byte
}

// ErrKeyReused is returned by App for an idempotency key that its sender used before for
// another request (API: 422).
var ErrKeyReused = errors.New("the Idempotency-Key was used before for a different request; send a new key with a new request")

// binding returns the command id of op's key, bound to its sender, and the fingerprint of its
// request; both are keyed hashes, so the log shows neither key nor body. Both are "" without a
// key.
func (a *App) binding(op Op) (commandID, request string) {
	if op.Key == "" {
		return "", ""
	}
	body := sha256.Sum256(op.Body)
	return a.cfg.Pseudonyms.Pseudonym("command", op.Actor+"\x00"+op.Key),
		a.cfg.Pseudonyms.Pseudonym("request", op.Scope+"\x00"+hex.EncodeToString(body[:]))
}

// Actors as the event log records them.
const (
	ActorOrganiser = "organiser"
	ActorPublic    = "public"
)

// ActorParticipant is the actor of a participant acting on their own registration.
func ActorParticipant(id domain.RegistrationID) string { return "participant:" + string(id) }

// decide lets d run on workshop id through the event store and waits, bounded, until the read
// models reflect the result, so that the sender's next read on this instance sees it. Every use
// case that changes a workshop goes through it; it is unexported so that the API and the pages
// call a named use case instead of deciding themselves.
func (a *App) decide(ctx context.Context, id domain.WorkshopID, op Op, d domain.Decision) (domain.Appended, error) {
	meta := domain.Meta{Actor: op.Actor, At: a.cfg.Now()}
	meta.CommandID, meta.Request = a.binding(op)
	res, err := a.cfg.Workshops.Update(ctx, id, meta, d)
	if errors.Is(err, domain.ErrCommandReused) {
		return domain.Appended{}, ErrKeyReused
	}
	if err != nil {
		return res, err
	}
	markWritten(ctx)
	a.waitFor(ctx, res.Seq)
	return res, nil
}

// waitFor waits, bounded, until the read models reflect seq. When they lag further the command
// has still succeeded, so the caller answers anyway and the lag is logged: an error would
// invite the client to repeat a write that already happened.
func (a *App) waitFor(ctx context.Context, seq uint64) {
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	if err := a.cfg.Consistency.WaitFor(ctx, seq); err != nil {
		a.cfg.Logger.Warn("read models lag behind a command", "seq", seq, "err", err)
	}
}

// Schedule creates a workshop from cmd (its ID is ignored: Schedule derives it, from op's key
// when there is one, so that a repeat addresses the same workshop).
func (a *App) Schedule(ctx context.Context, op Op, cmd domain.ScheduleWorkshop) (domain.WorkshopID, error) {
	s, err := a.ScheduleWorkshop(ctx, op, cmd)
	return s.ID, err
}

// ScheduleWorkshop is Schedule answering the workshop as decided (for a repeat: as the first
// request decided it).
func (a *App) ScheduleWorkshop(ctx context.Context, op Op, cmd domain.ScheduleWorkshop) (domain.WorkshopScheduled, error) {
	cmd.ID = a.newWorkshopID(op)
	cmd.Zone = a.cfg.Location
	funding, err := a.seriesFunding(ctx, cmd.Series)
	if err != nil {
		return domain.WorkshopScheduled{ID: cmd.ID}, err
	}
	cmd.Funding = funding
	if cmd.Retention, err = a.seriesRetention(ctx, cmd.Series); err != nil {
		return domain.WorkshopScheduled{ID: cmd.ID}, err
	}
	res, err := a.decide(ctx, cmd.ID, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(cmd)
	})
	scheduled := domain.WorkshopScheduled{ID: cmd.ID}
	for _, e := range res.Events {
		if s, ok := e.(domain.WorkshopScheduled); ok {
			scheduled = s
		}
	}
	return scheduled, err
}

// PlanSession adds s to the agenda under a new id and returns the session as planned; a repeat
// returns the session the first request planned.
func (a *App) PlanSession(ctx context.Context, id domain.WorkshopID, op Op, s domain.Session) (domain.Session, error) {
	s.ID = domain.SessionID(a.cfg.NewID())
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Plan(domain.PlanSession{Session: s})
	})
	if err != nil {
		return domain.Session{}, err
	}
	for _, e := range res.Events {
		if p, ok := e.(domain.SessionPlanned); ok {
			s = p.Session
		}
	}
	return s, nil
}

// Registration is what a participant fills in to register.
type Registration struct {
	// member is set by RegisterAs for a member of the workshop's network.
	member bool

	Name, Email, Organisation, District, Dietary string
	Days                                         []domain.Day
	Overnight, Consent                           bool
	// PhotoConsent is the person's agreement that photos showing them may be published.
	PhotoConsent bool
	// Lang is the language the person registers in (the page's language; "" is German): their
	// mails speak it.
	Lang string
	// Answers answers the workshop's registration questions by question id: a string for a
	// text or choice question, a bool for a yes/no one.
	Answers map[string]any
}

// Registered is the outcome of a registration. Token is the participant's personal token: it
// is shown only now, the store keeps its hash.
type Registered struct {
	ID     domain.RegistrationID
	Status domain.Status
	// DayStatus is the status on each requested day; WaitlistPositions the place on the
	// waitlist of each day waited for, WaitlistPosition the one of the first.
	DayStatus         map[domain.Day]domain.Status
	WaitlistPositions map[domain.Day]int
	WaitlistPosition  int
	Token             string
}

// RegisterParticipant registers a participant on workshop id. The actor is the public.
func (a *App) RegisterParticipant(ctx context.Context, id domain.WorkshopID, op Op, r Registration) (Registered, error) {
	op.Actor = ActorPublic
	return a.register(ctx, id, op, r, false)
}

// RegisterByHand registers a person on workshop id for them (a phone registration). The actor
// is the organiser; the closing time and the end of the workshop do not apply. r.Consent is the
// organiser's statement that the person agreed. The answer carries the personal token, so that
// the organiser can pass the personal link on.
func (a *App) RegisterByHand(ctx context.Context, id domain.WorkshopID, op Op, r Registration) (Registered, error) {
	op.Actor = organiserActor(op.Actor)
	return a.register(ctx, id, op, r, true)
}

func (a *App) register(ctx context.Context, id domain.WorkshopID, op Op, r Registration, byHand bool) (Registered, error) {
	rid := domain.RegistrationID(a.cfg.NewID())
	cmd := domain.RegisterParticipant{ID: rid,
		Person:       domain.Person{Name: r.Name, Email: r.Email, Dietary: r.Dietary, PhotoConsent: r.PhotoConsent},
		EmailKey:     a.emailKey(r.Email),
		Organisation: r.Organisation, District: r.District, Days: r.Days, Overnight: r.Overnight,
		Consent: r.Consent, TokenHash: tokenHash(a.PersonalToken(id, rid)), Lang: r.Lang,
		Answers: r.Answers, ByOrganiser: byHand, Member: r.member}
	cmd.At = a.cfg.Now()
	cmd.Today = domain.Day(cmd.At.In(a.cfg.Location).Format(time.DateOnly))
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Register(cmd)
	})
	if err != nil {
		return Registered{}, err
	}
	answer := registeredOf(res.Events)
	// A repeat answers the first decision, whose registration id the token derives from.
	answer.Token = a.PersonalToken(id, answer.ID)
	return answer, nil
}

// PersonalToken returns the personal token of registration r of workshop w: a keyed pseudonym
// of the two (domain.PersonalLinkValue), so that the outbox can put the personal link into a
// mail while the store keeps only its hash, and nobody without the keyring can compute one.
// Registrations from before tokens were derived hold a random token instead.
func (a *App) PersonalToken(w domain.WorkshopID, r domain.RegistrationID) string {
	return a.cfg.Pseudonyms.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(w, r))
}

// IsOrganiser reports whether token is the organiser's token.
func (a *App) IsOrganiser(token string) bool {
	return isOrganiser(a.cfg.OrganiserTokenHash, token)
}

// OwnsRegistration reports whether token is the personal token of the registration r.
func OwnsRegistration(r projections.RegistrationView, token string) bool { return owns(r, token) }

// emailKey is the keyed hash under which the domain's duplicate rule knows an email: case and
// surrounding spaces do not tell two emails apart.
func (a *App) emailKey(email string) string {
	return a.cfg.Pseudonyms.Pseudonym("email", strings.ToLower(strings.TrimSpace(email)))
}

// newWorkshopID returns the id of a workshop to schedule. With an idempotency key it derives
// the id from the key's command id (bound to its sender), so that a repeat addresses the same
// workshop and the store recognises the command, or refuses another request under the key.
func (a *App) newWorkshopID(op Op) domain.WorkshopID {
	commandID, _ := a.binding(op)
	if commandID == "" {
		return domain.WorkshopID(a.cfg.NewID())
	}
	sum := sha256.Sum256([]byte(a.cfg.Pseudonyms.Pseudonym("workshop-id", commandID)))
	var id ulid.ULID
	copy(id[:], sum[:])
	return domain.WorkshopID(id.String()) // 26 characters of Crockford base32, like any ULID
}

// newToken returns a participant's personal token. With an idempotency key it derives the token
// from the key's command id and request, so that the same request repeated hands out the same
// token again (the store keeps only its hash) and no other request can.
func (a *App) newToken(id domain.WorkshopID, op Op) string {
	if commandID, request := a.binding(op); commandID != "" {
		return a.cfg.Pseudonyms.Pseudonym("token", string(id)+"|"+commandID+"|"+request)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// writeMark records, for one context, that a command decided under it was appended.
type writeMark struct{ written bool }

type writeMarkKey struct{}

// TrackWrites returns a context under which the App notes that one of its commands was
// appended, and a func that reports whether one was. The API uses it to answer 202 instead of
// a 404 when a write happened but the read models do not show it yet.
func TrackWrites(ctx context.Context) (context.Context, func() bool) {
	m := &writeMark{}
	return context.WithValue(ctx, writeMarkKey{}, m), func() bool { return m.written }
}

// markWritten notes in ctx (when it carries a mark) that a command succeeded.
func markWritten(ctx context.Context) {
	if m, ok := ctx.Value(writeMarkKey{}).(*writeMark); ok {
		m.written = true
	}
}

// UseCase is a use case bound to its arguments but for the workshop and the sender: a method
// value such as (*App).OpenVoting, or a closure that calls one. The API and the pages pass it to
// their helpers that find the workshop and the sender of a request.
type UseCase func(ctx context.Context, id domain.WorkshopID, op Op) (domain.Appended, error)
