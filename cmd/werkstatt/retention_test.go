package main

import (
	"strings"
	"testing"
	"time"
)

// TestRetentionRunsByItself runs two instances on one stream with the retention checked five
// times a second: a registration of a workshop two years past is erased by itself, once,
// while one of this year stays.
func TestRetentionRunsByItself(t *testing.T) {
	retentionEvery = 200 * time.Millisecond
	t.Cleanup(func() { retentionEvery = time.Hour })
	url, stream := natsServer(t)
	args := []string{"--nats-url", url, "--stream", stream}
	env := map[string]string{"WERKSTATT_MASTER_KEY": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="}
	one := startInstance(t, env, append([]string{"--data-dir", t.TempDir()}, args...)...)
	two := startInstance(t, env, append([]string{"--data-dir", t.TempDir()}, args...)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s\n%s", one.log, two.log)
		}
	})
	a := api{t, one.url}
	past := time.Now().AddDate(-2, 0, 0).Format(time.DateOnly)
	soon := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	old := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Altwerkstatt",
		"venue": "Rathaus", "days": []string{past}, "capacity": 5})
	current := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Neuwerkstatt",
		"venue": "Rathaus", "days": []string{soon}, "capacity": 5})
	person := map[string]any{"name": "Ann", "email": "ann@example.org", "organisation": "Caritas", "consent": true}
	oldPath := "/api/v1/workshops/" + old["id"].(string) + "/registrations"
	ann := a.must(201, "POST", oldPath, organiser, person) // by hand: the workshop is over
	a.must(201, "POST", "/api/v1/workshops/"+current["id"].(string)+"/registrations", "", person)

	deadline := time.Now().Add(10 * time.Second)
	for {
		r := a.must(200, "GET", oldPath+"/"+ann["id"].(string), organiser, nil)
		if r["erased"] == true && r["name"] == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ann of a workshop two years past: got %v, want erased by the retention", r)
		}
		time.Sleep(100 * time.Millisecond)
	}
	list := a.must(200, "GET", "/api/v1/workshops/"+current["id"].(string)+"/registrations", organiser, nil)
	regs := list["registrations"].([]any)
	if len(regs) != 1 || regs[0].(map[string]any)["name"] != "Ann" {
		t.Errorf("this year's registration: got %v, want Ann kept", regs)
	}
	time.Sleep(600 * time.Millisecond) // several runs of both instances
	status, history, _ := a.raw("GET", "/api/v1/workshops/"+old["id"].(string)+"/history", organiser, nil)
	if n := strings.Count(string(history), `"registration.personal_data_erased.v1"`); status != 200 || n != 1 {
		t.Errorf("got %d, %d erasures in the history, want 1: %s", status, n, history)
	}
}
