package web

import (
	"errors"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// followUpRuleMessages names the message of each follow-up rule a form may run into. They come
// before the general rules: most are conflicts, which those would only call "does not fit".
var followUpRuleMessages = []struct {
	err     error
	message string
}{
	{domain.ErrTopicNotFound, "ErrTopicNotFound"},
	{domain.ErrActionItemNotFound, "ErrActionItemNotFound"},
	{domain.ErrVotingNotOpen, "ErrVotingNotOpen"},
	{domain.ErrOverVoteLimit, "ErrOverVoteLimit"},
	{domain.ErrTopicMerged, "ErrTopicMerged"},
	{domain.ErrNotLaterInSeries, "ErrNotLaterInSeries"},
	{domain.ErrNotActionOwner, "ErrNotActionOwner"},
	{domain.ErrTooManyFollowUps, "ErrTooManyFollowUps"},
	{domain.ErrNotConfirmedToAct, "ErrNotConfirmedToAct"},
}

// followUpFieldRules maps the domain's details of follow-up fields to messages, first match
// wins.
var followUpFieldRules = []struct {
	field, contains, message string
}{
	{"limit", "must be between", "ErrVoteLimit"},
	{"who", "either", "ErrWho"},
	{"into", "another topic", "ErrMergeSelf"},
	{"status", "must be one of", "ErrTopicStatus"},
	{"topic_ids", "merged", "ErrTopicMerged"},
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
			for _, r := range followUpFieldRules {
				if e.Field == r.field && strings.Contains(e.Detail, r.contains) {
					f.Errors[e.Field] = t.T(r.message, "Max", domain.MaxVoteLimit)
					break
				}
			}
		}
		f.Message = t.T("ErrForm")
		return true
	}
	for _, r := range followUpRuleMessages {
		if errors.Is(err, r.err) {
			f.Message = t.T(r.message)
			return true
		}
	}
	return f.rejected(t, err)
}
