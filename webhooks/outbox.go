package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Attempt is one delivery attempt as the webhook's list shows it.
type Attempt struct {
	Webhook   domain.WebhookID        `json:"-"`
	MessageID string                  `json:"message_id"`
	Type      domain.WebhookEventType `json:"type"`
	At        time.Time               `json:"at"`
	// Attempt counts the attempts of the commit, 1 for the first.
	Attempt int `json:"attempt"`
	// Status is the receiver's HTTP status, 0 when it did not answer (Error says why).
	Status    int    `json:"status,omitempty"`
	Error     string `json:"error,omitempty"`
	Delivered bool   `json:"delivered"`
	// Final marks a failed attempt after which the delivery is given up.
	Final bool `json:"final,omitempty"`
}

// Log remembers which deliveries receivers accepted, so that a commit tried again does not
// post again to those that did, and the last attempts of each webhook. infra/webhooks keeps
// it in a key-value bucket that every replica shares.
type Log interface {
	Delivered(ctx context.Context, messageID string) (bool, error)
	// Record adds a to its webhook's last attempts; a delivered one is remembered as such.
	Record(ctx context.Context, a Attempt) error
	// Attempts returns the webhook's last attempts, newest first.
	Attempts(ctx context.Context, hook domain.WebhookID) ([]Attempt, error)
}

// NetworkLogs reads a network's log (*eventstore.Store implements it).
type NetworkLogs interface {
	LoadNetwork(ctx context.Context, id domain.NetworkID) (domain.Network, uint64, error)
	NetworkLog(ctx context.Context, id domain.NetworkID) ([]domain.Recorded, error)
}

// Consistency lets the handler wait until the read models reflect a commit
// (*projections.Runner implements it).
type Consistency interface {
	WaitFor(ctx context.Context, seq uint64) error
}

// Timeout bounds one post to a receiver.
const Timeout = 10 * time.Second

// Handler is the outbox's handler for webhooks.
type Handler struct {
	Reader      Reader
	Consistency Consistency
	Networks    NetworkLogs
	Pseudonyms  Pseudonyms
	Log         Log
	Client      *http.Client
	// Now is the clock of webhook-timestamp; nil is time.Now.
	Now func() time.Time
}

// Handle delivers the events of one commit (all with seq) to the webhooks subscribed to them.
// An error makes the outbox try the commit again: receivers that accepted a delivery get it
// not again. On the final attempt (final) a failing receiver is recorded and given up.
func (h Handler) Handle(ctx context.Context, seq uint64, attempt int, events []domain.Recorded, final bool) error {
	type item struct {
		index int
		r     domain.Recorded
		t     domain.WebhookEventType
	}
	var items []item
	for i, r := range events {
		if t, ok := TypeOf(r.Event); ok && r.Workshop != "" {
			items = append(items, item{i, r, t})
		}
	}
	if len(items) == 0 {
		return nil
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := h.Consistency.WaitFor(wait, seq)
	cancel()
	if err != nil {
		return fmt.Errorf("webhooks: read models at %d: %w", seq, err)
	}
	hooks := map[domain.NetworkID][]domain.Webhook{}
	var failed error
	for _, it := range items {
		w, err := h.Reader.Workshop(ctx, it.r.Workshop)
		if err != nil {
			return fmt.Errorf("webhooks: workshop %s: %w", it.r.Workshop, err)
		}
		if w.Network == "" {
			continue // a workshop of no network has no webhooks
		}
		subs, ok := hooks[w.Network]
		if !ok {
			if subs, err = h.webhooks(ctx, w.Network, seq); err != nil {
				return err
			}
			hooks[w.Network] = subs
		}
		for _, hook := range subs {
			if !hook.Subscribes(it.t) {
				continue
			}
			if err := h.deliver(ctx, w, hook, seq, it.index, attempt, it.r, it.t, final); err != nil {
				failed = errors.Join(failed, err)
			}
		}
	}
	if final {
		return nil // the failures are recorded; the commit is given up
	}
	return failed
}

// webhooks returns the webhooks of network that exist now and existed before seq: a webhook
// created after an event does not get it on a retry.
func (h Handler) webhooks(ctx context.Context, network domain.NetworkID, seq uint64) ([]domain.Webhook, error) {
	// Most networks have no webhooks: their state (kept up to date incrementally) tells so
	// without reading the whole log on every commit.
	n, _, err := h.Networks.LoadNetwork(ctx, network)
	if err != nil {
		return nil, fmt.Errorf("webhooks: network %s: %w", network, err)
	}
	if len(n.Webhooks) == 0 {
		return nil, nil
	}
	log, err := h.Networks.NetworkLog(ctx, network)
	if err != nil {
		return nil, fmt.Errorf("webhooks: network %s: %w", network, err)
	}
	n = domain.Network{}
	added := map[domain.WebhookID]uint64{}
	for _, r := range log {
		n = n.Evolve(r.Event)
		if e, ok := r.Event.(domain.WebhookAdded); ok {
			added[e.ID] = r.Seq
		}
	}
	var out []domain.Webhook
	for id, hook := range n.Webhooks {
		if added[id] < seq {
			out = append(out, hook)
		}
	}
	return out, nil
}

// deliver posts one event to one webhook unless the receiver accepted it before, and records
// the attempt.
func (h Handler) deliver(ctx context.Context, w projections.WorkshopView, hook domain.Webhook, seq uint64, index, attempt int, r domain.Recorded, t domain.WebhookEventType, final bool) error {
	id := MessageID(seq, index, hook.ID)
	done, err := h.Log.Delivered(ctx, id)
	if err != nil || done {
		return err
	}
	body, err := compose(ctx, h.Reader, w, r, t, hook.PersonalData)
	if err != nil {
		return fmt.Errorf("webhooks: compose %s: %w", id, err)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	at := now()
	a := Attempt{Webhook: hook.ID, MessageID: id, Type: t, At: at.UTC(), Attempt: attempt}
	a.Status, err = h.post(ctx, w.Network, hook, id, at, b)
	a.Delivered = err == nil
	if err != nil {
		a.Error, a.Final = err.Error(), final
	}
	if rerr := h.Log.Record(ctx, a); rerr != nil {
		return errors.Join(err, fmt.Errorf("webhooks: record %s: %w", id, rerr))
	}
	if err != nil {
		return fmt.Errorf("webhooks: %s to webhook %s: %w", id, hook.ID, err)
	}
	return nil
}

// post sends one signed delivery; any answer but 2xx is a failure.
func (h Handler) post(ctx context.Context, network domain.NetworkID, hook domain.Webhook, id string, at time.Time, body []byte) (int, error) {
	sig, err := Sign(Secret(h.Pseudonyms, network, hook.ID), id, at, body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Werkstatt-Webhooks/1")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	client := h.Client
	if client == nil {
		client = NewClient(false)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, errors.New("no answer: " + transportReason(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// transportReason says briefly why a receiver did not answer, without the URL (the list
// shows it beside).
func transportReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timed out"
		}
		err = ue.Err
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
