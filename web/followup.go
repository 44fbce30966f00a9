package web

import (
	"cmp"
	"context"
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

// Follow-up topics and action items of a workshop, as the organiser manages them: voting, the
// vote limit, the ranked topics with merge and status forms, and the action items agreed in the
// meeting. followup_participant.go holds the participants' page, followup_backlog.go the
// planning of the next workshop and followup_projector.go the live ranking.

// topicsPath is the organiser's address of a workshop's follow-ups.
func topicsPath(w domain.WorkshopID) string {
	return "/organiser/workshops/" + url.PathEscape(string(w)) + "/topics"
}

// followUps is what every follow-up page of a workshop reads: the workshop, its board and the
// names of its registrations, which the board keeps by id only.
type followUps struct {
	W     projections.WorkshopView
	Board projections.FollowUpBoard
	regs  people
}

func (s *site) loadFollowUps(c echo.Context) (followUps, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return followUps{}, err
	}
	ctx := c.Request().Context()
	board, err := s.cfg.Reader.FollowUps(ctx, w.ID)
	if err != nil {
		return followUps{}, err
	}
	regs, err := s.peopleOf(ctx, w.ID)
	if err != nil {
		return followUps{}, err
	}
	f := followUps{W: w, Board: board, regs: regs}
	return f, nil
}

// Name is the name of registration id; an erased or unknown one shows its id.
func (f followUps) Name(id domain.RegistrationID) string { return f.regs.Name(id) }

// Owner names who prepares an action item: a person or an organisation.
func (f followUps) Owner(a projections.ActionItemView) string {
	if a.Who.RegistrationID != "" {
		return f.Name(a.Who.RegistrationID)
	}
	return a.Who.Organisation
}

// Ranked are the topics that can still get votes, most voters first.
func (f followUps) Ranked() []projections.TopicView {
	return slices.DeleteFunc(slices.Clone(f.Board.Topics), func(t projections.TopicView) bool {
		return t.Status == domain.TopicMerged
	})
}

// TopicTitle is the title of topic id of this workshop, or its id.
func (f followUps) TopicTitle(id domain.TopicID) string {
	if i := slices.IndexFunc(f.Board.Topics, func(t projections.TopicView) bool { return t.ID == id }); i >= 0 {
		return f.Board.Topics[i].Title
	}
	return string(id)
}

// Voters counts the people who voted at all.
func (f followUps) Voters() int { return len(f.Board.Votes) }

// topicsPage is the organiser's follow-up page. One of its forms may come back with messages.
type topicsPage struct {
	followUps
	Items    []projections.ActionItemView
	People   []projections.RegistrationView // who may own an action item
	Statuses []domain.TopicStatus           // an organiser sets here; planning is in the backlog
	Sources  []domain.SourceKind
	Limit    form
	Propose  form
	Agree    form
	Actions  form // voting, merges, statuses, closing items: a message only
	Saved    bool
}

func (s *site) topicsPage(c echo.Context) (topicsPage, error) {
	f, err := s.loadFollowUps(c)
	if err != nil {
		return topicsPage{}, err
	}
	items, err := s.cfg.Reader.ActionItems(c.Request().Context(), projections.ActionItemFilter{Workshop: f.W.ID})
	if err != nil {
		return topicsPage{}, err
	}
	p := topicsPage{followUps: f, Items: items, Limit: newForm(s), Propose: newForm(s), Agree: newForm(s), Actions: newForm(s),
		Statuses: []domain.TopicStatus{domain.TopicOpen, domain.TopicAddressed, domain.TopicDropped},
		Sources:  []domain.SourceKind{domain.FromClosingDiscussion, domain.FromFeedback, domain.FromOther},
		Saved:    c.QueryParam("saved") == "1"}
	for _, r := range f.regs {
		if r.Status != domain.Cancelled && !r.Erased {
			p.People = append(p.People, r)
		}
	}
	slices.SortFunc(p.People, func(a, b projections.RegistrationView) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	p.Limit.Values.Set("limit", strconv.Itoa(f.Board.VoteLimit))
	p.Propose.Values.Set("source", string(domain.FromClosingDiscussion))
	next, _, err := projections.NextInSeries(c.Request().Context(), s.cfg.Reader, f.W)
	if err != nil {
		return topicsPage{}, err
	}
	if len(next.Days) > 0 {
		p.Agree.Values.Set("due_by", string(next.Days[0]))
	}
	return p, nil
}

func (s *site) showTopics(c echo.Context) error {
	return show(s, c, s.topicsPage, "followup-topics.html", "TopicsTitle")
}

// decideTopics runs an organiser's follow-up command from a form and goes back to the page, or
// shows the page with the form's messages where place puts them.
func (s *site) decideTopics(c echo.Context, op app.Op, place func(*topicsPage, form),
	u app.UseCase) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	op.Actor = actorOf(c)
	if _, err := u(c.Request().Context(), id, op); err != nil {
		return rerender(s, c, err, (*form).rejectedFollowUp, s.topicsPage, place, "followup-topics.html", "TopicsTitle")
	}
	return seeOther(c, topicsPath(id), "saved", "1")
}

// placeActions puts the message of a form without fields at the top of the page; a field's
// message becomes the message, as there is no field to stand next to.
func placeActions(p *topicsPage, f form) {
	for _, msg := range f.Errors {
		f.Message = msg
	}
	p.Actions = f
}

// setVoting opens (action=open) or closes the vote.
func (s *site) setVoting(c echo.Context) error {
	open := c.FormValue("action") == "open"
	return s.decideTopics(c, app.Op{}, placeActions, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		if open {
			return s.cmds.OpenVoting(ctx, id, op)
		}
		return s.cmds.CloseVoting(ctx, id, op)
	})
}

func (s *site) setVoteLimit(c echo.Context) error {
	limit, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("limit"))) // not a number: 0, which the domain rejects
	return s.decideTopics(c, app.Op{}, func(p *topicsPage, f form) { p.Limit = f },
		func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
			return s.cmds.SetVoteLimit(ctx, id, op, limit)
		})
}

// proposeAsOrganiser records a topic from the meeting; an organiser proposes for nobody.
func (s *site) proposeAsOrganiser(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	cmd := domain.ProposeTopic{ID: domain.TopicID(s.cfg.NewID()), Title: f.V("title"), Description: f.V("description"),
		Source: domain.TopicSource{Kind: domain.SourceKind(f.V("source"))}}
	return s.decideTopics(c, organiserOp(c, f, "propose topic "+string(id)), func(p *topicsPage, f form) { p.Propose = f },
		func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
			return s.cmds.ProposeTopic(ctx, id, op, cmd)
		})
}

func (s *site) mergeTopic(c echo.Context) error {
	cmd := domain.MergeTopics{TopicID: domain.TopicID(c.Param("tid")), Into: domain.TopicID(c.FormValue("into"))}
	return s.decideTopics(c, app.Op{}, placeActions, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return s.cmds.MergeTopics(ctx, id, op, cmd)
	})
}

// setTopicStatus sets open, addressed or dropped; planning names a session and happens in the
// backlog of the workshop that takes the topic up.
func (s *site) setTopicStatus(c echo.Context) error {
	cmd := domain.ChangeTopicStatus{TopicID: domain.TopicID(c.Param("tid")), Status: domain.TopicStatus(c.FormValue("status"))}
	return s.decideTopics(c, app.Op{}, placeActions, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return s.cmds.ChangeTopicStatus(ctx, id, op, cmd)
	})
}

func (s *site) agreeActionItem(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	cmd := domain.AgreeActionItem{ID: domain.ActionItemID(s.cfg.NewID()), What: f.V("what"),
		Who:   domain.ActionOwner{RegistrationID: domain.RegistrationID(f.V("who")), Organisation: f.V("organisation")},
		DueBy: domain.Day(strings.TrimSpace(f.V("due_by")))}
	return s.decideTopics(c, organiserOp(c, f, "agree action item "+string(id)), func(p *topicsPage, f form) { p.Agree = f },
		func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
			return s.cmds.AgreeActionItem(ctx, id, op, cmd)
		})
}

// closeActionItem marks an item done as an organiser and goes back to the page the form names
// (the backlog closes items of earlier workshops).
func (s *site) closeActionItem(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	cmd := domain.CloseActionItem{ID: domain.ActionItemID(c.Param("aid"))}
	back := c.FormValue("back")
	if back == "" {
		return s.decideTopics(c, app.Op{}, placeActions, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
			return s.cmds.CloseActionItem(ctx, id, op, cmd)
		})
	}
	_, err = s.cmds.CloseActionItem(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, cmd)
	if err != nil {
		return err // the backlog offers only open items: anything else is not the sender's to fix
	}
	return seeOther(c, localPath(back), "saved", "1")
}

// reopenActionItem takes back an organiser's or participant's "done": the item was ticked off
// by mistake or is not finished after all.
func (s *site) reopenActionItem(c echo.Context) error {
	cmd := domain.ReopenActionItem{ID: domain.ActionItemID(c.Param("aid"))}
	return s.decideTopics(c, app.Op{}, placeActions, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return s.cmds.ReopenActionItem(ctx, id, op, cmd)
	})
}

// followUpRoutes are the pages of follow-ups: the organiser's under the workshop, the
// participant's under their registration.
func (s *site) followUpRoutes() []route {
	const w = "/organiser/workshops/:id"
	const own = "/w/:id/r/:rid"
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, w + "/topics", s.showTopics, true},
		{post, w + "/topics", s.proposeAsOrganiser, true},
		{post, w + "/topics/voting", s.setVoting, true},
		{post, w + "/topics/limit", s.setVoteLimit, true},
		{post, w + "/topics/:tid/merge", s.mergeTopic, true},
		{post, w + "/topics/:tid/status", s.setTopicStatus, true},
		{get, w + "/topics/ranking", s.projector, true},
		{post, w + "/action-items", s.agreeActionItem, true},
		{post, w + "/action-items/:aid/done", s.closeActionItem, true},
		{post, w + "/action-items/:aid/reopen", s.reopenActionItem, true},
		{get, w + "/backlog", s.showBacklog, true},
		{post, w + "/backlog/:tid", s.planFromTopic, true},

		{get, own + "/topics", s.showOwnTopics, false},
		{post, own + "/topics", s.proposeOwnTopic, false},
		{post, own + "/votes", s.castOwnVotes, false},
		{post, own + "/action-items/:aid/done", s.closeOwnActionItem, false},
		{post, own + "/action-items/:aid/reopen", s.reopenOwnActionItem, false},
	}
}
