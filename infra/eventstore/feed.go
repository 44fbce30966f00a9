package eventstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/components/metrics"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Projector is what a Feed drives: *projections.Runner.
type Projector interface {
	// Start returns the sequence after which the feed starts.
	Start(ctx context.Context) (uint64, error)
	// Apply applies a batch of whole commits, in log order.
	Apply(ctx context.Context, batch []domain.Recorded) error
	// GaveUp is told the error a batch still has after the retries; the feed keeps trying it.
	GaveUp(err error)
}

// feedTopic names the Feed's one handler and subscription.
const feedTopic = "projections"

// Feed runs the projections from the log: a watermill router whose one handler takes the
// Subscriber's decoded batches to a Projector, with retry (a batch that fails is tried again
// with backoff, then Nacked and delivered again: the projections stop there rather than skip
// an event), recoverer (a panic is an error that is retried too) and, given a registry, the
// router's Prometheus metrics.
type Feed struct {
	router *message.Router
	sub    *Subscriber
}

// NewFeed wires a Feed over s's stream to p. metrics may be nil.
func NewFeed(s *Store, p Projector, logger *slog.Logger, reg prometheus.Registerer) (*Feed, error) {
	if logger == nil {
		logger = slog.Default()
	}
	wlog := watermill.NewSlogLogger(logger)
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog)
	if err != nil {
		return nil, fmt.Errorf("eventstore: new router: %w", err)
	}
	sub := NewSubscriber(s, func(ctx context.Context, _ string) (uint64, error) { return p.Start(ctx) }, wlog)
	// gaveUp sees what is left after the retries; Retry runs outside Recoverer, so that a panic
	// becomes an error that is retried too.
	router.AddMiddleware(gaveUp(p), middleware.Retry{MaxRetries: 5, InitialInterval: 100 * time.Millisecond,
		MaxInterval: 2 * time.Second, Multiplier: 2, Logger: wlog}.Middleware, middleware.Recoverer)
	if reg != nil {
		metrics.NewPrometheusMetricsBuilder(reg, "werkstatt", "feed").AddPrometheusRouterMetrics(router)
	}
	router.AddConsumerHandler(feedTopic, feedTopic, sub, func(msg *message.Message) error {
		events, err := Events(msg)
		if err != nil {
			seq, _ := strconv.ParseUint(msg.Metadata.Get("seq_first"), 10, 64)
			return &projections.ApplyError{Seq: seq, Err: fmt.Errorf("decode: %w", err)}
		}
		return p.Apply(msg.Context(), events)
	})
	return &Feed{router: router, sub: sub}, nil
}

// gaveUp is the outermost middleware: it hands the error a batch still has after its retries to
// p, unless the feed is shutting down.
func gaveUp(p Projector) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			out, err := h(msg)
			if err != nil && msg.Context().Err() == nil {
				p.GaveUp(err)
			}
			return out, err
		}
	}
}

// Run runs the feed until ctx is done.
func (f *Feed) Run(ctx context.Context) error {
	if err := f.router.Run(ctx); err != nil {
		return fmt.Errorf("eventstore: feed: %w", err)
	}
	return nil
}

// Running is closed when the feed runs.
func (f *Feed) Running() chan struct{} { return f.router.Running() }

// Close stops the feed and its subscriber.
func (f *Feed) Close() error {
	err := f.router.Close()
	_ = f.sub.Close()
	return err
}
