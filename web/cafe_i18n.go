package web

import (
	"errors"

	"github.com/werkstatt/werkstatt/domain"
)

// cafeRules are the theme-café rules a form may run into, each with the message of its code.
// They come before the general rules: most are conflicts, which those would only call "does not
// fit".
var cafeRules = []*domain.Rule{
	domain.ErrTableNotFound,
	domain.ErrNotThemeCafe,
	domain.ErrNoTables,
	domain.ErrAlreadyHosting,
	domain.ErrCollectionClosed,
	domain.ErrNoPlan,
	domain.ErrPlanOutdated,
	domain.ErrNotTableHost,
	domain.ErrNotConfirmedForCafe,
	domain.ErrTableFull,
	domain.ErrTableVisited,
	domain.ErrHostSeated,
}

// cafeFieldMessages are the messages of café fields, first match wins. The field matters: a
// table named twice is not a day named twice.
var cafeFieldMessages = []fieldMessage{
	{"rounds", domain.CodeOutOfRange, "ErrRounds"},
	{"capacity", domain.CodeOutOfRange, "ErrTableCapacity"},
	{"host", domain.CodeEitherOr, "ErrHostTwice"},
	{"ranking", domain.CodeTooMany, "ErrRankingTooLong"},
	{"ranking", domain.CodeNamedTwice, "ErrTableTwice"},
	{"round", domain.CodeOutOfRange, "ErrRound"},
	{"key_points", domain.CodeTooMany, "ErrTooManyItems"},
	{"examples", domain.CodeTooMany, "ErrTooManyItems"},
	{"open_questions", domain.CodeTooMany, "ErrTooManyItems"},
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
	if msg, ok := t.ruleMessage(err, cafeRules); ok {
		f.Message = msg
		return true
	}
	if errors.Is(err, domain.ErrRegistrationNotFound) {
		f.Message = t.T("ErrNotInPlan") // in a café: a registration the plan does not know
		return true
	}
	return f.rejected(t, err)
}

// cafeFieldMessage is the message of the first café rule that e breaks.
func cafeFieldMessage(e domain.FieldError) (string, bool) {
	for _, m := range cafeFieldMessages {
		if e.Field == m.field && e.Code == m.code {
			return m.message, true
		}
	}
	return "", false
}
