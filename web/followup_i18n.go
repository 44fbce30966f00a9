package web

import (
	"errors"

	"github.com/werkstatt/werkstatt/domain"
)

// followUpRules are the follow-up rules a form may run into, each with the message of its code.
// They come before the general rules: most are conflicts, which those would only call "does not
// fit".
var followUpRules = []*domain.Rule{
	domain.ErrTopicNotFound,
	domain.ErrActionItemNotFound,
	domain.ErrVotingNotOpen,
	domain.ErrOverVoteLimit,
	domain.ErrTopicMerged,
	domain.ErrNotLaterInSeries,
	domain.ErrNotActionOwner,
	domain.ErrTooManyFollowUps,
	domain.ErrNotConfirmedToAct,
}

// followUpFieldMessages are the messages of follow-up fields, first match wins; an empty code
// matches every rule of the field.
var followUpFieldMessages = []fieldMessage{
	{"limit", domain.CodeOutOfRange, "ErrVoteLimit"},
	{"who", domain.CodeEitherOr, "ErrWho"},
	{"status", domain.CodeNotInList, "ErrTopicStatus"},
	{"topic_ids", domain.CodeTopicMerged, "ErrTopicMerged"},
	{"topic_ids", "", "ErrTopicChoice"},
	{"source.kind", "", "ErrTopicSource"},
}

// rejectedFollowUp is rejected for the follow-up forms: it says the follow-up rules in the
// page's language and leaves the rest to rejected.
func (f *form) rejectedFollowUp(t texts, err error) bool {
	var fe domain.FieldErrors
	if errors.As(err, &fe) {
		f.Errors = t.fieldErrors(fe)
		for _, e := range fe {
			for _, m := range followUpFieldMessages {
				if e.Field == m.field && (m.code == "" || m.code == e.Code) {
					f.Errors[e.Field] = t.T(m.message, "Max", domain.MaxVoteLimit)
					break
				}
			}
		}
		f.Message = t.T("ErrForm")
		return true
	}
	if msg, ok := t.ruleMessage(err, followUpRules); ok {
		f.Message = msg
		return true
	}
	return f.rejected(t, err)
}
