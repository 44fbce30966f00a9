package web

import (
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// TestNetworkGroupsNextMeeting: a group's next meeting is the earliest one not over yet (a
// meeting of several days counts until its last day); a group whose meetings are over has none.
func TestNetworkGroupsNextMeeting(t *testing.T) {
	meeting := func(id string, days ...domain.Day) app.GroupMeetingView {
		return app.GroupMeetingView{Workshop: domain.WorkshopID(id), Title: id, Days: days}
	}
	groups := []app.GroupView{
		{ID: "g1", Name: "AG Sprache", Members: []app.GroupMemberView{{ID: "a"}, {ID: "b"}}, Meetings: []app.GroupMeetingView{
			meeting("past", "2037-01-10"), meeting("later", "2037-06-01"), meeting("running", "2037-03-09", "2037-03-11"),
			meeting("soon", "2037-04-01")}},
		{ID: "g2", Name: "AG Arbeit", Meetings: []app.GroupMeetingView{meeting("over", "2037-02-01")}},
	}
	got := networkGroups(groups, "2037-03-10")
	if len(got) != 2 || got[0].Members != 2 || got[0].Next == nil || got[0].Next.Workshop != "running" || got[1].Next != nil {
		t.Errorf("got %+v, want AG Sprache with 2 members meeting next at running, AG Arbeit with none", got)
	}
}
