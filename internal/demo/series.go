package demo

import (
	"fmt"
	"time"
)

// demoHistory are the two earlier workshops of the demo's series: enough for a series report
// with trends. mood shifts their ratings, so that the trend shows something.
var demoHistory = []struct {
	season       string
	monthsAgo    int
	people, mood int
}{{"Frühjahr", 8, 30, 0}, {"Sommer", 4, 34, 1}}

// fillSeriesHistory schedules the earlier workshops of the series, registers people, checks
// most of them in on both days and collects feedback from about 70% of them. A workshop whose
// feedback is closed is complete from an earlier run and left as it is.
func fillSeriesHistory(c *apiClient, now time.Time) error {
	for k, h := range demoHistory {
		days := demoDays(now.AddDate(0, -h.monthsAgo, -14))
		var w struct{ ID string }
		if err := c.do("POST", "/api/v1/workshops", fmt.Sprintf("demo-history-%d", k), map[string]any{
			"title": "Ideenwerkstatt Integration " + h.season, "series": Series,
			"venue": "Kreishaus Winsen (Luhe), Schloßplatz 1", "days": days, "capacity": 40}, &w); err != nil {
			return err
		}
		base := "/api/v1/workshops/" + w.ID
		var fb struct{ State string }
		if err := c.do("GET", base+"/feedback", "", nil, &fb); err != nil {
			return err
		}
		if fb.State == "closed" {
			continue
		}
		if err := c.fillPastWorkshop(base, k, h.people, h.mood, days); err != nil {
			return err
		}
	}
	return nil
}

func (c *apiClient) fillPastWorkshop(base string, k, people, mood int, days [2]string) error {
	var tokens []string
	registered := time.Time{}
	if first, err := time.Parse(time.DateOnly, days[0]); err == nil {
		registered = first.AddDate(0, 0, -14).Add(9 * time.Hour) // two weeks before the workshop
	}
	for i := range people {
		first, last := demoFirst[(i+k)%len(demoFirst)], demoLast[(i*5+k)%len(demoLast)]
		district := demoDistricts[(i+k)%len(demoDistricts)]
		var r struct{ ID, Token string }
		c.setClock(registered)
		err := c.do("POST", base+"/registrations", fmt.Sprintf("demo-history-%d-registration-%d", k, i), map[string]any{
			"name": first + " " + last, "organisation": "Integrationsbüro " + district, "district": district,
			"email": fmt.Sprintf("h%d.%s%d@example.org", k, asciiFold(last), i), "consent": true}, &r)
		c.setClock(time.Time{})
		if err != nil {
			return err
		}
		if i%7 == 6 {
			continue // did not come
		}
		for d, day := range days {
			if err := c.checkIn(base, r.ID, day, "", 1000*(k+1)+10*i+d); err != nil {
				return err
			}
		}
		tokens = append(tokens, r.Token)
	}
	if err := c.do("POST", base+"/feedback/open", fmt.Sprintf("demo-history-%d-open", k), map[string]any{}, nil); err != nil {
		return err
	}
	for i, token := range tokens {
		if i%10 >= 7 {
			continue // about 70% answer
		}
		participant := &apiClient{h: c.h, token: token}
		if err := participant.do("PUT", base+"/feedback/questionnaires/workshop/answer", "", demoAnswer(i, mood), nil); err != nil {
			return err
		}
	}
	return c.do("POST", base+"/feedback/close", fmt.Sprintf("demo-history-%d-close", k), map[string]any{}, nil)
}

func demoAnswer(i, mood int) map[string]any {
	rating := func(q string, base int) map[string]any {
		return map[string]any{"question_id": q, "scale": min(5, max(1, base+mood+(i%3)-1))}
	}
	answers := []map[string]any{rating("satisfaction", 4), rating("content", 4), rating("organisation", 3), rating("usefulness", 3)}
	texts := []struct{ q, t string }{
		{"most_useful", "Der Austausch mit anderen Landkreisen"},
		{"missing", "Mehr Zeit für die Themencafés"},
		{"next_topics", []string{"Wohnraum für Geflüchtete", "Sprachkurse im ländlichen Raum", "Ehrenamt stärken"}[i%3]},
	}
	for _, t := range texts {
		answers = append(answers, map[string]any{"question_id": t.q, "text": t.t})
	}
	return map[string]any{"answers": answers}
}
