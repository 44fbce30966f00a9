// Package demo fills an instance with a realistic workshop series through its HTTP API, as an
// organiser and participants would, in-process: `werkstatt demo`. Every command carries an
// Idempotency-Key, so filling twice adds nothing.
package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Filled is what Fill left in the instance.
type Filled struct {
	Workshop string // the id of the demo's upcoming workshop
	// Lead is the grant of the series' project lead; its Token is the same on every run.
	Lead struct{ Token, Status string }
}

// Fill fills the instance behind h with a realistic two-day workshop of the series Series, two
// weeks after now, and two earlier workshops of the series with feedback, acting as an
// organiser through organiserToken.
//
// setClock, when not nil, sets the clock of the application behind h (the zero time: the real
// clock again): the earlier workshops take their registrations before they took place, as the
// registration-closed rule demands.
func Fill(h http.Handler, organiserToken string, now time.Time, setClock func(time.Time)) (Filled, error) {
	if setClock == nil {
		setClock = func(time.Time) {}
	}
	c := &apiClient{h: h, token: organiserToken, setClock: setClock}
	id, err := fillDemo(c, now)
	if err != nil {
		return Filled{}, err
	}
	lead, err := demoLead(c)
	return Filled{Workshop: id, Lead: lead}, err
}

// apiClient calls an http.Handler as an organiser would, without a network.
type apiClient struct {
	h        http.Handler
	token    string
	setClock func(time.Time)
}

// do sends body as JSON and decodes a 2xx answer into out; anything else is an error that
// quotes the problem the API answered.
func (c *apiClient) do(method, path, key string, body, out any) error {
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return err
		}
	}
	req := httptest.NewRequest(method, path, &buf)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	if out != nil {
		return json.Unmarshal(rec.Body.Bytes(), out)
	}
	return nil
}

// Series is the series of the demo's workshops.
const Series = "IKOE-Ideenwerkstatt"

// demoLead grants the demo's project lead access to the series. The key makes it the same grant,
// and the same token, on every run; once an organiser revoked it, it stays revoked.
func demoLead(c *apiClient) (lead struct{ Token, Status string }, err error) {
	err = c.do("POST", "/api/v1/series/"+Series+"/lead-tokens", "demo-lead",
		map[string]any{"label": "Demo-Projektleitung"}, &lead)
	return lead, err
}

// demoDays returns the Monday and Tuesday at least two weeks after now.
func demoDays(now time.Time) [2]string {
	d := now.AddDate(0, 0, 14)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return [2]string{d.Format(time.DateOnly), d.AddDate(0, 0, 1).Format(time.DateOnly)}
}

// Agenda is the demo workshop's agenda.
var Agenda = []struct {
	day                             int
	title, kind, starts, ends, room string
	speakers                        []string
}{
	{0, "Ankommen und Begrüßung", "other", "09:30", "10:00", "Plenarsaal", []string{"Landrätin Dr. Anna Weber"}},
	{0, "Impulsvortrag: Kommunale Integrationsarbeit im Wandel", "keynote", "10:00", "10:45", "Plenarsaal", []string{"Prof. Dr. Mehmet Yilmaz"}},
	{0, "Kaffeepause", "break", "10:45", "11:00", "Foyer", nil},
	{0, "Themencafé: Arbeitsmarkt, Wohnen, Digitale Plattformen", "theme_cafe", "11:00", "12:30", "Seminarräume 1-4", nil},
	{0, "Mittagessen", "break", "12:30", "13:30", "Kantine", nil},
	{0, "Gastvortrag: Ehrenamt und Hauptamt verzahnen", "talk", "13:30", "14:15", "Plenarsaal", []string{"Julia Schneider"}},
	{0, "Austausch in Arbeitsgruppen", "discussion", "14:30", "16:00", "Seminarräume 1-4", nil},
	{1, "Rückblick auf Tag 1", "other", "09:00", "09:30", "Plenarsaal", nil},
	{1, "Impulsvortrag: Fördermittel gezielt nutzen", "keynote", "09:30", "10:15", "Plenarsaal", []string{"Thomas Becker"}},
	{1, "Abschlussdiskussion und Themen für das nächste Treffen", "discussion", "10:30", "12:00", "Plenarsaal", nil},
}

var (
	demoDistricts = []string{"Landkreis Harburg", "Landkreis Stade", "Landkreis Lüneburg", "Landkreis Celle",
		"Heidekreis", "Landkreis Uelzen", "Landkreis Rotenburg (Wümme)", "Landkreis Cuxhaven",
		"Landkreis Gifhorn", "Region Hannover", "Landkreis Verden", "Landkreis Osterholz"}
	demoFirst = []string{"Anna", "Lukas", "Fatma", "Jonas", "Mariam", "Felix", "Sophie", "Ahmad", "Lea",
		"Paul", "Olena", "Tim", "Hannah", "Yusuf", "Clara", "Nils", "Elif", "Jan", "Miriam", "David"}
	demoLast = []string{"Müller", "Schmidt", "Kaya", "Wagner", "Hoffmann", "Nowak", "Koch", "Richter",
		"Demir", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun"}
	demoDiets = []string{"", "", "", "vegetarisch", "vegan", "", "glutenfrei", "", "halal", ""}
)

// fillDemo schedules the workshop, plans its agenda, registers 42 people (capacity 36, so some
// wait) and checks most confirmed people in on the first day and at the keynote.
func fillDemo(c *apiClient, now time.Time) (string, error) {
	days := demoDays(now)
	var w struct{ ID string }
	err := c.do("POST", "/api/v1/workshops", "demo-workshop", map[string]any{
		"title": "Ideenwerkstatt Integration " + days[0][:4], "series": Series,
		"venue": "Kreishaus Winsen (Luhe), Schloßplatz 1", "days": days, "capacity": 36}, &w)
	if err != nil {
		return "", err
	}
	base := "/api/v1/workshops/" + w.ID
	var keynote, cafe string
	for i, s := range Agenda {
		var got struct{ ID string }
		err := c.do("POST", base+"/sessions", fmt.Sprintf("demo-session-%d", i), map[string]any{
			"title": s.title, "kind": s.kind, "day": days[s.day], "starts": s.starts, "ends": s.ends,
			"room": s.room, "speakers": s.speakers}, &got)
		if err != nil {
			return "", err
		}
		if s.kind == "keynote" && keynote == "" {
			keynote = got.ID
		}
		if s.kind == "theme_cafe" {
			cafe = got.ID
		}
	}
	var confirmedDay1 []string
	for i := range 42 {
		first, last := demoFirst[i%len(demoFirst)], demoLast[(i*7)%len(demoLast)]
		district := demoDistricts[i%len(demoDistricts)]
		org := "Integrationsbüro " + strings.TrimPrefix(strings.TrimPrefix(district, "Landkreis "), "Region ")
		if i%5 == 4 {
			org = []string{"Caritasverband", "Diakonisches Werk", "AWO Kreisverband", "Jobcenter"}[i%4]
		}
		reg := map[string]any{"name": first + " " + last, "organisation": org, "district": district,
			"email":   fmt.Sprintf("%s.%s%d@example.org", strings.ToLower(first), strings.ToLower(asciiFold(last)), i),
			"dietary": demoDiets[i%len(demoDiets)], "overnight": i%3 == 0, "consent": true}
		if i%9 == 8 {
			reg["days"] = []string{days[1]} // some come only on the second day
		}
		var r struct {
			ID, Status string
			DayStatus  map[string]string `json:"day_status"`
		}
		if err := c.do("POST", base+"/registrations", fmt.Sprintf("demo-registration-%d", i), reg, &r); err != nil {
			return "", err
		}
		onDay1 := r.DayStatus[fmt.Sprint(days[0])] == "confirmed"
		if onDay1 {
			confirmedDay1 = append(confirmedDay1, r.ID)
		}
		if onDay1 && i%6 != 5 { // a few do not turn up
			if err := c.checkIn(base, r.ID, days[0], "", i); err != nil {
				return "", err
			}
			if i%4 != 3 {
				if err := c.checkIn(base, r.ID, days[0], keynote, i); err != nil {
					return "", err
				}
			}
		}
	}
	if err := c.fillThemeCafe(base+"/sessions/"+cafe+"/theme-cafe", confirmedDay1); err != nil {
		return "", err
	}
	return w.ID, fillSeriesHistory(c, now)
}

var demoTables = []struct{ topic, description, guest string }{
	{"Integration in den Arbeitsmarkt", "Anerkennung, Sprachkurse, Betriebe gewinnen", "Dr. Petra Lange (Agentur für Arbeit)"},
	{"Wohnen", "Wohnraum finden, Nachbarschaften begleiten", ""},
	{"Digitale Plattformen", "Ehrenamt vernetzen, Angebote sichtbar machen", "Jonas Weber (Kreisverwaltung)"},
	{"Sprachförderung", "Kita, Schule, Erwachsenenbildung", ""},
}

// fillThemeCafe sets up four tables and three rounds, lets every confirmed person of the day
// rank the tables, plans the rotation, publishes it and records the first round's notes.
func (c *apiClient) fillThemeCafe(cafe string, people []string) error {
	var state struct{ Plan *struct{ Published bool } }
	if err := c.do("GET", cafe, "", nil, &state); err != nil || (state.Plan != nil && state.Plan.Published) {
		return err // an earlier demo run got this far: collection is closed now
	}
	if err := c.do("PUT", cafe+"/rounds", "", map[string]any{"rounds": 3}, nil); err != nil {
		return err
	}
	hosts := map[int]string{1: people[0], 3: people[1]} // two tables are hosted by participants
	tables := make([]string, len(demoTables))
	for i, t := range demoTables {
		body := map[string]any{"topic": t.topic, "description": t.description, "capacity": 10}
		if t.guest != "" {
			body["host_guest"] = t.guest
		} else {
			body["host_registration_id"] = hosts[i]
		}
		var got struct{ ID string }
		if err := c.do("POST", cafe+"/tables", fmt.Sprintf("demo-table-%d", i), body, &got); err != nil {
			return err
		}
		tables[i] = got.ID
	}
	if err := c.do("POST", cafe+"/preferences/open", "demo-open", nil, nil); err != nil {
		return err
	}
	for i, rid := range people[2:] {
		ranking := []string{tables[i%4], tables[(i/4+1+i)%4]}
		if ranking[0] == ranking[1] {
			ranking = ranking[:1]
		}
		if err := c.do("PUT", cafe+"/preferences", "", map[string]any{"registration_id": rid, "ranking": ranking}, nil); err != nil {
			return err
		}
	}
	for _, step := range []string{"preferences/close", "plan", "plan/publish"} {
		if err := c.do("POST", cafe+"/"+step, "demo-"+step, map[string]any{}, nil); err != nil {
			return err
		}
	}
	return c.do("PUT", cafe+"/tables/"+tables[0]+"/notes/1", "", map[string]any{
		"key_points":     []string{"Anerkennung ausländischer Abschlüsse dauert zu lange", "Betriebe wünschen feste Ansprechpersonen"},
		"examples":       []string{"Jobbörse mit Dolmetschenden im Landkreis Harburg"},
		"open_questions": []string{"Wer koordiniert die Sprachkurse kreisweit?"}}, nil)
}

func (c *apiClient) checkIn(base, rid, day, session string, i int) error {
	body := map[string]any{"registration_id": rid, "day": day}
	if session != "" {
		body["session_id"] = session
	}
	return c.do("POST", base+"/check-ins", fmt.Sprintf("demo-checkin-%d-%s", i, session), body, nil)
}

// asciiFold keeps the demo's email addresses plain ASCII.
func asciiFold(s string) string {
	return strings.NewReplacer("ü", "ue", "ö", "oe", "ä", "ae", "ß", "ss").Replace(s)
}
