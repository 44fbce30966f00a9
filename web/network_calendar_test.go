package web_test

import (
	"net/http"
	"testing"
)

// TestNetworkCalendarLinks: the network's page offers its calendar feed (download, webcal
// subscription, address), and a workshop of the network links to the feed on its public page;
// the link works.
func TestNetworkCalendarLinks(t *testing.T) {
	s := startService(t)
	var n struct{ ID string }
	s.api("POST", "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &n)
	var w struct{ ID string }
	s.api("POST", "/api/v1/workshops", organiserToken, map[string]any{"title": "Offene Werkstatt", "venue": "Eisenach",
		"days": []string{"2026-11-16"}, "capacity": 10, "network": n.ID}, &w)
	feed := "/api/v1/networks/" + n.ID + "/workshops.ics?lang=de"

	b := s.signIn(t)
	b.get("/organiser/networks/"+n.ID).mustContain(t, "the network's page", `id="calendar-network"`,
		"Die Workshops des Netzwerks im Kalender", `href="`+feed+`"`, "webcal://")
	b.get("/organiser/networks/"+n.ID+"?lang=en").mustContain(t, "the English network page", "The network&#39;s workshops in your calendar")
	s.browser().get("/w/"+w.ID).mustContain(t, "the workshop's page", `id="network-feed"`, `href="`+feed+`"`, "Alle Workshops dieses Netzwerks")
	if p := s.browser().get(feed); p.status != http.StatusOK || !contains(p.body, "Offene Werkstatt") {
		t.Errorf("the feed: got %d %s, want the network's workshop", p.status, p.body)
	}
}
