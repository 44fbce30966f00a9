package main

import (
	"testing"
	"time"
)

// TestLeadGrantAcrossReplicas runs two instances on one nats-server and stream, as replicas
// behind a load balancer: a lead granted on one reads through the other, and a revocation on
// the other ends the token on the first at once.
func TestLeadGrantAcrossReplicas(t *testing.T) {
	dir := t.TempDir()
	nats, stream := natsServer(t)
	args := []string{"--data-dir", dir, "--nats-url", nats, "--stream", stream}
	one, two := api{t, startInstance(t, nil, args...).url}, api{t, startInstance(t, nil, args...).url}

	id := one.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Ideenwerkstatt",
		"series": "AMIF 2026", "venue": "Kreishaus", "days": []string{"2037-11-16"}, "capacity": 3})["id"].(string)
	grant := one.must(201, "POST", "/api/v1/series/AMIF%202026/lead-tokens", organiser,
		map[string]any{"label": "Projektleitung AMIF, Frau Schulz"})
	token := grant["token"].(string)

	report := "/api/v1/workshops/" + id + "/reports/attendance"
	deadline := time.Now().Add(10 * time.Second)
	for status, _ := two.call("GET", report, token, nil); status != 200; status, _ = two.call("GET", report, token, nil) {
		if status != 404 || time.Now().After(deadline) {
			t.Fatalf("the lead on the second instance: got %d, want 200 once it has caught up", status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	two.must(204, "DELETE", "/api/v1/series/AMIF%202026/lead-tokens/"+grant["id"].(string), organiser, nil)
	one.must(401, "GET", report, token, nil)
	list := one.must(200, "GET", "/api/v1/series/AMIF%202026/lead-tokens", organiser, nil)["grants"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["status"] != "revoked" {
		t.Errorf("the grants on the first instance: got %v, want Frau Schulz's, revoked", list)
	}
}
