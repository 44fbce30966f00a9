package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// clock is a fixed clock the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }
func berlin(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestSendDueMails: the scheduler decides a workshop's reminder once it is due and its feedback
// request once it is over, each once, however often and from however many instances it runs.
func TestSendDueMails(t *testing.T) {
	ctx := context.Background()
	loc := berlin(t)
	clk := &clock{now: time.Date(2037, 11, 1, 12, 0, 0, 0, loc)}
	cfg, store := handlerstest.Wire(t, "organiser-token")
	cfg.Now, cfg.Location = clk.Now, loc
	a := app.New(cfg.Config)
	other := app.New(cfg.Config) // another replica on the same log
	organiser := app.Op{Actor: app.ActorOrganiser}
	d1, d2 := domain.Day("2037-11-16"), domain.Day("2037-11-17")
	id, err := a.ScheduleFor(ctx, app.Caller{Admin: true}, organiser, domain.ScheduleWorkshop{Title: "Sommerwerkstatt",
		Venue: "Rathaus", Days: []domain.Day{d1, d2}, Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	var regs []domain.RegistrationID
	for _, name := range []string{"Ann", "Ben"} {
		r, err := a.RegisterParticipant(ctx, id.ID, app.Op{}, app.Registration{Name: name, Email: name + "@example.org",
			Organisation: "Caritas", Days: []domain.Day{d1, d2}, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r.ID)
	}
	due := func(a *app.App, at time.Time, want int) {
		t.Helper()
		clk.set(at)
		if n, err := a.SendDueMails(ctx); err != nil || n != want {
			t.Fatalf("SendDueMails at %s: %d, %v; want %d", at, n, err, want)
		}
	}
	due(a, time.Date(2037, 11, 14, 8, 59, 0, 0, loc), 0)
	due(a, time.Date(2037, 11, 14, 9, 0, 0, 0, loc), 1)
	due(a, time.Date(2037, 11, 14, 9, 1, 0, 0, loc), 0)
	due(other, time.Date(2037, 11, 14, 9, 2, 0, 0, loc), 0)

	if _, err := a.CheckInParticipant(ctx, id.ID, organiser, domain.CheckInParticipant{RegistrationID: regs[0], Day: d1}); err != nil {
		t.Fatal(err)
	}
	due(a, time.Date(2037, 11, 17, 17, 59, 0, 0, loc), 0)
	// Both replicas at once: one decides, the other finds it decided.
	clk.set(time.Date(2037, 11, 17, 18, 0, 0, 0, loc))
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, inst := range []*app.App{a, other} {
		wg.Go(func() {
			n, err := inst.SendDueMails(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Errorf("two replicas at once decided %v feedback requests, want 1", counts)
	}
	due(a, time.Date(2037, 11, 18, 9, 0, 0, 0, loc), 0)

	recs, err := store.Recorded(ctx, id.ID)
	if err != nil {
		t.Fatal(err)
	}
	var reminders, feedback []domain.Recorded
	for _, r := range recs {
		switch r.Event.(type) {
		case domain.RemindersSent:
			reminders = append(reminders, r)
		case domain.FeedbackRequested:
			feedback = append(feedback, r)
		}
	}
	if len(reminders) != 1 || len(reminders[0].Event.(domain.RemindersSent).Recipients) != 1 || reminders[0].Actor != app.ActorSchedule {
		t.Errorf("reminders: %+v, want one to the confirmed person, by the schedule", reminders)
	}
	if len(feedback) != 1 || len(feedback[0].Event.(domain.FeedbackRequested).Recipients) != 1 ||
		feedback[0].Event.(domain.FeedbackRequested).Recipients[0] != regs[0] {
		t.Errorf("feedback requests: %+v, want one to Ann, who was checked in", feedback)
	}
	m, _, err := a.Mailings(ctx, id.ID)
	if err != nil || !m.RemindersSent || !m.FeedbackAsked || m.Reminder() != domain.DefaultReminderDays {
		t.Errorf("mailings: %+v, %v", m, err)
	}
}

func TestSendMessage(t *testing.T) {
	ctx := context.Background()
	cfg, _ := handlerstest.Wire(t, "organiser-token")
	a := app.New(cfg.Config)
	organiser := app.Op{Actor: app.ActorOrganiser}
	w, err := a.ScheduleFor(ctx, app.Caller{Admin: true}, organiser, domain.ScheduleWorkshop{Title: "Sommerwerkstatt",
		Venue: "Rathaus", Days: []domain.Day{"2037-11-16"}, Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Ann", "Ben"} {
		if _, err := a.RegisterParticipant(ctx, w.ID, app.Op{}, app.Registration{Name: name, Email: name + "@example.org",
			Organisation: "Caritas", Consent: true}); err != nil {
			t.Fatal(err)
		}
	}
	op := app.Op{Actor: app.ActorOrganiser, Key: "k1", Scope: "message", Body: []byte("1")}
	msg := app.Message{To: []domain.MessageGroup{domain.GroupWaitlisted}, Subject: "Warteliste", Text: "Es wird knapp."}
	sent, err := a.SendMessage(ctx, w.ID, op, msg)
	if err != nil || len(sent.Recipients) != 1 || sent.ID == "" {
		t.Fatalf("message to the waitlist: %+v, %v", sent, err)
	}
	again, err := a.SendMessage(ctx, w.ID, op, msg)
	if err != nil || again.ID != sent.ID {
		t.Fatalf("a repeat: %+v, %v; want the first message", again, err)
	}
	_, list, err := a.Mailings(ctx, w.ID)
	if err != nil || len(list) != 1 || list[0].Subject != "Warteliste" || list[0].At.IsZero() {
		t.Errorf("sent messages: %+v, %v", list, err)
	}
}
