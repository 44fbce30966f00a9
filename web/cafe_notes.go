package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The notes of a café's tables and the results page that collects them. An organiser records
// a table's notes per round; each list (key points, best-practice examples, open questions)
// is a text field with one item per line.

// cafeResults is the results page: every table with the notes of each round.
type cafeResults struct {
	cafePage
	Tables []tableResults
	Saved  bool
}

type tableResults struct {
	Table  domain.Table
	Host   string
	Rounds []roundNotes // every round, with or without notes
	// Materials are the table's materials (uploaded by its host or the organisers).
	Materials []projections.MaterialView
}

type roundNotes struct {
	N     int
	Notes *projections.CafeNotes // nil: nothing recorded
}

func (s *site) cafeResultsPage(c echo.Context) error {
	p, err := s.loadCafe(c)
	if err != nil {
		return err
	}
	v := cafeResults{cafePage: p, Saved: c.QueryParam("saved") == "1"}
	ms, err := s.cfg.Reader.Materials(c.Request().Context(), p.W.ID)
	if err != nil {
		return err
	}
	for _, t := range p.Cafe.Tables {
		tr := tableResults{Table: t, Host: p.Host(t)}
		for _, m := range ms {
			if m.SessionID == p.Session.ID && m.TableID == t.ID {
				tr.Materials = append(tr.Materials, m)
			}
		}
		for n := 1; n <= p.Cafe.Rounds; n++ {
			tr.Rounds = append(tr.Rounds, roundNotes{N: n, Notes: p.notes(t.ID, n)})
		}
		v.Tables = append(v.Tables, tr)
	}
	return s.render(c, http.StatusOK, "cafe-results.html", "CafeResultsTitle", v)
}

// notes returns the notes of table t in round n, nil when there are none.
func (p cafePage) notes(t domain.TableID, n int) *projections.CafeNotes {
	for i, cn := range p.Cafe.Notes {
		if cn.Table == t && cn.Round == n {
			return &p.Cafe.Notes[i]
		}
	}
	return nil
}

// notesForm is the page to record the notes of one table in one round.
type notesForm struct {
	cafePage
	Table domain.Table
	Round int
	Form  form
}

// notesTarget reads the table and round of the path; a table that does not exist or a round
// that is no number is not found. A round outside the café's rounds is the domain's to reject.
func (p cafePage) notesTarget(c echo.Context) (domain.Table, int, error) {
	t, ok := p.table(domain.TableID(c.Param("tid")))
	round, err := strconv.Atoi(c.Param("round"))
	if !ok || err != nil || round < 1 {
		return domain.Table{}, 0, domain.ErrTableNotFound
	}
	return t, round, nil
}

func (s *site) cafeNotesPage(c echo.Context) error {
	p, err := s.loadCafe(c)
	if err != nil {
		return err
	}
	t, round, err := p.notesTarget(c)
	if err != nil {
		return err
	}
	f := newForm(s)
	if n := p.notes(t.ID, round); n != nil {
		f.Values.Set("key_points", strings.Join(n.Notes.KeyPoints, "\n"))
		f.Values.Set("examples", strings.Join(n.Notes.Examples, "\n"))
		f.Values.Set("open_questions", strings.Join(n.Notes.OpenQuestions, "\n"))
	}
	return s.render(c, http.StatusOK, "cafe-notes.html", "CafeNotesTitle", notesForm{cafePage: p, Table: t, Round: round, Form: f})
}

// lines splits a text field into its items, one per line; the domain drops empty ones.
func lines(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }

func (s *site) recordCafeNotes(c echo.Context) error {
	p, err := s.loadCafe(c)
	if err != nil {
		return err
	}
	t, round, err := p.notesTarget(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	cmd := domain.RecordNotes{TableID: t.ID, Round: round, Notes: domain.TableNotes{KeyPoints: lines(f.V("key_points")),
		Examples: lines(f.V("examples")), OpenQuestions: lines(f.V("open_questions"))}}
	err = s.decideCafe(c, "", "", func(ctx context.Context, id domain.WorkshopID, op app.Op, sid domain.SessionID) (domain.Appended, error) {
		cmd.SessionID = sid
		return s.cmds.RecordNotes(ctx, id, op, cmd)
	})
	if err != nil {
		if !f.rejectedInCafe(s.texts(c), err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "cafe-notes.html", "CafeNotesTitle",
			notesForm{cafePage: p, Table: t, Round: round, Form: f})
	}
	return seeOther(c, p.Path()+"/results", "saved", "1")
}

// NotesPath is the address of the notes form of table t in round n.
func (p cafePage) NotesPath(t domain.TableID, n int) string {
	return p.Path() + "/notes/" + url.PathEscape(string(t)) + "/" + strconv.Itoa(n)
}
