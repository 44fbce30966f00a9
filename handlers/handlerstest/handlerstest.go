// Package handlerstest wires the HTTP layers' dependencies over real parts for tests: an
// embedded NATS server in a temporary folder, the event store, a keyring, the project leads'
// grants, in-memory read models and the projection runner. The JSON API's and the pages' tests share it.
package handlerstest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/infra/credentials"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/grants"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/objectstore"
	"github.com/werkstatt/werkstatt/projections"
)

// Wire returns a configuration of the HTTP layers whose organiser token is organiserToken, and
// the event store behind it. Everything runs until the test ends.
func Wire(t testing.TB, organiserToken string) (handlers.Config, *eventstore.Store) {
	t.Helper()
	return WireWith(t, organiserToken, projections.NewMemory())
}

// WireWith is Wire with the read models in readModels (for instance PostgreSQL's).
func WireWith(t testing.TB, organiserToken string, readModels projections.Store) (handlers.Config, *eventstore.Store) {
	t.Helper()
	cfg, store, _ := wire(t, organiserToken, readModels)
	return cfg, store
}

// WireJetStream is Wire that also returns the JetStream everything runs on, for tests that
// open more parts on it (the pages' sessions, a second replica).
func WireJetStream(t testing.TB, organiserToken string) (handlers.Config, *eventstore.Store, jetstream.JetStream) {
	t.Helper()
	return wire(t, organiserToken, projections.NewMemory())
}

func wire(t testing.TB, organiserToken string, readModels projections.Store) (handlers.Config, *eventstore.Store, jetstream.JetStream) {
	t.Helper()
	js := natstest.Embedded(t).JetStream(t)
	ctx := context.Background()
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	keyring, err := keys.Open(ctx, js, "TEST_KEYS", master, 1)
	if err != nil {
		t.Fatalf("keyring: %v", err)
	}
	t.Cleanup(func() { _ = keyring.Close() })
	store, err := eventstore.Open(ctx, js, eventstore.Config{GroupCommit: true}, keyring) // as cmd/werkstatt opens it
	if err != nil {
		t.Fatalf("event store: %v", err)
	}
	leads, err := grants.Open(ctx, js, "TEST_LEAD_GRANTS", 1)
	if err != nil {
		t.Fatalf("lead grants: %v", err)
	}
	blobs, err := objectstore.Open(ctx, js, "TEST_BLOBS", 1)
	if err != nil {
		t.Fatalf("object store: %v", err)
	}
	creds, err := credentials.Open(ctx, js, "TEST_CREDENTIALS", 1)
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	runner := projections.NewRunner(readModels, logger)
	feed, err := eventstore.NewFeed(store, runner, logger, nil)
	if err != nil {
		t.Fatalf("feed: %v", err)
	}
	run(t, feed)
	return handlers.Config{Config: app.Config{Workshops: store, Reader: readModels, Consistency: runner, Pseudonyms: keyring,
		LeadGrants: leads, Eraser: keyring, Blobs: blobs, Networks: store, Log: store, Credentials: creds, OrganiserTokenHash: sha256.Sum256([]byte(organiserToken)), Logger: logger}}, store, js
}

// run runs the projections until the test ends.
func run(t testing.TB, feed *eventstore.Feed) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- feed.Run(ctx) }()
	select {
	case <-feed.Running():
	case err := <-done:
		t.Fatalf("feed: %v", err)
	}
	t.Cleanup(func() { stop(); <-done; _ = feed.Close() })
}
