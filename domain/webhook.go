package domain

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// A webhook tells another system (a CRM, a chat, a spreadsheet) what happens in a network's
// workshops: Werkstatt posts each event of the types it subscribes to to its URL, signed with a
// secret derived from the instance's keyring (never stored in the log). A webhook belongs to a
// network, like its members: it is in the network's log.

// WebhookID names a webhook of a network.
type WebhookID string

// WebhookEventType is the name under which a webhook receives an event, such as
// "registration.confirmed": the receivers' vocabulary, not the log's.
type WebhookEventType string

// The event types a webhook may subscribe to.
const (
	HookRegistrationReceived   WebhookEventType = "registration.received"
	HookRegistrationConfirmed  WebhookEventType = "registration.confirmed"
	HookRegistrationWaitlisted WebhookEventType = "registration.waitlisted"
	// HookRegistrationPromoted: confirmed from the waitlist (moved up).
	HookRegistrationPromoted  WebhookEventType = "registration.promoted"
	HookRegistrationCancelled WebhookEventType = "registration.cancelled"
	HookRegistrationChanged   WebhookEventType = "registration.changed"
	HookRegistrationErased    WebhookEventType = "registration.erased"
	HookCheckinRecorded       WebhookEventType = "checkin.recorded"
	HookWorkshopPublished     WebhookEventType = "workshop.published"
	HookWorkshopChanged       WebhookEventType = "workshop.changed"
	HookFeedbackSubmitted     WebhookEventType = "feedback.submitted"
)

// WebhookEventTypes lists every event type a webhook may subscribe to.
var WebhookEventTypes = []WebhookEventType{HookRegistrationReceived, HookRegistrationConfirmed,
	HookRegistrationWaitlisted, HookRegistrationPromoted, HookRegistrationCancelled, HookRegistrationChanged,
	HookRegistrationErased, HookCheckinRecorded, HookWorkshopPublished, HookWorkshopChanged, HookFeedbackSubmitted}

// Webhook is a subscription of a network as its log has it.
type Webhook struct {
	ID     WebhookID
	URL    string
	Events []WebhookEventType
	// PersonalData makes its deliveries carry names, e-mail addresses and organisations; only a
	// network's admin (or the instance's administrator) may create such a webhook.
	PersonalData bool
}

// Subscribes reports whether w receives events of type t.
func (w Webhook) Subscribes(t WebhookEventType) bool { return slices.Contains(w.Events, t) }

// Limits of a webhook.
const (
	maxWebhookURL    = 2000
	maxWebhooks      = 50
	maxWebhookEvents = 50
)

// Rules of webhooks.
var (
	ErrWebhookNotFound = newRule("webhook-not-found", "webhook not found", ErrNotFound)
	ErrWebhookExists   = newRule("webhook-exists", "a webhook with this id already exists", ErrConflict)
	ErrTooManyWebhooks = newRule("too-many-webhooks", fmt.Sprintf("a network has at most %d webhooks", maxWebhooks), ErrConflict)
)

// WebhookAdded records a new webhook of the network.
type WebhookAdded struct {
	ID           WebhookID          `json:"id"`
	URL          string             `json:"url"`
	Events       []WebhookEventType `json:"events"`
	PersonalData bool               `json:"personal_data,omitempty"`
}

func (WebhookAdded) Name() string { return "network.webhook_added.v1" }

var _ = register[WebhookAdded]()

// WebhookRemoved records that a webhook gets nothing more.
type WebhookRemoved struct {
	ID WebhookID `json:"id"`
}

func (WebhookRemoved) Name() string { return "network.webhook_removed.v1" }

var _ = register[WebhookRemoved]()

// evolveWebhooks applies the events of webhooks to n.
func (n Network) evolveWebhooks(e Event) Network {
	switch e := e.(type) {
	case WebhookAdded:
		n.Webhooks = maps.Clone(n.Webhooks)
		if n.Webhooks == nil {
			n.Webhooks = map[WebhookID]Webhook{}
		}
		n.Webhooks[e.ID] = Webhook{ID: e.ID, URL: e.URL, Events: e.Events, PersonalData: e.PersonalData}
	case WebhookRemoved:
		n.Webhooks = maps.Clone(n.Webhooks)
		delete(n.Webhooks, e.ID)
	}
	return n
}

// AddWebhook is the command that subscribes a URL to events of a network's workshops.
type AddWebhook struct {
	ID           WebhookID
	URL          string
	Events       []WebhookEventType
	PersonalData bool
	// ByAdmin is set when the caller is the network's admin or the instance's administrator:
	// only they may have personal data sent elsewhere.
	ByAdmin bool
}

// AddWebhook decides c.
func (n Network) AddWebhook(c AddWebhook) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	var fe FieldErrors
	rawURL := strings.TrimSpace(c.URL)
	checkWebhookURL(&fe, "url", rawURL)
	events := checkWebhookEvents(&fe, c.Events)
	if c.PersonalData && !c.ByAdmin {
		fe.add("personal_data", CodeNotAllowed, "only a network admin may create a webhook that receives personal data")
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if c.ID == "" || !ValidText(string(c.ID), false) || utf8.RuneCountInString(string(c.ID)) > maxID {
		return nil, fmt.Errorf("%w: a webhook needs an id", ErrInvalid)
	}
	if _, ok := n.Webhooks[c.ID]; ok {
		return nil, ErrWebhookExists
	}
	if len(n.Webhooks) >= maxWebhooks {
		return nil, ErrTooManyWebhooks
	}
	return []Event{WebhookAdded{ID: c.ID, URL: rawURL, Events: events, PersonalData: c.PersonalData}}, nil
}

// RemoveWebhook decides that webhook id gets nothing more.
func (n Network) RemoveWebhook(id WebhookID) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if _, ok := n.Webhooks[id]; !ok {
		return nil, ErrWebhookNotFound
	}
	return []Event{WebhookRemoved{ID: id}}, nil
}

// checkWebhookURL checks that s is an absolute http or https URL with a host and without
// credentials in it (a secret in the URL would be shown on every list).
func checkWebhookURL(fe *FieldErrors, field, s string) {
	checkText(fe, field, s, true, maxWebhookURL)
	if len(*fe) > 0 && (*fe)[len(*fe)-1].Field == field {
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" || u.Opaque != "":
		fe.add(field, CodeNotAURL, "must be an absolute http:// or https:// URL such as https://example.org/hooks")
	case u.User != nil:
		fe.add(field, CodeNotAllowed, "must not carry a user name or password")
	case u.Fragment != "" || strings.Contains(s, "#"):
		fe.add(field, CodeNotAURL, "must not carry a fragment (#...)")
	}
}

// checkWebhookEvents checks the event types a webhook subscribes to and returns them in the
// order of WebhookEventTypes.
func checkWebhookEvents(fe *FieldErrors, events []WebhookEventType) []WebhookEventType {
	if len(events) == 0 {
		fe.add("events", CodeTooFew, "must name at least one event type")
		return nil
	}
	if len(events) > maxWebhookEvents {
		fe.add("events", CodeTooMany, fmt.Sprintf("must name at most %d event types", maxWebhookEvents))
		return nil
	}
	seen := map[WebhookEventType]bool{}
	for i, t := range events {
		field := fmt.Sprintf("events[%d]", i)
		switch {
		case !slices.Contains(WebhookEventTypes, t):
			fe.add(field, CodeNotInList, "must be a known event type such as registration.confirmed")
		case seen[t]:
			fe.add(field, CodeNamedTwice, "names an event type twice")
		}
		seen[t] = true
	}
	out := make([]WebhookEventType, 0, len(seen))
	for _, t := range WebhookEventTypes {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}
