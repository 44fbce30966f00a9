package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestAnnouncementDecisions(t *testing.T) {
	text := domain.AnnouncementText{Title: "Treffen im März", Body: "Wir treffen uns **im Rathaus**.\n\n- Tagesordnung folgt", Visibility: domain.MembersOnly}
	posted := domain.AnnouncementPosted{ID: "a1", Network: "forum", AnnouncementText: text}
	comment := domain.CommentAdded{Announcement: "a1", ID: "c1", Account: "anna",
		Person: &domain.Person{Name: "Anna Schmidt", Answers: map[string]string{"text": "Ich komme."}}}
	post := func(t domain.AnnouncementText) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.PostAnnouncement("a1", t) }
	}
	tests := []networkCase{
		{name: "post", given: []domain.Event{created},
			decide: post(domain.AnnouncementText{Title: " Treffen im März ", Body: text.Body + "\n", Visibility: domain.MembersOnly}),
			then:   []domain.Event{posted}},
		{name: "post public by default", given: []domain.Event{created},
			decide: post(domain.AnnouncementText{Title: "T", Body: "B"}),
			then:   []domain.Event{domain.AnnouncementPosted{ID: "a1", Network: "forum", AnnouncementText: domain.AnnouncementText{Title: "T", Body: "B", Visibility: domain.Public}}}},
		{name: "post to no network", decide: post(text), err: domain.ErrNetworkNotFound},
		{name: "post nothing", given: []domain.Event{created}, decide: post(domain.AnnouncementText{Title: " ", Body: "", Visibility: "all"}),
			fields: []string{"title", "body", "visibility"}},
		{name: "post too long, with control characters", given: []domain.Event{created},
			decide: post(domain.AnnouncementText{Title: strings.Repeat("x", 201), Body: "a\x00b", Workshop: "w\x07"}),
			fields: []string{"title", "body", "workshop"}},
		{name: "a body of 20000 characters with tabs and new lines", given: []domain.Event{created},
			decide: post(domain.AnnouncementText{Title: "T", Body: "a\tb\r\n" + strings.Repeat("ä", 19995)}),
			then: []domain.Event{domain.AnnouncementPosted{ID: "a1", Network: "forum", AnnouncementText: domain.AnnouncementText{Title: "T",
				Body: "a\tb\r\n" + strings.Repeat("ä", 19995), Visibility: domain.Public}}}},
		{name: "a body of 20001 characters", given: []domain.Event{created},
			decide: post(domain.AnnouncementText{Title: "T", Body: strings.Repeat("x", 20001)}), fields: []string{"body"}},
		{name: "edit", given: []domain.Event{created, posted},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.EditAnnouncement("a1", domain.AnnouncementText{Title: "Neu", Body: "B", Visibility: domain.Public})
			}, then: []domain.Event{domain.AnnouncementEdited{ID: "a1", AnnouncementText: domain.AnnouncementText{Title: "Neu", Body: "B", Visibility: domain.Public}}}},
		{name: "the same text changes nothing", given: []domain.Event{created, posted},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.EditAnnouncement("a1", text) }},
		{name: "edit an unknown one", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.EditAnnouncement("a9", text) },
			err:    domain.ErrAnnouncementNotFound},
		{name: "withdraw", given: []domain.Event{created, posted},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.WithdrawAnnouncement("a1") },
			then:   []domain.Event{domain.AnnouncementWithdrawn{ID: "a1"}}},
		{name: "a withdrawn one is gone", given: []domain.Event{created, posted, domain.AnnouncementWithdrawn{ID: "a1"}},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.EditAnnouncement("a1", text) },
			err:    domain.ErrAnnouncementNotFound},
		{name: "comment", given: []domain.Event{created, annaJoin, posted},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddComment("a1", "c1", "anna", "Anna Schmidt", " Ich komme. ")
			}, then: []domain.Event{comment}},
		{name: "a stranger does not comment", given: []domain.Event{created, posted},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddComment("a1", "c1", "anna", "Anna", "Hallo")
			},
			err: domain.ErrMemberNotFound},
		{name: "an empty comment", given: []domain.Event{created, annaJoin, posted},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.AddComment("a1", "c1", "anna", "Anna", " \n") },
			fields: []string{"text"}},
		{name: "comment on a withdrawn one", given: []domain.Event{created, annaJoin, posted, domain.AnnouncementWithdrawn{ID: "a1"}},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddComment("a1", "c1", "anna", "Anna", "Hallo")
			},
			err: domain.ErrAnnouncementNotFound},
		{name: "hide", given: []domain.Event{created, annaJoin, posted, comment},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.HideComment("a1", "c1") },
			then:   []domain.Event{domain.CommentHidden{Announcement: "a1", ID: "c1"}}},
		{name: "hide again changes nothing", given: []domain.Event{created, annaJoin, posted, comment, domain.CommentHidden{Announcement: "a1", ID: "c1"}},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.HideComment("a1", "c1") }},
		{name: "hide an unknown comment", given: []domain.Event{created, posted},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.HideComment("a1", "c9") },
			err:    domain.ErrCommentNotFound},
	}
	runNetworkCases(t, tests)
}

// TestAnnouncementEvolveSharesNothing checks that folding into a clone leaves the original alone.
func TestAnnouncementEvolveSharesNothing(t *testing.T) {
	n := foldNetwork(created, annaJoin, domain.AnnouncementPosted{ID: "a1", AnnouncementText: domain.AnnouncementText{Title: "T", Body: "B"}},
		domain.CommentAdded{Announcement: "a1", ID: "c1", Account: "anna"})
	later := n.Clone().Evolve(domain.CommentHidden{Announcement: "a1", ID: "c1"}).Evolve(domain.AnnouncementWithdrawn{ID: "a1"})
	if n.Announcements["a1"].Comments["c1"] || n.Announcements["a1"].Withdrawn {
		t.Errorf("evolving a clone changed the original: %+v", n.Announcements["a1"])
	}
	if !later.Announcements["a1"].Comments["c1"] || !later.Announcements["a1"].Withdrawn {
		t.Errorf("got %+v, want the comment hidden and the announcement withdrawn", later.Announcements["a1"])
	}
}
