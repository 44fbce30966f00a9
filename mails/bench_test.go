package mails_test

import (
	"context"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// BenchmarkCompose composes a confirmation from its commit and the memory read models: the
// outbox's own work per mail, without the log and the SMTP server (`werkstatt bench` measures
// the whole way against the server's raw rate).
func BenchmarkCompose(b *testing.B) {
	w := newWorld(b)
	w.commit(domain.WorkshopScheduled{ID: ws, Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{"2037-11-16", "2037-11-17"}, Capacity: 10})
	batch := w.commit(w.registered("a", "Ann", "en", false), domain.RegistrationConfirmed{RegistrationID: "a"})
	c := w.composer()
	ctx := context.Background()
	for b.Loop() {
		if msgs, err := c.Compose(ctx, batch); err != nil || len(msgs) != 1 {
			b.Fatalf("compose: %v, %d mails", err, len(msgs))
		}
	}
}
