package bench

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// The Measure functions below time the event store against its building blocks, for the
// benchmarks in infra/eventstore and `werkstatt bench`. MeasureRawPublish works on a scratch
// stream; MeasureAppend and Fill write real workshops (ids starting with "BENCH") into the
// store's stream: run them on a scratch server.

// benchDays are the days of every benchmark workshop.
var benchDays = []domain.Day{"2030-01-07", "2030-01-08"}

// benchAt is the clock reading of benchmark commits: the store never reads the clock.
var benchAt = time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)

// MeasureRawPublish publishes n messages of 400 bytes with js.PublishMsg, one at a time, each
// expecting the previous sequence of its subject (chains of 100 per subject), to a scratch
// stream configured like the event store's with the given replicas, and returns messages per
// second. The scratch stream is deleted afterwards.
func MeasureRawPublish(ctx context.Context, js jetstream.JetStream, replicas, n int) (float64, error) {
	cfg := eventstore.Config{Stream: "WERKSTATT_BENCH_" + rand.Text()[:8], Replicas: replicas}
	cfg.Subjects = "werkstatt.bench." + strings.ToLower(cfg.Stream[len("WERKSTATT_BENCH_"):])
	// Opening a store creates the stream as the event store configures it.
	if _, err := eventstore.Open(ctx, js, cfg, nil); err != nil {
		return 0, fmt.Errorf("eventstore: scratch stream: %w", err)
	}
	defer js.DeleteStream(context.WithoutCancel(ctx), cfg.Stream)
	payload := make([]byte, 400)
	start := time.Now()
	var subject string
	var last uint64
	for i := range n {
		if i%100 == 0 {
			subject, last = cfg.Subjects+".workshop."+strconv.Itoa(i), 0
		}
		ack, err := js.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: payload},
			jetstream.WithMsgID(rand.Text()), jetstream.WithExpectLastSequencePerSubject(last))
		if err != nil {
			return 0, fmt.Errorf("eventstore: raw publish %d: %w", i, err)
		}
		last = ack.Sequence
	}
	return perSecond(n, time.Since(start)), nil
}

// MeasureAppend schedules four workshops with 20 registrations each, then runs n check-in
// and annul commands through Store.Update, one at a time, round robin over the workshops, and
// returns commands per second (the set-up is not timed).
func MeasureAppend(ctx context.Context, s *eventstore.Store, n int) (float64, error) {
	const workshops, people = 4, 20
	ids := make([]domain.WorkshopID, workshops)
	meta := domain.Meta{Actor: "organiser", At: benchAt}
	for i := range ids {
		ids[i] = domain.WorkshopID("BENCH" + rand.Text())
		if _, err := s.Update(ctx, ids[i], meta, func(w domain.Workshop) ([]domain.Event, error) {
			return w.Schedule(benchWorkshop(ids[i], people))
		}); err != nil {
			return 0, err
		}
		for p := range people {
			if _, err := s.Update(ctx, ids[i], meta, func(w domain.Workshop) ([]domain.Event, error) {
				return w.Register(benchRegistration(p))
			}); err != nil {
				return 0, err
			}
		}
	}
	start := time.Now()
	for i := range n {
		c := domain.CheckInParticipant{RegistrationID: benchRegistrationID(i / workshops % people), Day: benchDays[i/(workshops*people)%2]}
		r, err := s.Update(ctx, ids[i%workshops], meta, func(w domain.Workshop) ([]domain.Event, error) {
			if w.CheckIns[domain.CheckIn(c)] {
				return w.AnnulCheckIn(c)
			}
			return w.CheckIn(c)
		})
		if err != nil {
			return 0, err
		}
		if len(r.Events) != 1 {
			return 0, fmt.Errorf("eventstore: benchmark command %d decided %d events, want 1", i, len(r.Events))
		}
	}
	return perSecond(n, time.Since(start)), nil
}

func benchWorkshop(id domain.WorkshopID, capacity int) domain.ScheduleWorkshop {
	return domain.ScheduleWorkshop{ID: id, Title: "Benchmark workshop", Venue: "Nowhere", Days: benchDays, Capacity: capacity}
}

func benchRegistrationID(p int) domain.RegistrationID {
	return domain.RegistrationID("BENCHR" + strconv.Itoa(p))
}

func benchRegistration(p int) domain.RegisterParticipant {
	id := benchRegistrationID(p)
	return domain.RegisterParticipant{ID: id,
		Person:   domain.Person{Name: "Person " + strconv.Itoa(p), Email: "p" + strconv.Itoa(p) + "@example.org"},
		EmailKey: "bench-email-" + string(id), Organisation: "Benchmark e.V.", Consent: true,
		TokenHash: "bench-token-" + string(id)}
}

// Fill appends n commits quickly, for catch-up measurements, with Store.Import: asynchronous
// publishes without expectations, which is safe only because nothing else writes these new
// workshops. Each workshop gets 500 commits: it is scheduled, gets 50 registrations (with
// sealed personal data), and then check-ins and annulments.
func Fill(ctx context.Context, s *eventstore.Store, n int) error {
	const perWorkshop, people, chunk = 500, 50, 1000
	var w domain.Workshop
	var id domain.WorkshopID
	var log []domain.Recorded
	for i := range n {
		k := i % perWorkshop
		var events []domain.Event
		var err error
		switch {
		case k == 0:
			id = domain.WorkshopID("BENCH" + rand.Text())
			w = domain.Workshop{}
			events, err = w.Schedule(benchWorkshop(id, people))
		case k <= people:
			events, err = w.Register(benchRegistration(k - 1))
		default:
			c := domain.CheckInParticipant{RegistrationID: benchRegistrationID(k % people), Day: benchDays[k/people%2]}
			if w.CheckIns[domain.CheckIn(c)] {
				events, err = w.AnnulCheckIn(c)
			} else {
				events, err = w.CheckIn(c)
			}
		}
		if err != nil {
			return fmt.Errorf("eventstore: fill commit %d: %w", i, err)
		}
		w = w.Fold(events...)
		for _, e := range events {
			log = append(log, domain.Recorded{Seq: uint64(i + 1), Workshop: id, At: benchAt, Actor: "organiser", Event: e})
		}
		if i%chunk == chunk-1 || i == n-1 { // Import waits for the acknowledgements of each chunk
			if _, err := s.Import(ctx, log); err != nil {
				return err
			}
			log = log[:0]
		}
	}
	return nil
}

// CatchUp is what MeasureCatchUp read.
type CatchUp struct {
	Commits, Events int
	Elapsed         time.Duration
}

// EventsPerSec returns the events read per second.
func (c CatchUp) EventsPerSec() float64 { return perSecond(c.Events, c.Elapsed) }

// MeasureCatchUp reads the whole stream of s as a projection catching up would: through a
// Subscriber, which decodes every commit (personal data opened), into memory.
func MeasureCatchUp(ctx context.Context, s *eventstore.Store) (CatchUp, error) {
	last, err := s.LastSeq(ctx)
	if err != nil || last == 0 {
		return CatchUp{}, errors.Join(err, errors.New("eventstore: nothing to catch up on"))
	}
	sub := eventstore.NewSubscriber(s, func(context.Context, string) (uint64, error) { return 0, nil }, nil)
	defer sub.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	msgs, err := sub.Subscribe(ctx, "bench")
	if err != nil {
		return CatchUp{}, err
	}
	var c CatchUp
	for m := range msgs {
		events, err := eventstore.Events(m)
		if err != nil {
			return CatchUp{}, err
		}
		m.Ack()
		c.Events += len(events)
		c.Commits += commitsOf(events)
		if events[len(events)-1].Seq >= last {
			c.Elapsed = time.Since(start)
			return c, nil
		}
	}
	return CatchUp{}, errors.Join(ctx.Err(), errors.New("eventstore: subscription ended before the stream's end"))
}

// commitsOf counts the commits of events: runs of one Seq.
func commitsOf(events []domain.Recorded) int {
	n := 0
	for i, e := range events {
		if i == 0 || e.Seq != events[i-1].Seq {
			n++
		}
	}
	return n
}

// MeasureRawRead reads the whole stream with an ordered consumer, without decoding: the
// ceiling for any projection's catch-up. It returns messages (commits) per second.
func MeasureRawRead(ctx context.Context, s *eventstore.Store) (float64, error) {
	last, err := s.LastSeq(ctx)
	if err != nil || last == 0 {
		return 0, err
	}
	n := 0
	start := time.Now()
	err = s.ReadRaw(ctx, 1, last, func(commits []eventstore.Commit) error { n += len(commits); return nil })
	return perSecond(n, time.Since(start)), err
}

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// Rush is what MeasureRush measured.
type Rush struct {
	PerSecond      float64
	P50, P99, P999 time.Duration
}

// MeasureRush schedules a workshop with n/2 seats per day and registers n people on it from
// clients concurrent callers of Store.Update (with personal data, so every registration writes
// a data key), and returns registrations per second and their latencies.
func MeasureRush(ctx context.Context, s *eventstore.Store, clients, n int) (Rush, error) {
	id := domain.WorkshopID("BENCH" + rand.Text())
	meta := domain.Meta{Actor: "organiser", At: benchAt}
	if _, err := s.Update(ctx, id, meta, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(benchWorkshop(id, n/2))
	}); err != nil {
		return Rush{}, err
	}
	prefix := rand.Text()[:6]
	var first error
	var once sync.Once
	res := Load(n, clients, func(_ *http.Client, i int) bool {
		c := benchRegistration(i)
		c.ID = domain.RegistrationID(prefix + string(c.ID))
		c.EmailKey = prefix + c.EmailKey
		_, err := s.Update(ctx, id, domain.Meta{Actor: "public", At: benchAt, CommandID: string(c.ID)}, func(w domain.Workshop) ([]domain.Event, error) {
			return w.Register(c)
		})
		if err != nil {
			once.Do(func() { first = err })
		}
		return err == nil
	})
	if res.Errors > 0 {
		return Rush{}, fmt.Errorf("eventstore: %d of %d registrations failed, the first: %w", res.Errors, n, first)
	}
	return Rush{PerSecond: res.PerSecond(), P50: res.P50, P99: res.P99, P999: res.P999}, nil
}
