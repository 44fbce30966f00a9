package main

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

// TestTwoDayWorkshop walks the core scenario over HTTP as users would: an organiser schedules a
// two-day workshop and plans its agenda, people register (some wait), one cancels and the
// waitlist moves up, the organiser checks people in, and attendance adds up. Then the service
// restarts on the same data and everything is still there. It runs in the zero-setup shape
// (embedded NATS, read models in memory) and in the production shape (a separate nats-server,
// PostgreSQL).
func TestTwoDayWorkshop(t *testing.T) {
	t.Run("embedded NATS, memory", func(t *testing.T) {
		dir := t.TempDir()
		walkTwoDayWorkshop(t, func() *instance { return startInstance(t, nil, "--data-dir", dir) })
	})
	t.Run("nats-server, PostgreSQL", func(t *testing.T) {
		db, dir := testDatabase(t), t.TempDir()
		nats, stream := natsServer(t)
		walkTwoDayWorkshop(t, func() *instance {
			return startInstance(t, nil, "--data-dir", dir, "--nats-url", nats, "--stream", stream, "--database-url", db)
		})
	})
}

func walkTwoDayWorkshop(t *testing.T, start func() *instance) {
	in := start()
	a := api{t, in.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Ideenwerkstatt", "series": "IKOE-Ideenwerkstatt", "venue": "Kreishaus",
		"days": []string{"2037-11-16", "2037-11-17"}, "capacity": 3})
	id := w["id"].(string)
	base := "/api/v1/workshops/" + id
	keynote := a.must(201, "POST", base+"/sessions", organiser, map[string]any{
		"title": "Impulsvortrag", "kind": "keynote", "day": "2037-11-16", "starts": "10:00", "ends": "10:45",
		"room": "Plenum", "speakers": []string{"Prof. Yilmaz"}})["id"].(string)
	a.must(201, "POST", base+"/sessions", organiser, map[string]any{
		"title": "Begrüßung", "kind": "other", "day": "2037-11-16", "starts": "09:30", "ends": "10:00", "room": "Plenum"})
	got, problem := a.call("POST", base+"/sessions", organiser, map[string]any{
		"title": "Clash", "kind": "talk", "day": "2037-11-16", "starts": "10:30", "ends": "11:00", "room": "Plenum"})
	if got != http.StatusConflict {
		t.Errorf("overlapping session: status %d, want 409: %v", got, problem)
	}

	agenda := a.must(200, "GET", base, "", nil)["agenda"].([]any)
	if len(agenda) != 2 || agenda[0].(map[string]any)["title"] != "Begrüßung" {
		t.Errorf("agenda %v: want Begrüßung before Impulsvortrag", agenda)
	}

	regs := make([]map[string]any, 5)
	for i := range regs {
		regs[i] = a.must(201, "POST", base+"/registrations", "", map[string]any{
			"name": fmt.Sprintf("Person %d", i), "email": fmt.Sprintf("p%d@example.org", i),
			"organisation": []string{"Landkreis Harburg", "Caritas"}[i%2], "consent": true})
	}
	for i, want := range []string{"confirmed", "confirmed", "confirmed", "waitlisted", "waitlisted"} {
		if regs[i]["status"] != want {
			t.Errorf("registration %d: status %v, want %s", i, regs[i]["status"], want)
		}
	}
	if regs[4]["waitlist_position"] != 2.0 {
		t.Errorf("fifth registration: waitlist_position %v, want 2", regs[4]["waitlist_position"])
	}
	if got, _ := a.call("POST", base+"/registrations", "", map[string]any{
		"name": "Again", "email": "p1@example.org", "organisation": "X", "consent": true}); got != http.StatusConflict {
		t.Errorf("second registration of one email: status %d, want 409", got)
	}

	// The first person cancels with their own token; the first on the waitlist moves up.
	a.must(http.StatusNoContent, "DELETE", base+"/registrations/"+regs[0]["id"].(string), regs[0]["token"].(string), nil)
	r3 := a.must(200, "GET", base+"/registrations/"+regs[3]["id"].(string), regs[3]["token"].(string), nil)
	if r3["status"] != "confirmed" {
		t.Errorf("after a cancellation the first waitlisted is %v, want confirmed", r3["status"])
	}
	r4 := a.must(200, "GET", base+"/registrations/"+regs[4]["id"].(string), regs[4]["token"].(string), nil)
	if r4["status"] != "waitlisted" || r4["waitlist_position"] != 1.0 {
		t.Errorf("second waitlisted: %v at %v, want waitlisted at 1", r4["status"], r4["waitlist_position"])
	}

	for _, i := range []int{1, 2, 3} {
		rid := regs[i]["id"].(string)
		a.must(201, "POST", base+"/check-ins", organiser, map[string]any{"registration_id": rid, "day": "2037-11-16"})
		if i != 3 {
			a.must(201, "POST", base+"/check-ins", organiser, map[string]any{"registration_id": rid, "day": "2037-11-16", "session_id": keynote})
		}
	}
	if got, _ := a.call("POST", base+"/check-ins", organiser, map[string]any{
		"registration_id": regs[4]["id"], "day": "2037-11-16"}); got != http.StatusUnprocessableEntity {
		t.Errorf("check-in of a waitlisted person: status %d, want 422", got)
	}
	// A mistaken check-in is annulled.
	a.must(http.StatusNoContent, "DELETE", base+"/check-ins?registration_id="+regs[3]["id"].(string)+"&day=2037-11-16", organiser, nil)

	want := map[string]any{
		"capacity": 3.0, "confirmed": 3.0, "waitlisted": 1.0, "cancelled": 1.0,
		"days": []any{
			map[string]any{"day": "2037-11-16", "confirmed": 3.0, "waitlisted": 1.0, "checked_in": 2.0},
			map[string]any{"day": "2037-11-17", "confirmed": 3.0, "waitlisted": 1.0, "checked_in": 0.0},
		},
	}
	attendance := a.must(200, "GET", base+"/attendance", organiser, nil)
	checkAttendance(t, attendance, want, keynote)

	// Person 1, who was there, asks to be forgotten: the name goes, the counts stay.
	erased := base + "/registrations/" + regs[1]["id"].(string)
	a.must(http.StatusNoContent, "DELETE", erased+"/personal-data", regs[1]["token"].(string), nil)
	if got := a.must(200, "GET", base+"/attendance", organiser, nil); !reflect.DeepEqual(got, attendance) {
		t.Errorf("after an erasure attendance is\n%v\nwant\n%v", got, attendance)
	}

	// Restart on the same data: nothing is lost.
	in.stop(t)
	in = start()
	a = api{t, in.url}
	again := a.must(200, "GET", base+"/attendance", organiser, nil)
	if !reflect.DeepEqual(again, attendance) {
		t.Errorf("after a restart attendance is\n%v\nwant\n%v", again, attendance)
	}
	list := a.must(200, "GET", base+"/registrations", organiser, nil)["registrations"].([]any)
	if len(list) != 5 {
		t.Errorf("after a restart %d registrations, want 5", len(list))
	}
	if r := a.must(200, "GET", erased, organiser, nil); r["erased"] != true || r["name"] != "" || r["email"] != "" || r["status"] != "confirmed" {
		t.Errorf("after a restart the erased person reads %v, want erased, confirmed, without name and email", r)
	}
	if got, _ := a.call("GET", base+"/registrations", regs[1]["token"].(string), nil); got != http.StatusForbidden && got != http.StatusUnauthorized {
		t.Errorf("participant token on the organiser's list: status %d, want 401 or 403", got)
	}
}

func checkAttendance(t *testing.T, got, want map[string]any, keynote string) {
	t.Helper()
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("attendance %s = %v, want %v", k, got[k], v)
		}
	}
	sessions := got["sessions"].([]any)
	found := false
	for _, s := range sessions {
		s := s.(map[string]any)
		if s["id"] == keynote {
			found = true
			if s["checked_in"] != 2.0 {
				t.Errorf("keynote checked in %v, want 2", s["checked_in"])
			}
		}
	}
	if !found {
		t.Errorf("attendance sessions %v lack the keynote", sessions)
	}
	orgs := got["organisations"].([]any)
	if len(orgs) != 2 {
		t.Errorf("attendance organisations %v, want Caritas and Landkreis Harburg", orgs)
	}
}
