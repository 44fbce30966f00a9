package main

import (
	"context"

	application "github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	infrawebhooks "github.com/werkstatt/werkstatt/infra/webhooks"
	"github.com/werkstatt/werkstatt/webhooks"

	"time"
)

// webhooksDurable names the webhook outbox's durable consumer: every replica pulls from it, so
// that each commit is delivered by one of them.
const webhooksDurable = "webhooks"

// webhookRetries are the webhook outbox's waits between attempts (nil:
// eventstore.DefaultRetries, a little over a day); tests shorten them.
var webhookRetries []time.Duration

// webhooksBucket names the key-value bucket of the webhooks' delivery progress.
func (c config) webhooksBucket() string { return c.Stream + "_WEBHOOKS" }

// openWebhooks opens the delivery progress and wires the webhook outbox, a second durable
// consumer beside the mails' one. It runs with start.
func (a *app) openWebhooks(ctx context.Context, cfg config, opts eventstore.OutboxConfig) error {
	var err error
	a.webhooksToInternal = cfg.WebhooksToInternal
	if a.webhookLog, err = infrawebhooks.Open(ctx, a.js, cfg.webhooksBucket(), cfg.Replicas); err != nil {
		return err
	}
	if opts.Logger == nil {
		opts.Logger = a.log.With("component", "webhooks")
	}
	h := webhooks.Handler{Reader: a.readModels, Consistency: a.runner, Networks: a.events, Pseudonyms: a.keyring,
		Log: a.webhookLog, Client: webhooks.NewClient(cfg.WebhooksToInternal)}
	a.hooks, err = eventstore.NewOutbox(a.events, webhooksDurable, func(ctx context.Context, d eventstore.Delivery) error {
		return h.Handle(ctx, d.Seq, d.Attempt, d.Events, d.Final)
	}, opts)
	return err
}

// webhookLogOrNil is the delivery progress as the application takes it: a nil interface
// without one.
func (a *app) webhookLogOrNil() application.WebhookLog {
	if a.webhookLog == nil {
		return nil
	}
	return a.webhookLog
}
