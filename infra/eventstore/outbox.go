package eventstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
)

// Delivery is one commit as an Outbox hands it to its handler.
type Delivery struct {
	Seq    uint64
	Events []domain.Recorded
	// Attempt counts the deliveries of this commit, 1 for the first.
	Attempt int
	// Final is set on the last attempt: when the handler fails now, the Outbox tells
	// OutboxConfig.GaveUp and acknowledges the commit.
	Final bool
}

// OutboxHandler handles one commit of an Outbox. An error makes the Outbox try the commit
// again later (see OutboxConfig.Retries); a nil error acknowledges it.
type OutboxHandler func(ctx context.Context, d Delivery) error

// DefaultRetries are the waits before each further attempt of a failing commit: a little over
// a day in all, so that a mail server down over night still gets its mails.
var DefaultRetries = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 4 * time.Hour, 6 * time.Hour, 8 * time.Hour}

// OutboxConfig tunes an Outbox; the zero value is the default.
type OutboxConfig struct {
	// Retries are the waits before the second, third ... attempt; DefaultRetries when nil.
	// The commit is attempted len(Retries)+1 times in all.
	Retries []time.Duration
	// AckWait is how long a delivery may take before JetStream hands the commit to another
	// replica (the process is taken to have died); default 2 minutes.
	AckWait time.Duration
	// GaveUp is told the error of a commit's final attempt, before the commit is acknowledged.
	GaveUp func(ctx context.Context, d Delivery, err error)
	Logger *slog.Logger
}

// Outbox drives a handler with the commits appended to the log after the Outbox was first
// created, at least once each, through a durable JetStream pull consumer: every replica that
// runs an Outbox with the same durable name pulls from the one consumer, so that a commit goes
// to one of them, and the consumer's position survives restarts. A commit is acknowledged only
// after the handler succeeded (or finally failed); one that fails is given back with a delay
// (NakWithDelay, the next of Retries) and tried again, by whichever replica pulls it. The
// retries are JetStream's, not watermill's Retry middleware: a retry that waits hours must
// survive a restart and must not hold up the commits behind it, which an in-process retry
// does; watermill runs the handler (a router with Recoverer, like the projections' Feed).
// Mails use it, webhooks can.
type Outbox struct {
	router *message.Router
	sub    *outboxSubscriber
}

// NewOutbox wires an Outbox over s's stream under the durable consumer name durable.
func NewOutbox(s *Store, durable string, h OutboxHandler, cfg OutboxConfig) (*Outbox, error) {
	if cfg.Retries == nil {
		cfg.Retries = DefaultRetries
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	wlog := watermill.NewSlogLogger(cfg.Logger)
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog)
	if err != nil {
		return nil, fmt.Errorf("eventstore: outbox router: %w", err)
	}
	sub := &outboxSubscriber{store: s, durable: durable, cfg: cfg, logger: cfg.Logger, closer: closer{closing: make(chan struct{})}}
	router.AddMiddleware(middleware.Recoverer)
	router.AddConsumerHandler(durable, durable, sub, func(msg *message.Message) error {
		d, ok := msg.Context().Value(deliveryKey{}).(Delivery)
		if !ok {
			return errors.New("eventstore: the message does not come from an outbox")
		}
		err := h(msg.Context(), d)
		if err != nil && d.Final && msg.Context().Err() == nil {
			cfg.Logger.Error("outbox gave up on a commit", "durable", durable, "seq", d.Seq, "attempts", d.Attempt, "err", err)
			if cfg.GaveUp != nil {
				cfg.GaveUp(msg.Context(), d, err)
			}
			return nil
		}
		if err != nil {
			cfg.Logger.Warn("outbox will retry a commit", "durable", durable, "seq", d.Seq, "attempt", d.Attempt, "err", err)
		}
		return err
	})
	return &Outbox{router: router, sub: sub}, nil
}

// Run runs the outbox until ctx is done.
func (o *Outbox) Run(ctx context.Context) error {
	if err := o.router.Run(ctx); err != nil {
		return fmt.Errorf("eventstore: outbox: %w", err)
	}
	return nil
}

// Backlog returns how many commits wait for the outbox: not yet delivered plus delivered and
// not yet acknowledged (in work, or waiting for a retry). Before the outbox first ran there is
// no consumer and no backlog.
func (o *Outbox) Backlog(ctx context.Context) (uint64, error) {
	c, err := o.sub.store.js.Consumer(ctx, o.sub.store.cfg.Stream, o.sub.durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("eventstore: outbox %s: %w", o.sub.durable, err)
	}
	info := c.CachedInfo()
	return info.NumPending + uint64(info.NumAckPending), nil
}

// Running is closed when the outbox runs.
func (o *Outbox) Running() chan struct{} { return o.router.Running() }

// Close stops the outbox.
func (o *Outbox) Close() error {
	err := o.router.Close()
	_ = o.sub.Close()
	return err
}

// deliveryKey is the context key of a message's Delivery.
type deliveryKey struct{}

// outboxSubscriber is the watermill Subscriber of an Outbox: one message per commit.
type outboxSubscriber struct {
	store   *Store
	durable string
	cfg     OutboxConfig
	logger  *slog.Logger

	closer
}

// consumer creates the durable consumer, or finds it: DeliverNew applies when it is first
// created only, so that a new deployment on an old log does not act on its history, while a
// restart goes on where the consumer stood.
func (s *outboxSubscriber) consumer(ctx context.Context) (jetstream.Consumer, error) {
	return s.store.stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       s.durable,
		Description:   "Werkstatt outbox " + s.durable,
		DeliverPolicy: jetstream.DeliverNewPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       s.cfg.AckWait,
		MaxDeliver:    len(s.cfg.Retries) + 1,
		MaxAckPending: 64,
	})
}

func (s *outboxSubscriber) Subscribe(ctx context.Context, _ string) (<-chan *message.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("eventstore: outbox is closed")
	}
	cons, err := s.consumer(ctx)
	if err != nil {
		return nil, fmt.Errorf("eventstore: outbox consumer %s: %w", s.durable, err)
	}
	out := make(chan *message.Message)
	s.run(ctx, func(ctx context.Context) {
		defer close(out)
		for ctx.Err() == nil {
			if err := s.consume(ctx, cons, out); err != nil && ctx.Err() == nil {
				s.logger.Error("outbox: reading the consumer failed; starting again", "durable", s.durable, "err", err)
				sleep(ctx, restartDelay)
			}
		}
	})
	return out, nil
}

// An idle outbox's pull waits outboxPullExpiry and hears a heartbeat every outboxHeartbeat.
// Two missed heartbeats end the read, and it starts again: after the death of the NATS node
// that led the consumer, the pull parked there is gone, and nats.go's defaults (30 s, 15 s)
// kept the mails waiting half a minute (TestOutboxAcrossNodeDeath).
const (
	outboxPullExpiry = 10 * time.Second
	outboxHeartbeat  = 2 * time.Second
)

// consume pulls commits one by one and hands each to the handler until ctx ends.
func (s *outboxSubscriber) consume(ctx context.Context, cons jetstream.Consumer, out chan<- *message.Message) error {
	it, err := cons.Messages(jetstream.PullMaxMessages(1), jetstream.PullExpiry(outboxPullExpiry), jetstream.PullHeartbeat(outboxHeartbeat))
	if err != nil {
		return err
	}
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			it.Stop()
		case <-stopped:
			it.Stop()
		}
	}()
	for {
		m, err := it.Next()
		if err != nil {
			return err
		}
		s.deliver(ctx, m, out)
	}
}

// retryDelay is the wait after the attempt-th delivery failed.
func (s *outboxSubscriber) retryDelay(attempt int) time.Duration {
	r := s.cfg.Retries
	if len(r) == 0 {
		return time.Second
	}
	return r[min(max(attempt-1, 0), len(r)-1)]
}

// deliver decodes one commit, hands it to the handler and acknowledges it or gives it back.
func (s *outboxSubscriber) deliver(ctx context.Context, m jetstream.Msg, out chan<- *message.Message) {
	md, err := m.Metadata()
	if err != nil {
		_ = m.Term()
		return
	}
	attempt := int(md.NumDelivered)
	events, err := s.store.Decode(ctx, md.Sequence.Stream, m.Subject(), m.Data())
	if err != nil {
		s.logger.Warn("outbox: decoding a commit failed; trying it again later", "seq", md.Sequence.Stream, "err", err)
		_ = m.NakWithDelay(s.retryDelay(attempt))
		return
	}
	d := Delivery{Seq: md.Sequence.Stream, Events: events, Attempt: attempt,
		Final: attempt >= len(s.cfg.Retries)+1}
	wm := message.NewMessage(s.durable+"-"+strconv.FormatUint(d.Seq, 10)+"-"+strconv.Itoa(attempt), nil)
	wm.SetContext(context.WithValue(ctx, deliveryKey{}, d))
	select {
	case out <- wm:
	case <-ctx.Done():
		_ = m.Nak() // another replica takes it at once
		return
	}
	select {
	case <-wm.Acked():
		if err := m.DoubleAck(ctx); err != nil {
			s.logger.Warn("outbox: acknowledging a commit failed; it may be handled again", "seq", d.Seq, "err", err)
		}
	case <-wm.Nacked():
		_ = m.NakWithDelay(s.retryDelay(attempt))
	case <-ctx.Done():
		_ = m.Nak()
	}
}
