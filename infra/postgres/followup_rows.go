package postgres

import (
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// followUpStatements are the SQL of the follow-ups' row operations (followups.v1).
type followUpStatements struct {
	putBoard, setVoting, setVoteLimit                string
	putTopic, setStatus, markMerged, putChange       string
	putVotes, deleteVotes, moveVotes, returnVotes    string
	deleteEmptyVotes, putActionItem, closeActionItem string
	reopenActionItem                                 string
}

// newFollowUpStatements builds the statements; q puts them into a generation schema.
func newFollowUpStatements(q func(string) string) followUpStatements {
	return followUpStatements{
		putBoard: q(`INSERT INTO rm.followup_boards (workshop, series, first_day, days, voting, vote_limit)
			VALUES ($1, $2, $3, $4, 'not_open', $5) ON CONFLICT DO NOTHING`),
		setVoting:    q(`UPDATE rm.followup_boards SET voting = $2 WHERE workshop = $1`),
		setVoteLimit: q(`UPDATE rm.followup_boards SET vote_limit = $2 WHERE workshop = $1`),

		putTopic: q(`INSERT INTO rm.followup_topics (workshop, id, ordinal, title, description, source_kind, source_session,
			source_table, proposed_by, proposed_at, status, link, merged_into)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', NULL, '') ON CONFLICT (workshop, id) DO UPDATE SET
			ordinal = $3, title = $4, description = $5, source_kind = $6, source_session = $7, source_table = $8,
			proposed_by = $9, proposed_at = $10, status = 'open', link = NULL, merged_into = ''`),
		setStatus:  q(`UPDATE rm.followup_topics SET status = $3, link = $4 WHERE workshop = $1 AND id = $2`),
		markMerged: q(`UPDATE rm.followup_topics SET status = 'merged', link = NULL, merged_into = $3 WHERE workshop = $1 AND id = $2`),
		putChange: q(`INSERT INTO rm.followup_topic_history (workshop, topic, seq, kind, other, status, link, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (workshop, topic, seq, kind, other) DO UPDATE SET
			status = $6, link = $7, at = $8`),

		putVotes: q(`INSERT INTO rm.followup_votes (workshop, registration, topics) VALUES ($1, $2, $3)
			ON CONFLICT (workshop, registration) DO UPDATE SET topics = $3`),
		deleteVotes: q(`DELETE FROM rm.followup_votes WHERE workshop = $1 AND registration = $2`),
		moveVotes: q(`UPDATE rm.followup_votes SET topics = array_replace(topics, $2::text, $3::text)
			WHERE workshop = $1 AND registration = ANY ($4::text[])`),
		returnVotes: q(`UPDATE rm.followup_votes SET topics = array_remove(topics, $2::text)
			WHERE workshop = $1 AND registration = ANY ($3::text[])`),
		deleteEmptyVotes: q(`DELETE FROM rm.followup_votes WHERE workshop = $1 AND cardinality(topics) = 0`),

		putActionItem: q(`INSERT INTO rm.followup_action_items (workshop, id, ordinal, what, who_registration,
			who_organisation, due_by, agreed_at, done, done_at, done_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, NULL, '')
			ON CONFLICT (workshop, id) DO UPDATE SET ordinal = $3, what = $4, who_registration = $5, who_organisation = $6,
			due_by = $7, agreed_at = $8, done = false, done_at = NULL, done_by = ''`),
		closeActionItem: q(`UPDATE rm.followup_action_items SET done = true, done_at = $3, done_by = $4 WHERE workshop = $1 AND id = $2`),
		reopenActionItem: q(`UPDATE rm.followup_action_items SET done = false, done_at = NULL, done_by = ''
			WHERE workshop = $1 AND id = $2`),
	}
}

func (r *rowQueue) PutFollowUpBoard(w domain.WorkshopID, series string, days []domain.Day) {
	first := domain.Day("")
	for _, d := range days {
		if first == "" || d < first {
			first = d
		}
	}
	r.b.Queue(r.q.followUp.putBoard, w, series, first, days, domain.DefaultVoteLimit)
}

func (r *rowQueue) SetVoting(w domain.WorkshopID, v domain.Voting) {
	r.b.Queue(r.q.followUp.setVoting, w, v)
}

func (r *rowQueue) SetVoteLimit(w domain.WorkshopID, limit int) {
	r.b.Queue(r.q.followUp.setVoteLimit, w, limit)
}

func (r *rowQueue) PutTopic(t projections.TopicRow) {
	r.b.Queue(r.q.followUp.putTopic, t.Workshop, t.ID, int64(t.Ordinal), t.Title, t.Description, t.Source.Kind,
		t.Source.SessionID, t.Source.TableID, t.ProposedBy, t.ProposedAt)
}

func (r *rowQueue) SetVotes(w domain.WorkshopID, reg domain.RegistrationID, topics []domain.TopicID) {
	if len(topics) == 0 {
		r.b.Queue(r.q.followUp.deleteVotes, w, reg)
		return
	}
	r.b.Queue(r.q.followUp.putVotes, w, reg, topics)
}

func (r *rowQueue) MergeTopic(w domain.WorkshopID, from, into domain.TopicID, moved, returned []domain.RegistrationID) {
	f := r.q.followUp
	r.b.Queue(f.markMerged, w, from, into)
	r.b.Queue(f.moveVotes, w, from, into, registrationIDs(moved))
	r.b.Queue(f.returnVotes, w, from, registrationIDs(returned))
	r.b.Queue(f.deleteEmptyVotes, w)
}

// registrationIDs makes an absent list an empty array: a nil slice would be NULL.
func registrationIDs(ids []domain.RegistrationID) []domain.RegistrationID {
	if ids == nil {
		return []domain.RegistrationID{}
	}
	return ids
}

func (r *rowQueue) SetTopicStatus(w domain.WorkshopID, id domain.TopicID, s domain.TopicStatus, link *domain.TopicLink) {
	r.b.Queue(r.q.followUp.setStatus, w, id, s, link)
}

func (r *rowQueue) PutTopicChange(w domain.WorkshopID, id domain.TopicID, c projections.TopicChange) {
	r.b.Queue(r.q.followUp.putChange, w, id, int64(c.Seq), c.Kind, c.Other, c.Status, c.Link, c.At)
}

func (r *rowQueue) PutActionItem(a projections.ActionItemRow) {
	r.b.Queue(r.q.followUp.putActionItem, a.Workshop, a.ID, int64(a.Ordinal), a.What, a.Who.RegistrationID,
		a.Who.Organisation, a.DueBy, a.AgreedAt)
}

func (r *rowQueue) CloseActionItem(w domain.WorkshopID, id domain.ActionItemID, by domain.RegistrationID, at time.Time) {
	r.b.Queue(r.q.followUp.closeActionItem, w, id, at, by)
}

func (r *rowQueue) ReopenActionItem(w domain.WorkshopID, id domain.ActionItemID) {
	r.b.Queue(r.q.followUp.reopenActionItem, w, id)
}
