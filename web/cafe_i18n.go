package web

import (
	"errors"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// cafeRuleMessages names the message of each theme-café rule a form may run into. They come
// before the general rules: most are conflicts, which those would only call "does not fit".
var cafeRuleMessages = []struct {
	err     error
	message string
}{
	{domain.ErrTableNotFound, "ErrTableNotFound"},
	{domain.ErrNotThemeCafe, "ErrNotThemeCafe"},
	{domain.ErrNoTables, "ErrNoTables"},
	{domain.ErrAlreadyHosting, "ErrAlreadyHosting"},
	{domain.ErrCollectionClosed, "ErrCollectionClosed"},
	{domain.ErrNoPlan, "ErrNoPlan"},
	{domain.ErrPlanOutdated, "ErrPlanOutdated"},
	{domain.ErrNotTableHost, "ErrNotTableHost"},
	{domain.ErrNotConfirmedForCafe, "ErrNotConfirmedForCafe"},
	{domain.ErrTableFull, "ErrTableFull"},
	{domain.ErrTableVisited, "ErrTableVisited"},
	{domain.ErrHostSeated, "ErrHostSeated"},
	{domain.ErrRegistrationNotFound, "ErrNotInPlan"},
}

// cafeFieldRules maps the domain's details of café fields to messages, first match wins. The
// field matters: "is named twice" is about a table here, not about a day.
var cafeFieldRules = []struct {
	field, contains, message string
}{
	{"rounds", "must be between", "ErrRounds"},
	{"capacity", "must be between", "ErrTableCapacity"},
	{"host", "not both", "ErrHostTwice"},
	{"ranking", "must name at most", "ErrRankingTooLong"},
	{"ranking", "is named twice", "ErrTableTwice"},
	{"ranking", "is not a table", "ErrNoSuchTable"},
	{"table", "is not a table", "ErrNoSuchTable"},
	{"round", "must be between", "ErrRound"},
	{"key_points", "at most", "ErrTooManyItems"},
	{"examples", "at most", "ErrTooManyItems"},
	{"open_questions", "at most", "ErrTooManyItems"},
}

// rejectedInCafe is rejected for the café's forms: it says the café's rules in the page's
// language and leaves the rest to rejected.
func (f *form) rejectedInCafe(t texts, err error) bool {
	var fe domain.FieldErrors
	if errors.As(err, &fe) {
		f.Errors = t.fieldErrors(fe)
		for _, e := range fe {
			if msg, ok := cafeFieldMessage(e); ok {
				f.Errors[e.Field] = t.T(msg, "Max", domain.MaxRounds, "Ranks", domain.MaxRanking)
			}
		}
		f.Message = t.T("ErrForm")
		return true
	}
	for _, r := range cafeRuleMessages {
		if errors.Is(err, r.err) {
			f.Message = t.T(r.message)
			return true
		}
	}
	return f.rejected(t, err)
}

// cafeFieldMessage is the message of the first café rule that e breaks.
func cafeFieldMessage(e domain.FieldError) (string, bool) {
	for _, r := range cafeFieldRules {
		if e.Field == r.field && strings.Contains(e.Detail, r.contains) {
			return r.message, true
		}
	}
	return "", false
}
