package domain_test

import (
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

func sendReminders(now time.Time) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.SendReminders(domain.SendReminders{Now: now, Zone: berlin})
	}
}

func requestFeedback(now time.Time) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.RequestFeedback(domain.RequestFeedback{Now: now, Zone: berlin})
	}
}

func sendMessage(m domain.SendMessage) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.SendMessage(m) }
}

func rids(ids ...string) []domain.RegistrationID {
	out := make([]domain.RegistrationID, len(ids))
	for i, id := range ids {
		out[i] = domain.RegistrationID(id)
	}
	return out
}

// The workshop of these tests runs on 16 and 17 November 2026 (day1, day2): with the default
// two days its reminder is due on 14 November at 09:00 Berlin time.
func TestSendReminders(t *testing.T) {
	base := history(scheduled(2, day1, day2), confirmed("a", day1, day2), confirmed("b", day1, day2), waitlisted("w", 1, day1, day2),
		confirmed("c", day1, day2), cancelled("c"), confirmed("e", day1, day2), erased("e"))
	sent := domain.RemindersSent{Recipients: rids("a", "b")}
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: sendReminders(at(14, 9, 0)), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "not yet due", given: base, when: sendReminders(at(14, 8, 59))},
		{name: "due: the confirmed people, not the waitlisted, cancelled or erased", given: base,
			when: sendReminders(at(14, 9, 0)), then: history(sent)},
		{name: "still due the evening before", given: base, when: sendReminders(at(15, 23, 59)), then: history(sent)},
		{name: "not once the workshop began", given: base, when: sendReminders(at(16, 0, 0))},
		{name: "once", given: history(base, sent), when: sendReminders(at(14, 10, 0))},
		{name: "none wanted", given: history(base, domain.ReminderDaysSet{Days: 0}), when: sendReminders(at(15, 9, 0))},
		{name: "a week ahead", given: history(base, domain.ReminderDaysSet{Days: 7}), when: sendReminders(at(9, 9, 0)), then: history(sent)},
		{name: "a week ahead, not before", given: history(base, domain.ReminderDaysSet{Days: 7}), when: sendReminders(at(9, 8, 0))},
		{name: "in the zone's time, not UTC", given: base, when: sendReminders(time.Date(2026, 11, 14, 8, 30, 0, 0, time.UTC)), then: history(sent)},
	})
}

func TestRequestFeedback(t *testing.T) {
	base := history(scheduled(3, day1, day2), confirmed("a", day1, day2), confirmed("b", day1, day2), confirmed("c", day1, day2), confirmed("e", day1, day2),
		checkedIn("a", day1, ""), checkedIn("c", day2, ""), checkedIn("e", day2, ""), erased("e"))
	asked := domain.FeedbackRequested{Recipients: rids("a", "c")}
	withSession := history(base, planned("s1", day2, "13:00", "15:30", "Saal A"))
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: requestFeedback(at(17, 18, 0)), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "during the last day", given: base, when: requestFeedback(at(17, 17, 59))},
		{name: "from 18:00 on the last day: who was checked in", given: base, when: requestFeedback(at(17, 18, 0)), then: history(asked)},
		{name: "after the last session's end", given: withSession, when: requestFeedback(at(17, 15, 30)), then: history(asked)},
		{name: "not before it", given: withSession, when: requestFeedback(at(17, 15, 29))},
		{name: "once", given: history(base, asked), when: requestFeedback(at(18, 9, 0))},
		{name: "not weeks later", given: base, when: requestFeedback(at(17, 18, 0).Add(domain.FeedbackWindow))},
	})
}

func TestSendMessage(t *testing.T) {
	base := history(scheduled(2, day1, day2), confirmed("a", day1, day2), confirmed("b", day1, day2), waitlisted("w", 1, day1, day2),
		checkedIn("a", day1, ""), confirmed("e", day1, day2), erased("e"), waitlisted("x", 2, day1, day2), cancelled("x"))
	msg := func(to ...domain.MessageGroup) domain.SendMessage {
		return domain.SendMessage{ID: "m1", To: to, Subject: "Raumänderung", Text: "Wir treffen uns\nim Saal B."}
	}
	sent := func(to []domain.MessageGroup, recipients ...string) domain.Event {
		return domain.MessageSent{ID: "m1", To: to, Subject: "Raumänderung", Text: "Wir treffen uns\nim Saal B.", Recipients: rids(recipients...)}
	}
	conf, wait, in := domain.GroupConfirmed, domain.GroupWaitlisted, domain.GroupCheckedIn
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: sendMessage(msg(conf)), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "confirmed", given: base, when: sendMessage(msg(conf)), then: history(sent([]domain.MessageGroup{conf}, "a", "b"))},
		{name: "waitlisted", given: base, when: sendMessage(msg(wait)), then: history(sent([]domain.MessageGroup{wait}, "w"))},
		{name: "checked in", given: base, when: sendMessage(msg(in)), then: history(sent([]domain.MessageGroup{in}, "a"))},
		{name: "two groups, each person once", given: base, when: sendMessage(msg(conf, in)),
			then: history(sent([]domain.MessageGroup{conf, in}, "a", "b"))},
		{name: "no group", given: base, when: sendMessage(msg()), fields: []string{"to"}},
		{name: "unknown group", given: base, when: sendMessage(msg("everyone")), fields: []string{"to[0]"}},
		{name: "a group twice", given: base, when: sendMessage(msg(conf, conf)), fields: []string{"to[1]"}},
		{name: "empty subject and text", given: base, when: sendMessage(domain.SendMessage{ID: "m1", To: []domain.MessageGroup{conf}, Subject: " ", Text: ""}),
			fields: []string{"subject", "text"}},
		{name: "a line break in the subject", given: base, when: sendMessage(domain.SendMessage{ID: "m1", To: []domain.MessageGroup{conf}, Subject: "a\nb", Text: "x"}),
			fields: []string{"subject"}},
		{name: "NUL in the text", given: base, when: sendMessage(domain.SendMessage{ID: "m1", To: []domain.MessageGroup{conf}, Subject: "a", Text: "x\x00"}),
			fields: []string{"text"}},
	})
}

func TestReminderDays(t *testing.T) {
	base := history(scheduled(2, day1, day2))
	change := func(n int) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.Change(domain.ChangeWorkshop{ReminderDays: &n})
		}
	}
	runDecisions(t, []decision{
		{name: "set", given: base, when: change(5), then: history(domain.ReminderDaysSet{Days: 5})},
		{name: "none", given: base, when: change(0), then: history(domain.ReminderDaysSet{Days: 0})},
		{name: "the default again decides nothing", given: base, when: change(2)},
		{name: "too many", given: base, when: change(31), fields: []string{"reminder_days"}},
		{name: "negative", given: base, when: change(-1), fields: []string{"reminder_days"}},
		{name: "on scheduling", when: scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.ReminderDays = ptr(7) }),
			then: history(domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt", Venue: "Rathaus",
				Days: []domain.Day{day1, day2}, Capacity: 20}, domain.ReminderDaysSet{Days: 7})},
	})
}
