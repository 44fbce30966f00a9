package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Registration questions ("Anmeldefragen") are the organiser's own fields of a workshop's
// registration form, such as the sector a person works in. They are not the feedback
// questionnaires of feedback.go: they are answered once, when registering, and the reports
// count the answers. The organiser sets the whole list at once; changing it never invalidates
// what people answered before: answers to a removed question stay in the log but are no longer
// shown, and a required question added later binds only later registrations.

// RegistrationQuestionKind is how a registration question is answered.
type RegistrationQuestionKind string

const (
	// AskText is answered in the person's words. The answer may identify them: it is sealed
	// with their personal data and forgotten on erasure.
	AskText RegistrationQuestionKind = "text"
	// AskChoice is answered with exactly one of the options.
	AskChoice RegistrationQuestionKind = "choice"
	// AskYesNo is answered yes or no.
	AskYesNo RegistrationQuestionKind = "yes_no"
)

// RegistrationQuestionKinds lists every kind in the order forms offer them.
var RegistrationQuestionKinds = []RegistrationQuestionKind{AskChoice, AskYesNo, AskText}

// Limits of the registration questions and their answers.
const (
	MaxRegistrationQuestions  = 20
	MaxRegistrationOptions    = 20
	maxRegistrationQuestionID = 40
)

// The stored answers of a yes/no question.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
)

// RegistrationQuestion is one field of the registration form. Options are set exactly for
// choice questions; an answer to a choice question is the text of one option.
type RegistrationQuestion struct {
	ID       string                   `json:"id"`
	Label    string                   `json:"label"`
	Kind     RegistrationQuestionKind `json:"kind"`
	Options  []string                 `json:"options,omitempty"`
	Required bool                     `json:"required,omitempty"`
}

// Counted reports whether the reports count the answers of q: choice and yes/no answers are
// categories, text answers are not.
func (q RegistrationQuestion) Counted() bool { return q.Kind == AskChoice || q.Kind == AskYesNo }

// Choices are the answers a counted question can have, in the form's order: a choice
// question's options, or yes and no.
func (q RegistrationQuestion) Choices() []string {
	if q.Kind == AskYesNo {
		return []string{AnswerYes, AnswerNo}
	}
	return q.Options
}

// CloneRegistrationQuestions returns a deep copy of qs.
func CloneRegistrationQuestions(qs []RegistrationQuestion) []RegistrationQuestion {
	if qs == nil {
		return nil
	}
	out := slices.Clone(qs)
	for i := range out {
		out[i].Options = slices.Clone(out[i].Options)
	}
	return out
}

// RegistrationQuestionsSet records the workshop's registration questions as a whole, in the
// order of the form; an empty list removes them.
type RegistrationQuestionsSet struct {
	Questions []RegistrationQuestion `json:"questions"`
}

func (RegistrationQuestionsSet) Name() string { return "workshop.registration_questions_set.v1" }

var _ = register[RegistrationQuestionsSet]()

// SetRegistrationQuestions replaces the workshop's registration questions.
type SetRegistrationQuestions struct {
	Questions []RegistrationQuestion
}

// SetRegistrationQuestions decides the new list of registration questions. Setting the list it
// already has decides nothing.
func (w Workshop) SetRegistrationQuestions(c SetRegistrationQuestions) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	qs, err := checkRegistrationQuestions(c.Questions)
	if err != nil {
		return nil, err
	}
	if equalRegistrationQuestions(qs, w.RegistrationQuestions) {
		return nil, nil
	}
	return []Event{RegistrationQuestionsSet{Questions: qs}}, nil
}

// ValidRegistrationQuestionID reports whether id may name a registration question: 1 to 40
// letters, digits, '-' and '_', so that it serves as a JSON key and a form field alike.
func ValidRegistrationQuestionID(id string) bool {
	return ValidID(id) && utf8.RuneCountInString(id) <= maxRegistrationQuestionID
}

// checkRegistrationQuestions validates qs and returns them with trimmed texts, never nil.
func checkRegistrationQuestions(qs []RegistrationQuestion) ([]RegistrationQuestion, error) {
	var fe FieldErrors
	if len(qs) > MaxRegistrationQuestions {
		fe.add("questions", CodeTooMany, fmt.Sprintf("must hold at most %d questions", MaxRegistrationQuestions))
		return nil, fe.err()
	}
	out := CloneRegistrationQuestions(qs)
	if out == nil {
		out = []RegistrationQuestion{}
	}
	for i := range out {
		q := &out[i]
		field := fmt.Sprintf("questions[%d]", i)
		q.ID = strings.TrimSpace(q.ID)
		switch {
		case q.ID == "":
			fe.add(field+".id", CodeRequired, "must not be empty")
		case !ValidRegistrationQuestionID(q.ID):
			fe.add(field+".id", CodeNotAnID, fmt.Sprintf("must be 1 to %d letters, digits, '-' or '_'", maxRegistrationQuestionID))
		case slices.ContainsFunc(out[:i], func(x RegistrationQuestion) bool { return x.ID == q.ID }):
			fe.add(field+".id", CodeNamedTwice, fmt.Sprintf("%q is named twice", q.ID))
		}
		checkText(&fe, field+".label", q.Label, true, maxTitle)
		q.Label = strings.TrimSpace(q.Label)
		switch {
		case !slices.Contains(RegistrationQuestionKinds, q.Kind):
			fe.add(field+".kind", CodeNotInList, "must be one of choice, yes_no, text")
		case q.Kind == AskChoice && (len(q.Options) < 2 || len(q.Options) > MaxRegistrationOptions):
			fe.add(field+".options", CodeOutOfRange, fmt.Sprintf("a choice question needs between 2 and %d options", MaxRegistrationOptions))
		case q.Kind != AskChoice && len(q.Options) > 0:
			fe.add(field+".options", CodeNotAllowed, "only a choice question has options")
		}
		if len(q.Options) > MaxRegistrationOptions {
			continue
		}
		for j := range q.Options {
			of := fmt.Sprintf("%s.options[%d]", field, j)
			n := len(fe)
			checkText(&fe, of, q.Options[j], true, maxTitle)
			q.Options[j] = strings.TrimSpace(q.Options[j])
			if len(fe) == n && slices.Contains(q.Options[:j], q.Options[j]) {
				fe.add(of, CodeNamedTwice, fmt.Sprintf("%q is named twice", q.Options[j]))
			}
		}
	}
	return out, fe.err()
}

func equalRegistrationQuestions(a, b []RegistrationQuestion) bool {
	return slices.EqualFunc(a, b, func(x, y RegistrationQuestion) bool {
		return x.ID == y.ID && x.Label == y.Label && x.Kind == y.Kind && x.Required == y.Required &&
			slices.Equal(x.Options, y.Options)
	})
}

// checkRegistrationAnswers validates a registration's answers against the workshop's current
// questions: every key a question's id, a string for text and choice questions (one of the
// options for a choice), a bool for yes/no ones, every required question answered. It returns
// the answers to count, in clear (choice, and yes/no as AnswerYes or AnswerNo), and the text
// answers, which the caller seals with the person's data; unanswered questions are absent.
func (w Workshop) checkRegistrationAnswers(fe *FieldErrors, answers map[string]any) (clear, text map[string]string) {
	for _, id := range slices.Sorted(maps.Keys(answers)) {
		if !slices.ContainsFunc(w.RegistrationQuestions, func(q RegistrationQuestion) bool { return q.ID == id }) {
			field := "answers." + id
			if !ValidText(id, false) || utf8.RuneCountInString(id) > maxID {
				field = "answers"
			}
			fe.add(field, CodeNotAQuestion, fmt.Sprintf("%q is no registration question of this workshop", id))
		}
	}
	for _, q := range w.RegistrationQuestions {
		field := "answers." + q.ID
		v, given := answers[q.ID]
		switch v := v.(type) {
		case nil:
			given = false
		case string:
			if q.Kind == AskYesNo {
				fe.add(field, CodeWrongType, "must be true or false")
				continue
			}
			if strings.TrimSpace(v) == "" {
				given = false
				break
			}
			if q.Kind == AskText {
				n := len(*fe)
				checkProse(fe, field, v, false, maxText)
				if len(*fe) == n {
					text = put(text, q.ID, strings.TrimSpace(v))
				}
				continue
			}
			if !slices.Contains(q.Options, strings.TrimSpace(v)) {
				fe.add(field, CodeNotInList, fmt.Sprintf("must be one of %s", strings.Join(quoteAll(q.Options), ", ")))
				continue
			}
			clear = put(clear, q.ID, strings.TrimSpace(v))
			continue
		case bool:
			if q.Kind != AskYesNo {
				fe.add(field, CodeWrongType, "must be a string")
				continue
			}
			clear = put(clear, q.ID, map[bool]string{true: AnswerYes, false: AnswerNo}[v])
			continue
		default:
			if q.Kind == AskYesNo {
				fe.add(field, CodeWrongType, "must be true or false")
			} else {
				fe.add(field, CodeWrongType, "must be a string")
			}
			continue
		}
		if !given && q.Required {
			fe.add(field, CodeRequired, "must be answered")
		}
	}
	return clear, text
}

func put(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
