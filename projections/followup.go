package projections

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// FollowUpTopics builds what the closing discussion and the planning of the next meeting read:
// each workshop's topics ranked by distinct voters with their votes, the series' backlog with
// status and provenance, and the action items per series, person or organisation. It keeps the
// series and days of every workshop itself, because series views span workshops and each
// model moves at its own checkpoint. Registrations appear by id; readers join names from
// Registrations.
type FollowUpTopics struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (FollowUpTopics) Name() string { return "followups.v1" }

// Apply writes the rows that follow from e.
func (FollowUpTopics) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	change := func(id domain.TopicID, c TopicChange) {
		c.Seq, c.At = r.Seq, r.At
		tx.PutTopicChange(w, id, c)
	}
	switch e := r.Event.(type) {
	case domain.WorkshopScheduled:
		tx.PutFollowUpBoard(w, e.Series, e.Days)
	case domain.RegistrationCancelled:
		tx.SetVotes(w, e.RegistrationID, nil) // as in the domain: only confirmed people vote
	case domain.TopicProposed:
		tx.PutTopic(TopicRow{Workshop: w, ID: e.TopicID, Ordinal: r.Seq, Title: e.Title, Description: e.Description,
			Source: e.Source, ProposedBy: e.ProposedBy, ProposedAt: r.At})
		change(e.TopicID, TopicChange{Kind: ChangeProposed, Status: domain.TopicOpen})
	case domain.VotesCast:
		tx.SetVotes(w, e.RegistrationID, e.Topics)
	case domain.TopicVotingOpened:
		tx.SetVoting(w, domain.VotingOpen)
	case domain.TopicVotingClosed:
		tx.SetVoting(w, domain.VotingClosed)
	case domain.VoteLimitSet:
		tx.SetVoteLimit(w, e.Limit)
	case domain.TopicsMerged:
		tx.MergeTopic(w, e.TopicID, e.Into, e.Moved, e.Returned)
		change(e.TopicID, TopicChange{Kind: ChangeMergedInto, Status: domain.TopicMerged, Other: e.Into})
		change(e.Into, TopicChange{Kind: ChangeMergedFrom, Other: e.TopicID})
	case domain.TopicStatusChanged:
		tx.SetTopicStatus(w, e.TopicID, e.Status, e.Link)
		change(e.TopicID, TopicChange{Kind: ChangeStatus, Status: e.Status, Link: e.Link})
	case domain.ActionItemAgreed:
		tx.PutActionItem(ActionItemRow{Workshop: w, ID: e.ActionItemID, Ordinal: r.Seq, What: e.What, Who: e.Who,
			DueBy: e.DueBy, AgreedAt: r.At})
	case domain.ActionItemDone:
		tx.CloseActionItem(w, e.ActionItemID, e.By, r.At)
	case domain.ActionItemReopened:
		tx.ReopenActionItem(w, e.ActionItemID)
	}
	return nil
}

// TopicRow is a topic as proposed. Ordinal orders topics of equal rank (the sequence that
// proposed it).
type TopicRow struct {
	Workshop    domain.WorkshopID
	ID          domain.TopicID
	Ordinal     uint64
	Title       string
	Description string
	Source      domain.TopicSource
	ProposedBy  domain.RegistrationID
	ProposedAt  time.Time
}

// ActionItemRow is an action item as agreed.
type ActionItemRow struct {
	Workshop domain.WorkshopID
	ID       domain.ActionItemID
	Ordinal  uint64
	What     string
	Who      domain.ActionOwner
	DueBy    domain.Day
	AgreedAt time.Time
}

// Kinds of entries in a topic's history.
const (
	ChangeProposed   = "proposed"
	ChangeStatus     = "status"
	ChangeMergedInto = "merged_into" // Other is the topic it went into
	ChangeMergedFrom = "merged_from" // Other is the topic that came in
)

// TopicChange is one entry of a topic's history. Seq, Kind and Other identify it.
type TopicChange struct {
	Seq    uint64             `json:"-"`
	At     time.Time          `json:"at"`
	Kind   string             `json:"kind"`
	Status domain.TopicStatus `json:"status,omitempty"`
	Link   *domain.TopicLink  `json:"link,omitempty"`
	Other  domain.TopicID     `json:"topic_id,omitempty"`
}

// FollowUpRows are the rows of FollowUpTopics. Operations on a board, topic or item that does
// not exist do nothing.
type FollowUpRows interface {
	// PutFollowUpBoard records a workshop's board: voting not open, domain.DefaultVoteLimit.
	PutFollowUpBoard(w domain.WorkshopID, series string, days []domain.Day)
	SetVoting(w domain.WorkshopID, v domain.Voting)
	SetVoteLimit(w domain.WorkshopID, limit int)
	// PutTopic records an open topic.
	PutTopic(t TopicRow)
	// SetVotes replaces a voter's topics; an empty list removes them.
	SetVotes(w domain.WorkshopID, r domain.RegistrationID, topics []domain.TopicID)
	// MergeTopic marks from merged into into, moves the votes of moved to into and removes
	// those of returned from from.
	MergeTopic(w domain.WorkshopID, from, into domain.TopicID, moved, returned []domain.RegistrationID)
	SetTopicStatus(w domain.WorkshopID, id domain.TopicID, s domain.TopicStatus, link *domain.TopicLink)
	// PutTopicChange records a history entry, replacing one with the same Seq, Kind and Other.
	PutTopicChange(w domain.WorkshopID, id domain.TopicID, c TopicChange)
	PutActionItem(a ActionItemRow)
	CloseActionItem(w domain.WorkshopID, id domain.ActionItemID, by domain.RegistrationID, at time.Time)
	// ReopenActionItem makes a done item open again and forgets when and by whom it was
	// closed: the view shows the item as it stands, the log keeps what happened.
	ReopenActionItem(w domain.WorkshopID, id domain.ActionItemID)
}

// FollowUpReader reads follow-ups.
type FollowUpReader interface {
	// FollowUps returns a workshop's board, or domain.ErrWorkshopNotFound.
	FollowUps(ctx context.Context, w domain.WorkshopID) (FollowUpBoard, error)
	// SeriesTopics returns the topics of every workshop of series, merged ones included, in
	// RankTopics order; none for the empty series.
	SeriesTopics(ctx context.Context, series string) ([]TopicView, error)
	// ActionItems returns the items that f selects, in SortActionItems order.
	ActionItems(ctx context.Context, f ActionItemFilter) ([]ActionItemView, error)
}

// FollowUpBoard is what a workshop's closing discussion shows. Topics are in RankTopics order;
// Votes holds each voter's topics.
type FollowUpBoard struct {
	Workshop  domain.WorkshopID
	Series    string
	Days      []domain.Day
	Voting    domain.Voting
	VoteLimit int
	Topics    []TopicView
	Votes     map[domain.RegistrationID][]domain.TopicID
}

// TopicView is a topic with its rank, status and provenance. FirstDay is its workshop's.
type TopicView struct {
	Workshop    domain.WorkshopID
	FirstDay    domain.Day
	ID          domain.TopicID
	Ordinal     uint64
	Title       string
	Description string
	Source      domain.TopicSource
	ProposedBy  domain.RegistrationID
	ProposedAt  time.Time
	Status      domain.TopicStatus
	Link        *domain.TopicLink
	MergedInto  domain.TopicID
	// MergedFrom lists the topics merged into this one, in merge order (from History).
	MergedFrom []domain.TopicID
	// Voters counts distinct people: after a merge nobody counts twice.
	Voters  int
	History []TopicChange // by sequence
}

// ActionItemFilter selects action items: of one workshop or of every workshop of a series,
// optionally only open ones, of one registration or of one organisation. It selects nothing
// without a workshop or series.
type ActionItemFilter struct {
	Workshop     domain.WorkshopID
	Series       string
	OpenOnly     bool
	Registration domain.RegistrationID
	Organisation string
}

// ActionItemView is an action item with its workshop's series and first day. DoneAt is zero
// while it is open.
type ActionItemView struct {
	Workshop domain.WorkshopID
	Series   string
	FirstDay domain.Day
	ID       domain.ActionItemID
	Ordinal  uint64
	What     string
	Who      domain.ActionOwner
	DueBy    domain.Day
	AgreedAt time.Time
	Done     bool
	DoneAt   time.Time
	DoneBy   domain.RegistrationID
}

// Selects reports whether f selects item a.
func (f ActionItemFilter) Selects(a ActionItemView) bool {
	return (f.Workshop != "" || f.Series != "") && (f.Workshop == "" || a.Workshop == f.Workshop) &&
		(f.Series == "" || a.Series == f.Series) && (!f.OpenOnly || !a.Done) &&
		(f.Registration == "" || a.Who.RegistrationID == f.Registration) &&
		(f.Organisation == "" || a.Who.Organisation == f.Organisation)
}

// RankTopics orders topics by distinct voters (most first), merged ones last, then by their
// workshop's first day and the order they were proposed in; it normalises each topic.
func RankTopics(ts []TopicView) {
	for i := range ts {
		ts[i].normalise()
	}
	slices.SortFunc(ts, func(a, b TopicView) int {
		am, bm := a.Status == domain.TopicMerged, b.Status == domain.TopicMerged
		if am != bm {
			if am {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Voters, a.Voters), cmp.Compare(a.FirstDay, b.FirstDay),
			cmp.Compare(a.Ordinal, b.Ordinal), cmp.Compare(a.ID, b.ID))
	})
}

// normalise sorts the history, makes times UTC and derives MergedFrom from the history, so that
// stores need not keep it twice.
func (t *TopicView) normalise() {
	t.ProposedAt = t.ProposedAt.UTC()
	kinds := []string{ChangeProposed, ChangeMergedInto, ChangeMergedFrom, ChangeStatus}
	slices.SortFunc(t.History, func(a, b TopicChange) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(slices.Index(kinds, a.Kind), slices.Index(kinds, b.Kind)),
			cmp.Compare(a.Other, b.Other))
	})
	t.MergedFrom = nil
	for i, c := range t.History {
		t.History[i].At = c.At.UTC()
		if c.Kind == ChangeMergedFrom {
			t.MergedFrom = append(t.MergedFrom, c.Other)
		}
	}
}

// SortActionItems orders items by their workshop's first day, then the order they were agreed
// in, and makes times UTC.
func SortActionItems(items []ActionItemView) {
	for i := range items {
		items[i].AgreedAt, items[i].DoneAt = items[i].AgreedAt.UTC(), items[i].DoneAt.UTC()
	}
	slices.SortFunc(items, func(a, b ActionItemView) int {
		return cmp.Or(cmp.Compare(a.FirstDay, b.FirstDay), cmp.Compare(a.Workshop, b.Workshop),
			cmp.Compare(a.Ordinal, b.Ordinal), cmp.Compare(a.ID, b.ID))
	})
}

// NextInSeries returns the workshop of w's series whose first day comes next after w's: the
// one that inherits w's open topics and action items. It reports false when there is none.
func NextInSeries(ctx context.Context, r Reader, w WorkshopView) (WorkshopView, bool, error) {
	if w.Series == "" || len(w.Days) == 0 {
		return WorkshopView{}, false, nil
	}
	all, err := r.Workshops(ctx) // ordered by first day
	if err != nil {
		return WorkshopView{}, false, err
	}
	for _, o := range all {
		if o.Series == w.Series && len(o.Days) > 0 && o.Days[0] > w.Days[0] {
			return o, true, nil
		}
	}
	return WorkshopView{}, false, nil
}
