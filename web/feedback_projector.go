package web

import (
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// feedbackProjector is the full-screen page an organiser puts on the projector at the end of a
// session or of the workshop: the QR code of the public feedback entry for one questionnaire,
// the entry as a link people can type, and what it is about. Code is the QR code of the
// absolute entry with ?q=.
type feedbackProjector struct {
	W       projections.WorkshopView
	Session string // the session's title; "" for the workshop questionnaire
	State   domain.FeedbackState
	Short   string // the entry as people type it: host and path, no questionnaire
	Code    template.HTML
}

// Open reports whether participants can answer; otherwise the organiser sees a warning.
func (p feedbackProjector) Open() bool { return p.State == domain.AnswersOpen }

// Bare leaves the organiser's navigation off the projector: the room sees the code, not the
// organiser's menu and sign-out.
func (feedbackProjector) Bare() bool { return true }

// projectorLink is the feedback page's link to the projector page of one questionnaire.
type projectorLink struct {
	ID      domain.QuestionnaireID
	Heading string
	Href    string
}

// feedbackProjectorPath is the organiser's projector page of questionnaire q.
func feedbackProjectorPath(w domain.WorkshopID, q domain.QuestionnaireID) string {
	return feedbackPath(w) + "/qr?" + url.Values{"q": {string(q)}}.Encode()
}

// projectorLinks lists the projector pages of the workshop's current questionnaires.
func projectorLinks(t texts, w projections.WorkshopView, fb projections.FeedbackView) []projectorLink {
	rows := fb.Questionnaires
	if !slices.ContainsFunc(rows, func(r projections.QuestionnaireRow) bool { return r.ID == domain.WorkshopQuestionnaire }) {
		// Not set before feedback opens; see questionnaireOf.
		rows = append([]projections.QuestionnaireRow{{ID: domain.WorkshopQuestionnaire}}, rows...)
	}
	links := make([]projectorLink, 0, len(rows))
	for _, q := range rows {
		if q.SessionID != "" && !slices.ContainsFunc(w.Agenda, func(s domain.Session) bool { return s.ID == q.SessionID }) {
			continue // the session was cancelled: nothing to put on the screen
		}
		links = append(links, projectorLink{ID: q.ID, Heading: questionnaireHeading(t, w, q.SessionID),
			Href: feedbackProjectorPath(w.ID, q.ID)})
	}
	return links
}

// questionnaireOf returns the session questionnaire q is about and whether participants can
// (or will) answer it. The workshop questionnaire always qualifies: opening feedback sets the
// default one if the organiser set none, so its code can go on a slide beforehand.
func questionnaireOf(fb projections.FeedbackView, q domain.QuestionnaireID) (domain.SessionID, bool) {
	if q == domain.WorkshopQuestionnaire {
		return "", true
	}
	i := slices.IndexFunc(fb.Questionnaires, func(r projections.QuestionnaireRow) bool { return r.ID == q })
	if i < 0 {
		return "", false
	}
	return fb.Questionnaires[i].SessionID, true
}

func (s *site) feedbackProjector(c echo.Context) (feedbackProjector, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return feedbackProjector{}, err
	}
	fb, err := s.cfg.Reader.Feedback(c.Request().Context(), w.ID)
	if err != nil {
		return feedbackProjector{}, err
	}
	q := domain.QuestionnaireID(c.QueryParam("q"))
	if q == "" {
		q = domain.WorkshopQuestionnaire
	}
	sid, ok := questionnaireOf(fb, q)
	if !ok {
		return feedbackProjector{}, domain.ErrQuestionnaireNotFound
	}
	p := feedbackProjector{W: w, State: fb.State}
	if sid != "" {
		j := slices.IndexFunc(w.Agenda, func(s domain.Session) bool { return s.ID == sid })
		if j < 0 {
			return feedbackProjector{}, domain.ErrSessionNotFound // cancelled meanwhile
		}
		p.Session = w.Agenda[j].Title
	}
	// The code leads to the questionnaire itself; the typed link is shorter and leads to all of
	// them, as nobody types a questionnaire id off a screen.
	base := absoluteURL(c, feedbackEntryPath(w.ID))
	p.Short = strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	p.Code, err = qrSVG(base+"?"+url.Values{"q": {string(q)}}.Encode(), s.texts(c).T("FeedbackQRCodeLabel"))
	return p, err
}

func (s *site) showFeedbackProjector(c echo.Context) error {
	return show(s, c, s.feedbackProjector, "feedback-projector.html", "FeedbackQRTitle")
}
