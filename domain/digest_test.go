package domain_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestDigestDecisions(t *testing.T) {
	sub := domain.DigestSubscribed{Account: "anna"}
	subscribe := func(n domain.Network) ([]domain.Event, error) { return n.SubscribeDigest("anna", "") }
	subscribeIn := func(lang string) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.SubscribeDigest("anna", lang) }
	}
	subEn := domain.DigestSubscribed{Account: "anna", Lang: "en"}
	unsubscribe := func(n domain.Network) ([]domain.Event, error) { return n.UnsubscribeDigest("anna") }
	tests := []struct {
		name   string
		given  []domain.Event
		decide domain.NetworkDecision
		then   []domain.Event
		err    error
	}{
		{name: "a member subscribes", given: []domain.Event{created, annaJoin}, decide: subscribe, then: []domain.Event{sub}},
		{name: "subscribing again changes nothing", given: []domain.Event{created, annaJoin, sub}, decide: subscribe},
		{name: "a stranger does not subscribe", given: []domain.Event{created}, decide: subscribe, err: domain.ErrMemberNotFound},
		{name: "no network", decide: subscribe, err: domain.ErrNetworkNotFound},
		{name: "a removed member does not subscribe", given: []domain.Event{created, annaJoin, domain.MemberRemoved{Account: "anna"}},
			decide: subscribe, err: domain.ErrMemberNotFound},
		{name: "unsubscribe", given: []domain.Event{created, annaJoin, sub}, decide: unsubscribe,
			then: []domain.Event{domain.DigestUnsubscribed{Account: "anna"}}},
		{name: "unsubscribing again changes nothing", given: []domain.Event{created, annaJoin, sub, domain.DigestUnsubscribed{Account: "anna"}},
			decide: unsubscribe},
		{name: "a removed member's subscription is gone", given: []domain.Event{created, annaJoin, sub, domain.MemberRemoved{Account: "anna"}},
			decide: unsubscribe},
		{name: "re-added, not subscribed again", given: []domain.Event{created, annaJoin, sub, domain.MemberRemoved{Account: "anna"}, annaJoin},
			decide: subscribe, then: []domain.Event{sub}},
		{name: "unsubscribe from no network", decide: unsubscribe, err: domain.ErrNetworkNotFound},
		{name: "subscribes in English", given: []domain.Event{created, annaJoin}, decide: subscribeIn("en"), then: []domain.Event{subEn}},
		{name: "subscribed in German (no lang), again in German: nothing", given: []domain.Event{created, annaJoin, sub}, decide: subscribeIn("de")},
		{name: "subscribed in German, again in English: recorded", given: []domain.Event{created, annaJoin, sub}, decide: subscribeIn("en"),
			then: []domain.Event{subEn}},
		{name: "subscribed in English, again in English: nothing", given: []domain.Event{created, annaJoin, subEn}, decide: subscribeIn("en")},
		{name: "an unknown language", given: []domain.Event{created, annaJoin}, decide: subscribeIn("fr"), err: domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.decide(foldNetwork(tt.given...))
			switch {
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Errorf("got %v, want %v", err, tt.err)
				}
			case err != nil:
				t.Fatalf("got %v", err)
			case !reflect.DeepEqual(got, tt.then):
				t.Errorf("got %#v, want %#v", got, tt.then)
			}
		})
	}
}

func TestDigestLanguage(t *testing.T) {
	n := foldNetwork(created, annaJoin, benJoin, domain.DigestSubscribed{Account: "ben"}, domain.DigestSubscribed{Account: "anna", Lang: "en"})
	if got := n.DigestLanguage("anna"); got != "en" {
		t.Errorf("anna's language %q, want en", got)
	}
	if got := n.DigestLanguage("ben"); got != "de" {
		t.Errorf("ben's language (an event without lang) %q, want de", got)
	}
	n = n.Clone().Evolve(domain.DigestUnsubscribed{Account: "anna"}).Evolve(domain.DigestSubscribed{Account: "anna"})
	if got := n.DigestLanguage("anna"); got != "de" {
		t.Errorf("anna's language after subscribing again without lang %q, want de", got)
	}
}

func TestDigestRecipientsAndTokens(t *testing.T) {
	n := foldNetwork(created, annaJoin, benJoin, domain.DigestSubscribed{Account: "ben"}, domain.DigestSubscribed{Account: "anna"})
	if got := n.DigestRecipients(); !reflect.DeepEqual(got, []domain.AccountID{"anna", "ben"}) {
		t.Errorf("recipients %v", got)
	}
	later := n.Clone().Evolve(domain.MemberRemoved{Account: "ben"})
	if got := later.DigestRecipients(); !reflect.DeepEqual(got, []domain.AccountID{"anna"}) || !n.Digest["ben"] {
		t.Errorf("after removing ben: %v; the original: %v", got, n.Digest)
	}
	tok := domain.DigestToken("forum", "anna", "mac_-1")
	if id, acc, mac, ok := domain.ParseDigestToken(tok); !ok || id != "forum" || acc != "anna" || mac != "mac_-1" {
		t.Errorf("parse %q: %v %v %v %v", tok, id, acc, mac, ok)
	}
	for _, bad := range []string{"", "a.b", "a.b.c.d", "../x.b.c", "a.b.", "a\x00.b.c", ".b.c"} {
		if _, _, _, ok := domain.ParseDigestToken(bad); ok {
			t.Errorf("parsed %q", bad)
		}
	}
}

// TestAnnouncementMaterialRef: an attachment names a workshop and a material, both or none.
func TestAnnouncementMaterialRef(t *testing.T) {
	n := foldNetwork(created)
	text := domain.AnnouncementText{Title: "T", Body: "B"}
	for _, tt := range []struct {
		ref    domain.MaterialRef
		fields []string
	}{
		{domain.MaterialRef{}, nil},
		{domain.MaterialRef{Workshop: "w1", ID: "m1"}, nil},
		{domain.MaterialRef{Workshop: "w1"}, []string{"material"}},
		{domain.MaterialRef{ID: "m1"}, []string{"material"}},
		{domain.MaterialRef{Workshop: "w\x00", ID: "m1"}, []string{"material.workshop"}},
	} {
		text.Material = tt.ref
		got, err := n.PostAnnouncement("a1", text)
		var fe domain.FieldErrors
		switch {
		case tt.fields == nil && err != nil:
			t.Errorf("%+v: %v", tt.ref, err)
		case tt.fields == nil && got[0].(domain.AnnouncementPosted).Material != tt.ref:
			t.Errorf("%+v: posted %+v", tt.ref, got)
		case tt.fields != nil && (!errors.As(err, &fe) || fe[0].Field != tt.fields[0]):
			t.Errorf("%+v: got %v, want %v", tt.ref, err, tt.fields)
		}
	}
	text.Material, text.Visibility = domain.MaterialRef{Workshop: "w1", ID: "m1"}, domain.Public
	posted := foldNetwork(created, domain.AnnouncementPosted{ID: "a1", AnnouncementText: text})
	if got, err := posted.EditAnnouncement("a1", text); err != nil || got != nil {
		t.Errorf("the same text with its material: %v %v", got, err)
	}
}
