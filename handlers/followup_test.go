package handlers_test

import (
	"net/url"
	"slices"
	"strconv"
	"testing"
)

// Follow-ups as a client reads them.
type (
	topic struct {
		ID         string   `json:"id"`
		WorkshopID string   `json:"workshop_id"`
		Title      string   `json:"title"`
		Status     string   `json:"status"`
		Voters     *int     `json:"voters"`
		Voted      *bool    `json:"voted"`
		MergedInto string   `json:"merged_into"`
		MergedFrom []string `json:"merged_from"`
		Link       *struct {
			WorkshopID string `json:"workshop_id"`
			SessionID  string `json:"session_id"`
		} `json:"link"`
		History []struct{ Kind string } `json:"history"`
	}
	topicBoard struct {
		Voting    string   `json:"voting"`
		VoteLimit int      `json:"vote_limit"`
		Topics    []topic  `json:"topics"`
		MyVotes   []string `json:"my_votes"`
	}
	actionItem struct {
		ID     string `json:"id"`
		What   string `json:"what"`
		DueBy  string `json:"due_by"`
		Status string `json:"status"`
		DoneAt string `json:"done_at"`
		DoneBy *struct {
			RegistrationID string `json:"registration_id"`
			Name           string `json:"name"`
		} `json:"done_by"`
		Who struct {
			RegistrationID string `json:"registration_id"`
			Name           string `json:"name"`
			Organisation   string `json:"organisation"`
		} `json:"who"`
	}
	backlog struct {
		Topics      []topic      `json:"topics"`
		ActionItems []actionItem `json:"action_items"`
	}
)

// titlesOf lists the topics as "title:voters".
func titlesOf(ts []topic) []string {
	var out []string
	for _, t := range ts {
		n := -1
		if t.Voters != nil {
			n = *t.Voters
		}
		out = append(out, t.Title+":"+strconv.Itoa(n))
	}
	return out
}

// TestFollowUpsAcrossTheSeries walks issue 6: topics proposed and voted in one workshop, a
// duplicate merged, the ranking in the planning view of the next workshop of the series, one
// topic turned into a session there, and an action item created and closed.
func TestFollowUpsAcrossTheSeries(t *testing.T) {
	s := startService(t)
	first := s.schedule(20)
	base := "/api/v1/workshops/" + first.ID
	var people []registered
	for _, name := range []string{"Ada", "Bea", "Cem", "Dana"} {
		people = append(people, s.register(first, person(name, "Verein "+name)))
	}
	var talk session
	s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{
		"title": "Wohnen", "kind": "talk", "day": day1, "starts": "10:00", "ends": "11:00"}}, 201, &talk)

	topics := map[string]topic{}
	propose := func(token, title string, source map[string]any) {
		t.Helper()
		var tp topic
		s.must(request{method: "POST", path: base + "/topics", token: token, body: map[string]any{"title": title, "source": source}}, 201, &tp)
		topics[title] = tp
	}
	propose(people[0].Token, "Mieten", map[string]any{"kind": "session", "session_id": talk.ID})
	propose(org, "Wohnkosten", map[string]any{"kind": "closing_discussion"})
	propose(org, "Ehrenamt", map[string]any{"kind": "feedback"})
	propose(org, "Digitales", nil)
	id := func(title string) string { return topics[title].ID }

	votes := base + "/topics/votes"
	vote := func(p registered, status int, titles ...string) {
		t.Helper()
		ids := []string{}
		for _, ti := range titles {
			ids = append(ids, id(ti))
		}
		s.must(request{method: "PUT", path: votes, token: p.Token, body: map[string]any{"topic_ids": ids}}, status, nil)
	}
	vote(people[0], 409, "Mieten") // voting not open yet
	s.must(request{method: "POST", path: base + "/topics/voting/open", token: people[0].Token}, 403, nil)
	s.must(request{method: "POST", path: base + "/topics/voting/open", token: org}, 200, nil)
	s.must(request{method: "PUT", path: base + "/topics/vote-limit", token: org, body: map[string]any{"limit": 2}}, 200, nil)
	vote(people[0], 200, "Mieten", "Wohnkosten")
	vote(people[1], 200, "Mieten")
	vote(people[2], 200, "Wohnkosten", "Ehrenamt")
	vote(people[3], 409, "Mieten", "Wohnkosten", "Ehrenamt") // over the limit
	vote(people[3], 200, "Digitales")

	var mine topicBoard
	s.must(request{method: "GET", path: base + "/topics", token: people[0].Token}, 200, &mine)
	if len(mine.MyVotes) != 2 || len(mine.Topics) != 4 || mine.Topics[0].Title != "Mieten" || mine.Topics[0].Voters != nil ||
		mine.Topics[0].Voted == nil || !*mine.Topics[0].Voted || *mine.Topics[2].Voted {
		t.Fatalf("participant's board: got %+v, want the topics in proposal order, own votes, no counts", mine)
	}

	var board topicBoard
	s.must(request{method: "POST", path: base + "/topics/" + id("Mieten") + "/merge", token: org,
		body: map[string]any{"into": id("Wohnkosten")}}, 200, &board)
	if got, want := titlesOf(board.Topics), []string{"Wohnkosten:3", "Ehrenamt:1", "Digitales:1", "Mieten:0"}; !slices.Equal(got, want) {
		t.Fatalf("after merging Mieten into Wohnkosten got ranking %v, want %v (Ada counted once)", got, want)
	}
	vote(people[0], 200, "Wohnkosten", "Ehrenamt") // Ada spends the vote she got back
	s.must(request{method: "POST", path: base + "/topics/voting/close", token: org}, 200, nil)
	vote(people[1], 409, "Ehrenamt")

	second, other := scheduleAt(t, s, "Werkstatt 2026", "2038-03-01"), scheduleAt(t, s, "Andere Reihe", "2038-04-01")
	var planned session
	s.must(request{method: "POST", path: "/api/v1/workshops/" + second.ID + "/sessions", token: org, body: map[string]any{
		"title": "Wohnkosten senken", "kind": "discussion", "day": "2038-03-01", "starts": "10:00", "ends": "11:00"}}, 201, &planned)
	var plan backlog
	s.must(request{method: "GET", path: "/api/v1/workshops/" + second.ID + "/backlog", token: org}, 200, &plan)
	if got, want := titlesOf(plan.Topics), []string{"Wohnkosten:3", "Ehrenamt:2", "Digitales:1"}; !slices.Equal(got, want) {
		t.Fatalf("planning view of the next workshop: got %v, want %v", got, want)
	}
	if top := plan.Topics[0]; !slices.Equal(top.MergedFrom, []string{id("Mieten")}) || len(top.History) != 2 {
		t.Errorf("got the top topic's provenance %+v, want merged from Mieten, history proposed + merged_from", top)
	}
	s.must(request{method: "GET", path: "/api/v1/workshops/" + other.ID + "/backlog", token: org}, 200, &plan)
	if len(plan.Topics) != 0 {
		t.Errorf("another series' planning view: got %v, want no topics", titlesOf(plan.Topics))
	}

	status := base + "/topics/" + id("Wohnkosten") + "/status"
	s.must(request{method: "PUT", path: status, token: org, body: map[string]any{"status": "planned",
		"workshop_id": other.ID, "session_id": planned.ID}}, 422, nil) // no such session there
	s.must(request{method: "PUT", path: status, token: org, body: map[string]any{"status": "planned",
		"workshop_id": second.ID, "session_id": planned.ID}}, 200, nil)
	var series backlog
	s.must(request{method: "GET", path: "/api/v1/series/" + url.PathEscape("Werkstatt 2026") + "/backlog", token: org}, 200, &series)
	if top := series.Topics[0]; top.Status != "planned" || top.Link == nil || top.Link.SessionID != planned.ID || top.Link.WorkshopID != second.ID {
		t.Errorf("series backlog: got %+v, want Wohnkosten planned into the session of the next workshop", top)
	}
	s.must(request{method: "GET", path: "/api/v1/workshops/" + second.ID + "/backlog", token: org}, 200, &plan)
	if got := titlesOf(plan.Topics); !slices.Equal(got, []string{"Ehrenamt:2", "Digitales:1"}) {
		t.Errorf("planning view after planning: got %v, want the open topics only", got)
	}
	checkActionItems(t, s, first, second, people)
}

func checkActionItems(t *testing.T, s *service, first, second workshop, people []registered) {
	t.Helper()
	items := "/api/v1/workshops/" + first.ID + "/action-items"
	var bea, room actionItem
	s.must(request{method: "POST", path: items, token: org, body: map[string]any{"what": "Protokoll verschicken",
		"who": map[string]any{"registration_id": people[1].ID}}}, 201, &bea)
	if bea.DueBy != "2038-03-01" || bea.Status != "open" || bea.Who.Name != "Bea" {
		t.Errorf("got action item %+v, want due on the next workshop's first day, open, for Bea", bea)
	}
	s.must(request{method: "POST", path: items, token: org, body: map[string]any{"what": "Saal buchen",
		"who": map[string]any{"organisation": "Jugendring"}, "due_by": nil}}, 201, &room)
	s.must(request{method: "POST", path: items + "/" + room.ID + "/done", token: people[2].Token}, 403, nil)
	s.must(request{method: "POST", path: items + "/" + bea.ID + "/done", token: people[1].Token}, 200, &bea)
	if bea.Status != "done" || bea.DoneAt == "" || bea.DoneBy == nil || bea.DoneBy.RegistrationID != people[1].ID {
		t.Errorf("closed item: got %+v, want done, when, by Bea", bea)
	}
	var open struct {
		ActionItems []actionItem `json:"action_items"`
	}
	s.must(request{method: "GET", path: "/api/v1/series/" + url.PathEscape("Werkstatt 2026") + "/action-items?status=open", token: org}, 200, &open)
	if len(open.ActionItems) != 1 || open.ActionItems[0].ID != room.ID || open.ActionItems[0].DueBy != "" {
		t.Errorf("open items of the series: got %+v, want only Saal buchen, without date", open.ActionItems)
	}
	var plan backlog
	s.must(request{method: "GET", path: "/api/v1/workshops/" + second.ID + "/backlog", token: org}, 200, &plan)
	if len(plan.ActionItems) != 1 || plan.ActionItems[0].ID != room.ID {
		t.Errorf("planning view's action items: got %+v, want the open one", plan.ActionItems)
	}
}

// scheduleAt creates a one-day workshop of series on day.
func scheduleAt(t *testing.T, s *service, series, day string) workshop {
	t.Helper()
	var w workshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Frühjahr", "series": series, "venue": "Kassel", "days": []string{day}, "capacity": 20}}, 201, &w)
	return w
}
