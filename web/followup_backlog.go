package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The backlog of a workshop: what earlier workshops of its series left open. Organisers turn a
// topic into a session of this workshop in one form, which issues two commands: plan the session
// here, then mark the topic planned in its own workshop, linked to the session. The form's key
// makes a repeat after a failed second step plan no second session.

// backlogPage is the organiser's planning view of a workshop.
type backlogPage struct {
	W      projections.WorkshopView
	Topics []projections.TopicView      // open topics of earlier workshops, ranked
	Items  []projections.ActionItemView // open action items of earlier workshops
	all    map[domain.TopicID]string    // titles of every topic of the series, for the history
	titles map[domain.WorkshopID]string // of the series' workshops
	names  map[domain.RegistrationID]string
	Kinds  []domain.Kind
	Forms  map[domain.TopicID]form // one plan form per topic
	Saved  bool
}

// Workshop is the title of workshop id of the series.
func (b backlogPage) Workshop(id domain.WorkshopID) string { return cmp.Or(b.titles[id], string(id)) }

// TopicTitle is the title of topic id of the series.
func (b backlogPage) TopicTitle(id domain.TopicID) string { return cmp.Or(b.all[id], string(id)) }

// Name is the name of a registration of the series' workshops.
func (b backlogPage) Name(id domain.RegistrationID) string { return cmp.Or(b.names[id], string(id)) }

// Owner names who prepares an action item.
func (b backlogPage) Owner(a projections.ActionItemView) string {
	if a.Who.RegistrationID != "" {
		return b.Name(a.Who.RegistrationID)
	}
	return a.Who.Organisation
}

// Path is the address of the backlog.
func (b backlogPage) Path() string {
	return "/organiser/workshops/" + url.PathEscape(string(b.W.ID)) + "/backlog"
}

func (s *site) backlog(c echo.Context) (backlogPage, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return backlogPage{}, err
	}
	ctx := c.Request().Context()
	b := backlogPage{W: w, all: map[domain.TopicID]string{}, titles: map[domain.WorkshopID]string{},
		names: map[domain.RegistrationID]string{}, Kinds: domain.Kinds, Forms: map[domain.TopicID]form{},
		Saved: c.QueryParam("saved") == "1"}
	earlier := func(first domain.Day) bool { return w.Series != "" && len(w.Days) > 0 && first < w.Days[0] }
	topics, err := s.cfg.Reader.SeriesTopics(ctx, w.Series)
	if err != nil {
		return backlogPage{}, err
	}
	for _, t := range topics {
		b.all[t.ID] = t.Title
		if t.Status == domain.TopicOpen && earlier(t.FirstDay) {
			b.Topics = append(b.Topics, t)
			f := newForm(s)
			f.Values.Set("title", t.Title)
			f.Values.Set("kind", string(domain.Discussion))
			f.Values.Set("day", string(w.Days[0]))
			b.Forms[t.ID] = f
		}
	}
	items, err := s.cfg.Reader.ActionItems(ctx, projections.ActionItemFilter{Series: w.Series, OpenOnly: true})
	if err != nil {
		return backlogPage{}, err
	}
	b.Items = slices.DeleteFunc(items, func(a projections.ActionItemView) bool { return !earlier(a.FirstDay) })
	return b, s.backlogNames(c, &b)
}

// backlogNames reads the titles and registrations of the workshops the backlog shows.
func (s *site) backlogNames(c echo.Context, b *backlogPage) error {
	ctx := c.Request().Context()
	all, err := s.cfg.Reader.Workshops(ctx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.Series != b.W.Series {
			continue
		}
		b.titles[o.ID] = o.Title
		regs, err := s.cfg.Reader.Registrations(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, r := range regs {
			if !r.Erased {
				b.names[r.ID] = r.Name
			}
		}
	}
	return nil
}

func (s *site) showBacklog(c echo.Context) error {
	return show(s, c, s.backlog, "followup-backlog.html", "BacklogTitle")
}

// planFromTopic plans a session of this workshop from the form and links the topic to it. Each
// step reports its own failure: a rejected session keeps the topic open; a rejected link says
// that the session exists, and sending the form again links it without planning it twice.
func (s *site) planFromTopic(c echo.Context) error {
	b, err := s.backlog(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	topic, err := s.seriesTopic(c, b, domain.TopicID(c.Param("tid")))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	op := organiserOp(c, f, "plan topic "+string(b.W.ID)+" "+string(topic.ID))
	se, err := s.cmds.PlanSession(ctx, b.W.ID, op, sessionOf(f))
	if err != nil {
		return s.backlogRejected(c, b, topic, f, err, "")
	}
	cmd := domain.ChangeTopicStatus{TopicID: topic.ID, Status: domain.TopicPlanned, Target: &domain.PlanTarget{
		Workshop: b.W.ID, Series: b.W.Series, FirstDay: b.W.Days[0], SessionID: se.ID}}
	_, err = s.cmds.ChangeTopicStatus(ctx, topic.Workshop, app.Op{Actor: actorOf(c)}, cmd)
	if err != nil {
		return s.backlogRejected(c, b, topic, f, err, se.Title)
	}
	return seeOther(c, b.Path(), "saved", "1")
}

// seriesTopic finds topic id among the topics of earlier workshops of the series, whatever its
// status: a repeated form finds its topic planned already and changes nothing.
func (s *site) seriesTopic(c echo.Context, b backlogPage, id domain.TopicID) (projections.TopicView, error) {
	topics, err := s.cfg.Reader.SeriesTopics(c.Request().Context(), b.W.Series)
	if err != nil {
		return projections.TopicView{}, err
	}
	for _, t := range topics {
		if t.ID == id && len(b.W.Days) > 0 && t.FirstDay < b.W.Days[0] {
			return t, nil
		}
	}
	return projections.TopicView{}, domain.ErrTopicNotFound
}

// backlogRejected shows the backlog with the topic's form and what went wrong. planned is the
// title of the session the first step planned, "" when that step failed.
func (s *site) backlogRejected(c echo.Context, b backlogPage, topic projections.TopicView, f form, err error, planned string) error {
	t := s.texts(c)
	if !f.rejectedFollowUp(t, err) {
		if planned == "" || errors.Is(err, domain.ErrWorkshopNotFound) {
			return err
		}
		f.Message = t.T("ErrInternal")
	}
	if planned != "" {
		f.Errors = map[string]string{}
		f.Message = t.T("ErrLinkTopic", "Session", planned, "Reason", f.Message)
	}
	if !slices.ContainsFunc(b.Topics, func(x projections.TopicView) bool { return x.ID == topic.ID }) {
		b.Topics = append([]projections.TopicView{topic}, b.Topics...)
	}
	b.Forms[topic.ID] = f
	return s.render(c, http.StatusUnprocessableEntity, "followup-backlog.html", "BacklogTitle", b)
}
