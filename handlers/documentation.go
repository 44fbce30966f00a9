package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The documentation of a workshop (issue 16): the organisers write its summary ("Bilanz");
// whoever may see the workshop reads its documentation.

type summaryBody struct {
	Text optional[string] `json:"text"`
}

func (a *api) writeSummary(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b summaryBody
	if err := decode(c, &b); err != nil {
		return err
	}
	var fe domain.FieldErrors
	text := required(b.Text, "text", &fe)
	if text == nil && len(fe) == 0 {
		fe = domain.FieldErrors{{Field: "text", Code: domain.CodeRequired, Detail: `send "text", "" to clear the summary`}}
	}
	if len(fe) > 0 {
		return fe
	}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.WriteSummary, *text); err != nil {
		return err
	}
	return a.showDocumentation(c)
}

type documentationJSON struct {
	Workshop     documentedWorkshopJSON `json:"workshop"`
	Agenda       []sessionJSON          `json:"agenda"`
	Summary      summaryJSON            `json:"summary"`
	Materials    []documentedMaterial   `json:"materials"`
	Topics       []documentedTopic      `json:"topics"`
	ActionItems  []documentedActionItem `json:"action_items"`
	PhotoConsent photoConsentJSON       `json:"photo_consent"`
	Cafes        []documentedCafeJSON   `json:"cafes"`
}

// documentedCafeJSON is a theme café with its tables' notes, rounds without notes left out.
type documentedCafeJSON struct {
	SessionID domain.SessionID      `json:"session_id"`
	Title     string                `json:"title"`
	Day       domain.Day            `json:"day"`
	Tables    []documentedTableJSON `json:"tables"`
}

type documentedTableJSON struct {
	ID        domain.TableID        `json:"id"`
	Topic     string                `json:"topic"`
	Host      string                `json:"host"`
	Rounds    []documentedRoundJSON `json:"rounds"`
	Materials []documentedMaterial  `json:"materials"`
}

type documentedRoundJSON struct {
	Round         int      `json:"round"`
	KeyPoints     []string `json:"key_points"`
	Examples      []string `json:"examples"`
	OpenQuestions []string `json:"open_questions"`
}

// photoConsentJSON counts the confirmed participants and those who agreed that photos may be
// published (erased people count as not consenting).
type photoConsentJSON struct {
	Participants int `json:"participants"`
	Consenting   int `json:"consenting"`
}

type documentedWorkshopJSON struct {
	ID    domain.WorkshopID `json:"id"`
	Title string            `json:"title"`
	Days  []domain.Day      `json:"days"`
	Venue string            `json:"venue"`
}

// summaryJSON is the summary as written (Markdown) and as safe HTML; both "" for none.
type summaryJSON struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}

type documentedMaterial struct {
	ID          domain.MaterialID `json:"id"`
	Title       string            `json:"title"`
	Name        string            `json:"name"`
	ContentType string            `json:"content_type"`
	Size        int64             `json:"size"`
}

type documentedTopic struct {
	Title  string             `json:"title"`
	Status domain.TopicStatus `json:"status"`
	Votes  int                `json:"votes"`
}

type documentedActionItem struct {
	What         string     `json:"what"`
	Organisation string     `json:"organisation,omitempty"`
	DueBy        domain.Day `json:"due_by,omitempty"`
	Done         bool       `json:"done"`
}

func (a *api) showDocumentation(c echo.Context) error {
	w, err := a.seenWorkshop(c)
	if err != nil {
		return err
	}
	d, err := a.cmds.Documentation(c.Request().Context(), w)
	if err != nil {
		return err
	}
	j := documentationJSON{Workshop: documentedWorkshopJSON{ID: w.ID, Title: w.Title, Days: nonNil(w.Days), Venue: w.Venue},
		Agenda: []sessionJSON{}, Summary: summaryJSON{Text: d.Summary, HTML: d.SummaryHTML},
		Materials: []documentedMaterial{}, Topics: []documentedTopic{}, ActionItems: []documentedActionItem{},
		PhotoConsent: photoConsentJSON{Participants: d.Photos.Participants, Consenting: d.Photos.Consenting},
		Cafes:        []documentedCafeJSON{}}
	for _, cafe := range d.Cafes {
		cj := documentedCafeJSON{SessionID: cafe.Session, Title: cafe.Title, Day: cafe.Day, Tables: []documentedTableJSON{}}
		for _, t := range cafe.Tables {
			tj := documentedTableJSON{ID: t.ID, Topic: t.Topic, Host: t.Host, Rounds: []documentedRoundJSON{},
				Materials: []documentedMaterial{}}
			for _, m := range t.Materials {
				tj.Materials = append(tj.Materials, documentedMaterial(m))
			}
			for _, r := range t.Rounds {
				tj.Rounds = append(tj.Rounds, documentedRoundJSON{Round: r.Round, KeyPoints: nonNil(r.KeyPoints),
					Examples: nonNil(r.Examples), OpenQuestions: nonNil(r.OpenQuestions)})
			}
			cj.Tables = append(cj.Tables, tj)
		}
		j.Cafes = append(j.Cafes, cj)
	}
	for _, s := range w.Agenda {
		j.Agenda = append(j.Agenda, sessionOf(s))
	}
	for _, m := range d.Materials {
		j.Materials = append(j.Materials, documentedMaterial(m))
	}
	for _, t := range d.Topics {
		j.Topics = append(j.Topics, documentedTopic(t))
	}
	for _, it := range d.ActionItems {
		j.ActionItems = append(j.ActionItems, documentedActionItem(it))
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, j)
}
