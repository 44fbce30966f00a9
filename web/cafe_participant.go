package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// A participant's page of a theme café, opened with their personal token: they rank the tables
// they would like to visit while the collection is open (a select per rank: no drag and drop,
// which keyboards and screen readers handle badly) and see their route once it is published.

// cafeRanking is the participant's café page.
type cafeRanking struct {
	cafePage
	R       projections.RegistrationView
	Token   string
	Ranks   []int
	Form    form // rank1 … rankN: table ids
	Route   []routeStop
	Hosting *domain.Table // the table the participant hosts
	Saved   bool
}

// routeStop is where the participant sits in one round; Topic is "" for no seat.
type routeStop struct {
	Round int
	Time  string // "14:00–14:30 Uhr", as the PDF prints it; "" when the session's times are unknown
	Topic string
	Host  string
}

// Open reports whether the participant may state or change their ranking.
func (v cafeRanking) Open() bool { return v.Cafe.Collection == domain.CollectionOpen }

// ParticipantPath is the participant's address of the café, without the token.
func (v cafeRanking) ParticipantPath() string {
	return personalPath(v.W.ID, v.R.ID) + "/cafes/" + url.PathEscape(string(v.Session.ID))
}

// cafeRanking loads the participant's café page if token is the registration's token.
func (s *site) cafeRanking(c echo.Context, token string) (cafeRanking, error) {
	_, r, err := s.actingRegistration(c, token)
	if err != nil {
		return cafeRanking{}, err
	}
	p, err := s.loadCafe(c)
	if err != nil {
		return cafeRanking{}, err
	}
	v := cafeRanking{cafePage: p, R: r, Token: token, Form: newForm(s), Saved: c.QueryParam("saved") == "1"}
	// As many choices as there are tables, at most domain.MaxRanking: three tables, three choices.
	for n := 1; n <= min(domain.MaxRanking, len(p.Cafe.Tables)); n++ {
		v.Ranks = append(v.Ranks, n)
	}
	for i, t := range p.Cafe.Preferences[r.ID] {
		v.Form.Values.Set("rank"+strconv.Itoa(i+1), string(t))
	}
	for i, t := range p.Cafe.Tables {
		if t.Host == r.ID {
			v.Hosting = &p.Cafe.Tables[i]
		}
	}
	if p.Cafe.Published && p.Cafe.Plan != nil {
		times := reports.Lang(s.texts(c).lang).RoundTimes(p.Session, p.Cafe.Rounds)
		for i, tid := range p.Cafe.Plan.Seats[r.ID] {
			stop := routeStop{Round: i + 1}
			if i < len(times) {
				stop.Time = times[i]
			}
			if tid != "" {
				stop.Topic = p.Topic(tid)
				if t, ok := p.table(tid); ok {
					stop.Host = p.Host(t)
				}
			}
			v.Route = append(v.Route, stop)
		}
	}
	return v, nil
}

func (p cafePage) table(id domain.TableID) (domain.Table, bool) {
	for _, t := range p.Cafe.Tables {
		if t.ID == id {
			return t, true
		}
	}
	return domain.Table{}, false
}

func (s *site) cafeRankingPage(c echo.Context) error {
	v, err := s.cafeRanking(c, c.QueryParam("token"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "cafe-ranking.html", "CafeRankingTitle", v)
}

// stateCafePreferences saves the ranking of the form; empty ranks are skipped, so "first and
// third" is a ranking of two.
func (s *site) stateCafePreferences(c echo.Context) error {
	token := c.FormValue("token")
	v, err := s.cafeRanking(c, token)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	var ranking []domain.TableID
	for _, n := range v.Ranks {
		if t := f.V("rank" + strconv.Itoa(n)); t != "" {
			ranking = append(ranking, domain.TableID(t))
		}
	}
	cmd := domain.StatePreferences{SessionID: v.Session.ID, RegistrationID: v.R.ID, Ranking: ranking}
	_, err = s.cmds.StatePreferences(c.Request().Context(), v.W.ID, app.Op{Actor: app.ActorParticipant(v.R.ID)}, cmd)
	if err != nil {
		if !f.rejectedInCafe(s.texts(c), err) {
			return err
		}
		v.Form = f
		c.Response().Header().Set("Cache-Control", "no-store")
		return s.render(c, http.StatusUnprocessableEntity, "cafe-ranking.html", "CafeRankingTitle", v)
	}
	return seeOther(c, v.ParticipantPath(), "token", token, "saved", "1")
}
