package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Follow-up topics and action items of a workshop: participants (with their token) and
// organisers propose topics, participants vote while voting is open, organisers merge, plan
// topics into a later workshop of the series and agree action items; the person an item names
// or an organiser closes it, and reopens it when it was closed by mistake. Series views live in
// followup_views.go.

type topicBody struct {
	Title       string             `json:"title"`
	Description string             `json:"description"`
	Source      domain.TopicSource `json:"source"`
}

func (a *api) proposeTopic(c echo.Context) error {
	id, acc, err := a.caller(c)
	if err != nil {
		return err
	}
	var b topicBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if b.Source.Kind == "" {
		b.Source.Kind = domain.FromOther
	}
	cmd := domain.ProposeTopic{ID: domain.TopicID(a.NewID()), Title: b.Title, Description: b.Description,
		Source: b.Source, By: acc.view.ID}
	res, err := run(a, c, id, acc.actor, a.cmds.ProposeTopic, cmd)
	if err != nil {
		return err
	}
	proposed := domain.TopicProposed{TopicID: cmd.ID, Title: cmd.Title, Description: cmd.Description, Source: cmd.Source, ProposedBy: cmd.By}
	for _, e := range res.Events { // a repeat answers the first request's topic
		if p, ok := e.(domain.TopicProposed); ok {
			proposed = p
		}
	}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+string(proposed.TopicID))
	board, err := a.Reader.FollowUps(c.Request().Context(), id)
	if err != nil && !lagging(err) {
		return err
	}
	names, err := a.namesFor(c, acc, id)
	if err != nil && !lagging(err) {
		return err
	}
	for _, t := range board.Topics {
		if t.ID == proposed.TopicID {
			return c.JSON(http.StatusCreated, topicOf(t, acc, names, board.Votes))
		}
	}
	// The read model lags beyond the wait: the topic is as decided.
	var firstDay domain.Day
	if w, err := a.Reader.Workshop(c.Request().Context(), id); err == nil && len(w.Days) > 0 {
		firstDay = w.Days[0]
	}
	t := projections.TopicView{Workshop: id, FirstDay: firstDay, ID: proposed.TopicID, Title: proposed.Title, Description: proposed.Description,
		Source: proposed.Source, ProposedBy: proposed.ProposedBy, ProposedAt: a.Now().UTC(), Status: domain.TopicOpen}
	return c.JSON(http.StatusCreated, topicOf(t, acc, names, board.Votes))
}

type votesBody struct {
	// RegistrationID lets an organiser vote for someone; participants leave it out.
	RegistrationID domain.RegistrationID `json:"registration_id"`
	TopicIDs       []domain.TopicID      `json:"topic_ids"`
}

func (a *api) castVotes(c echo.Context) error {
	id, acc, err := a.caller(c)
	if err != nil {
		return err
	}
	var b votesBody
	if err := decode(c, &b); err != nil {
		return err
	}
	rid, err := acc.actingFor(b.RegistrationID, "votes")
	if err != nil {
		return err
	}
	if _, err := run(a, c, id, acc.actor, a.cmds.CastVotes, domain.CastVotes{RegistrationID: rid, Topics: b.TopicIDs}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]domain.TopicID{"topic_ids": nonNil(b.TopicIDs)})
}

func (a *api) openVoting(c echo.Context) error {
	return a.topicsCommand(c, nil, a.cmds.OpenVoting)
}

func (a *api) closeVoting(c echo.Context) error {
	return a.topicsCommand(c, nil, a.cmds.CloseVoting)
}

type voteLimitBody struct {
	Limit int `json:"limit"`
}

func (a *api) setVoteLimit(c echo.Context) error {
	var b voteLimitBody
	return a.topicsCommand(c, &b, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return a.cmds.SetVoteLimit(ctx, id, op, b.Limit)
	})
}

type mergeBody struct {
	Into domain.TopicID `json:"into"`
}

func (a *api) mergeTopic(c echo.Context) error {
	var b mergeBody
	return a.topicsCommand(c, &b, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return a.cmds.MergeTopics(ctx, id, op, domain.MergeTopics{TopicID: domain.TopicID(c.Param("tid")), Into: b.Into})
	})
}

type statusBody struct {
	Status     domain.TopicStatus `json:"status"`
	WorkshopID domain.WorkshopID  `json:"workshop_id"`
	SessionID  domain.SessionID   `json:"session_id"`
	TableID    domain.TableID     `json:"table_id"`
}

func (a *api) changeTopicStatus(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b statusBody
	if err := decode(c, &b); err != nil {
		return err
	}
	cmd := domain.ChangeTopicStatus{TopicID: domain.TopicID(c.Param("tid")), Status: b.Status}
	if b.WorkshopID != "" || b.SessionID != "" || b.TableID != "" {
		target, err := a.planTarget(c, b)
		if err != nil {
			return err
		}
		cmd.Target = &target
	}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.ChangeTopicStatus, cmd); err != nil {
		return err
	}
	return a.showBoardTo(c, id, access{actor: app.ActorOrganiser})
}

// planTarget reads the workshop that is to take a topic up: the domain checks series and first
// day, the read models that the session (and table) exist.
func (a *api) planTarget(c echo.Context, b statusBody) (domain.PlanTarget, error) {
	ctx := c.Request().Context()
	v, err := a.Reader.Workshop(ctx, b.WorkshopID)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && len(v.Days) == 0) {
		return domain.PlanTarget{}, domain.FieldErrors{{Field: "workshop_id", Code: domain.CodeUnknownID, Detail: "must name a scheduled workshop"}}
	}
	if err != nil {
		return domain.PlanTarget{}, err
	}
	var found bool
	for _, s := range v.Agenda {
		found = found || s.ID == b.SessionID
	}
	if !found {
		return domain.PlanTarget{}, domain.FieldErrors{{Field: "session_id", Code: domain.CodeUnknownID, Detail: "must name a session of that workshop"}}
	}
	if b.TableID != "" {
		cafe, err := a.Reader.ThemeCafe(ctx, b.WorkshopID, b.SessionID)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return domain.PlanTarget{}, err
		}
		if _, ok := tableIn(cafe, b.TableID); err != nil || !ok {
			return domain.PlanTarget{}, domain.FieldErrors{{Field: "table_id", Code: domain.CodeUnknownID, Detail: "must name a table of that session's theme café"}}
		}
	}
	return domain.PlanTarget{Workshop: v.ID, Series: v.Series, FirstDay: v.Days[0], SessionID: b.SessionID, TableID: b.TableID}, nil
}

func tableIn(cafe projections.ThemeCafeView, id domain.TableID) (domain.Table, bool) {
	for _, t := range cafe.Tables {
		if t.ID == id {
			return t, true
		}
	}
	return domain.Table{}, false
}

// topicsCommand is an organiser's command on a workshop's topics: decode body (unless nil),
// decide, answer the board as the organiser sees it.
func (a *api) topicsCommand(c echo.Context, body any, u app.UseCase) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	if body != nil {
		if err := decode(c, body); err != nil {
			return err
		}
	}
	if _, err := a.use(c, id, app.ActorOrganiser, u); err != nil {
		return err
	}
	return a.showBoardTo(c, id, access{actor: app.ActorOrganiser})
}

type actionItemBody struct {
	What  string                `json:"what"`
	Who   domain.ActionOwner    `json:"who"`
	DueBy optional[*domain.Day] `json:"due_by"` // absent: the next workshop's first day; null: none
}

func (a *api) agreeActionItem(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b actionItemBody
	if err := decode(c, &b); err != nil {
		return err
	}
	cmd := domain.AgreeActionItem{ID: domain.ActionItemID(a.NewID()), What: b.What, Who: b.Who}
	switch {
	case !b.DueBy.Set:
		if next, ok, err := a.nextInSeries(c, id); err != nil {
			return err
		} else if ok {
			cmd.DueBy = next.Days[0]
		}
	case b.DueBy.Value != nil:
		cmd.DueBy = *b.DueBy.Value
	}
	res, err := run(a, c, id, app.ActorOrganiser, a.cmds.AgreeActionItem, cmd)
	if err != nil {
		return err
	}
	agreed := domain.ActionItemAgreed{ActionItemID: cmd.ID, What: cmd.What, Who: cmd.Who, DueBy: cmd.DueBy}
	for _, e := range res.Events {
		if p, ok := e.(domain.ActionItemAgreed); ok {
			agreed = p
		}
	}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+string(agreed.ActionItemID))
	err = a.showActionItem(c, id, agreed.ActionItemID, http.StatusCreated)
	if !lagging(err) {
		return err
	}
	// The read model lags beyond the wait: the item is as decided.
	item := projections.ActionItemView{Workshop: id, ID: agreed.ActionItemID, What: agreed.What, Who: agreed.Who,
		DueBy: agreed.DueBy, AgreedAt: a.Now().UTC()}
	return c.JSON(http.StatusCreated, actionItemOf(item, access{actor: app.ActorOrganiser}, regNames{}))
}

// nextInSeries returns the workshop of id's series with the earliest first day after id's.
func (a *api) nextInSeries(c echo.Context, id domain.WorkshopID) (projections.WorkshopView, bool, error) {
	this, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return projections.WorkshopView{}, false, err
	}
	return projections.NextInSeries(c.Request().Context(), a.Reader, this)
}

// closeActionItem lets an organiser or the person the item names mark it done.
func (a *api) closeActionItem(c echo.Context) error {
	return a.actionItemCommand(c, "close", func(ctx context.Context, id domain.WorkshopID, op app.Op, aid domain.ActionItemID, by domain.RegistrationID) (domain.Appended, error) {
		return a.cmds.CloseActionItem(ctx, id, op, domain.CloseActionItem{ID: aid, By: by})
	})
}

// reopenActionItem lets whoever may close an item take its "done" back: it was ticked off by
// mistake or is not finished after all.
func (a *api) reopenActionItem(c echo.Context) error {
	return a.actionItemCommand(c, "reopen", func(ctx context.Context, id domain.WorkshopID, op app.Op, aid domain.ActionItemID, by domain.RegistrationID) (domain.Appended, error) {
		return a.cmds.ReopenActionItem(ctx, id, op, domain.ReopenActionItem{ID: aid, By: by})
	})
}

// actionItemCommand decides on the item of the path as its caller (an organiser, or a
// participant as themselves) and answers the item. Someone else's item is forbidden rather
// than a conflict: nothing the caller could change would make it theirs.
func (a *api) actionItemCommand(c echo.Context, verb string,
	u func(context.Context, domain.WorkshopID, app.Op, domain.ActionItemID, domain.RegistrationID) (domain.Appended, error)) error {
	id, acc, err := a.caller(c)
	if err != nil {
		return err
	}
	aid := domain.ActionItemID(c.Param("aid"))
	_, err = a.use(c, id, acc.actor, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return u(ctx, id, op, aid, acc.view.ID)
	})
	if errors.Is(err, domain.ErrNotActionOwner) {
		return newProblem(http.StatusForbidden, "only the person the action item names or an organiser may %s it", verb)
	}
	if err != nil {
		return err
	}
	return a.showActionItem(c, id, aid, http.StatusOK)
}
