package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's feedback page of a workshop: open and close feedback, read the evaluation
// (responses, response rate, per question mean, median and a distribution drawn with plain
// HTML and CSS, free texts only as the read model hands them out), and turn the answers to
// "next topics" into follow-up topics with one button each. feedback_participant.go holds the
// participants' form.

// nextTopicsQuestion is the question of DefaultQuestions whose answers are topic ideas.
const nextTopicsQuestion domain.QuestionID = "next_topics"

// feedbackPath is the organiser's address of a workshop's feedback.
func feedbackPath(w domain.WorkshopID) string {
	return "/organiser/workshops/" + url.PathEscape(string(w)) + "/feedback"
}

// feedbackPage is the organiser's feedback page.
type feedbackPage struct {
	W        projections.WorkshopView
	State    domain.FeedbackState
	Sections []evaluationSection
	Ideas    []topicIdea
	Withheld bool // some answers to "next topics" are not shown: too few responses
	// Projector links the projector page (QR code) of each current questionnaire.
	Projector []projectorLink
	// Questionnaires are the workshop's questionnaire and each session's, set or not.
	Questionnaires []questionnaireLink
	Actions        form
	Saved          bool
}

// Open reports whether participants may answer now.
func (p feedbackPage) Open() bool { return p.State == domain.AnswersOpen }

// evaluationSection is the evaluation of one version of a questionnaire.
type evaluationSection struct {
	Heading   string
	Version   int
	Current   bool
	Responses int
	CheckedIn int
	Rate      string
	Questions []evaluatedQuestion
}

type evaluatedQuestion struct {
	Text         string
	Answers      int
	Mean, Median string // "" for questions that are not scales or have no answers
	Bars         []bar
	Texts        []string
	Withheld     bool // the texts exist but are not shown: fewer than 3 people wrote one
}

// bar is one value of a distribution. Width is the share of the answers rounded to 5 %, as the
// stylesheet has a class per step (inline styles are barred by the content security policy).
type bar struct {
	Label   string
	Count   int
	Percent string
	Width   int
}

// topicIdea is an answer to "next topics". Topic is the follow-up topic made from it, if any.
type topicIdea struct {
	Text  string
	Topic *projections.TopicView
}

func (s *site) feedbackPage(c echo.Context) (feedbackPage, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return feedbackPage{}, err
	}
	ctx := c.Request().Context()
	ev, err := s.cfg.Reader.Evaluation(ctx, w.ID)
	if err != nil {
		return feedbackPage{}, err
	}
	board, err := s.cfg.Reader.FollowUps(ctx, w.ID)
	if err != nil {
		return feedbackPage{}, err
	}
	fb, err := s.cfg.Reader.Feedback(ctx, w.ID)
	if err != nil {
		return feedbackPage{}, err
	}
	t := s.texts(c)
	p := feedbackPage{W: w, State: ev.State, Actions: newForm(s), Saved: c.QueryParam("saved") == "1",
		Projector: projectorLinks(t, w, fb)}
	p.Questionnaires = questionnaireLinks(t, w.ID, w.Agenda, newestQuestionnaires(fb.Questionnaires))
	for _, q := range ev.Questionnaires {
		p.Sections = append(p.Sections, evaluationSectionOf(t, w, q))
		for _, question := range q.Questions {
			if question.Question.ID != nextTopicsQuestion {
				continue
			}
			p.Withheld = p.Withheld || question.TextsWithheld
			for _, text := range question.Texts {
				if !slices.ContainsFunc(p.Ideas, func(i topicIdea) bool { return i.Text == text }) {
					p.Ideas = append(p.Ideas, topicIdea{Text: text, Topic: topicFrom(board, text)})
				}
			}
		}
	}
	return p, nil
}

// topicFrom returns the topic made from the feedback text, or nil.
func topicFrom(board projections.FollowUpBoard, text string) *projections.TopicView {
	title := topicTitle(text)
	for i, tp := range board.Topics {
		if tp.Source.Kind == domain.FromFeedback && tp.Title == title {
			return &board.Topics[i]
		}
	}
	return nil
}

// Limits of the topic made from a feedback text; the domain counts bytes.
const (
	maxTopicTitleBytes       = 120
	maxTopicDescriptionBytes = 500
)

// topicTitle is the title of the topic made from a feedback text: its first line, shortened.
func topicTitle(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.ReplaceAll(line, "\t", " ") // a title is one line without tabs
	return shorten(strings.TrimSpace(line), maxTopicTitleBytes)
}

// shorten cuts s to at most max bytes on a rune boundary, marking the cut with an ellipsis.
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func evaluationSectionOf(t texts, w projections.WorkshopView, q projections.QuestionnaireEvaluation) evaluationSection {
	sec := evaluationSection{Heading: t.T("FeedbackAboutWorkshop"), Version: q.Version, Current: q.Current,
		Responses: q.Responses, CheckedIn: q.CheckedIn, Rate: t.percent(q.ResponseRate)}
	for _, s := range w.Agenda {
		if q.SessionID != "" && s.ID == q.SessionID {
			sec.Heading = t.T("FeedbackAboutSession", "Title", s.Title)
		}
	}
	for _, qe := range q.Questions {
		eq := evaluatedQuestion{Text: t.local(qe.Question.Text), Answers: qe.Answers, Texts: qe.Texts,
			Withheld: qe.TextsWithheld}
		if qe.Mean != nil {
			eq.Mean = t.decimal(*qe.Mean)
		}
		if qe.Median != nil {
			eq.Median = t.decimal(*qe.Median)
		}
		for _, vc := range qe.Distribution {
			share := 0.0
			if qe.Answers > 0 {
				share = float64(vc.Count) / float64(qe.Answers)
			}
			label := vc.Value
			if i := slices.IndexFunc(qe.Question.Options, func(o domain.Option) bool { return o.ID == vc.Value }); i >= 0 {
				label = t.local(qe.Question.Options[i].Text)
			}
			eq.Bars = append(eq.Bars, bar{Label: label, Count: vc.Count, Percent: t.percent(share),
				Width: int(math.Round(min(share, 1)*20)) * 5})
		}
		sec.Questions = append(sec.Questions, eq)
	}
	return sec
}

// decimal writes x with one decimal in the page's language.
func (t texts) decimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if t.lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// percent writes a share (0.5) as a percentage in the page's language ("50 %", "50%").
func (t texts) percent(share float64) string {
	n := fmt.Sprintf("%.0f", share*100)
	if t.lang == "de" {
		return n + "\u00a0%"
	}
	return n + "%"
}

func (s *site) showFeedback(c echo.Context) error {
	return show(s, c, s.feedbackPage, "feedback-organiser.html", "FeedbackTitle")
}

// decideFeedback runs an organiser's command from the feedback page and goes back to it, or
// shows it with the rejection at the top.
func (s *site) decideFeedback(c echo.Context, op app.Op, u app.UseCase) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	op.Actor = actorOf(c)
	if _, err := u(c.Request().Context(), id, op); err != nil {
		return rerender(s, c, err, (*form).rejectedFollowUp, s.feedbackPage, placeFeedbackActions,
			"feedback-organiser.html", "FeedbackTitle")
	}
	return seeOther(c, feedbackPath(id), "saved", "1")
}

// placeFeedbackActions puts a rejection at the top of the page: its forms have no fields to
// stand next to.
func placeFeedbackActions(p *feedbackPage, f form) {
	for _, msg := range f.Errors {
		f.Message = msg
	}
	p.Actions = f
}

// setFeedback opens (action=open) or closes feedback.
func (s *site) setFeedback(c echo.Context) error {
	open := c.FormValue("action") == "open"
	return s.decideFeedback(c, app.Op{}, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		if open {
			return s.cmds.OpenFeedback(ctx, id, op)
		}
		return s.cmds.CloseFeedback(ctx, id, op)
	})
}

// topicFromFeedback turns an answer to "next topics" into a follow-up topic. Only answers the
// evaluation shows qualify; one made into a topic already is not made again, and a double click
// is one command.
func (s *site) topicFromFeedback(c echo.Context) error {
	p, err := s.feedbackPage(c)
	if err != nil {
		return err
	}
	text := c.FormValue("text")
	i := slices.IndexFunc(p.Ideas, func(i topicIdea) bool { return i.Text == text })
	if i < 0 {
		p.Actions.Message = s.texts(c).T("ErrNoSuchIdea")
		return s.render(c, http.StatusUnprocessableEntity, "feedback-organiser.html", "FeedbackTitle", p)
	}
	if p.Ideas[i].Topic != nil {
		return seeOther(c, feedbackPath(p.W.ID), "saved", "1")
	}
	cmd := domain.ProposeTopic{ID: domain.TopicID(s.cfg.NewID()), Title: topicTitle(text),
		Source: domain.TopicSource{Kind: domain.FromFeedback}}
	if d := shorten(strings.TrimSpace(text), maxTopicDescriptionBytes); d != cmd.Title {
		cmd.Description = d
	}
	op := app.Op{Key: text, Scope: "web topic from feedback " + string(p.W.ID)}
	return s.decideFeedback(c, op, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return s.cmds.ProposeTopic(ctx, id, op, cmd)
	})
}

// feedbackRoutes are the pages of feedback: the organiser's under the workshop, the public
// entry behind the QR code, and the participant's under their registration.
func (s *site) feedbackRoutes() []route {
	const w = "/organiser/workshops/:id"
	const own = "/w/:id/r/:rid"
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, w + "/feedback", s.showFeedback, true},
		{post, w + "/feedback/state", s.setFeedback, true},
		{post, w + "/feedback/topics", s.topicFromFeedback, true},
		{get, w + "/feedback/qr", s.showFeedbackProjector, true},
		{get, w + "/feedback/questionnaires/:qid", s.showQuestionnaire, true},
		{post, w + "/feedback/questionnaires/:qid", s.saveQuestionnaire, true},
		{get, "/w/:id/feedback", s.showFeedbackEntry, false},
		{post, "/w/:id/feedback", s.enterFeedbackWithLink, false},
		{get, own + "/feedback", s.showOwnFeedback, false},
		{post, own + "/feedback", s.answerOwnFeedback, false},
		{post, own + "/forget", s.forgetThisDevice, false},
	}
}
