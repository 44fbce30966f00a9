package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's questionnaire pages: the feedback page lists the workshop's questionnaire and
// each session's, and a plain form edits one questionnaire's questions (rows q0_…, q1_…, and an
// empty row for a new question), saved through app.SetQuestionnaire as the API does.

// questionnaireLink is one questionnaire of the list on the feedback page.
type questionnaireLink struct {
	ID        domain.QuestionnaireID
	Heading   string
	Version   int // 0: not set yet
	Questions int
	Href      string
}

// questionnairePath is the organiser's address of a questionnaire's form.
func questionnairePath(w domain.WorkshopID, q domain.QuestionnaireID) string {
	return feedbackPath(w) + "/questionnaires/" + url.PathEscape(string(q))
}

// questionnaireLinks lists the workshop's questionnaire and each session's, set or not.
func questionnaireLinks(t texts, w domain.WorkshopID, agenda []domain.Session, current map[domain.QuestionnaireID]currentQuestionnaire) []questionnaireLink {
	out := []questionnaireLink{{ID: domain.WorkshopQuestionnaire, Heading: t.T("FeedbackAboutWorkshop")}}
	for _, s := range agenda {
		out = append(out, questionnaireLink{ID: domain.QuestionnaireFor(s.ID), Heading: t.T("FeedbackAboutSession", "Title", s.Title)})
	}
	for i := range out {
		out[i].Href = questionnairePath(w, out[i].ID)
		if q, ok := current[out[i].ID]; ok {
			out[i].Version, out[i].Questions = q.Version, len(q.Questions)
		}
	}
	return out
}

// currentQuestionnaire is the newest version of a questionnaire.
type currentQuestionnaire struct {
	Version   int
	Questions []domain.Question
}

func (s *site) currentQuestionnaires(c echo.Context, id domain.WorkshopID) (map[domain.QuestionnaireID]currentQuestionnaire, error) {
	fb, err := s.cfg.Reader.Feedback(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	return newestQuestionnaires(fb.Questionnaires), nil
}

// newestQuestionnaires keeps the newest version of each questionnaire.
func newestQuestionnaires(rows []projections.QuestionnaireRow) map[domain.QuestionnaireID]currentQuestionnaire {
	out := map[domain.QuestionnaireID]currentQuestionnaire{}
	for _, q := range rows {
		if cur, ok := out[q.ID]; !ok || q.Version >= cur.Version {
			out[q.ID] = currentQuestionnaire{Version: q.Version, Questions: q.Questions}
		}
	}
	return out
}

// questionnairePage is the form of one questionnaire.
type questionnairePage struct {
	questionnaireLink
	W     domainWorkshop
	Kinds []domain.QuestionKind
	Rows  []int // indexes of the form's rows: the questions, then one empty row
	Form  form
	Saved bool
}

// domainWorkshop is what the form's page shows of the workshop.
type domainWorkshop struct {
	ID    domain.WorkshopID
	Title string
}

// Row returns the field name of row i: q3_text_de.
func (questionnairePage) Row(i int, field string) string { return "q" + strconv.Itoa(i) + "_" + field }

func (s *site) questionnairePage(c echo.Context) (questionnairePage, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return questionnairePage{}, err
	}
	qid := domain.QuestionnaireID(c.Param("qid"))
	current, err := s.currentQuestionnaires(c, w.ID)
	if err != nil {
		return questionnairePage{}, err
	}
	t := s.texts(c)
	links := questionnaireLinks(t, w.ID, w.Agenda, current)
	i := slices.IndexFunc(links, func(l questionnaireLink) bool { return l.ID == qid })
	if i < 0 {
		return questionnairePage{}, domain.ErrQuestionnaireNotFound
	}
	p := questionnairePage{questionnaireLink: links[i], W: domainWorkshop{ID: w.ID, Title: w.Title},
		Kinds: domain.QuestionKinds, Form: newForm(s), Saved: c.QueryParam("saved") == "1"}
	qs := current[qid].Questions
	if p.Version == 0 && qid == domain.WorkshopQuestionnaire {
		qs = domain.DefaultQuestions() // what opening feedback would set
	}
	for n, q := range qs {
		row := func(f, v string) { p.Form.Values.Set(p.Row(n, f), v) }
		row("id", string(q.ID))
		row("no", strconv.Itoa(n+1))
		row("kind", string(q.Kind))
		row("text_de", q.Text.De)
		row("text_en", q.Text.En)
		if q.Required {
			row("required", "1")
		}
		var opts []string
		for _, o := range q.Options {
			opts = append(opts, t.local(o.Text))
		}
		row("options", strings.Join(opts, "\n"))
	}
	p.Rows = rows(len(qs) + 1)
	p.Form.Values.Set(p.Row(len(qs), "no"), strconv.Itoa(len(qs)+1))
	return p, nil
}

func rows(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func (s *site) showQuestionnaire(c echo.Context) error {
	return show(s, c, s.questionnairePage, "questionnaire.html", "QuestionnaireTitle")
}

// maxQuestionnaireRows bounds the rows a posted form may hold.
const maxQuestionnaireRows = domain.MaxQuestions + 1

// saveQuestionnaire sets the questions of the form: rows without id and text are skipped,
// removed rows dropped, the rest ordered by their number.
func (s *site) saveQuestionnaire(c echo.Context) error {
	p, err := s.questionnairePage(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t := s.texts(c)
	old := map[domain.QuestionID]domain.Question{}
	for _, q := range domain.DefaultQuestions() {
		old[q.ID] = q
	}
	current, err := s.currentQuestionnaires(c, p.W.ID)
	if err != nil {
		return err
	}
	for _, q := range current[p.ID].Questions {
		old[q.ID] = q
	}
	type row struct {
		index, no int
		q         domain.Question
	}
	var picked []row
	n := 0
	for i := range maxQuestionnaireRows {
		v := func(field string) string { return f.V(p.Row(i, field)) }
		if _, ok := f.Values[p.Row(i, "no")]; !ok {
			continue
		}
		n = max(n, i+1)
		id := domain.QuestionID(strings.TrimSpace(v("id")))
		if v("remove") != "" || (id == "" && strings.TrimSpace(v("text_de")+v("text_en")) == "") {
			continue
		}
		no, err := strconv.Atoi(strings.TrimSpace(v("no")))
		if err != nil {
			f.Errors[p.Row(i, "no")] = t.T("ErrQuestionNumber")
		}
		if id == "" {
			id = domain.QuestionID("q" + strings.ToLower(s.cfg.NewID()))
		}
		q := domain.Question{ID: id, Kind: domain.QuestionKind(v("kind")), Required: v("required") != "",
			Text: domain.Text{De: v("text_de"), En: v("text_en")}}
		prev := old[id].Options
		for j, line := range strings.Split(strings.ReplaceAll(v("options"), "\r\n", "\n"), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			o := domain.Option{ID: fmt.Sprintf("o%d", len(q.Options)+1), Text: domain.Text{De: line}}
			if t.lang != "de" {
				o.Text = domain.Text{En: line}
			}
			if j < len(prev) && t.local(prev[j].Text) == line {
				o = prev[j]
			}
			q.Options = append(q.Options, o)
		}
		picked = append(picked, row{index: i, no: no, q: q})
	}
	slices.SortStableFunc(picked, func(a, b row) int { return a.no - b.no })
	if len(f.Errors) == 0 {
		var qs []domain.Question
		for _, r := range picked {
			qs = append(qs, r.q)
		}
		sid, _ := p.ID.Session()
		_, err = s.cmds.SetQuestionnaire(c.Request().Context(), p.W.ID, app.Op{Actor: actorOf(c)},
			domain.SetQuestionnaire{SessionID: sid, Questions: qs})
		if err == nil {
			return seeOther(c, questionnairePath(p.W.ID, p.ID), "saved", "1")
		}
		if !f.rejected(t, err) {
			return err
		}
		// the domain names questions[k].field: put each message next to the row it came from
		errs := map[string]string{}
		for name, msg := range f.Errors {
			var k int
			var field string
			if _, serr := fmt.Sscanf(name, "questions[%d].%s", &k, &field); serr == nil && k >= 0 && k < len(picked) {
				field, _, _ = strings.Cut(field, "[")
				field, _, _ = strings.Cut(field, ".")
				if field == "text" {
					field = "text_de"
				}
				errs[p.Row(picked[k].index, field)] = msg
			} else {
				f.Message = msg
			}
		}
		f.Errors = errs
	}
	if f.Message == "" {
		f.Message = t.T("ErrForm")
	}
	p.Form, p.Rows = f, rows(n)
	return s.render(c, http.StatusUnprocessableEntity, "questionnaire.html", "QuestionnaireTitle", p)
}
