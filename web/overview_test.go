package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestOverviewPage: a network's workshop overview shows its upcoming and past workshops with
// free seats per day, the members-only ones to its members only, filters by series and
// district, links the calendar feed and is linked from the announcements page; hostile filters
// are refused, an unknown network is not found.
func TestOverviewPage(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	var forum struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &forum)
	mia := s.signedInMember(t, creds, forum.ID, "mia", "", "member")
	schedule := func(title, series, visibility string, capacity int, days ...string) string {
		var w struct{ ID string }
		s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": title, "series": series, "venue": "Eisenach",
			"days": days, "capacity": capacity, "network": forum.ID, "visibility": visibility}, &w)
		return w.ID
	}
	open := schedule("Offene Werkstatt", "Ideenwerkstatt", "public", 3, "2037-03-02")
	schedule("Interne Runde", "Ideenwerkstatt", "members", 10, "2037-04-06")
	schedule("Netzwerktreffen März", "Netzwerktreffen", "public", 10, "2037-03-20")
	schedule("Alte Werkstatt", "Ideenwerkstatt", "public", 10, "2019-01-06")
	s.api(http.MethodPost, "/api/v1/workshops/"+open+"/registrations", "", map[string]any{"name": "Alice", "email": "alice@example.org",
		"organisation": "Landkreis", "district": "Gotha", "consent": true}, nil)

	path := "/networks/" + forum.ID + "/workshops"
	public := s.browser().get(path)
	public.mustContain(t, "the public overview", "Workshop-Übersicht: Forum Integration", "Kommende Workshops", "Vergangene Workshops",
		"Offene Werkstatt", "Netzwerktreffen März", "Alte Werkstatt", `href="/w/`+open+`"`, "2 freie Plätze",
		`id="calendar-network"`, "/api/v1/networks/"+forum.ID+"/workshops.ics")
	if strings.Contains(public.body, "Interne Runde") {
		t.Errorf("the public overview shows the members-only workshop")
	}
	// The past workshop is under the past heading, after the upcoming ones.
	if up, past := strings.Index(public.body, "Netzwerktreffen März"), strings.Index(public.body, "Alte Werkstatt"); up > past {
		t.Errorf("the past workshop comes before the upcoming ones")
	}
	mia.get(path).mustContain(t, "the member's overview", "Interne Runde", "Offene Werkstatt")
	s.browser().get(path+"?lang=en").mustContain(t, "the English overview", "Workshop overview", "Upcoming workshops", "Past workshops")

	series := s.browser().get(path + "?series=Netzwerktreffen")
	series.mustContain(t, "the overview of one series", "Netzwerktreffen März", `value="Netzwerktreffen"`, "Alle zeigen")
	if strings.Contains(series.body, "Offene Werkstatt") {
		t.Errorf("the series filter keeps another series")
	}
	district := s.browser().get(path + "?district=gotha")
	district.mustContain(t, "the overview of one district", "Offene Werkstatt")
	if strings.Contains(district.body, "Netzwerktreffen März") || strings.Contains(district.body, "Alte Werkstatt") {
		t.Errorf("the district filter keeps workshops nobody from Gotha registered for")
	}
	s.browser().get("/networks/"+forum.ID).mustContain(t, "the announcements page", `href="/networks/`+forum.ID+`/workshops"`, "Alle Workshops des Netzwerks")

	for _, q := range []string{"?series=%00", "?district=a%0Ab", "?district=%FF"} {
		if p := s.browser().get(path + q); p.status != http.StatusUnprocessableEntity {
			t.Errorf("filter %s: got %d, want 422", q, p.status)
		}
	}
	for _, bad := range []string{"/networks/01ARZ3NDEKTSV4RRFFQ69G5FAV/workshops", "/networks/kein%20Netz/workshops"} {
		if p := s.browser().get(bad); p.status != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", bad, p.status)
		}
	}
}
