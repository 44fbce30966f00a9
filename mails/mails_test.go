package mails_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
	"github.com/werkstatt/werkstatt/projections"
)

// hmacPseudonyms derives pseudonyms as the keyring does: a keyed hash of purpose and value.
type hmacPseudonyms struct{ key []byte }

func (p hmacPseudonyms) Pseudonym(purpose, value string) string {
	m := hmac.New(sha256.New, append([]byte(purpose+"\x00"), p.key...))
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// world is a log fed to real in-memory read models, and the workshop folded from it.
type world struct {
	t       testing.TB
	runner  *projections.Runner
	store   projections.Store
	seq     uint64
	w       domain.Workshop
	keys    hmacPseudonyms
	commits map[uint64][]domain.Recorded
}

func newWorld(t testing.TB) *world {
	store := projections.NewMemory()
	r := projections.NewRunner(store, nil)
	if _, err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &world{t: t, runner: r, store: store, keys: hmacPseudonyms{key: []byte("k")}, commits: map[uint64][]domain.Recorded{}}
}

const ws = domain.WorkshopID("W1")

// commit appends one commit and returns its recorded events.
func (w *world) commit(events ...domain.Event) []domain.Recorded {
	w.t.Helper()
	w.seq++
	var batch []domain.Recorded
	for _, e := range events {
		batch = append(batch, domain.Recorded{Seq: w.seq, Workshop: ws, At: time.Date(2037, 11, 1, 9, 0, 0, 0, time.UTC), Actor: "public", Event: e})
		w.w = w.w.Evolve(e)
	}
	if err := w.runner.Apply(context.Background(), batch); err != nil {
		w.t.Fatal(err)
	}
	return batch
}

func (w *world) Workshop(ctx context.Context, id domain.WorkshopID) (projections.WorkshopView, error) {
	return w.store.Workshop(ctx, id)
}

func (w *world) Registration(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID) (projections.RegistrationView, error) {
	return w.store.Registration(ctx, id, rid)
}

func (w *world) composer() mails.Composer {
	return mails.Composer{Reader: w, Pseudonyms: w.keys, PublicURL: "https://werkstatt.example.org/"}
}

// registered is a registration with a derived token (or a random one's hash when old).
func (w *world) registered(id, name, lang string, old bool) domain.ParticipantRegistered {
	token := w.keys.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(ws, domain.RegistrationID(id)))
	if old {
		token = "random-" + id
	}
	sum := sha256.Sum256([]byte(token))
	return domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(id),
		Person:   &domain.Person{Name: name, Email: strings.ToLower(name) + "@example.org"},
		EmailKey: "key-" + id, Organisation: "Caritas", Days: []domain.Day{"2037-11-16", "2037-11-17"},
		Lang: lang, TokenHash: hex.EncodeToString(sum[:])}
}

func TestCompose(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.commit(domain.WorkshopScheduled{ID: ws, Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{"2037-11-16", "2037-11-17"}, Capacity: 1})
	compose := func(batch []domain.Recorded) []mails.Message {
		t.Helper()
		msgs, err := w.composer().Compose(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}

	ann := compose(w.commit(w.registered("a", "Ann", "en", false), domain.RegistrationConfirmed{RegistrationID: "a"}))
	if len(ann) != 1 || ann[0].Subject != "Registration confirmed: Sommerwerkstatt" || ann[0].To != "ann@example.org" ||
		ann[0].ID != "2.1.received@werkstatt.example.org" || ann[0].Kind != mails.KindReceived {
		t.Fatalf("Ann's confirmation: %+v", ann)
	}
	token := w.keys.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(ws, "a"))
	for _, part := range []string{ann[0].Text, ann[0].HTML} {
		if !strings.Contains(part, "https://werkstatt.example.org/w/W1/r/a?token="+token) || !strings.Contains(part, "Mon 16 Nov 2037") {
			t.Errorf("Ann's mail lacks her link or her days:\n%s", part)
		}
	}

	ben := compose(w.commit(w.registered("b", "Ben", "", false), domain.RegistrationWaitlisted{RegistrationID: "b", Position: 1}))
	if len(ben) != 1 || ben[0].Subject != "Auf der Warteliste: Sommerwerkstatt" || !strings.Contains(ben[0].Text, "Platz 1 der Warteliste") ||
		!strings.Contains(ben[0].Text, "Mo., 16.11.2037") {
		t.Fatalf("Ben's waitlist mail: %+v", ben)
	}

	// An old registration (random token) gets its mail without a link.
	old := compose(w.commit(w.registered("c", "Cleo", "de", true), domain.RegistrationWaitlisted{RegistrationID: "c", Position: 2}))
	if len(old) != 1 || strings.Contains(old[0].Text, "token=") {
		t.Errorf("Cleo's mail (an old token): %+v", old)
	}

	// Ann cancels; Ben moves up: two mails, in their languages, from one commit.
	both := compose(w.commit(domain.RegistrationCancelled{RegistrationID: "a"}, domain.RegistrationConfirmed{RegistrationID: "b", FromWaitlist: true}))
	if len(both) != 2 || both[0].Kind != mails.KindCancelled || both[0].Subject != "Cancellation confirmed: Sommerwerkstatt" ||
		both[1].Kind != mails.KindMovedUp || both[1].Subject != "Sie haben einen Platz: Sommerwerkstatt" ||
		!strings.Contains(both[1].Text, "/w/W1/r/b?token=") || both[0].ID == both[1].ID {
		t.Fatalf("cancellation and moved-up: %+v", both)
	}

	// An erased person gets nothing: not for a registration whose person is gone, not for the
	// cancellation their erasure causes.
	gone := w.registered("d", "Dan", "", false)
	gone.Person = nil
	if got := compose(w.commit(gone, domain.RegistrationWaitlisted{RegistrationID: "d", Position: 2})); len(got) != 0 {
		t.Errorf("an erased person's registration: %+v", got)
	}
	if got := compose(w.commit(domain.RegistrationCancelled{RegistrationID: "c"}, domain.PersonalDataErased{RegistrationID: "c"})); len(got) != 0 {
		t.Errorf("an erased person's cancellation: %+v", got)
	}

	// A walk-in, registered and checked in at the door, gets no registration mail.
	walkIn := w.registered("e", "Eve", "", false)
	walkIn.Days = []domain.Day{"2037-11-17"}
	if got := compose(w.commit(walkIn, domain.RegistrationConfirmed{RegistrationID: "e"},
		domain.ParticipantCheckedIn{RegistrationID: "e", Day: "2037-11-17"})); len(got) != 0 {
		t.Errorf("a walk-in: %+v", got)
	}
}

// TestComposePerDay: somebody confirmed on one day and waitlisted on the other gets one mail
// naming both; a promotion on one day names that day.
func TestComposePerDay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	d1, d2 := domain.Day("2037-11-16"), domain.Day("2037-11-17")
	w.commit(domain.WorkshopScheduled{ID: ws, Title: "Sommerwerkstatt", Venue: "Rathaus", Days: []domain.Day{d1, d2}, Capacity: 1})
	ann := w.registered("a", "Ann", "", false)
	ann.Days = []domain.Day{d2}
	w.commit(ann, domain.RegistrationConfirmed{RegistrationID: "a"})
	msgs, err := w.composer().Compose(ctx, w.commit(w.registered("b", "Bo", "", false),
		domain.RegistrationConfirmed{RegistrationID: "b", Days: []domain.Day{d1}},
		domain.RegistrationWaitlisted{RegistrationID: "b", Days: []domain.Day{d2}, Positions: map[domain.Day]int{d2: 1}, Position: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("a registration confirmed on one day and waiting on the other: %d mails, want 1", len(msgs))
	}
	for _, want := range []string{"Nicht an jedem Tag ist noch ein Platz frei", "Fest angemeldet für", "16.11.2037", "Auf der Warteliste (Platz 1) für", "17.11.2037"} {
		if !strings.Contains(msgs[0].Text, want) {
			t.Errorf("the mail of a partly confirmed registration lacks %q:\n%s", want, msgs[0].Text)
		}
	}
	msgs, err = w.composer().Compose(ctx, w.commit(domain.RegistrationCancelled{RegistrationID: "a"},
		domain.RegistrationConfirmed{RegistrationID: "b", FromWaitlist: true, Days: []domain.Day{d2}}))
	if err != nil {
		t.Fatal(err)
	}
	var moved *mails.Message
	for i := range msgs {
		if msgs[i].Kind == mails.KindMovedUp {
			moved = &msgs[i]
		}
	}
	if moved == nil || !strings.Contains(moved.Text, "fest angemeldet für:") || !strings.Contains(moved.Text, "17.11.2037") ||
		strings.Contains(moved.Text, "16.11.2037") {
		t.Errorf("the moved-up mail of a promotion on day 2: %+v, want it to name day 2 only", moved)
	}
}

func TestConcerns(t *testing.T) {
	if mails.Concerns([]domain.Recorded{{Event: domain.SessionCancelled{SessionID: "s"}}}) {
		t.Error("a cancelled session concerns no mail")
	}
	if !mails.Concerns([]domain.Recorded{{Event: domain.RegistrationCancelled{RegistrationID: "a"}}}) {
		t.Error("a cancellation concerns a mail")
	}
}

// TestComposeLostLink: a person who asks for the link again gets it; a registration whose
// token is not the derived one (before links were derived) gets it once the request switched it.
func TestComposeLostLink(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.commit(domain.WorkshopScheduled{ID: ws, Title: "Sommerwerkstatt", Venue: "Rathaus", Days: []domain.Day{"2037-11-16"}, Capacity: 5})
	old := w.registered("o", "Olga", "en", true)
	old.Days = []domain.Day{"2037-11-16"}
	w.commit(old, domain.RegistrationConfirmed{RegistrationID: "o"})
	// Before the request her token is a random one: a request that does not switch it (a hash
	// that is not her derived one) sends no link the read model does not hold.
	msgs, err := w.composer().Compose(ctx, w.commit(domain.LinkRequested{RegistrationID: "o", TokenHash: "not-hers"}))
	if err != nil || len(msgs) != 0 {
		t.Fatalf("a lost link without the derived token: %v, %+v; want no mail", err, msgs)
	}
	oldToken := w.keys.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(ws, "o"))
	sum := sha256.Sum256([]byte(oldToken))
	msgs, err = w.composer().Compose(ctx, w.commit(domain.LinkRequested{RegistrationID: "o", TokenHash: hex.EncodeToString(sum[:])}))
	if err != nil || len(msgs) != 1 {
		t.Fatalf("the lost link of an old registration: %v, %d mails", err, len(msgs))
	}
	m := msgs[0]
	if m.Kind != mails.KindLink || m.To != "olga@example.org" || !strings.HasPrefix(m.Subject, "Your personal link: Sommerwerkstatt") ||
		!strings.Contains(m.Text, "token="+oldToken) || !strings.Contains(m.Text, "You asked for the personal link") {
		t.Errorf("the lost link: %+v", m)
	}
}
