package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's page of a workshop's registration questions ("Anmeldefragen"): one line per
// question (id, label, kind, options one per line, required), with a position to reorder and a
// box to remove it, and empty lines to add questions. Saving sets the whole list.

// blankQuestionRows is how many empty lines the page offers for new questions.
const blankQuestionRows = 2

// questionRow is one line of the page. Index is the question's place in the list the domain
// checked, which names its field errors ("questions[2].options"); -1 for an empty line.
type questionRow struct {
	Row, Index, Position int
	ID, Label, Options   string
	Kind                 domain.RegistrationQuestionKind
	Required             bool
}

type questionsPage struct {
	W     projections.WorkshopView
	Rows  []questionRow
	Kinds []domain.RegistrationQuestionKind
	Form  form
	Saved bool
}

func rowsOf(qs []domain.RegistrationQuestion) []questionRow {
	rows := make([]questionRow, 0, len(qs)+blankQuestionRows)
	for i, q := range qs {
		rows = append(rows, questionRow{Index: i, Position: i + 1, ID: q.ID, Label: q.Label, Kind: q.Kind,
			Options: strings.Join(q.Options, "\n"), Required: q.Required})
	}
	for range blankQuestionRows {
		rows = append(rows, questionRow{Index: -1, Position: len(rows) + 1, Kind: domain.AskChoice})
	}
	for i := range rows {
		rows[i].Row = i
	}
	return rows
}

func (s *site) registrationQuestions(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "registration-questions.html", "RegistrationQuestionsTitle", questionsPage{W: w,
		Rows: rowsOf(w.RegistrationQuestions), Kinds: domain.RegistrationQuestionKinds, Form: newForm(s), Saved: c.QueryParam("saved") == "1"})
}

// questionsOf reads the lines of the page into the list to set: empty lines and removed ones
// are left out, the others ordered by position (then by line).
func questionsOf(f form) []domain.RegistrationQuestion {
	n, _ := strconv.Atoi(f.V("rows"))
	n = min(max(n, 0), domain.MaxRegistrationQuestions+blankQuestionRows+1)
	type line struct {
		pos, row int
		q        domain.RegistrationQuestion
	}
	var lines []line
	for i := range n {
		p := "q" + strconv.Itoa(i) + "."
		q := domain.RegistrationQuestion{ID: f.V(p + "id"), Label: f.V(p + "label"),
			Kind: domain.RegistrationQuestionKind(f.V(p + "kind")), Required: f.V(p+"required") == "yes"}
		if f.V(p+"remove") == "yes" || strings.TrimSpace(q.ID) == "" && strings.TrimSpace(q.Label) == "" {
			continue
		}
		if q.Kind == domain.AskChoice {
			for _, o := range strings.Split(strings.ReplaceAll(f.V(p+"options"), "\r\n", "\n"), "\n") {
				if strings.TrimSpace(o) != "" {
					q.Options = append(q.Options, o)
				}
			}
		}
		pos, err := strconv.Atoi(strings.TrimSpace(f.V(p + "position")))
		if err != nil {
			pos = i + 1
		}
		lines = append(lines, line{pos, i, q})
	}
	slices.SortStableFunc(lines, func(a, b line) int { return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.row, b.row)) })
	qs := make([]domain.RegistrationQuestion, len(lines))
	for i, l := range lines {
		qs[i] = l.q
	}
	return qs
}

func (s *site) setRegistrationQuestions(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	qs := questionsOf(f)
	_, err = s.cmds.SetRegistrationQuestions(c.Request().Context(), w.ID, app.Op{Actor: actorOf(c)}, qs)
	if err == nil {
		return seeOther(c, "/organiser/workshops/"+string(w.ID)+"/registration-questions", "saved", "1")
	}
	if !f.rejected(s.texts(c), err) {
		return err
	}
	return s.render(c, http.StatusUnprocessableEntity, "registration-questions.html", "RegistrationQuestionsTitle",
		questionsPage{W: w, Rows: rowsOf(qs), Kinds: domain.RegistrationQuestionKinds, Form: f})
}

// registrationAnswersOf reads the answers to w's registration questions from the registration form: a
// text or a choice as sent, yes/no from its radio buttons (any other value goes on as sent, for
// the domain to refuse); an empty field is no answer.
func registrationAnswersOf(f form, qs []domain.RegistrationQuestion) map[string]any {
	answers := map[string]any{}
	for _, q := range qs {
		v := f.V("answers." + q.ID)
		switch {
		case v == "":
		case q.Kind == domain.AskYesNo && (v == domain.AnswerYes || v == domain.AnswerNo):
			answers[q.ID] = v == domain.AnswerYes
		default:
			answers[q.ID] = v
		}
	}
	return answers
}
