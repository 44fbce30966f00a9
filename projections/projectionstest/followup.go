package projectionstest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// Workshops of the follow-up fixture: F1 and then F2 belong to one series, F9 to another.
const (
	f1, f2, f9 domain.WorkshopID = "F1", "F2", "F9"
	reihe                        = "Reihe"
)

// followUpFixture decides follow-ups with the real rules: in F1 five people (Q4 cancels after
// voting), topics K1-K4, votes, K1 merged into K2, K3 planned into F2's session S1, K4 dropped,
// two action items of which one is done and the other was closed by mistake and reopened; F9
// of another series has a topic and an item.
func followUpFixture(t *testing.T) *scenario.History {
	t.Helper()
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	for _, w := range []struct {
		id     domain.WorkshopID
		series string
		day    domain.Day
	}{{f1, reihe, d1}, {f2, reihe, "2027-03-01"}, {f9, "Andere", d1}} {
		h.Must(w.id, func(x domain.Workshop) ([]domain.Event, error) {
			return x.Schedule(domain.ScheduleWorkshop{ID: w.id, Title: "Treffen", Series: w.series, Venue: "Haus",
				Days: []domain.Day{w.day}, Capacity: 10})
		})
	}
	h.Must(f2, func(x domain.Workshop) ([]domain.Event, error) {
		return x.Plan(domain.PlanSession{Session: domain.Session{ID: s1, Title: "Mieten", Kind: domain.Talk, Day: "2027-03-01", Starts: "10:00", Ends: "11:00"}})
	})
	on := func(w domain.WorkshopID, decide domain.Decision) {
		t.Helper()
		if _, err := h.Decide(w, decide); err != nil {
			t.Fatalf("fixture decision on %s: %v", w, err)
		}
	}
	for i := range 5 {
		id := domain.RegistrationID(fmt.Sprint("Q", i))
		on(f1, func(x domain.Workshop) ([]domain.Event, error) {
			return x.Register(domain.RegisterParticipant{ID: id, Person: domain.Person{Name: "N", Email: "q@example.org"},
				EmailKey: string(id), Organisation: "Verein", Consent: true})
		})
	}
	for i, w := range []domain.WorkshopID{f1, f1, f1, f1, f9} {
		id := domain.TopicID(fmt.Sprint("K", i+1))
		on(w, func(x domain.Workshop) ([]domain.Event, error) {
			return x.ProposeTopic(domain.ProposeTopic{ID: id, Title: "Thema " + string(id), Source: domain.TopicSource{Kind: domain.FromClosingDiscussion}})
		})
	}
	on(f1, domain.Workshop.OpenVoting)
	on(f1, func(x domain.Workshop) ([]domain.Event, error) { return x.SetVoteLimit(2) })
	for r, ts := range map[domain.RegistrationID][]domain.TopicID{"Q0": {"K1", "K2"}, "Q1": {"K1"}, "Q2": {"K3", "K2"}, "Q3": {"K4"}, "Q4": {"K4", "K3"}} {
		on(f1, func(x domain.Workshop) ([]domain.Event, error) {
			return x.CastVotes(domain.CastVotes{RegistrationID: r, Topics: ts})
		})
	}
	on(f1, func(x domain.Workshop) ([]domain.Event, error) { return x.CancelRegistration("Q4") })
	on(f1, domain.Workshop.CloseVoting)
	on(f1, func(x domain.Workshop) ([]domain.Event, error) {
		return x.MergeTopics(domain.MergeTopics{TopicID: "K1", Into: "K2"})
	})
	on(f1, func(x domain.Workshop) ([]domain.Event, error) {
		return x.ChangeTopicStatus(domain.ChangeTopicStatus{TopicID: "K3", Status: domain.TopicPlanned,
			Target: &domain.PlanTarget{Workshop: f2, Series: reihe, FirstDay: "2027-03-01", SessionID: s1}})
	})
	on(f1, func(x domain.Workshop) ([]domain.Event, error) {
		return x.ChangeTopicStatus(domain.ChangeTopicStatus{TopicID: "K4", Status: domain.TopicDropped})
	})
	for i, who := range []domain.ActionOwner{{RegistrationID: "Q1"}, {Organisation: "Jugendring"}} {
		on(f1, func(x domain.Workshop) ([]domain.Event, error) {
			return x.AgreeActionItem(domain.AgreeActionItem{ID: domain.ActionItemID(fmt.Sprint("A", i+1)), What: "Vorbereiten", Who: who, DueBy: "2027-03-01"})
		})
	}
	on(f9, func(x domain.Workshop) ([]domain.Event, error) {
		return x.AgreeActionItem(domain.AgreeActionItem{ID: "A9", What: "Anderes", Who: domain.ActionOwner{Organisation: "Jugendring"}})
	})
	on(f1, func(x domain.Workshop) ([]domain.Event, error) {
		return x.CloseActionItem(domain.CloseActionItem{ID: "A1", By: "Q1"})
	})
	on(f1, func(x domain.Workshop) ([]domain.Event, error) {
		return x.CloseActionItem(domain.CloseActionItem{ID: "A2"})
	})
	on(f1, func(x domain.Workshop) ([]domain.Event, error) {
		return x.ReopenActionItem(domain.ReopenActionItem{ID: "A2"})
	})
	return h
}

// topicFacts is what the domain knows of a topic and a board shows: rank aside.
type topicFacts struct {
	Status     domain.TopicStatus
	Link       *domain.TopicLink
	MergedInto domain.TopicID
	MergedFrom []domain.TopicID
	Voters     int
}

func testFollowUps(t *testing.T, s projections.Store) {
	h := followUpFixture(t)
	ApplyAll(t, s, h.Events, 4)
	ctx := context.Background()
	board, err := s.FollowUps(ctx, f1)
	if err != nil {
		t.Fatalf("FollowUps(F1): %v", err)
	}
	f := h.Workshop(f1).FollowUps
	got, want := map[domain.TopicID]topicFacts{}, map[domain.TopicID]topicFacts{}
	var order []domain.TopicID
	for _, tv := range board.Topics {
		got[tv.ID] = topicFacts{tv.Status, tv.Link, tv.MergedInto, tv.MergedFrom, tv.Voters}
		order = append(order, tv.ID)
		if tv.ProposedAt.IsZero() || len(tv.History) == 0 || tv.History[0].Kind != projections.ChangeProposed {
			t.Errorf("topic %s: proposed at %v, history %+v; want a time and the proposal first", tv.ID, tv.ProposedAt, tv.History)
		}
	}
	for id, tp := range f.Topics {
		want[id] = topicFacts{tp.Status, tp.Link, tp.MergedInto, tp.MergedFrom, f.Voters(id)}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("F1's topics =\n%+v\nwant the domain's\n%+v", got, want)
	}
	if wantOrder := []domain.TopicID{"K2", "K3", "K4", "K1"}; !slices.Equal(order, wantOrder) {
		t.Errorf("got rank %v, want %v (K2 3 voters, K3 1, K4 1 proposed later, merged K1 last)", order, wantOrder)
	}
	if !reflect.DeepEqual(board.Votes, f.Votes) || board.VoteLimit != 2 || board.Voting != domain.VotingClosed || board.Series != reihe {
		t.Errorf("got votes %v, limit %d, voting %s, series %q; want %v, 2, closed, %q", board.Votes, board.VoteLimit, board.Voting, board.Series, f.Votes, reihe)
	}
	checkSeries(t, s)
	checkActionItems(t, s)
	ApplyAll(t, s, h.Events, 3) // redelivered: skipped
	if again, err := s.FollowUps(ctx, f1); err != nil || !reflect.DeepEqual(again, board) {
		t.Errorf("after redelivery FollowUps(F1) = %+v, %v; want it unchanged", again, err)
	}
	if _, err := s.FollowUps(ctx, "nope"); err != domain.ErrWorkshopNotFound {
		t.Errorf("FollowUps(nope): got %v, want %v", err, domain.ErrWorkshopNotFound)
	}
	checkReopenThenClose(t, s, h)
}

// checkReopenThenClose reopens A1, which its owner Q1 closed, and has an organiser close it
// again: reopened, it reads as open in every view, without when or by whom it was closed; closed
// again, it carries the new closing only.
func checkReopenThenClose(t *testing.T, s projections.Store, h *scenario.History) {
	t.Helper()
	decide := func(doing string, d domain.Decision) time.Time {
		t.Helper()
		if seq, err := h.Decide(f1, d); err != nil || seq == 0 {
			t.Fatalf("%s: got sequence %d, %v; want a decision", doing, seq, err)
		}
		ApplyAll(t, s, h.Events, 5) // earlier events are at or below the checkpoint
		return h.Events[len(h.Events)-1].At
	}
	a1 := func(f projections.ActionItemFilter) (projections.ActionItemView, bool) {
		t.Helper()
		items, err := s.ActionItems(context.Background(), f)
		if err != nil {
			t.Fatalf("ActionItems(%+v): %v", f, err)
		}
		i := slices.IndexFunc(items, func(a projections.ActionItemView) bool { return a.ID == "A1" })
		if i < 0 {
			return projections.ActionItemView{}, false
		}
		return items[i], true
	}
	decide("reopen A1", func(x domain.Workshop) ([]domain.Event, error) {
		return x.ReopenActionItem(domain.ReopenActionItem{ID: "A1", By: "Q1"})
	})
	for _, f := range []projections.ActionItemFilter{{Series: reihe, OpenOnly: true}, {Workshop: f1, OpenOnly: true},
		{Series: reihe, Registration: "Q1", OpenOnly: true}} {
		if a, ok := a1(f); !ok || a.Done || !a.DoneAt.IsZero() || a.DoneBy != "" || a.AgreedAt.IsZero() {
			t.Errorf("reopened A1 in ActionItems(%+v): got %+v, found %v; want it open, without when or by whom it was done", f, a, ok)
		}
	}
	at := decide("close A1 again", func(x domain.Workshop) ([]domain.Event, error) {
		return x.CloseActionItem(domain.CloseActionItem{ID: "A1"})
	})
	if a, ok := a1(projections.ActionItemFilter{Series: reihe}); !ok || !a.Done || !a.DoneAt.Equal(at) || a.DoneBy != "" {
		t.Errorf("A1 closed again by an organiser: got %+v, found %v; want done at %v by nobody in particular", a, ok, at)
	}
	if _, ok := a1(projections.ActionItemFilter{Series: reihe, OpenOnly: true}); ok {
		t.Errorf("A1 closed again: got it among the open items, want it gone")
	}
}

func checkSeries(t *testing.T, s projections.Store) {
	t.Helper()
	topics, err := s.SeriesTopics(context.Background(), reihe)
	if err != nil {
		t.Fatalf("SeriesTopics: %v", err)
	}
	var ids []string
	for _, tv := range topics {
		ids = append(ids, fmt.Sprint(tv.Workshop, "/", tv.ID, "/", tv.FirstDay))
	}
	if want := []string{"F1/K2/" + string(d1), "F1/K3/" + string(d1), "F1/K4/" + string(d1), "F1/K1/" + string(d1)}; !slices.Equal(ids, want) {
		t.Errorf("SeriesTopics(%s) = %v, want %v (F9's K5 is of another series)", reihe, ids, want)
	}
	if none, err := s.SeriesTopics(context.Background(), ""); err != nil || len(none) != 0 || none == nil {
		t.Errorf("SeriesTopics(\"\") = %#v, %v; want an empty, non-nil list", none, err)
	}
}

func checkActionItems(t *testing.T, s projections.Store) {
	t.Helper()
	for _, tc := range []struct {
		f    projections.ActionItemFilter
		want []domain.ActionItemID
	}{
		{projections.ActionItemFilter{Series: reihe}, []domain.ActionItemID{"A1", "A2"}},
		{projections.ActionItemFilter{Series: reihe, OpenOnly: true}, []domain.ActionItemID{"A2"}},
		{projections.ActionItemFilter{Workshop: f9}, []domain.ActionItemID{"A9"}},
		{projections.ActionItemFilter{Series: reihe, Registration: "Q1"}, []domain.ActionItemID{"A1"}},
		{projections.ActionItemFilter{Series: "Andere", Organisation: "Jugendring", OpenOnly: true}, []domain.ActionItemID{"A9"}},
		{projections.ActionItemFilter{Organisation: "Jugendring"}, nil},
	} {
		items, err := s.ActionItems(context.Background(), tc.f)
		var ids []domain.ActionItemID
		for _, a := range items {
			ids = append(ids, a.ID)
			if a.Done != (a.ID == "A1") || a.Done == a.DoneAt.IsZero() || (a.ID == "A1") != (a.DoneBy == "Q1") || a.AgreedAt.IsZero() {
				t.Errorf("item %+v: want only A1 done, by Q1, with times; A2 reopened like never closed", a)
			}
		}
		if err != nil || !slices.Equal(ids, tc.want) || items == nil {
			t.Errorf("ActionItems(%+v) = %v, %v; want %v", tc.f, ids, err, tc.want)
		}
	}
}

// testFollowUpBatches: one event per batch gives the same views as one big batch.
func testFollowUpBatches(t *testing.T, s projections.Store) {
	h := followUpFixture(t)
	ApplyAll(t, s, h.Events, 1)
	m := projections.NewMemory()
	ApplyAll(t, m, h.Events, 500)
	ctx := context.Background()
	got, err := s.SeriesTopics(ctx, reihe)
	want, _ := m.SeriesTopics(ctx, reihe)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("series topics with batches of 1 =\n%+v, %v\nwant\n%+v", got, err, want)
	}
	gotItems, err := s.ActionItems(ctx, projections.ActionItemFilter{Series: reihe})
	wantItems, _ := m.ActionItems(ctx, projections.ActionItemFilter{Series: reihe})
	if err != nil || !reflect.DeepEqual(gotItems, wantItems) {
		t.Errorf("action items with batches of 1 =\n%+v, %v\nwant\n%+v", gotItems, err, wantItems)
	}
}
