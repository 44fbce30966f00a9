// Package webhooks posts what happens in a network's workshops to the URLs its webhooks name,
// signed as the Standard Webhooks specification says (https://www.standardwebhooks.com): the
// outbox hands each commit to Handler, which maps its events to the receivers' event types
// (one table, below), composes each delivery's body from the event and the read models, and
// posts it to each webhook that subscribes, remembering which receivers accepted it.
package webhooks

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Pseudonyms derives keyed hashes from the instance's keyring (*keys.Keyring implements it).
type Pseudonyms interface {
	Pseudonym(purpose, value string) string
}

// SecretPurpose is the purpose under which a webhook's signing secret is derived: the secret
// is never stored, neither in the log nor beside it, and every replica derives the same one.
const SecretPurpose = "webhook-secret"

// SecretPrefix starts every signing secret, as the specification names it.
const SecretPrefix = "whsec_"

// Secret returns the signing secret of webhook id of network: "whsec_" and the base64 of a
// 32-byte key derived from the keyring.
func Secret(p Pseudonyms, network domain.NetworkID, id domain.WebhookID) string {
	key, err := base64.RawURLEncoding.DecodeString(p.Pseudonym(SecretPurpose, string(network)+"\x00"+string(id)))
	if err != nil || len(key) != 32 {
		// The keyring's pseudonyms are base64url of an HMAC-SHA256: hash whatever else we got.
		sum := sha256.Sum256([]byte(p.Pseudonym(SecretPurpose, string(network)+"\x00"+string(id))))
		key = sum[:]
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// Sign returns the webhook-signature header of a delivery: "v1," and the base64 of the
// HMAC-SHA256 of "id.timestamp.body" under the secret's key.
func Sign(secret, messageID string, at time.Time, body []byte) (string, error) {
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return "", err
	}
	return wh.Sign(messageID, at, body)
}

// MessageID is the webhook-id of the delivery of the index-th event of the commit at seq to
// webhook hook: the same on every attempt, so that a receiver recognises a retry.
func MessageID(seq uint64, index int, hook domain.WebhookID) string {
	sum := sha256.Sum256([]byte(string(hook)))
	return fmt.Sprintf("msg_%d_%d_%s", seq, index, hex.EncodeToString(sum[:8]))
}

// mapping is one row of the table from the log's events to the receivers' event types.
type mapping struct {
	event domain.Event // its zero value names the log's event
	hook  domain.WebhookEventType
	// when, if set, must hold for the event to map to hook.
	when func(domain.Event) bool
}

// table maps the log's events to the event types webhooks subscribe to. A confirmation from
// the waitlist is a promotion, not a confirmation; every change of a workshop's description or
// agenda is a change.
var table = []mapping{
	{domain.ParticipantRegistered{}, domain.HookRegistrationReceived, nil},
	{domain.RegistrationConfirmed{}, domain.HookRegistrationConfirmed, func(e domain.Event) bool { return !e.(domain.RegistrationConfirmed).FromWaitlist }},
	{domain.RegistrationConfirmed{}, domain.HookRegistrationPromoted, func(e domain.Event) bool { return e.(domain.RegistrationConfirmed).FromWaitlist }},
	{domain.RegistrationWaitlisted{}, domain.HookRegistrationWaitlisted, nil},
	{domain.RegistrationCancelled{}, domain.HookRegistrationCancelled, nil},
	{domain.RegistrationChanged{}, domain.HookRegistrationChanged, nil},
	{domain.PersonalDataErased{}, domain.HookRegistrationErased, nil},
	{domain.ParticipantCheckedIn{}, domain.HookCheckinRecorded, nil},
	{domain.WorkshopScheduled{}, domain.HookWorkshopPublished, nil},
	{domain.WorkshopChanged{}, domain.HookWorkshopChanged, nil},
	{domain.WorkshopVisibilitySet{}, domain.HookWorkshopChanged, nil},
	{domain.RegistrationClosesSet{}, domain.HookWorkshopChanged, nil},
	{domain.SessionPlanned{}, domain.HookWorkshopChanged, nil},
	{domain.SessionChanged{}, domain.HookWorkshopChanged, nil},
	{domain.SessionCancelled{}, domain.HookWorkshopChanged, nil},
	{domain.FeedbackAnswered{}, domain.HookFeedbackSubmitted, nil},
}

// TypeOf returns the event type under which webhooks receive e, false for an event they do
// not receive.
func TypeOf(e domain.Event) (domain.WebhookEventType, bool) {
	for _, m := range table {
		if m.event.Name() == e.Name() && (m.when == nil || m.when(e)) {
			return m.hook, true
		}
	}
	return "", false
}

// Body is what a delivery posts.
type Body struct {
	Type      domain.WebhookEventType `json:"type"`
	Timestamp time.Time               `json:"timestamp"`
	Data      Data                    `json:"data"`
}

// Data carries ids and states. Name, Email and Organisation are set only for a webhook with
// personal data, and never once the person was erased.
type Data struct {
	Network      domain.NetworkID      `json:"network"`
	Workshop     domain.WorkshopID     `json:"workshop"`
	Registration domain.RegistrationID `json:"registration,omitempty"`
	// Status is the registration's status the event leaves it in.
	Status   domain.Status    `json:"status,omitempty"`
	Days     []domain.Day     `json:"days,omitempty"`
	Position int              `json:"waitlist_position,omitempty"`
	Day      domain.Day       `json:"day,omitempty"`
	Session  domain.SessionID `json:"session,omitempty"`
	Erased   bool             `json:"erased,omitempty"`
	// The workshop's state, for workshop events.
	Title      string            `json:"title,omitempty"`
	Series     string            `json:"series,omitempty"`
	Venue      string            `json:"venue,omitempty"`
	Capacity   int               `json:"capacity,omitempty"`
	Visibility domain.Visibility `json:"visibility,omitempty"`
	// Questionnaire names the questionnaire a feedback answers (never the answers: free text
	// may name people).
	Questionnaire domain.QuestionnaireID `json:"questionnaire,omitempty"`

	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
	Organisation string `json:"organisation,omitempty"`
}

// Reader is what composing needs from the read models (projections.Reader has it).
type Reader interface {
	Workshop(ctx context.Context, id domain.WorkshopID) (projections.WorkshopView, error)
	Registration(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID) (projections.RegistrationView, error)
}

// compose returns the body of the delivery of r about workshop w, with personal data when
// personal is set.
func compose(ctx context.Context, reader Reader, w projections.WorkshopView, r domain.Recorded, t domain.WebhookEventType, personal bool) (Body, error) {
	d := Data{Network: w.Network, Workshop: w.ID}
	var rid domain.RegistrationID
	switch e := r.Event.(type) {
	case domain.ParticipantRegistered:
		rid, d.Days = e.RegistrationID, e.Days
	case domain.RegistrationConfirmed:
		rid, d.Status, d.Days = e.RegistrationID, domain.Confirmed, e.Days
	case domain.RegistrationWaitlisted:
		rid, d.Status, d.Days, d.Position = e.RegistrationID, domain.Waitlisted, e.Days, e.Position
	case domain.RegistrationCancelled:
		rid, d.Status = e.RegistrationID, domain.Cancelled
	case domain.RegistrationChanged:
		rid, d.Status, d.Days = e.RegistrationID, e.Status, e.Days
	case domain.PersonalDataErased:
		rid, d.Erased = e.RegistrationID, true
	case domain.ParticipantCheckedIn:
		rid, d.Day, d.Session = e.RegistrationID, e.Day, e.SessionID
	case domain.FeedbackAnswered:
		d.Questionnaire = e.QuestionnaireID
	default: // the workshop's events: its state now
		d.Title, d.Series, d.Venue, d.Days, d.Capacity, d.Visibility = w.Title, w.Series, w.Venue, w.Days, w.Capacity, w.Visibility.Or()
	}
	d.Registration = rid
	if rid != "" && (personal || d.Days == nil) {
		reg, err := reader.Registration(ctx, w.ID, rid)
		if err != nil {
			return Body{}, fmt.Errorf("registration %s of workshop %s: %w", rid, w.ID, err)
		}
		if d.Days == nil && t != domain.HookRegistrationCancelled && t != domain.HookRegistrationErased {
			d.Days = reg.Days
		}
		d.Erased = d.Erased || reg.Erased
		if personal && !reg.Erased {
			d.Name, d.Email, d.Organisation = reg.Name, reg.Email, reg.Organisation
		}
	}
	return Body{Type: t, Timestamp: r.At.UTC(), Data: d}, nil
}
