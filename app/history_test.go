package app_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

var actors = []struct {
	log  string
	want app.Actor
}{
	{app.ActorOrganiser, app.Actor{Kind: app.KindOrganiser, Role: "organiser"}},
	{app.ActorPublic, app.Actor{Kind: app.KindPublic, Role: "public"}},
	{app.ActorHost, app.Actor{Kind: app.KindHost, Role: "host"}},
	{app.ActorParticipant("01JREG"), app.Actor{Kind: app.KindParticipant, ID: "01JREG", Role: "participant"}},
	{app.ActorAccount("acc-1", "door"), app.Actor{Kind: app.KindAccount, ID: "acc-1", Role: "door"}},
	{"account:acc:with:colons:lead", app.Actor{Kind: app.KindAccount, ID: "acc:with:colons", Role: "lead"}},
	{"account:acc-1:emperor", app.Actor{Kind: app.KindUnknown, Role: "unknown"}},
	{"account::admin", app.Actor{Kind: app.KindUnknown, Role: "unknown"}},
	{"participant:", app.Actor{Kind: app.KindUnknown, Role: "unknown"}},
	{"participant:a b", app.Actor{Kind: app.KindUnknown, Role: "unknown"}},
	{"", app.Actor{Kind: app.KindUnknown, Role: "unknown"}},
	{"test\x00", app.Actor{Kind: app.KindUnknown, Role: "unknown"}},
}

func TestParseActor(t *testing.T) {
	for _, c := range actors {
		if got := app.ParseActor(c.log); got != c.want {
			t.Errorf("ParseActor(%q): got %+v, want %+v", c.log, got, c.want)
		}
	}
	for _, role := range domain.Roles {
		if got := app.ParseActor(app.ActorAccount("a1", role)); got.Kind != app.KindAccount || got.Role != string(role) || got.ID != "a1" {
			t.Errorf("ParseActor of account a1 as %s: got %+v", role, got)
		}
	}
}
