package main

import (
	"strings"
	"testing"
	"time"
)

// fastSchedule makes the instances look for due mails five times a second, for the test.
func fastSchedule(t *testing.T) {
	dueMailsEvery = 200 * time.Millisecond
	t.Cleanup(func() { dueMailsEvery = time.Minute })
}

// TestScheduledMailsThroughSMTP runs two instances on one stream against a real SMTP server: a
// workshop within its reminder range gets its reminders exactly once however many ticks of
// however many instances see it; an organiser's message reaches exactly the chosen group; a
// café's published plan mails every seated participant their route.
func TestScheduledMailsThroughSMTP(t *testing.T) {
	fastSchedule(t) // before the instances start, reset after they stopped
	shortRetries(t)
	smtp := startMailServer(t)
	url, stream := natsServer(t)
	args := []string{"--nats-url", url, "--stream", stream, "--smtp-url", smtp.url(), "--mail-from", "werkstatt@example.org"}
	env := map[string]string{"WERKSTATT_MASTER_KEY": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="}
	one := startInstance(t, env, append([]string{"--data-dir", t.TempDir()}, args...)...)
	two := startInstance(t, env, append([]string{"--data-dir", t.TempDir()}, args...)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s\n%s", one.log, two.log)
		}
	})
	a, b := api{t, one.url}, api{t, two.url}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// Tomorrow, without a reminder for now, so that everybody is registered before it goes out.
	tomorrow := time.Now().In(berlin).AddDate(0, 0, 1).Format(time.DateOnly)
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Erinnerungswerkstatt",
		"venue": "Rathaus", "days": []string{tomorrow}, "capacity": 2, "reminder_days": 0})
	base := "/api/v1/workshops/" + w["id"].(string)
	// A workshop of next year is far from its reminder: nothing for its people.
	later := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Spätwerkstatt",
		"venue": "Rathaus", "days": []string{time.Now().In(berlin).AddDate(1, 0, 0).Format(time.DateOnly)}, "capacity": 2})
	register := func(c api, base, name, lang string) map[string]any {
		body := map[string]any{"name": name, "email": strings.ToLower(name) + "@example.org", "organisation": "Caritas", "consent": true}
		if lang != "" {
			body["lang"] = lang
		}
		return c.must(201, "POST", base+"/registrations", "", body)
	}
	ann := register(a, base, "Ann", "en")
	register(b, base, "Ben", "")
	register(a, base, "Cleo", "") // waitlisted
	register(b, "/api/v1/workshops/"+later["id"].(string), "Dora", "")

	// Two days ahead: the reminder is due since yesterday 09:00. The schedule decides it on its
	// next tick; each confirmed person gets one, whatever the ticks.
	smtp.waitFor("ben@example.org", "Anmeldung bestätigt")
	b.must(200, "PATCH", base, organiser, map[string]any{"reminder_days": 2})
	reminder := smtp.waitFor("ann@example.org", "Coming up soon: Erinnerungswerkstatt")
	if !strings.Contains(reminder.Text, "Venue: Rathaus") || !strings.Contains(reminder.Text, "token="+ann["token"].(string)) || !reminder.HTML {
		t.Errorf("Ann's reminder: %+v", reminder)
	}
	smtp.waitFor("ben@example.org", "Bald geht es los: Erinnerungswerkstatt")
	time.Sleep(1500 * time.Millisecond) // several ticks of both instances
	for _, addr := range []string{"ann@example.org", "ben@example.org"} {
		n := 0
		for _, m := range smtp.to(addr) {
			if strings.Contains(m.Subject, "Coming up soon") || strings.Contains(m.Subject, "Bald geht es los") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got %d reminders, want 1", addr, n)
		}
	}
	for _, addr := range []string{"cleo@example.org", "dora@example.org"} {
		for _, m := range smtp.to(addr) {
			if strings.Contains(m.Subject, "Bald geht es los") {
				t.Errorf("%s got a reminder: %+v", addr, m)
			}
		}
	}

	// The organiser writes to the waitlist: Cleo gets it, nobody else.
	sent := b.must(202, "POST", base+"/messages", organiser, map[string]any{"to": []string{"waitlisted"},
		"subject": "Noch ein Platz?", "text": "Es wird knapp.\nBitte <halten> Sie sich bereit."})
	if sent["recipients"] != float64(1) {
		t.Errorf("the message's recipients: %v, want 1", sent)
	}
	msg := smtp.waitFor("cleo@example.org", "Erinnerungswerkstatt: Noch ein Platz?")
	if !strings.Contains(strings.ReplaceAll(msg.Text, "\r\n", "\n"), "Es wird knapp.\nBitte <halten> Sie sich bereit.") || !strings.Contains(msg.Text, "Hallo Cleo") {
		t.Errorf("Cleo's message: %q", msg.Text)
	}
	for _, addr := range []string{"ann@example.org", "ben@example.org", "dora@example.org"} {
		for _, m := range smtp.to(addr) {
			if strings.Contains(m.Subject, "Noch ein Platz?") {
				t.Errorf("%s, not waitlisted, got the message to the waitlist", addr)
			}
		}
	}
	list := a.must(200, "GET", base+"/messages", organiser, nil)
	if ms, _ := list["messages"].([]any); len(ms) != 1 {
		t.Errorf("the sent messages: %v", list)
	}

	// The café's plan is published: Ann and Ben, who hold seats, get their routes.
	cafe := a.must(201, "POST", base+"/sessions", organiser, map[string]any{"title": "Ideencafé", "kind": "theme_cafe",
		"day": tomorrow, "starts": "14:00", "ends": "15:00"})
	cb := base + "/sessions/" + cafe["id"].(string) + "/theme-cafe"
	a.must(200, "PUT", cb+"/rounds", organiser, map[string]any{"rounds": 2})
	for _, topic := range []string{"Wohnen", "Bildung"} {
		a.must(201, "POST", cb+"/tables", organiser, map[string]any{"topic": topic, "capacity": 4, "host_guest": "Gast " + topic})
	}
	a.must(200, "POST", cb+"/plan", organiser, nil)
	b.must(200, "POST", cb+"/plan/publish", organiser, nil)
	route := smtp.waitFor("ann@example.org", "Your tables at the theme café: Ideencafé")
	if !strings.Contains(route.Text, "Round 1") || !strings.Contains(route.Text, "Round 2") ||
		!(strings.Contains(route.Text, "Wohnen") || strings.Contains(route.Text, "Bildung")) {
		t.Errorf("Ann's route: %q", route.Text)
	}
	smtp.waitFor("ben@example.org", "Ihre Tische im Themencafé: Ideencafé")

	time.Sleep(500 * time.Millisecond)
	ids := map[string]bool{}
	for _, m := range smtp.mails() {
		if ids[m.MessageID] {
			t.Errorf("Message-ID %s twice", m.MessageID)
		}
		ids[m.MessageID] = true
	}
}
