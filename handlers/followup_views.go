package handlers

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The JSON of follow-ups. Organisers see the ranking with voter counts, proposers' names and
// history; a participant sees the topics in the order they were proposed (so that the current
// ranking does not steer the vote) with their own votes, and no other person's name.

type topicJSON struct {
	ID          domain.TopicID     `json:"id"`
	WorkshopID  domain.WorkshopID  `json:"workshop_id"`
	FirstDay    domain.Day         `json:"workshop_first_day"`
	Title       string             `json:"title"`
	Description string             `json:"description"`
	Source      domain.TopicSource `json:"source"`
	ProposedAt  time.Time          `json:"proposed_at"`
	Status      domain.TopicStatus `json:"status"`
	Link        *domain.TopicLink  `json:"link,omitempty"`
	MergedInto  domain.TopicID     `json:"merged_into,omitempty"`
	MergedFrom  []domain.TopicID   `json:"merged_from,omitempty"`
	// Organisers only.
	Voters     *int                      `json:"voters,omitempty"`
	ProposedBy *personJSON               `json:"proposed_by,omitempty"`
	History    []projections.TopicChange `json:"history,omitempty"`
	// Participants only.
	Voted *bool `json:"voted,omitempty"`
}

type boardJSON struct {
	WorkshopID domain.WorkshopID `json:"workshop_id"`
	Series     string            `json:"series,omitempty"`
	Voting     domain.Voting     `json:"voting"`
	VoteLimit  int               `json:"vote_limit"`
	Topics     []topicJSON       `json:"topics"`
	MyVotes    []domain.TopicID  `json:"my_votes,omitempty"` // participants only
}

type ownerJSON struct {
	RegistrationID domain.RegistrationID `json:"registration_id,omitempty"`
	Name           string                `json:"name,omitempty"` // organisers only
	Organisation   string                `json:"organisation,omitempty"`
}

type actionItemJSON struct {
	ID         domain.ActionItemID `json:"id"`
	WorkshopID domain.WorkshopID   `json:"workshop_id"`
	What       string              `json:"what"`
	Who        ownerJSON           `json:"who"`
	DueBy      domain.Day          `json:"due_by,omitempty"`
	AgreedAt   time.Time           `json:"agreed_at"`
	Status     string              `json:"status"` // open or done
	DoneAt     *time.Time          `json:"done_at,omitempty"`
	// DoneBy is the registration that closed the item, absent when an organiser did.
	DoneBy *ownerJSON `json:"done_by,omitempty"`
}

// regNames maps workshops to their registrations, for names; empty for participants.
type regNames map[domain.WorkshopID]map[domain.RegistrationID]projections.RegistrationView

// namesFor loads the names of workshop ids for an organiser; a participant gets none.
func (a *api) namesFor(c echo.Context, acc access, ids ...domain.WorkshopID) (regNames, error) {
	names := regNames{}
	if acc.actor != app.ActorOrganiser {
		return names, nil
	}
	for _, id := range ids {
		if _, ok := names[id]; ok {
			continue
		}
		m, err := a.names(c, id)
		if err != nil {
			return nil, err
		}
		names[id] = m
	}
	return names, nil
}

func topicOf(t projections.TopicView, acc access, names regNames, votes map[domain.RegistrationID][]domain.TopicID) topicJSON {
	j := topicJSON{ID: t.ID, WorkshopID: t.Workshop, FirstDay: t.FirstDay, Title: t.Title, Description: t.Description,
		Source: t.Source, ProposedAt: t.ProposedAt, Status: t.Status, Link: t.Link, MergedInto: t.MergedInto, MergedFrom: t.MergedFrom}
	if acc.actor != app.ActorOrganiser {
		voted := slices.Contains(votes[acc.view.ID], t.ID)
		j.Voted = &voted
		return j
	}
	j.Voters, j.History = &t.Voters, t.History
	if t.ProposedBy != "" {
		p := personOf(t.ProposedBy, names[t.Workshop])
		j.ProposedBy = &p
	}
	return j
}

func (a *api) listTopics(c echo.Context) error {
	id, acc, err := a.caller(c)
	if err != nil {
		return err
	}
	return a.showBoardTo(c, id, acc)
}

func (a *api) showBoardTo(c echo.Context, id domain.WorkshopID, acc access) error {
	board, err := a.Reader.FollowUps(c.Request().Context(), id)
	if err != nil {
		return err
	}
	names, err := a.namesFor(c, acc, id)
	if err != nil {
		return err
	}
	topics := board.Topics
	if acc.actor != app.ActorOrganiser {
		topics = slices.Clone(topics)
		slices.SortFunc(topics, func(x, y projections.TopicView) int { return cmp.Compare(x.Ordinal, y.Ordinal) })
	}
	j := boardJSON{WorkshopID: id, Series: board.Series, Voting: board.Voting, VoteLimit: board.VoteLimit,
		Topics: make([]topicJSON, 0, len(topics))}
	for _, t := range topics {
		j.Topics = append(j.Topics, topicOf(t, acc, names, board.Votes))
	}
	if acc.actor != app.ActorOrganiser {
		j.MyVotes = nonNil(board.Votes[acc.view.ID])
	}
	return c.JSON(http.StatusOK, j)
}

func actionItemOf(v projections.ActionItemView, acc access, names regNames) actionItemJSON {
	j := actionItemJSON{ID: v.ID, WorkshopID: v.Workshop, What: v.What, DueBy: v.DueBy, AgreedAt: v.AgreedAt, Status: "open",
		Who: ownerJSON{RegistrationID: v.Who.RegistrationID, Organisation: v.Who.Organisation}}
	if v.Who.RegistrationID != "" {
		j.Who.Name = names[v.Workshop][v.Who.RegistrationID].Name
	}
	if v.Done {
		at := v.DoneAt
		j.Status, j.DoneAt = "done", &at
		if v.DoneBy != "" {
			j.DoneBy = &ownerJSON{RegistrationID: v.DoneBy, Name: names[v.Workshop][v.DoneBy].Name}
		}
	}
	return j
}

func (a *api) showActionItem(c echo.Context, id domain.WorkshopID, aid domain.ActionItemID, status int) error {
	items, err := a.Reader.ActionItems(c.Request().Context(), projections.ActionItemFilter{Workshop: id})
	if err != nil {
		return err
	}
	names, err := a.namesFor(c, access{actor: app.ActorOrganiser}, id)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ID == aid {
			return c.JSON(status, actionItemOf(it, access{actor: app.ActorOrganiser}, names))
		}
	}
	return domain.ErrActionItemNotFound
}

// listActionItems answers a workshop's action items: to an organiser with names, to a
// participant without (their own items carry their registration id).
func (a *api) listActionItems(c echo.Context) error {
	id, acc, err := a.caller(c)
	if err != nil {
		return err
	}
	if _, err := a.Reader.FollowUps(c.Request().Context(), id); err != nil {
		return err
	}
	items, err := a.Reader.ActionItems(c.Request().Context(), projections.ActionItemFilter{Workshop: id,
		OpenOnly: c.QueryParam("status") == "open"})
	if err != nil {
		return err
	}
	return a.answerActionItems(c, acc, items)
}

func (a *api) answerActionItems(c echo.Context, acc access, items []projections.ActionItemView) error {
	var ids []domain.WorkshopID
	for _, it := range items {
		ids = append(ids, it.Workshop)
	}
	names, err := a.namesFor(c, acc, ids...)
	if err != nil {
		return err
	}
	out := make([]actionItemJSON, 0, len(items))
	for _, it := range items {
		out = append(out, actionItemOf(it, acc, names))
	}
	return c.JSON(http.StatusOK, map[string]any{"action_items": out})
}

type backlogJSON struct {
	Series      string           `json:"series"`
	Topics      []topicJSON      `json:"topics"`
	ActionItems []actionItemJSON `json:"action_items"`
}

// planningBacklog is the planning view of a workshop: the open topics of earlier workshops of
// its series, ranked by distinct voters, and their open action items.
func (a *api) planningBacklog(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	w, err := a.Reader.Workshop(ctx, id)
	if err != nil {
		return err
	}
	earlier := func(first domain.Day) bool { return w.Series != "" && len(w.Days) > 0 && first < w.Days[0] }
	topics, err := a.Reader.SeriesTopics(ctx, w.Series)
	if err != nil {
		return err
	}
	topics = slices.DeleteFunc(topics, func(t projections.TopicView) bool { return t.Status != domain.TopicOpen || !earlier(t.FirstDay) })
	items, err := a.Reader.ActionItems(ctx, projections.ActionItemFilter{Series: w.Series, OpenOnly: true})
	if err != nil {
		return err
	}
	items = slices.DeleteFunc(items, func(it projections.ActionItemView) bool { return !earlier(it.FirstDay) })
	return a.answerBacklog(c, w.Series, topics, items)
}

func (a *api) answerBacklog(c echo.Context, series string, topics []projections.TopicView, items []projections.ActionItemView) error {
	acc := access{actor: app.ActorOrganiser}
	var ids []domain.WorkshopID
	for _, t := range topics {
		ids = append(ids, t.Workshop)
	}
	for _, it := range items {
		ids = append(ids, it.Workshop)
	}
	names, err := a.namesFor(c, acc, ids...)
	if err != nil {
		return err
	}
	j := backlogJSON{Series: series, Topics: make([]topicJSON, 0, len(topics)), ActionItems: make([]actionItemJSON, 0, len(items))}
	for _, t := range topics {
		j.Topics = append(j.Topics, topicOf(t, acc, names, nil))
	}
	for _, it := range items {
		j.ActionItems = append(j.ActionItems, actionItemOf(it, acc, names))
	}
	return c.JSON(http.StatusOK, j)
}

// seriesBacklog answers every topic of a series with status and provenance, ranked; ?status=
// keeps one status.
func (a *api) seriesBacklog(c echo.Context) error {
	series := c.Param("series")
	topics, err := a.Reader.SeriesTopics(c.Request().Context(), series)
	if err != nil {
		return err
	}
	if s := domain.TopicStatus(c.QueryParam("status")); s != "" {
		topics = slices.DeleteFunc(topics, func(t projections.TopicView) bool { return t.Status != s })
	}
	return a.answerBacklog(c, series, topics, nil)
}

// seriesActionItems answers the action items of a series; ?status=open, ?registration_id= and
// ?organisation= narrow them down.
func (a *api) seriesActionItems(c echo.Context) error {
	f := projections.ActionItemFilter{Series: c.Param("series"), OpenOnly: c.QueryParam("status") == "open",
		Registration: domain.RegistrationID(c.QueryParam("registration_id")), Organisation: c.QueryParam("organisation")}
	items, err := a.Reader.ActionItems(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return a.answerActionItems(c, access{actor: app.ActorOrganiser}, items)
}
