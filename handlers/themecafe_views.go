package handlers

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The JSON of theme cafés. Registrations appear with their names, joined from the
// registrations read model; an organiser sees everything, a participant the tables, their own
// ranking and, once published, their own route.

type personJSON struct {
	RegistrationID domain.RegistrationID `json:"registration_id"`
	Name           string                `json:"name"`
}

type cafeTableJSON struct {
	ID          domain.TableID `json:"id"`
	Topic       string         `json:"topic"`
	Description string         `json:"description"`
	Host        *personJSON    `json:"host,omitempty"`
	HostGuest   string         `json:"host_guest,omitempty"`
	Capacity    int            `json:"capacity"`
}

type cafeJSON struct {
	SessionID  domain.SessionID  `json:"session_id"`
	Title      string            `json:"title"`
	Day        domain.Day        `json:"day"`
	Rounds     int               `json:"rounds"`
	Tables     []cafeTableJSON   `json:"tables"`
	Collection domain.Collection `json:"collection"`
	// Organisers only.
	Chose    *int          `json:"chose,omitempty"`
	Rankings []rankingJSON `json:"rankings,omitempty"`
	Plan     *cafePlanJSON `json:"plan,omitempty"`
	Unplaced []personJSON  `json:"unplaced,omitempty"`
	// Participants only.
	Ranking []domain.TableID `json:"ranking,omitempty"`
	Route   []routeStopJSON  `json:"route,omitempty"`
}

type rankingJSON struct {
	personJSON
	Ranking []domain.TableID `json:"ranking"`
}

type cafePlanJSON struct {
	Published        bool                   `json:"published"`
	ChangedSincePlan bool                   `json:"changed_since_plan"`
	Seed             string                 `json:"seed"` // a decimal string: JSON numbers lose 64-bit precision
	Quality          domain.RotationQuality `json:"quality"`
	Rounds           []roundJSON            `json:"rounds"`
	Unseated         []unseatedJSON         `json:"unseated"`
}

type roundJSON struct {
	Round  int             `json:"round"`
	Tables []tableFillJSON `json:"tables"`
}

type tableFillJSON struct {
	TableID  domain.TableID `json:"table_id"`
	Seated   int            `json:"seated"`
	Capacity int            `json:"capacity"`
	Guests   []personJSON   `json:"guests"`
}

type unseatedJSON struct {
	personJSON
	Round  int                   `json:"round"`
	Reason domain.UnseatedReason `json:"reason"`
}

type routeStopJSON struct {
	Round   int            `json:"round"`
	TableID domain.TableID `json:"table_id,omitempty"` // absent: no seat in that round
	Topic   string         `json:"topic,omitempty"`
}

// names maps the workshop's registrations to names ("" when erased).
func (a *api) names(c echo.Context, id domain.WorkshopID) (map[domain.RegistrationID]projections.RegistrationView, error) {
	regs, err := a.Reader.Registrations(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	m := make(map[domain.RegistrationID]projections.RegistrationView, len(regs))
	for _, r := range regs {
		m[r.ID] = r
	}
	return m, nil
}

func personOf(id domain.RegistrationID, regs map[domain.RegistrationID]projections.RegistrationView) personJSON {
	return personJSON{RegistrationID: id, Name: regs[id].Name}
}

func tableOf(t domain.Table, regs map[domain.RegistrationID]projections.RegistrationView) cafeTableJSON {
	j := cafeTableJSON{ID: t.ID, Topic: t.Topic, Description: t.Description, HostGuest: t.HostGuest, Capacity: t.Capacity}
	if t.Host != "" {
		p := personOf(t.Host, regs)
		j.Host = &p
	}
	return j
}

func (a *api) showCafe(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	acc, err := a.workshopAccess(c, id)
	if err != nil {
		return err
	}
	return a.showCafeTo(c, id, sid, acc)
}

// cafeSession reads the session (which must be a theme café) and its café.
func (a *api) cafeSession(c echo.Context, id domain.WorkshopID, sid domain.SessionID) (domain.Session, projections.ThemeCafeView, error) {
	w, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return domain.Session{}, projections.ThemeCafeView{}, err
	}
	i := slices.IndexFunc(w.Agenda, func(s domain.Session) bool { return s.ID == sid })
	if i < 0 {
		return domain.Session{}, projections.ThemeCafeView{}, domain.ErrSessionNotFound
	}
	if w.Agenda[i].Kind != domain.ThemeCafe {
		return domain.Session{}, projections.ThemeCafeView{}, domain.ErrNotThemeCafe
	}
	v, err := a.Reader.ThemeCafe(c.Request().Context(), id, sid)
	return w.Agenda[i], v, err
}

func (a *api) showCafeTo(c echo.Context, id domain.WorkshopID, sid domain.SessionID, acc access) error {
	s, v, err := a.cafeSession(c, id, sid)
	if err != nil {
		return err
	}
	regs, err := a.names(c, id)
	if err != nil {
		return err
	}
	j := cafeJSON{SessionID: sid, Title: s.Title, Day: s.Day, Rounds: v.Rounds, Collection: v.Collection,
		Tables: make([]cafeTableJSON, 0, len(v.Tables))}
	for _, t := range v.Tables {
		j.Tables = append(j.Tables, tableOf(t, regs))
	}
	if acc.actor != app.ActorOrganiser {
		participantCafe(&j, v, acc.view.ID)
		return c.JSON(http.StatusOK, j)
	}
	chose := v.Chose()
	j.Chose, j.Rankings = &chose, []rankingJSON{}
	for _, g := range slices.Sorted(maps.Keys(v.Preferences)) {
		j.Rankings = append(j.Rankings, rankingJSON{personOf(g, regs), v.Preferences[g]})
	}
	if v.Plan != nil {
		j.Plan = planOf(v, regs)
		j.Unplaced = unplaced(v, s.Day, regs)
	}
	return c.JSON(http.StatusOK, j)
}

func participantCafe(j *cafeJSON, v projections.ThemeCafeView, me domain.RegistrationID) {
	j.Ranking = v.Preferences[me]
	if v.Plan == nil || !v.Published {
		return
	}
	topics := map[domain.TableID]string{}
	for _, t := range v.Tables {
		topics[t.ID] = t.Topic
	}
	for i, t := range v.Plan.Seats[me] {
		j.Route = append(j.Route, routeStopJSON{Round: i + 1, TableID: t, Topic: topics[t]})
	}
}

func planOf(v projections.ThemeCafeView, regs map[domain.RegistrationID]projections.RegistrationView) *cafePlanJSON {
	p := &cafePlanJSON{Published: v.Published, ChangedSincePlan: v.ChangedSincePlan, Seed: strconv.FormatUint(v.Seed, 10),
		Quality: v.Quality, Rounds: []roundJSON{}, Unseated: []unseatedJSON{}}
	for n := 1; n <= v.Rounds; n++ {
		at := v.Plan.Round(n)
		r := roundJSON{Round: n, Tables: make([]tableFillJSON, 0, len(v.Tables))}
		for _, t := range v.Tables {
			f := tableFillJSON{TableID: t.ID, Seated: len(at[t.ID]), Capacity: t.Capacity, Guests: []personJSON{}}
			for _, g := range at[t.ID] {
				f.Guests = append(f.Guests, personOf(g, regs))
			}
			r.Tables = append(r.Tables, f)
		}
		p.Rounds = append(p.Rounds, r)
	}
	for _, u := range v.Plan.Unseated {
		p.Unseated = append(p.Unseated, unseatedJSON{personOf(u.Guest, regs), u.Round, u.Reason})
	}
	return p
}

// unplaced lists the people confirmed for the café's day whom the plan does not know (they
// registered after it) and who host no table: a re-plan fits them in.
func unplaced(v projections.ThemeCafeView, day domain.Day, regs map[domain.RegistrationID]projections.RegistrationView) []personJSON {
	hosts := map[domain.RegistrationID]bool{}
	for _, t := range v.Tables {
		hosts[t.Host] = true
	}
	var out []personJSON
	for _, id := range slices.Sorted(maps.Keys(regs)) {
		r := regs[id]
		if _, seated := v.Plan.Seats[id]; !seated && !hosts[id] && r.Status == domain.Confirmed && slices.Contains(r.Days, day) {
			out = append(out, personOf(id, regs))
		}
	}
	return out
}

type resultsJSON struct {
	SessionID domain.SessionID   `json:"session_id"`
	Title     string             `json:"title"`
	Day       domain.Day         `json:"day"`
	Tables    []tableResultsJSON `json:"tables"`
}

type tableResultsJSON struct {
	cafeTableJSON
	Rounds []roundNotesJSON `json:"rounds"`
}

type roundNotesJSON struct {
	Round         int       `json:"round"`
	KeyPoints     []string  `json:"key_points"`
	Examples      []string  `json:"examples"`
	OpenQuestions []string  `json:"open_questions"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// cafeResults collects the notes of every table, in table order, then round.
func (a *api) cafeResults(c echo.Context) error {
	id, sid, err := sessionPath(c)
	if err != nil {
		return err
	}
	if _, err := a.workshopAccess(c, id); err != nil {
		return err
	}
	s, v, err := a.cafeSession(c, id, sid)
	if err != nil {
		return err
	}
	regs, err := a.names(c, id)
	if err != nil {
		return err
	}
	out := resultsJSON{SessionID: sid, Title: s.Title, Day: s.Day, Tables: make([]tableResultsJSON, 0, len(v.Tables))}
	for _, t := range v.Tables {
		tr := tableResultsJSON{cafeTableJSON: tableOf(t, regs), Rounds: []roundNotesJSON{}}
		for _, n := range v.Notes {
			if n.Table == t.ID {
				tr.Rounds = append(tr.Rounds, roundNotesJSON{Round: n.Round, KeyPoints: nonNil(n.Notes.KeyPoints),
					Examples: nonNil(n.Notes.Examples), OpenQuestions: nonNil(n.Notes.OpenQuestions), RecordedAt: n.RecordedAt})
			}
		}
		out.Tables = append(out.Tables, tr)
	}
	return c.JSON(http.StatusOK, out)
}
