package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// cafePlan is the organiser's review of the rotation plan: who sits where in each round, how
// full each table is, how well the rankings were met, and the form to move a person by hand.
type cafePlan struct {
	cafePage
	Rounds   []planRound
	Routes   []guestRoute
	Unseated []unseatedRow
	Unplaced []string // confirmed for the day, hosting no table, unknown to the plan: registered after it
	Quality  qualityFigures
	Move     form
	Actions  form // planning and publishing: a message only
	Outdated bool // the rounds changed since the plan: moves are refused until a re-plan
	Saved    bool
}

type planRound struct {
	N      int
	Tables []tableFill
}

// tableFill is one table in one round.
type tableFill struct {
	Table  domain.Table
	Host   string
	Guests []string // names, sorted
	Seated int
	Full   bool
}

// guestRoute is one person's route: the topic of their table in each round, "" for none.
type guestRoute struct {
	ID    domain.RegistrationID
	Name  string
	Stops []string
}

type unseatedRow struct {
	Name   string
	Round  int
	Reason domain.UnseatedReason
}

// qualityFigures are the plan's figures as whole percentages, as the page shows them.
type qualityFigures struct {
	domain.RotationQuality
	Choice           [4]int
	FillMin, FillMax int
}

func percent(f float64) int { return int(math.Round(f * 100)) }

func (s *site) cafePlan(c echo.Context) (cafePlan, error) {
	p, err := s.loadCafe(c)
	if err != nil {
		return cafePlan{}, err
	}
	v := cafePlan{cafePage: p, Move: newForm(s), Actions: newForm(s), Saved: c.QueryParam("saved") == "1"}
	plan := p.Cafe.Plan
	if plan == nil {
		return v, nil
	}
	q := p.Cafe.Quality
	v.Quality = qualityFigures{RotationQuality: q, FillMin: percent(q.FillMin), FillMax: percent(q.FillMax)}
	for i, share := range q.ChoiceShare {
		v.Quality.Choice[i] = percent(share)
	}
	v.Routes = p.routes()
	rounds := 0
	for _, r := range v.Routes {
		rounds = max(rounds, len(r.Stops))
	}
	v.Outdated = rounds != 0 && rounds != p.Cafe.Rounds
	for n := 1; n <= rounds; n++ {
		v.Rounds = append(v.Rounds, p.round(n))
	}
	for _, u := range plan.Unseated {
		v.Unseated = append(v.Unseated, unseatedRow{Name: p.Name(u.Guest), Round: u.Round, Reason: u.Reason})
	}
	for _, r := range p.people() {
		_, seated := plan.Seats[r.ID]
		if !seated && !slices.ContainsFunc(p.Cafe.Tables, func(t domain.Table) bool { return t.Host == r.ID }) {
			v.Unplaced = append(v.Unplaced, p.Name(r.ID))
		}
	}
	return v, nil
}

// routes lists everyone the plan seats with their route, by name.
func (p cafePage) routes() []guestRoute {
	var routes []guestRoute
	for id, seats := range p.Cafe.Plan.Seats {
		r := guestRoute{ID: id, Name: p.Name(id)}
		for _, t := range seats {
			stop := ""
			if t != "" {
				stop = p.Topic(t)
			}
			r.Stops = append(r.Stops, stop)
		}
		routes = append(routes, r)
	}
	slices.SortFunc(routes, func(a, b guestRoute) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return routes
}

// round lists the tables of round n with the people at them.
func (p cafePage) round(n int) planRound {
	seated := p.Cafe.Plan.Round(n)
	r := planRound{N: n}
	for _, t := range p.Cafe.Tables {
		f := tableFill{Table: t, Host: p.Host(t), Seated: len(seated[t.ID])}
		for _, g := range seated[t.ID] {
			f.Guests = append(f.Guests, p.Name(g))
		}
		slices.SortFunc(f.Guests, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
		f.Full = f.Seated >= t.Capacity
		r.Tables = append(r.Tables, f)
	}
	return r
}

func (s *site) cafePlanPage(c echo.Context) error {
	return show(s, c, s.cafePlan, "cafe-plan.html", "CafePlanTitle")
}

// planRejected renders the plan page with the submitted form (which err rejected) in its place.
func (s *site) planRejected(c echo.Context, err error, place func(*cafePlan, form)) error {
	f, ferr := submitted(c)
	if ferr != nil {
		return ferr
	}
	if !f.rejectedInCafe(s.texts(c), err) {
		return err
	}
	v, verr := s.cafePlan(c)
	if verr != nil {
		return verr
	}
	place(&v, f)
	return s.render(c, http.StatusUnprocessableEntity, "cafe-plan.html", "CafePlanTitle", v)
}

// planCafe generates the plan, or re-plans. The seed comes from the form's key, so that a
// double submit plans once and the plan is reproducible from its event. Without tables, the
// café page says so.
func (s *site) planCafe(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	if f.Key == "" {
		f.Key = s.cfg.NewID()
	}
	sum := sha256.Sum256([]byte(f.Key))
	seed := binary.BigEndian.Uint64(sum[:8])
	presentOnly := f.V("present_only") == "yes"
	err = s.decideCafe(c, f.Key, "plan", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return s.cmds.PlanCafe(ctx, id, op, domain.PlanCafe{SessionID: sid, Seed: seed, PresentOnly: presentOnly})
	})
	if err != nil {
		return s.cafeRejected(c, err, func(e *cafeSetup, f form) { e.Actions = f })
	}
	return s.backToPlan(c)
}

func (s *site) moveCafeGuest(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	round, _ := strconv.Atoi(f.V("round"))
	cmd := domain.MoveGuest{RegistrationID: domain.RegistrationID(f.V("registration_id")), Round: round,
		TableID: domain.TableID(f.V("table_id"))}
	err = s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		cmd.SessionID = sid
		return s.cmds.MoveCafeGuest(ctx, id, op, cmd)
	})
	if err != nil {
		return s.planRejected(c, err, func(v *cafePlan, f form) { v.Move = f })
	}
	return s.backToPlan(c)
}

func (s *site) publishCafePlan(c echo.Context) error {
	err := s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		return s.cmds.PublishCafePlan(ctx, id, op, sid)
	})
	if err != nil {
		return s.planRejected(c, err, func(v *cafePlan, f form) { v.Actions = f })
	}
	return s.backToPlan(c)
}

func (s *site) backToPlan(c echo.Context) error {
	id, _ := workshopID(c) // the command succeeded: the id is valid
	return seeOther(c, cafePath(id, domain.SessionID(c.Param("sid")))+"/plan", "saved", "1")
}
