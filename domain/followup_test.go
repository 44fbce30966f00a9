package domain_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.TopicProposed{TopicID: "t1", Title: "Mieten", Description: "Was tun?",
			Source: domain.TopicSource{Kind: domain.FromThemeCafeTable, SessionID: "c1", TableID: "x1"}, ProposedBy: "r1"},
		domain.VotesCast{RegistrationID: "r1", Topics: []domain.TopicID{"t1", "t2"}},
		domain.TopicVotingOpened{},
		domain.TopicVotingClosed{},
		domain.VoteLimitSet{Limit: 5},
		domain.TopicsMerged{TopicID: "t1", Into: "t2", Moved: []domain.RegistrationID{"r2"}, Returned: []domain.RegistrationID{"r1"}},
		domain.TopicStatusChanged{TopicID: "t1", Status: domain.TopicPlanned,
			Link: &domain.TopicLink{Workshop: "w2", SessionID: "s1", TableID: "x1"}},
		domain.ActionItemAgreed{ActionItemID: "a1", What: "Protokoll", Who: domain.ActionOwner{RegistrationID: "r1", Organisation: "Jugendring"},
			DueBy: day2},
		domain.ActionItemDone{ActionItemID: "a1", By: "r1"},
		domain.ActionItemReopened{ActionItemID: "a1", By: "r1"},
	)
}

const series = "Werkstatt-Reihe"

// followBase is a workshop of a series on day1 and day2 with talk s9, café c1 with table t1,
// confirmed a, b and c, waitlisted w and cancelled x.
func followBase() []domain.Event {
	return history(domain.WorkshopScheduled{ID: workshopID, Title: "Frühjahr", Series: series, Venue: "Rathaus",
		Days: []domain.Day{day1, day2}, Capacity: 3},
		domain.SessionPlanned{Session: domain.Session{ID: "c1", Title: "Themencafé", Kind: domain.ThemeCafe,
			Day: day1, Starts: "10:00", Ends: "12:00"}},
		planned("s9", day1, "13:00", "14:00", "Saal A"), added(table("t1", "Wohnen", 4)),
		confirmed("a", day1), confirmed("b", day1, day2), confirmed("x", day2), cancelled("x"), confirmed("c", day2),
		waitlisted("w", 1, day1, day2))
}

func proposed(id string, by domain.RegistrationID) domain.Event {
	return domain.TopicProposed{TopicID: domain.TopicID(id), Title: "Thema " + id,
		Source: domain.TopicSource{Kind: domain.FromClosingDiscussion}, ProposedBy: by}
}

func votes(r string, topics ...domain.TopicID) domain.Event {
	return domain.VotesCast{RegistrationID: domain.RegistrationID(r), Topics: topics}
}

// withTopics has topics k1-k4, voting open, and votes: a for k1 and k2, b for k1, c for k2.
func withTopics() []domain.Event {
	return history(followBase(), proposed("k1", ""), proposed("k2", "a"), proposed("k3", ""), proposed("k4", ""),
		domain.TopicVotingOpened{}, votes("a", "k1", "k2"), votes("b", "k1"), votes("c", "k2"))
}

func propose(c domain.ProposeTopic) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.ProposeTopic(c) }
}

func TestProposeTopic(t *testing.T) {
	closing := domain.TopicSource{Kind: domain.FromClosingDiscussion}
	table := domain.TopicSource{Kind: domain.FromThemeCafeTable, SessionID: "c1", TableID: "t1"}
	runDecisions(t, []decision{
		{name: "an organiser proposes from the closing discussion", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: " Mieten ", Description: " teuer ", Source: closing}),
			then: []domain.Event{domain.TopicProposed{TopicID: "k1", Title: "Mieten", Description: "teuer", Source: closing}}},
		{name: "a participant proposes from a café table", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "Mieten", Source: table, By: "a"}),
			then: []domain.Event{domain.TopicProposed{TopicID: "k1", Title: "Mieten", Source: table, ProposedBy: "a"}}},
		{name: "from a session", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "Mieten", Source: domain.TopicSource{Kind: domain.FromSession, SessionID: "s9"}}),
			then: []domain.Event{domain.TopicProposed{TopicID: "k1", Title: "Mieten", Source: domain.TopicSource{Kind: domain.FromSession, SessionID: "s9"}}}},
		{name: "no such session", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: domain.TopicSource{Kind: domain.FromSession, SessionID: "nope"}}),
			err:  domain.ErrSessionNotFound, class: domain.ErrNotFound},
		{name: "no such table", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: domain.TopicSource{Kind: domain.FromThemeCafeTable, SessionID: "c1", TableID: "t9"}}),
			err:  domain.ErrTableNotFound, class: domain.ErrNotFound},
		{name: "a talk has no tables", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: domain.TopicSource{Kind: domain.FromThemeCafeTable, SessionID: "s9", TableID: "t1"}}),
			err:  domain.ErrNotThemeCafe, class: domain.ErrConflict},
		{name: "feedback names no session", given: followBase(),
			when:   propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: domain.TopicSource{Kind: domain.FromFeedback, SessionID: "s9"}}),
			fields: []string{"source"}},
		{name: "unknown kind and no title", given: followBase(),
			when:   propose(domain.ProposeTopic{ID: "k1", Source: domain.TopicSource{Kind: "gossip"}}),
			fields: []string{"title"}},
		{name: "unknown kind", given: followBase(),
			when:   propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: domain.TopicSource{Kind: "gossip"}}),
			fields: []string{"source.kind"}},
		{name: "a waitlisted person does not propose", given: followBase(),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: closing, By: "w"}),
			err:  domain.ErrNotConfirmedToAct, class: domain.ErrInvalid},
		{name: "a taken id", given: history(followBase(), proposed("k1", "")),
			when: propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: closing}), class: domain.ErrConflict},
		{name: "no workshop", when: propose(domain.ProposeTopic{ID: "k1", Title: "M", Source: closing}),
			err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
	})
}

func castVotes(r string, topics ...domain.TopicID) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.CastVotes(domain.CastVotes{RegistrationID: domain.RegistrationID(r), Topics: topics})
	}
}

func TestCastVotes(t *testing.T) {
	limit := func(n int) domain.Event { return domain.VoteLimitSet{Limit: n} }
	runDecisions(t, []decision{
		{name: "up to the default limit", given: withTopics(), when: castVotes("b", "k1", "k3", "k4"),
			then: []domain.Event{votes("b", "k1", "k3", "k4")}},
		{name: "over the default limit", given: withTopics(), when: castVotes("b", "k1", "k2", "k3", "k4"),
			err: domain.ErrOverVoteLimit, class: domain.ErrConflict},
		{name: "a raised limit", given: history(withTopics(), limit(4)), when: castVotes("b", "k1", "k2", "k3", "k4"),
			then: []domain.Event{votes("b", "k1", "k2", "k3", "k4")}},
		{name: "a lowered limit", given: history(withTopics(), limit(1)), when: castVotes("a", "k1", "k3"),
			err: domain.ErrOverVoteLimit, class: domain.ErrConflict},
		{name: "one vote per topic", given: withTopics(), when: castVotes("b", "k1", "k1"), fields: []string{"topic_ids"}},
		{name: "no such topic", given: withTopics(), when: castVotes("b", "k9"), fields: []string{"topic_ids"}},
		{name: "the same votes decide nothing", given: withTopics(), when: castVotes("a", "k1", "k2")},
		{name: "an empty list withdraws", given: withTopics(), when: castVotes("a"), then: []domain.Event{votes("a")}},
		{name: "before voting opens", given: history(followBase(), proposed("k1", "")), when: castVotes("a", "k1"),
			err: domain.ErrVotingNotOpen, class: domain.ErrConflict},
		{name: "after voting closed", given: history(withTopics(), domain.TopicVotingClosed{}), when: castVotes("b", "k3"),
			err: domain.ErrVotingNotOpen, class: domain.ErrConflict},
		{name: "a merged topic", given: history(withTopics(), domain.TopicsMerged{TopicID: "k3", Into: "k4"}),
			when: castVotes("b", "k3"), fields: []string{"topic_ids"}},
		{name: "a waitlisted person", given: withTopics(), when: castVotes("w", "k1"),
			err: domain.ErrNotConfirmedToAct, class: domain.ErrInvalid},
		{name: "a cancelled person", given: withTopics(), when: castVotes("x", "k1"),
			err: domain.ErrNotConfirmedToAct, class: domain.ErrInvalid},
		{name: "no such registration", given: withTopics(), when: castVotes("nobody", "k1"),
			err: domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
		{name: "the limit is bounded", given: withTopics(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.SetVoteLimit(domain.MaxVoteLimit + 1)
		}, fields: []string{"limit"}},
		{name: "the default limit decides nothing", given: withTopics(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.SetVoteLimit(domain.DefaultVoteLimit)
		}},
		{name: "opening an open vote decides nothing", given: withTopics(), when: domain.Workshop.OpenVoting},
		{name: "closing", given: withTopics(), when: domain.Workshop.CloseVoting, then: []domain.Event{domain.TopicVotingClosed{}}},
	})
}

func merge(from, into domain.TopicID) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.MergeTopics(domain.MergeTopics{TopicID: from, Into: into})
	}
}

func TestMergeTopics(t *testing.T) {
	runDecisions(t, []decision{
		{name: "a voter of both keeps one vote", given: withTopics(), when: merge("k1", "k2"),
			then: []domain.Event{domain.TopicsMerged{TopicID: "k1", Into: "k2", Moved: []domain.RegistrationID{"b"},
				Returned: []domain.RegistrationID{"a"}}}},
		{name: "without votes", given: withTopics(), when: merge("k3", "k4"),
			then: []domain.Event{domain.TopicsMerged{TopicID: "k3", Into: "k4"}}},
		{name: "into itself", given: withTopics(), when: merge("k1", "k1"), fields: []string{"into"}},
		{name: "a merged topic", given: history(withTopics(), domain.TopicsMerged{TopicID: "k3", Into: "k4"}),
			when: merge("k3", "k1"), err: domain.ErrTopicMerged, class: domain.ErrConflict},
		{name: "into a merged topic", given: history(withTopics(), domain.TopicsMerged{TopicID: "k3", Into: "k4"}),
			when: merge("k1", "k3"), err: domain.ErrTopicMerged, class: domain.ErrConflict},
		{name: "no such topic", given: withTopics(), when: merge("k9", "k1"), err: domain.ErrTopicNotFound, class: domain.ErrNotFound},
	})
}

// TestMergeCountsNobodyTwice folds a merge and checks the votes and the counts of distinct
// voters, and that a returned vote can be given again within the limit.
func TestMergeCountsNobodyTwice(t *testing.T) {
	w := domain.Workshop{}.Fold(withTopics()...)
	events, err := w.MergeTopics(domain.MergeTopics{TopicID: "k1", Into: "k2"})
	if err != nil {
		t.Fatal(err)
	}
	w = w.Fold(events...)
	f := w.FollowUps
	if got := map[domain.TopicID]int{"k1": f.Voters("k1"), "k2": f.Voters("k2")}; !reflect.DeepEqual(got, map[domain.TopicID]int{"k1": 0, "k2": 3}) {
		t.Errorf("got voters %v after the merge, want k1 0, k2 3 (a, b, c once each)", got)
	}
	if got := f.Votes["a"]; !reflect.DeepEqual(got, []domain.TopicID{"k2"}) {
		t.Errorf("got a's votes %v, want [k2]: the vote on k1 comes back", got)
	}
	if k1, k2 := f.Topics["k1"], f.Topics["k2"]; k1.Status != domain.TopicMerged || k1.MergedInto != "k2" ||
		!reflect.DeepEqual(k2.MergedFrom, []domain.TopicID{"k1"}) {
		t.Errorf("got k1 %+v and k2 %+v, want k1 merged into k2", k1, k2)
	}
	if _, err := w.CastVotes(domain.CastVotes{RegistrationID: "a", Topics: []domain.TopicID{"k2", "k3", "k4"}}); err != nil {
		t.Errorf("a spends the returned vote: got %v, want no error", err)
	}
}

func status(id domain.TopicID, s domain.TopicStatus, target *domain.PlanTarget) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.ChangeTopicStatus(domain.ChangeTopicStatus{TopicID: id, Status: s, Target: target})
	}
}

func TestChangeTopicStatus(t *testing.T) {
	next := &domain.PlanTarget{Workshop: "W2", Series: series, FirstDay: day3, SessionID: "s1"}
	with := func(f func(*domain.PlanTarget)) *domain.PlanTarget { p := *next; f(&p); return &p }
	link := &domain.TopicLink{Workshop: "W2", SessionID: "s1"}
	planned := domain.TopicStatusChanged{TopicID: "k1", Status: domain.TopicPlanned, Link: link}
	runDecisions(t, []decision{
		{name: "planned into the next workshop of the series", given: withTopics(), when: status("k1", domain.TopicPlanned, next),
			then: []domain.Event{planned}},
		{name: "planned at a café table", given: withTopics(), when: status("k1", domain.TopicPlanned, with(func(p *domain.PlanTarget) { p.TableID = "t7" })),
			then: []domain.Event{domain.TopicStatusChanged{TopicID: "k1", Status: domain.TopicPlanned,
				Link: &domain.TopicLink{Workshop: "W2", SessionID: "s1", TableID: "t7"}}}},
		{name: "another series", given: withTopics(), when: status("k1", domain.TopicPlanned, with(func(p *domain.PlanTarget) { p.Series = "Andere" })),
			err: domain.ErrNotLaterInSeries, class: domain.ErrConflict},
		{name: "an earlier workshop", given: withTopics(), when: status("k1", domain.TopicPlanned, with(func(p *domain.PlanTarget) { p.FirstDay = day1 })),
			err: domain.ErrNotLaterInSeries, class: domain.ErrConflict},
		{name: "this workshop", given: withTopics(), when: status("k1", domain.TopicPlanned, with(func(p *domain.PlanTarget) { p.Workshop = workshopID })),
			err: domain.ErrNotLaterInSeries, class: domain.ErrConflict},
		{name: "a workshop without series", given: history(scheduled(5, day1), proposed("k1", "")), when: status("k1", domain.TopicPlanned,
			with(func(p *domain.PlanTarget) { p.Series = "" })), err: domain.ErrNotLaterInSeries, class: domain.ErrConflict},
		{name: "planned without a session", given: withTopics(), when: status("k1", domain.TopicPlanned, nil), fields: []string{"session_id"}},
		{name: "addressed with a session", given: withTopics(), when: status("k1", domain.TopicAddressed, next), fields: []string{"session_id"}},
		{name: "merged is not a status to set", given: withTopics(), when: status("k1", domain.TopicMerged, nil), fields: []string{"status"}},
		{name: "dropped", given: withTopics(), when: status("k1", domain.TopicDropped, nil),
			then: []domain.Event{domain.TopicStatusChanged{TopicID: "k1", Status: domain.TopicDropped}}},
		{name: "planned again decides nothing", given: history(withTopics(), planned), when: status("k1", domain.TopicPlanned, next)},
		{name: "back to open", given: history(withTopics(), planned), when: status("k1", domain.TopicOpen, nil),
			then: []domain.Event{domain.TopicStatusChanged{TopicID: "k1", Status: domain.TopicOpen}}},
		{name: "a merged topic", given: history(withTopics(), domain.TopicsMerged{TopicID: "k1", Into: "k2"}),
			when: status("k1", domain.TopicAddressed, nil), err: domain.ErrTopicMerged, class: domain.ErrConflict},
		{name: "no such topic", given: withTopics(), when: status("k9", domain.TopicDropped, nil), err: domain.ErrTopicNotFound, class: domain.ErrNotFound},
	})
}

func agree(c domain.AgreeActionItem) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.AgreeActionItem(c) }
}

func closeItem(id domain.ActionItemID, by domain.RegistrationID) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.CloseActionItem(domain.CloseActionItem{ID: id, By: by})
	}
}

func TestActionItems(t *testing.T) {
	byA := domain.ActionOwner{RegistrationID: "a"}
	item := domain.ActionItemAgreed{ActionItemID: "i1", What: "Protokoll", Who: byA, DueBy: day3}
	runDecisions(t, []decision{
		{name: "for a registration", given: followBase(), when: agree(domain.AgreeActionItem{ID: "i1", What: " Protokoll ", Who: byA, DueBy: day3}),
			then: []domain.Event{item}},
		{name: "for an organisation without date", given: followBase(),
			when: agree(domain.AgreeActionItem{ID: "i1", What: "Saal", Who: domain.ActionOwner{Organisation: " Jugendring "}}),
			then: []domain.Event{domain.ActionItemAgreed{ActionItemID: "i1", What: "Saal", Who: domain.ActionOwner{Organisation: "Jugendring"}}}},
		{name: "both owners", given: followBase(),
			when: agree(domain.AgreeActionItem{ID: "i1", What: "Saal", Who: domain.ActionOwner{RegistrationID: "a", Organisation: "J"}}), fields: []string{"who"}},
		{name: "no owner, no text, bad date", given: followBase(), when: agree(domain.AgreeActionItem{ID: "i1", DueBy: "morgen"}),
			fields: []string{"due_by", "what", "who"}},
		{name: "a cancelled registration", given: followBase(),
			when: agree(domain.AgreeActionItem{ID: "i1", What: "Saal", Who: domain.ActionOwner{RegistrationID: "x"}}),
			err:  domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
		{name: "the owner closes it", given: history(followBase(), item), when: closeItem("i1", "a"),
			then: []domain.Event{domain.ActionItemDone{ActionItemID: "i1", By: "a"}}},
		{name: "an organiser closes it", given: history(followBase(), item), when: closeItem("i1", ""),
			then: []domain.Event{domain.ActionItemDone{ActionItemID: "i1"}}},
		{name: "someone else", given: history(followBase(), item), when: closeItem("i1", "b"),
			err: domain.ErrNotActionOwner, class: domain.ErrConflict},
		{name: "closed twice decides nothing", given: history(followBase(), item, domain.ActionItemDone{ActionItemID: "i1"}),
			when: closeItem("i1", "")},
		{name: "no such item", given: followBase(), when: closeItem("i9", ""), err: domain.ErrActionItemNotFound, class: domain.ErrNotFound},
	})
}

func reopenItem(id domain.ActionItemID, by domain.RegistrationID) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.ReopenActionItem(domain.ReopenActionItem{ID: id, By: by})
	}
}

func TestReopenActionItem(t *testing.T) {
	forA := domain.ActionItemAgreed{ActionItemID: "i1", What: "Protokoll", Who: domain.ActionOwner{RegistrationID: "a"}, DueBy: day3}
	forOrg := domain.ActionItemAgreed{ActionItemID: "i2", What: "Saal", Who: domain.ActionOwner{Organisation: "Jugendring"}}
	doneByA := history(followBase(), forA, forOrg, domain.ActionItemDone{ActionItemID: "i1", By: "a"})
	doneByOrganiser := history(followBase(), forA, forOrg, domain.ActionItemDone{ActionItemID: "i1"},
		domain.ActionItemDone{ActionItemID: "i2"})
	runDecisions(t, []decision{
		{name: "an organiser reopens what the owner closed", given: doneByA, when: reopenItem("i1", ""),
			then: []domain.Event{domain.ActionItemReopened{ActionItemID: "i1"}}},
		{name: "the owner reopens what an organiser closed", given: doneByOrganiser, when: reopenItem("i1", "a"),
			then: []domain.Event{domain.ActionItemReopened{ActionItemID: "i1", By: "a"}}},
		{name: "an organiser reopens an organisation's item", given: doneByOrganiser, when: reopenItem("i2", ""),
			then: []domain.Event{domain.ActionItemReopened{ActionItemID: "i2"}}},
		{name: "someone else", given: doneByA, when: reopenItem("i1", "b"),
			err: domain.ErrNotActionOwner, class: domain.ErrConflict},
		{name: "a participant and an organisation's item", given: doneByOrganiser, when: reopenItem("i2", "a"),
			err: domain.ErrNotActionOwner, class: domain.ErrConflict},
		{name: "someone else and an open item", given: history(followBase(), forA), when: reopenItem("i1", "b"),
			err: domain.ErrNotActionOwner, class: domain.ErrConflict},
		{name: "an open item decides nothing", given: history(followBase(), forA), when: reopenItem("i1", "")},
		{name: "reopened twice decides nothing", given: history(doneByA, domain.ActionItemReopened{ActionItemID: "i1"}),
			when: reopenItem("i1", "a")},
		{name: "closed again after reopening", given: history(doneByA, domain.ActionItemReopened{ActionItemID: "i1"}),
			when: closeItem("i1", ""), then: []domain.Event{domain.ActionItemDone{ActionItemID: "i1"}}},
		{name: "no such item", given: doneByA, when: reopenItem("i9", ""), err: domain.ErrActionItemNotFound, class: domain.ErrNotFound},
		{name: "no workshop", when: reopenItem("i1", ""), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
	})
}

// TestReopenedItemIsOpen folds a close and a reopen: the item is open, and who closed it is
// forgotten, so that the next close records its own closer.
func TestReopenedItemIsOpen(t *testing.T) {
	w := domain.Workshop{}.Fold(history(followBase(),
		domain.ActionItemAgreed{ActionItemID: "i1", What: "Protokoll", Who: domain.ActionOwner{RegistrationID: "a"}},
		domain.ActionItemDone{ActionItemID: "i1", By: "a"}, domain.ActionItemReopened{ActionItemID: "i1"})...)
	if got := *w.FollowUps.ActionItems["i1"]; got.Done || got.DoneBy != "" {
		t.Errorf("got item %+v after done and reopened, want open without closer", got)
	}
}

// TestActionItemsOverRandomCloseAndReopen has organisers, the owner and others tap "done" and
// "reopen" at random on a few items: every decision must agree with a plain model of who may
// do what, deciding again after its events must decide nothing, and replaying the log gives
// the state evolved step by step.
func TestActionItemsOverRandomCloseAndReopen(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	given := history(followBase(),
		domain.ActionItemAgreed{ActionItemID: "i1", What: "Protokoll", Who: domain.ActionOwner{RegistrationID: "a"}},
		domain.ActionItemAgreed{ActionItemID: "i2", What: "Saal", Who: domain.ActionOwner{RegistrationID: "b"}},
		domain.ActionItemAgreed{ActionItemID: "i3", What: "Flyer", Who: domain.ActionOwner{Organisation: "Jugendring"}})
	w, log := domain.Workshop{}.Fold(given...), slices.Clone(given)
	owner := map[domain.ActionItemID]domain.RegistrationID{"i1": "a", "i2": "b"}
	done := map[domain.ActionItemID]bool{}
	seen := map[string]int{}
	for step := range 2000 {
		id := []domain.ActionItemID{"i1", "i2", "i3", "i9"}[rng.IntN(4)]
		by := []domain.RegistrationID{"", "a", "b"}[rng.IntN(3)]
		reopen := rng.IntN(2) == 0
		decide := closeItem(id, by)
		if reopen {
			decide = reopenItem(id, by)
		}
		what := fmt.Sprintf("step %d: %s by %q reopen=%v", step, id, by, reopen)
		events, err := decide(w)
		_, exists := owner[id]
		exists = exists || id == "i3"
		switch {
		case !exists:
			if !errors.Is(err, domain.ErrActionItemNotFound) {
				t.Fatalf("%s: got %v, want %v", what, err, domain.ErrActionItemNotFound)
			}
		case by != "" && by != owner[id]:
			if !errors.Is(err, domain.ErrNotActionOwner) {
				t.Fatalf("%s: got %v, want %v", what, err, domain.ErrNotActionOwner)
			}
		case err != nil:
			t.Fatalf("%s: got %v, want a decision", what, err)
		case done[id] != reopen:
			if len(events) != 0 {
				t.Fatalf("%s on an item done=%v: got %s, want nothing", what, done[id], show(events))
			}
			seen["no-op"]++
		default:
			var want domain.Event = domain.ActionItemDone{ActionItemID: id, By: by}
			if reopen {
				want = domain.ActionItemReopened{ActionItemID: id, By: by}
			}
			if !reflect.DeepEqual(events, []domain.Event{want}) {
				t.Fatalf("%s: got %s, want %s", what, show(events), show([]domain.Event{want}))
			}
			w, log, done[id] = w.Fold(events...), append(log, events...), !reopen
			seen[want.Name()]++
			if again, err := decide(w); err != nil || len(again) != 0 {
				t.Fatalf("%s: deciding again got %s, %v; want nothing", what, show(again), err)
			}
		}
		for it, d := range done {
			if a := w.FollowUps.ActionItems[it]; a.Done != d || (!d && a.DoneBy != "") {
				t.Fatalf("%s: got item %+v, want done=%v", what, *a, d)
			}
		}
	}
	if replayed := (domain.Workshop{}).Fold(log...); !reflect.DeepEqual(replayed, w) {
		t.Errorf("got %+v replaying the log, want the state evolved step by step %+v", replayed, w)
	}
	for _, outcome := range []string{"followup.action_item_done.v1", "followup.action_item_reopened.v1", "no-op"} {
		if seen[outcome] == 0 {
			t.Errorf("got no %q in 2000 steps (seen %v), want the test to reach it", outcome, seen)
		}
	}
}

func TestCancellationWithdrawsVotes(t *testing.T) {
	w := domain.Workshop{}.Fold(history(withTopics(), cancelled("a"))...)
	if got := w.FollowUps.Voters("k1"); got != 1 {
		t.Errorf("got %d voters of k1 after a cancelled, want 1 (b)", got)
	}
}
