package projections

import (
	"context"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// followUpRows are the rows of one workshop's follow-ups in a Memory store.
type followUpRows struct {
	series string
	days   []domain.Day
	voting domain.Voting
	limit  int
	topics map[domain.TopicID]*topicRow
	votes  map[domain.RegistrationID][]domain.TopicID
	items  map[domain.ActionItemID]*actionItemRow
}

type topicRow struct {
	row        TopicRow
	status     domain.TopicStatus
	link       *domain.TopicLink
	mergedInto domain.TopicID
	history    map[changeKey]TopicChange
}

type changeKey struct {
	seq   uint64
	kind  string
	other domain.TopicID
}

type actionItemRow struct {
	row    ActionItemRow
	done   bool
	doneAt time.Time
	doneBy domain.RegistrationID
}

func (t memoryTx) board(w domain.WorkshopID) (*followUpRows, bool) {
	b, ok := t.m.followUps[w]
	return b, ok
}

func (t memoryTx) PutFollowUpBoard(w domain.WorkshopID, series string, days []domain.Day) {
	if _, ok := t.board(w); !ok {
		t.m.followUps[w] = &followUpRows{series: series, days: slices.Clone(days), voting: domain.VotingNotOpen,
			limit: domain.DefaultVoteLimit, topics: map[domain.TopicID]*topicRow{},
			votes: map[domain.RegistrationID][]domain.TopicID{}, items: map[domain.ActionItemID]*actionItemRow{}}
	}
}

func (t memoryTx) SetVoting(w domain.WorkshopID, v domain.Voting) {
	if b, ok := t.board(w); ok {
		b.voting = v
	}
}

func (t memoryTx) SetVoteLimit(w domain.WorkshopID, limit int) {
	if b, ok := t.board(w); ok {
		b.limit = limit
	}
}

func (t memoryTx) PutTopic(r TopicRow) {
	if b, ok := t.board(r.Workshop); ok {
		b.topics[r.ID] = &topicRow{row: r, status: domain.TopicOpen, history: map[changeKey]TopicChange{}}
	}
}

func (t memoryTx) SetVotes(w domain.WorkshopID, r domain.RegistrationID, topics []domain.TopicID) {
	if b, ok := t.board(w); ok {
		if len(topics) == 0 {
			delete(b.votes, r)
		} else {
			b.votes[r] = slices.Clone(topics)
		}
	}
}

func (t memoryTx) MergeTopic(w domain.WorkshopID, from, into domain.TopicID, moved, returned []domain.RegistrationID) {
	b, ok := t.board(w)
	if !ok {
		return
	}
	if tr, ok := b.topics[from]; ok {
		tr.status, tr.mergedInto, tr.link = domain.TopicMerged, into, nil
	}
	for _, r := range moved {
		if ts, ok := b.votes[r]; ok {
			b.votes[r] = replaceAll(ts, from, into)
		}
	}
	for _, r := range returned {
		if ts := slices.DeleteFunc(slices.Clone(b.votes[r]), func(x domain.TopicID) bool { return x == from }); len(ts) == 0 {
			delete(b.votes, r)
		} else {
			b.votes[r] = ts
		}
	}
}

func replaceAll(ts []domain.TopicID, old, new domain.TopicID) []domain.TopicID {
	out := slices.Clone(ts)
	for i, x := range out {
		if x == old {
			out[i] = new
		}
	}
	return out
}

func (t memoryTx) SetTopicStatus(w domain.WorkshopID, id domain.TopicID, s domain.TopicStatus, link *domain.TopicLink) {
	if b, ok := t.board(w); ok {
		if tr, ok := b.topics[id]; ok {
			tr.status, tr.link = s, cloneTopicLink(link)
		}
	}
}

func cloneTopicLink(l *domain.TopicLink) *domain.TopicLink {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}

func (t memoryTx) PutTopicChange(w domain.WorkshopID, id domain.TopicID, c TopicChange) {
	if b, ok := t.board(w); ok {
		if tr, ok := b.topics[id]; ok {
			c.Link = cloneTopicLink(c.Link)
			tr.history[changeKey{c.Seq, c.Kind, c.Other}] = c
		}
	}
}

func (t memoryTx) PutActionItem(a ActionItemRow) {
	if b, ok := t.board(a.Workshop); ok {
		b.items[a.ID] = &actionItemRow{row: a}
	}
}

func (t memoryTx) CloseActionItem(w domain.WorkshopID, id domain.ActionItemID, by domain.RegistrationID, at time.Time) {
	if b, ok := t.board(w); ok {
		if it, ok := b.items[id]; ok {
			it.done, it.doneAt, it.doneBy = true, at, by
		}
	}
}

func (t memoryTx) ReopenActionItem(w domain.WorkshopID, id domain.ActionItemID) {
	if b, ok := t.board(w); ok {
		if it, ok := b.items[id]; ok {
			it.done, it.doneAt, it.doneBy = false, time.Time{}, ""
		}
	}
}

// FollowUps returns a workshop's board.
func (m *Memory) FollowUps(_ context.Context, w domain.WorkshopID) (FollowUpBoard, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.followUps[w]
	if !ok {
		return FollowUpBoard{}, domain.ErrWorkshopNotFound
	}
	v := FollowUpBoard{Workshop: w, Series: b.series, Days: slices.Clone(b.days), Voting: b.voting, VoteLimit: b.limit,
		Topics: b.topicViews(w), Votes: make(map[domain.RegistrationID][]domain.TopicID, len(b.votes))}
	for r, ts := range b.votes {
		v.Votes[r] = slices.Clone(ts)
	}
	RankTopics(v.Topics)
	return v, nil
}

func (b *followUpRows) topicViews(w domain.WorkshopID) []TopicView {
	voters := map[domain.TopicID]int{}
	for _, ts := range b.votes {
		for _, x := range ts {
			voters[x]++
		}
	}
	views := make([]TopicView, 0, len(b.topics))
	for _, tr := range b.topics {
		r := tr.row
		v := TopicView{Workshop: w, FirstDay: firstDay(b.days), ID: r.ID, Ordinal: r.Ordinal, Title: r.Title,
			Description: r.Description, Source: r.Source, ProposedBy: r.ProposedBy, ProposedAt: r.ProposedAt,
			Status: tr.status, Link: cloneTopicLink(tr.link), MergedInto: tr.mergedInto, Voters: voters[r.ID]}
		for _, c := range tr.history {
			c.Link = cloneTopicLink(c.Link)
			v.History = append(v.History, c)
		}
		views = append(views, v)
	}
	return views
}

// SeriesTopics returns the topics of every workshop of series.
func (m *Memory) SeriesTopics(_ context.Context, series string) ([]TopicView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	views := []TopicView{}
	for w, b := range m.followUps {
		if series != "" && b.series == series {
			views = append(views, b.topicViews(w)...)
		}
	}
	RankTopics(views)
	return views, nil
}

// ActionItems returns the items f selects.
func (m *Memory) ActionItems(_ context.Context, f ActionItemFilter) ([]ActionItemView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	items := []ActionItemView{}
	for w, b := range m.followUps {
		for _, it := range b.items {
			r := it.row
			v := ActionItemView{Workshop: w, Series: b.series, FirstDay: firstDay(b.days), ID: r.ID, Ordinal: r.Ordinal,
				What: r.What, Who: r.Who, DueBy: r.DueBy, AgreedAt: r.AgreedAt, Done: it.done, DoneAt: it.doneAt, DoneBy: it.doneBy}
			if f.Selects(v) {
				items = append(items, v)
			}
		}
	}
	SortActionItems(items)
	return items, nil
}
