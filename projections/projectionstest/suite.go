package projectionstest

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// Run runs the contract suite. open returns a new, empty store for each subtest; it registers
// its own cleanup.
func Run(t *testing.T, open func(t *testing.T) projections.Store) {
	tests := []struct {
		name string
		test func(t *testing.T, s projections.Store)
	}{
		{"empty store", testEmpty},
		{"views after the whole log", testViews},
		{"all projections at once, each from its checkpoint", testApplyAllAtOnce},
		{"views before the cancellation", testBeforeCancellation},
		{"redelivered batches change nothing", testRedelivery},
		{"events at or below the checkpoint are skipped", testSkipsApplied},
		{"batch sizes do not matter", testBatchSizes},
		{"missing workshop or registration", testNotFound},
		{"reads during writes", testConcurrentReads},
		{"check-ins are the domain's", testCheckIns},
		{"theme cafés are the domain's", testThemeCafes},
		{"theme cafés with batches of one", testThemeCafeBatches},
		{"follow-ups are the domain's", testFollowUps},
		{"follow-ups with batches of one", testFollowUpBatches},
		{"feedback is evaluated as by hand", testFeedback},
		{"feedback with batches of one", testFeedbackBatches},
		{"series figures are counted as by hand", testSeriesFigures},
		{"erasure forgets the person and keeps the counts", testErasure},
		{"a changed registration moves its seats", testChangedRegistration},
		{"registration questions and their answers", testRegistrationQuestions},
		{"funding details as last set", testFunding},
		{"session revisions follow their last change", testRevisions},
		{"per-day statuses, seats and waitlist positions", testPerDay},
		{"a log of before per-day waitlists reads as before", testOldLog},
		{"a request for the personal link switches its token hash", testLinkRequested},
		{"networks own workshops and pass by the read models", testNetworks},
		{"materials with their versions", testMaterials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, open(t)) })
	}
}

// ApplyAll applies events through every projection in batches of about n events (see
// projections.Batches).
func ApplyAll(t *testing.T, s projections.Store, events []domain.Recorded, n int) {
	t.Helper()
	ctx := context.Background()
	for _, p := range projections.All() {
		for i, batch := range projections.Batches(events, n) {
			if _, err := s.Apply(ctx, p, batch); err != nil {
				t.Fatalf("apply %s batch %d: %v", p.Name(), i, err)
			}
		}
	}
}

func testEmpty(t *testing.T, s projections.Store) {
	ctx := context.Background()
	ws, err := s.Workshops(ctx)
	if err != nil || ws == nil || len(ws) != 0 {
		t.Errorf("Workshops of an empty store = %#v, %v; want an empty, non-nil list (JSON [])", ws, err)
	}
	for _, p := range projections.All() {
		if cp, err := s.Checkpoint(ctx, p.Name()); err != nil || cp != 0 {
			t.Errorf("Checkpoint(%s) of an empty store = %d, %v; want 0", p.Name(), cp, err)
		}
	}
}

func testViews(t *testing.T, s projections.Store) {
	f := newFixture()
	ApplyAll(t, s, f.events, 7)
	ctx := context.Background()
	for _, p := range projections.All() {
		if got, err := s.Checkpoint(ctx, p.Name()); err != nil || got != f.last {
			t.Errorf("Checkpoint(%s) = %d, %v; want %d", p.Name(), got, err, f.last)
		}
	}
	checkWorkshops(t, s, f)
	checkRegistrations(t, s, f)
	checkAttendance(t, s, Wanted{Capacity: 3, Confirmed: 3, Waitlisted: 1, Cancelled: 1,
		Days: []projections.DayAttendance{{Day: d1, Confirmed: 3, Waitlisted: 1, CheckedIn: 2},
			{Day: d2, Confirmed: 3, Waitlisted: 0, CheckedIn: 2}},
		Sessions: map[domain.SessionID]int{s1: 1, s2: 1, s3: 0},
		Organisations: []projections.OrganisationAttendance{{Organisation: "Verein A", Confirmed: 2, CheckedIn: 2},
			{Organisation: "Verein C", Confirmed: 1, CheckedIn: 1}}})
}

// testApplyAllAtOnce: Store.ApplyAll gives what Apply per projection gives, and each
// projection starts after its own checkpoint (one is ahead, one behind).
func testApplyAllAtOnce(t *testing.T, s projections.Store) {
	f := newFixture()
	ctx := context.Background()
	ps := projections.All()
	ahead := projections.Batches(f.events, 9)[0]
	if _, err := s.Apply(ctx, ps[1], ahead); err != nil {
		t.Fatalf("apply %s: %v", ps[1].Name(), err)
	}
	for i, batch := range projections.Batches(f.events, 7) {
		cps, err := s.ApplyAll(ctx, ps, batch)
		if err != nil {
			t.Fatalf("ApplyAll batch %d: %v", i, err)
		}
		if len(cps) != len(ps) {
			t.Fatalf("ApplyAll returned %d checkpoints for %d projections", len(cps), len(ps))
		}
		for j, p := range ps {
			want := batch[len(batch)-1].Seq
			if p == ps[1] {
				want = max(want, ahead[len(ahead)-1].Seq)
			}
			if cps[j] != want {
				t.Errorf("batch %d: checkpoint of %s = %d, want %d", i, p.Name(), cps[j], want)
			}
		}
	}
	checkWorkshops(t, s, f)
	checkRegistrations(t, s, f)
}

func checkWorkshops(t *testing.T, s projections.Store, f fixture) {
	t.Helper()
	ctx := context.Background()
	list, err := s.Workshops(ctx)
	if err != nil {
		t.Fatalf("Workshops: %v", err)
	}
	var ids []domain.WorkshopID
	closes := map[domain.WorkshopID]string{}
	for _, w := range list {
		ids = append(ids, w.ID)
		closes[w.ID] = ""
		if !w.RegistrationCloses.IsZero() {
			closes[w.ID] = w.RegistrationCloses.UTC().Format(time.RFC3339Nano)
		}
	}
	if want := map[domain.WorkshopID]string{w1: closes1.UTC().Format(time.RFC3339Nano), w2: "", w3: ""}; !reflect.DeepEqual(closes, want) {
		t.Errorf("registration closing times of Workshops = %v, want %v", closes, want)
	}
	if want := []domain.WorkshopID{w3, w2, w1}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Workshops order = %v, want %v", ids, want)
	}
	w, err := s.Workshop(ctx, w1)
	if err != nil {
		t.Fatalf("Workshop(W1): %v", err)
	}
	if w.Title != "Werkstatt Nord" || w.Venue != "Jugendhaus" || w.Capacity != 3 || !w.ScheduledAt.Equal(f.events[0].At) {
		t.Errorf("Workshop(W1) = %q at %q, capacity %d, scheduled %v; want Werkstatt Nord at Jugendhaus, 3, %v",
			w.Title, w.Venue, w.Capacity, w.ScheduledAt, f.events[0].At)
	}
	if want := []domain.Day{d1, d2}; !reflect.DeepEqual(w.Days, want) {
		t.Errorf("Days = %v, want %v", w.Days, want)
	}
	if !w.RegistrationCloses.Equal(closes1) {
		t.Errorf("RegistrationCloses of Workshop(W1) = %v, want %v", w.RegistrationCloses, closes1)
	}
	var agenda []string
	for _, se := range w.Agenda {
		agenda = append(agenda, string(se.ID)+" "+se.Title)
	}
	if want := []string{"S1 Eröffnung", "S2 Vortrag: Praxis", "S3 Themencafé"}; !reflect.DeepEqual(agenda, want) {
		t.Errorf("Agenda = %q, want %q", agenda, want)
	}
	if len(w.Agenda) > 0 && !reflect.DeepEqual(w.Agenda[0].Speakers, []string{"Ada"}) {
		t.Errorf("S1 speakers = %q, want [Ada]", w.Agenda[0].Speakers)
	}
	if want := []projections.DaySeats{{Day: d1, Confirmed: 3, Free: 0}, {Day: d2, Confirmed: 3, Free: 0}}; !reflect.DeepEqual(w.Seats, want) {
		t.Errorf("Seats = %+v, want %+v", w.Seats, want)
	}
}

func checkRegistrations(t *testing.T, s projections.Store, f fixture) {
	t.Helper()
	ctx := context.Background()
	list, err := s.Registrations(ctx, w1)
	if err != nil {
		t.Fatalf("Registrations(W1): %v", err)
	}
	type row struct {
		ID       domain.RegistrationID
		Status   domain.Status
		Position int
	}
	var got []row
	for _, r := range list {
		got = append(got, row{r.ID, r.Status, r.WaitlistPosition})
	}
	want := []row{{r1, domain.Confirmed, 0}, {r2, domain.Cancelled, 0}, {r3, domain.Confirmed, 0},
		{r4, domain.Confirmed, 0}, {r5, domain.Waitlisted, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Registrations(W1) = %+v, want %+v", got, want)
	}
	r, err := s.Registration(ctx, w1, r1)
	if err != nil {
		t.Fatalf("Registration(R1): %v", err)
	}
	at := registeredAt(f, r1)
	wantR1 := projections.RegistrationView{ID: r1, Workshop: w1, Name: "Name R1", Email: "R1@example.org",
		Dietary: "vegan", Organisation: "Verein A", District: "Mitte", Days: []domain.Day{d1, d2},
		Status: domain.Confirmed, TokenHash: "hash-R1", RegisteredAt: at, UpdatedAt: at,
		DayStatus:         map[domain.Day]domain.Status{d1: domain.Confirmed, d2: domain.Confirmed},
		WaitlistPositions: map[domain.Day]int{}, Ordinal: ordinalOf(f, r1), WaitlistedSince: map[domain.Day]uint64{}}
	r.RegisteredAt, r.UpdatedAt = r.RegisteredAt.UTC(), r.UpdatedAt.UTC()
	if !reflect.DeepEqual(r, wantR1) {
		t.Errorf("Registration(R1) = %+v\nwant %+v", r, wantR1)
	}
	r4v, err := s.Registration(ctx, w1, r4)
	if promoted := cancelledAt(f, r2); err != nil || !r4v.UpdatedAt.Equal(promoted) {
		t.Errorf("Registration(R4) updated %v, %v; want %v (promoted when R2 cancelled)", r4v.UpdatedAt, err, promoted)
	}
	r5v, err := s.Registration(ctx, w1, r5)
	if err != nil || !r5v.Erased || r5v.Name != "" || r5v.Email != "" || r5v.WaitlistPosition != 1 || r5v.Organisation != "Verein B" {
		t.Errorf("Registration(R5) = %+v, %v; want erased, no name or email, waitlist position 1, Verein B", r5v, err)
	}
}

func registeredAt(f fixture, id domain.RegistrationID) time.Time {
	for _, e := range f.events {
		if p, ok := e.Event.(domain.ParticipantRegistered); ok && p.RegistrationID == id {
			return e.At
		}
	}
	return time.Time{}
}

func ordinalOf(f fixture, id domain.RegistrationID) uint64 {
	for _, e := range f.events {
		if p, ok := e.Event.(domain.ParticipantRegistered); ok && p.RegistrationID == id {
			return e.Seq
		}
	}
	return 0
}

func cancelledAt(f fixture, id domain.RegistrationID) time.Time {
	for _, e := range f.events {
		if c, ok := e.Event.(domain.RegistrationCancelled); ok && c.RegistrationID == id {
			return e.At
		}
	}
	return time.Time{}
}

// Wanted is an attendance report with sessions as check-ins by session id.
type Wanted struct {
	Capacity, Confirmed, Waitlisted, Cancelled int
	Days                                       []projections.DayAttendance
	Sessions                                   map[domain.SessionID]int
	Organisations                              []projections.OrganisationAttendance
}

func checkAttendance(t *testing.T, s projections.Store, want Wanted) {
	t.Helper()
	a, err := s.Attendance(context.Background(), w1)
	if err != nil {
		t.Fatalf("Attendance(W1): %v", err)
	}
	got := Wanted{Capacity: a.Capacity, Confirmed: a.Confirmed, Waitlisted: a.Waitlisted, Cancelled: a.Cancelled,
		Days: a.Days, Sessions: map[domain.SessionID]int{}, Organisations: a.Organisations}
	var order []domain.SessionID
	for _, se := range a.Sessions {
		got.Sessions[se.ID] = se.CheckedIn
		order = append(order, se.ID)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Attendance(W1) = %+v\nwant %+v", got, want)
	}
	if wantOrder := []domain.SessionID{s1, s2, s3}; !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("Attendance sessions = %v, want %v", order, wantOrder)
	}
}

func testBeforeCancellation(t *testing.T, s projections.Store) {
	f := newFixture()
	ApplyAll(t, s, f.upTo(f.beforeDrop), 500)
	ctx := context.Background()
	list, err := s.Registrations(ctx, w1)
	if err != nil {
		t.Fatalf("Registrations(W1): %v", err)
	}
	// R4 asked for both days while day 1 was full: confirmed on day 2, first waiting on day 1.
	want := map[domain.RegistrationID]int{r1: 0, r2: 0, r3: 0, r4: 1, r5: 2}
	for _, r := range list {
		if r.WaitlistPosition != want[r.ID] {
			t.Errorf("%s waitlist position = %d, want %d", r.ID, r.WaitlistPosition, want[r.ID])
		}
	}
	r4v, err := s.Registration(ctx, w1, r4)
	if wantDays := map[domain.Day]domain.Status{d1: domain.Waitlisted, d2: domain.Confirmed}; err != nil ||
		r4v.Status != domain.Confirmed || !reflect.DeepEqual(r4v.DayStatus, wantDays) ||
		!reflect.DeepEqual(r4v.WaitlistPositions, map[domain.Day]int{d1: 1}) {
		t.Errorf("Registration(R4) = %s %v %v, %v; want confirmed %v at position 1 on %s", r4v.Status, r4v.DayStatus,
			r4v.WaitlistPositions, err, wantDays, d1)
	}
	if r, err := s.Registration(ctx, w1, r5); err != nil || r.WaitlistPosition != 2 || !reflect.DeepEqual(r.WaitlistPositions, map[domain.Day]int{d1: 2}) {
		t.Errorf("Registration(R5) position = %d %v, %v; want 2 on %s", r.WaitlistPosition, r.WaitlistPositions, err, d1)
	}
	w, err := s.Workshop(ctx, w1)
	if want := []projections.DaySeats{{Day: d1, Confirmed: 3, Free: 0}, {Day: d2, Confirmed: 3, Free: 0}}; err != nil || !reflect.DeepEqual(w.Seats, want) {
		t.Errorf("Seats = %+v, %v; want %+v", w.Seats, err, want)
	}
	checkAttendance(t, s, Wanted{Capacity: 3, Confirmed: 4, Waitlisted: 1,
		Days: []projections.DayAttendance{{Day: d1, Confirmed: 3, Waitlisted: 2, CheckedIn: 1},
			{Day: d2, Confirmed: 3, Waitlisted: 0}},
		Sessions: map[domain.SessionID]int{s1: 0, s2: 0, s3: 0},
		Organisations: []projections.OrganisationAttendance{{Organisation: "Verein A", Confirmed: 2},
			{Organisation: "Verein B", Confirmed: 1, CheckedIn: 1}, {Organisation: "Verein C", Confirmed: 1}}})
}

// snapshot reads every view of the fixture, so that two states can be compared.
func snapshot(t *testing.T, s projections.Store) []any {
	t.Helper()
	ctx := context.Background()
	ws, err1 := s.Workshops(ctx)
	rs, err2 := s.Registrations(ctx, w1)
	a, err3 := s.Attendance(ctx, w1)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatalf("read views: %v", err)
	}
	return []any{ws, rs, a}
}

func testRedelivery(t *testing.T, s projections.Store) {
	f := newFixture()
	ApplyAll(t, s, f.events, 4)
	before := snapshot(t, s)
	ApplyAll(t, s, f.events, 4)
	ApplyAll(t, s, f.events[len(f.events)-3:], 4)
	if after := snapshot(t, s); !reflect.DeepEqual(after, before) {
		t.Errorf("after redelivery views = %+v\nwant %+v", after, before)
	}
	for _, p := range projections.All() {
		if got, _ := s.Checkpoint(context.Background(), p.Name()); got != f.last {
			t.Errorf("Checkpoint(%s) = %d after redelivery, want %d", p.Name(), got, f.last)
		}
	}
}

func testSkipsApplied(t *testing.T, s projections.Store) {
	f := newFixture()
	ApplyAll(t, s, f.upTo(f.beforeDrop), 500)
	// A batch that overlaps the applied part and carries a change at an old sequence: the
	// change is not applied, the rest is.
	stale := domain.Recorded{Seq: f.beforeDrop, Workshop: w1, At: time.Now(),
		Event: domain.WorkshopChanged{Title: "Stale", Venue: "Nowhere", Capacity: 99}}
	batch := append([]domain.Recorded{stale}, f.events[len(f.upTo(f.beforeDrop))-2:]...)
	ApplyAll(t, s, batch, len(batch))
	w, err := s.Workshop(context.Background(), w1)
	if err != nil || w.Title != "Werkstatt Nord" || w.Capacity != 3 {
		t.Errorf("Workshop(W1) = %q capacity %d, %v; want Werkstatt Nord, 3", w.Title, w.Capacity, err)
	}
	if !reflect.DeepEqual(normalise(snapshot(t, s)), wholeLog(t, f)) {
		t.Errorf("views after overlapping batch differ from views of the plain log")
	}
}

// wholeLog returns the views after the fixture's whole log, read from a memory store (which the
// suite checks on its own).
func wholeLog(t *testing.T, f fixture) []any {
	t.Helper()
	m := projections.NewMemory()
	ApplyAll(t, m, f.events, 500)
	return normalise(snapshot(t, m))
}

func testBatchSizes(t *testing.T, s projections.Store) {
	f := newFixture()
	ApplyAll(t, s, f.events, 1)
	if got, want := normalise(snapshot(t, s)), wholeLog(t, f); !reflect.DeepEqual(got, want) {
		t.Errorf("views with batches of 1 = %+v\nwant %+v", got, want)
	}
}

func testNotFound(t *testing.T, s projections.Store) {
	f := newFixture()
	ApplyAll(t, s, f.events, 500)
	ctx := context.Background()
	_, err1 := s.Workshop(ctx, "nope")
	_, err2 := s.Registrations(ctx, "nope")
	_, err3 := s.Registration(ctx, "nope", r1)
	_, err4 := s.Attendance(ctx, "nope")
	_, err5 := s.Registration(ctx, w1, "nope")
	for i, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, domain.ErrWorkshopNotFound) {
			t.Errorf("read %d of a missing workshop: got %v, want %v", i+1, err, domain.ErrWorkshopNotFound)
		}
	}
	if !errors.Is(err5, domain.ErrRegistrationNotFound) {
		t.Errorf("missing registration: got %v, want %v", err5, domain.ErrRegistrationNotFound)
	}
	if list, err := s.Registrations(ctx, w2); err != nil || len(list) != 0 {
		t.Errorf("Registrations(W2) = %v, %v; want none", list, err)
	}
}

func testConcurrentReads(t *testing.T, s projections.Store) {
	events := scenario.Workshops(2, 30)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			if _, err := s.Workshops(ctx); err != nil && ctx.Err() == nil {
				t.Errorf("Workshops during writes: %v", err)
				return
			}
			_, _ = s.Attendance(ctx, "W00000")
			_, _ = s.Registrations(ctx, "W00001")
		}
	})
	ApplyAll(t, s, events, 50)
	cancel()
	wg.Wait()
	w, err := s.Workshop(context.Background(), "W00001")
	if err != nil || len(w.Agenda) != 9 {
		t.Errorf("Workshop(W00001) agenda %d, %v; want 9 sessions", len(w.Agenda), err)
	}
}

// normalise makes times UTC, so that stores that return local times compare equal.
func normalise(views []any) []any {
	ws := views[0].([]projections.WorkshopView)
	for i := range ws {
		ws[i].ScheduledAt = ws[i].ScheduledAt.UTC()
	}
	rs := views[1].([]projections.RegistrationView)
	for i := range rs {
		rs[i].RegisteredAt, rs[i].UpdatedAt = rs[i].RegisteredAt.UTC(), rs[i].UpdatedAt.UTC()
	}
	return views
}

// testCheckIns: the check-ins a store lists are those the domain holds, also after a session
// with check-ins was cancelled and a registration with check-ins was cancelled.
func testCheckIns(t *testing.T, s projections.Store) {
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	schedule(h, w1, "Werkstatt", []domain.Day{d1, d2}, 5)
	plan(h, domain.Session{ID: s1, Title: "Eröffnung", Kind: domain.Keynote, Day: d1, Starts: "09:00", Ends: "10:00"})
	plan(h, domain.Session{ID: s2, Title: "Vortrag", Kind: domain.Talk, Day: d1, Starts: "10:00", Ends: "11:00"})
	for _, r := range []domain.RegistrationID{r1, r2, r3} {
		register(h, r, "Verein A", nil)
	}
	checkIn(h, r1, d1, "")
	checkIn(h, r1, d1, s1)
	checkIn(h, r2, d1, s1)
	checkIn(h, r2, d1, s2)
	checkIn(h, r3, d2, "")
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelSession(s1) })
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration(r3) })
	ApplyAll(t, s, h.Events, 3)

	ctx := context.Background()
	got, err := s.CheckIns(ctx, w1)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Collect(maps.Keys(h.Workshop(w1).CheckIns))
	order := func(a, b domain.CheckIn) int {
		return cmp.Or(cmp.Compare(a.RegistrationID, b.RegistrationID), cmp.Compare(a.Day, b.Day), cmp.Compare(a.SessionID, b.SessionID))
	}
	slices.SortFunc(got, order)
	slices.SortFunc(want, order)
	if !slices.Equal(got, want) {
		t.Errorf("CheckIns = %v, want the domain's %v", got, want)
	}
	a, err := s.Attendance(ctx, w1)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sessions) != 1 || a.Sessions[0].ID != s2 || a.Sessions[0].CheckedIn != 1 {
		t.Errorf("attendance sessions %+v, want only the talk with 1 checked in", a.Sessions)
	}
	if _, err := s.CheckIns(ctx, "nope"); !errors.Is(err, domain.ErrWorkshopNotFound) {
		t.Errorf("CheckIns of a missing workshop: got %v, want %v", err, domain.ErrWorkshopNotFound)
	}
}
