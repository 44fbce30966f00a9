package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// A participant's page of follow-ups, opened with their personal token on a phone: they propose
// topics for the next meeting, give their votes (dot voting with checkboxes, so that it works
// without script; the domain checks the limit) and close the action items that name them. The
// topics stand in the order they were proposed, without counts, so that the current ranking
// does not steer the vote. An item ticked off by mistake can be reopened there too.

// ownTopics is the participant's follow-up page.
type ownTopics struct {
	followUps
	R       projections.RegistrationView
	Token   string
	Topics  []projections.TopicView
	Items   []projections.ActionItemView
	Votes   form // topic: the ticked topics
	Propose form
	Actions form // closing an item: a message only
	Saved   string
}

// Path is the participant's address of the page, without the token.
func (v ownTopics) Path() string { return v.Own() + "/topics" }

// Own is the participant's personal address, under which their forms post.
func (v ownTopics) Own() string { return personalPath(v.W.ID, v.R.ID) }

// Open reports whether the participant may vote now.
func (v ownTopics) Open() bool { return v.Board.Voting == domain.VotingOpen }

// Confirmed reports whether the participant may propose and vote.
func (v ownTopics) Confirmed() bool { return v.R.Status == domain.Confirmed }

// Remaining is how many votes the participant has left to give.
func (v ownTopics) Remaining() int { return max(v.Board.VoteLimit-len(v.Board.Votes[v.R.ID]), 0) }

func (s *site) ownTopics(c echo.Context, token string) (ownTopics, error) {
	_, r, err := s.actingRegistration(c, token)
	if err != nil {
		return ownTopics{}, err
	}
	f, err := s.loadFollowUps(c)
	if err != nil {
		return ownTopics{}, err
	}
	items, err := s.cfg.Reader.ActionItems(c.Request().Context(),
		projections.ActionItemFilter{Workshop: f.W.ID, Registration: r.ID})
	if err != nil {
		return ownTopics{}, err
	}
	v := ownTopics{followUps: f, R: r, Token: token, Topics: f.Ranked(), Items: items, Votes: newForm(s),
		Propose: newForm(s), Actions: newForm(s), Saved: c.QueryParam("saved")}
	slices.SortFunc(v.Topics, func(a, b projections.TopicView) int { return cmp.Compare(a.Ordinal, b.Ordinal) })
	for _, t := range f.Board.Votes[r.ID] {
		v.Votes.Values.Add("topic", string(t))
	}
	return v, nil
}

func (s *site) showOwnTopics(c echo.Context) error {
	v, err := s.ownTopics(c, c.QueryParam("token"))
	if err != nil {
		return err
	}
	return s.renderOwnTopics(c, http.StatusOK, v)
}

func (s *site) renderOwnTopics(c echo.Context, status int, v ownTopics) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "followup-participant.html", "OwnTopicsTitle", v)
}

// decideOwn runs a participant's command from a form of their page and goes back to it with
// saved=what, or shows the page with the form's messages where place puts them.
func (s *site) decideOwn(c echo.Context, what string, place func(*ownTopics, form, error),
	decide func(ownTopics, form) app.UseCase) error {
	token := c.FormValue("token")
	v, err := s.ownTopics(c, token)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	op := app.Op{Actor: app.ActorParticipant(v.R.ID)}
	if what == "proposed" {
		op.Key, op.Scope = f.Key, "web propose topic "+string(v.W.ID)+" "+string(v.R.ID)
	}
	if _, err := decide(v, f)(c.Request().Context(), v.W.ID, op); err != nil {
		if !f.rejectedFollowUp(s.texts(c), err) {
			return err
		}
		place(&v, f, err)
		return s.renderOwnTopics(c, http.StatusUnprocessableEntity, v)
	}
	return seeOther(c, v.Path(), "token", token, "saved", what)
}

func (s *site) proposeOwnTopic(c echo.Context) error {
	return s.decideOwn(c, "proposed", func(v *ownTopics, f form, _ error) { v.Propose = f },
		func(v ownTopics, f form) app.UseCase {
			cmd := domain.ProposeTopic{ID: domain.TopicID(s.cfg.NewID()), Title: f.V("title"), Description: f.V("description"),
				Source: domain.TopicSource{Kind: domain.FromOther}, By: v.R.ID}
			return func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
				return s.cmds.ProposeTopic(ctx, id, op, cmd)
			}
		})
}

// castOwnVotes gives the participant's votes to the ticked topics; none ticked withdraws them.
// Too many ticks come back with the limit next to the boxes.
func (s *site) castOwnVotes(c echo.Context) error {
	over := func(v *ownTopics, f form, err error) {
		if errors.Is(err, domain.ErrOverVoteLimit) {
			f.Message = s.texts(c).T("ErrTooManyVotes", "N", len(f.Values["topic"]), "Limit", v.Board.VoteLimit)
			f.Errors["topic_ids"] = f.Message
		}
		v.Votes = f
	}
	return s.decideOwn(c, "voted", over, func(v ownTopics, f form) app.UseCase {
		topics := []domain.TopicID{}
		for _, t := range f.Values["topic"] {
			topics = append(topics, domain.TopicID(t))
		}
		return func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
			return s.cmds.CastVotes(ctx, id, op, domain.CastVotes{RegistrationID: v.R.ID, Topics: topics})
		}
	})
}

// closeOwnActionItem marks done an item that names the participant; the domain refuses others.
func (s *site) closeOwnActionItem(c echo.Context) error {
	aid := domain.ActionItemID(c.Param("aid"))
	return s.decideOwn(c, "done", func(v *ownTopics, f form, _ error) { v.Actions = f },
		func(v ownTopics, _ form) app.UseCase {
			return func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
				return s.cmds.CloseActionItem(ctx, id, op, domain.CloseActionItem{ID: aid, By: v.R.ID})
			}
		})
}

// reopenOwnActionItem takes back the participant's "done" on an item that names them.
func (s *site) reopenOwnActionItem(c echo.Context) error {
	aid := domain.ActionItemID(c.Param("aid"))
	notTheirs := func(v *ownTopics, f form, err error) {
		if errors.Is(err, domain.ErrNotActionOwner) {
			f.Message = s.texts(c).T("ErrNotActionOwnerReopen")
		}
		v.Actions = f
	}
	return s.decideOwn(c, "reopened", notTheirs, func(v ownTopics, _ form) app.UseCase {
		return func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
			return s.cmds.ReopenActionItem(ctx, id, op, domain.ReopenActionItem{ID: aid, By: v.R.ID})
		}
	})
}
