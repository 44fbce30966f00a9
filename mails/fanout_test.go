package mails_test

import (
	"context"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
	"github.com/werkstatt/werkstatt/projections"
)

func (w *world) ThemeCafe(ctx context.Context, id domain.WorkshopID, s domain.SessionID) (projections.ThemeCafeView, error) {
	return w.store.ThemeCafe(ctx, id, s)
}

// fanOutWorld is a workshop with Ann (English) and Ben (German) confirmed, Cleo waitlisted and
// Dan erased.
func fanOutWorld(t *testing.T) *world {
	w := newWorld(t)
	w.commit(domain.WorkshopScheduled{ID: ws, Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{"2037-11-16", "2037-11-17"}, Capacity: 3})
	w.commit(w.registered("a", "Ann", "en", false), domain.RegistrationConfirmed{RegistrationID: "a"})
	w.commit(w.registered("b", "Ben", "de", false), domain.RegistrationConfirmed{RegistrationID: "b"})
	w.commit(w.registered("c", "Cleo", "de", false), domain.RegistrationWaitlisted{RegistrationID: "c", Position: 1})
	w.commit(w.registered("d", "Dan", "de", false), domain.RegistrationConfirmed{RegistrationID: "d"})
	w.commit(domain.RegistrationCancelled{RegistrationID: "d"}, domain.PersonalDataErased{RegistrationID: "d"})
	return w
}

func compose(t *testing.T, w *world, batch []domain.Recorded) []mails.Message {
	t.Helper()
	msgs, err := w.composer().Compose(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestComposeReminder(t *testing.T) {
	w := fanOutWorld(t)
	// Dan was a recipient when the reminder was decided and was erased since: nothing for him.
	msgs := compose(t, w, w.commit(domain.RemindersSent{Recipients: []domain.RegistrationID{"a", "b", "d"}}))
	if len(msgs) != 2 || msgs[0].To != "ann@example.org" || msgs[1].To != "ben@example.org" {
		t.Fatalf("reminders: %+v", msgs)
	}
	ann, ben := msgs[0], msgs[1]
	if ann.Kind != mails.KindReminder || ann.Subject != "Coming up soon: Sommerwerkstatt" || ben.Subject != "Bald geht es los: Sommerwerkstatt" {
		t.Errorf("subjects: %q, %q", ann.Subject, ben.Subject)
	}
	if ann.ID != "7.0.reminder.a@werkstatt.example.org" || ben.ID != "7.0.reminder.b@werkstatt.example.org" {
		t.Errorf("ids: %q, %q: want one per person and cause", ann.ID, ben.ID)
	}
	for _, want := range []string{"Mon 16 Nov 2037", "Venue: Rathaus", "Agenda: https://werkstatt.example.org/w/W1?lang=en", "/w/W1/r/a?token="} {
		if !strings.Contains(ann.Text, want) {
			t.Errorf("Ann's reminder lacks %q:\n%s", want, ann.Text)
		}
	}
	if !strings.Contains(ben.HTML, `href="https://werkstatt.example.org/w/W1"`) || !strings.Contains(ben.Text, "Bald ist es so weit") {
		t.Errorf("Ben's reminder:\n%s\n%s", ben.Text, ben.HTML)
	}
}

func TestComposeFeedbackRequest(t *testing.T) {
	w := fanOutWorld(t)
	msgs := compose(t, w, w.commit(domain.FeedbackRequested{Recipients: []domain.RegistrationID{"a"}}))
	if len(msgs) != 1 || msgs[0].Kind != mails.KindFeedbackRequest || msgs[0].Subject != "Your feedback: Sommerwerkstatt" {
		t.Fatalf("feedback request: %+v", msgs)
	}
	token := w.keys.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(ws, "a"))
	if link := "https://werkstatt.example.org/w/W1/r/a/feedback?token=" + token + "&lang=en"; !strings.Contains(msgs[0].Text, link) {
		t.Errorf("the request lacks the link to Ann's feedback page %s:\n%s", link, msgs[0].Text)
	}
}

func TestComposeMessage(t *testing.T) {
	w := fanOutWorld(t)
	text := "Wir treffen uns im Saal <b>B</b>.\nBitte pünktlich & mit {{.Name}}."
	msgs := compose(t, w, w.commit(domain.MessageSent{ID: "m1", To: []domain.MessageGroup{domain.GroupWaitlisted},
		Subject: "Raum <geändert>", Text: text, Recipients: []domain.RegistrationID{"c"}}))
	if len(msgs) != 1 || msgs[0].To != "cleo@example.org" || msgs[0].Subject != "Sommerwerkstatt: Raum <geändert>" ||
		msgs[0].ID != "7.0.message.c@werkstatt.example.org" {
		t.Fatalf("message: %+v", msgs)
	}
	m := msgs[0]
	if !strings.Contains(m.Text, text) || !strings.Contains(m.Text, "Hallo Cleo") {
		t.Errorf("the plain text keeps the organiser's words as they are:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, "Saal &lt;b&gt;B&lt;/b&gt;.<br>\nBitte pünktlich &amp; mit {{.Name}}.") || strings.Contains(m.HTML, "<b>") {
		t.Errorf("the HTML escapes the organiser's words and keeps their line breaks:\n%s", m.HTML)
	}
}

func TestComposeCafeRoute(t *testing.T) {
	w := fanOutWorld(t)
	w.commit(domain.SessionPlanned{Session: domain.Session{ID: "s1", Title: "Ideencafé", Kind: domain.ThemeCafe,
		Day: "2037-11-16", Starts: "14:00", Ends: "15:00"}})
	w.commit(domain.RoundsSet{SessionID: "s1", Rounds: 2},
		domain.TableAdded{SessionID: "s1", Table: domain.Table{ID: "t1", Topic: "Ehrenamt", Capacity: 5}},
		domain.TableAdded{SessionID: "s1", Table: domain.Table{ID: "t2", Topic: "Jugend", Capacity: 5}})
	w.commit(domain.RotationPlanned{SessionID: "s1", Plan: domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{
		"a": {"t1", "t2"}, "b": {"t2", ""}, "c": {"", ""}}}})
	msgs := compose(t, w, w.commit(domain.RotationPublished{SessionID: "s1"}))
	if len(msgs) != 2 || msgs[0].To != "ann@example.org" || msgs[1].To != "ben@example.org" {
		t.Fatalf("routes: %+v (Cleo has no seat: no mail)", msgs)
	}
	ann, ben := msgs[0], msgs[1]
	if ann.Kind != mails.KindCafeRoute || ann.Subject != "Your tables at the theme café: Ideencafé" {
		t.Errorf("Ann's route: %+v", ann)
	}
	for _, want := range []string{"Round 1", ": Ehrenamt", "Round 2", ": Jugend", "/w/W1/r/a/cafes/s1?token="} {
		if !strings.Contains(ann.Text, want) {
			t.Errorf("Ann's route lacks %q:\n%s", want, ann.Text)
		}
	}
	if !strings.Contains(ben.Text, "Runde 1") || !strings.Contains(ben.Text, "Jugend") || !strings.Contains(ben.Text, "kein Tisch") {
		t.Errorf("Ben's route:\n%s", ben.Text)
	}
}

func TestConcernsFanOut(t *testing.T) {
	for _, e := range []domain.Event{domain.RemindersSent{}, domain.FeedbackRequested{}, domain.MessageSent{}, domain.RotationPublished{}} {
		if !mails.Concerns([]domain.Recorded{{Event: e}}) {
			t.Errorf("%s concerns mails", e.Name())
		}
	}
}

// TestMessageIDsKeepTheirForm: the mails of one person per event keep the ids they had.
func TestMessageIDsKeepTheirForm(t *testing.T) {
	if got := mails.MessageID(3, 1, mails.KindReceived, "https://x.example"); got != "3.1.received@x.example" {
		t.Errorf("got %q", got)
	}
	if got := mails.MessageID(3, 1, mails.KindReminder, "https://x.example", "r1"); got != "3.1.reminder.r1@x.example" {
		t.Errorf("got %q", got)
	}
}
