package mails_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// TestComposePrivacyLink: a workshop's mails link, in their footer, to the privacy notice of the
// workshop's network (the instance's for a workshop of no network), in the person's language.
func TestComposePrivacyLink(t *testing.T) {
	for _, c := range []struct {
		network    domain.NetworkID
		lang, want string
	}{
		{"forum", "de", "https://werkstatt.example.org/networks/forum/privacy"},
		{"forum", "en", "https://werkstatt.example.org/networks/forum/privacy?lang=en"},
		{"", "de", "https://werkstatt.example.org/privacy"},
		{"", "en", "https://werkstatt.example.org/privacy?lang=en"},
	} {
		w := newWorld(t)
		w.commit(domain.WorkshopScheduled{ID: ws, Network: c.network, Title: "Sommerwerkstatt", Venue: "Rathaus",
			Days: []domain.Day{"2037-11-16"}, Capacity: 1})
		composer := w.composer()
		composer.Networks = networkLogs{"forum": netLog("forum", "Forum")}
		msgs, err := composer.Compose(context.Background(), w.commit(w.registered("a", "Ann", c.lang, false), domain.RegistrationConfirmed{RegistrationID: "a"}))
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%+v: %v, %+v", c, err, msgs)
		}
		label := map[string]string{"de": "Datenschutzhinweis", "en": "Privacy notice"}[c.lang]
		m := msgs[0]
		if !strings.Contains(m.Text, label+": "+c.want+"\n") {
			t.Errorf("%+v: the text lacks the link to the notice:\n%s", c, m.Text)
		}
		if !strings.Contains(m.HTML, `<a href="`+strings.ReplaceAll(c.want, "&", "&amp;")+`">`+label+`</a>`) {
			t.Errorf("%+v: the HTML lacks the link to the notice:\n%s", c, m.HTML)
		}
		// The footer comes after the signature.
		if strings.Index(m.Text, c.want) < strings.Index(m.Text, map[string]string{"de": "Ihr Orga-Team", "en": "The organisers"}[c.lang]) {
			t.Errorf("%+v: the link is not in the footer:\n%s", c, m.Text)
		}
	}
}

// TestAccountMailsLinkThePrivacyNotice: the mails about an account (invitation, password reset,
// the link to the data of a person known only by an account) and the announcements link, in
// their footer, to the notice of their network, in the mail's language.
func TestAccountMailsLinkThePrivacyNotice(t *testing.T) {
	expires := time.Date(2037, 11, 8, 9, 0, 0, 0, time.UTC)
	mia := domain.MemberAdded{Account: "acc", Roles: []domain.RoleGrant{{Role: domain.RoleMember}}, Person: &domain.Person{Name: "Mia", Email: "mia@example.org"}}
	posted := domain.AnnouncementPosted{ID: "a1", Network: "forum", AnnouncementText: domain.AnnouncementText{
		Title: "Treffen im März", Body: "Wir treffen uns im Rathaus.", Visibility: domain.MembersOnly}}
	log := netLog("forum", "Forum Integration", mia, domain.DigestSubscribed{Account: "acc"}, posted)
	for i := range log {
		log[i].Seq = uint64(i + 1)
	}
	signer := hmacPseudonyms{key: []byte("k")}
	c := mails.Composer{Networks: networkLogs{"forum": log}, Pseudonyms: signer, PublicURL: "https://werkstatt.example.org"}
	exportAsked := domain.AccountDataExportRequested{Network: "forum", Account: "acc", LinkID: "l3", ExpiresAt: expires, Lang: "en"}
	for _, tc := range []struct {
		name, lang string
		event      domain.Event
		kind       mails.Kind
	}{
		{"invitation", "de", domain.PasswordLinkIssued{Network: "forum", Account: "acc", LinkID: "l1", Purpose: domain.LinkForInvitation, ExpiresAt: expires}, mails.KindInvitation},
		{"reset", "en", domain.PasswordLinkIssued{Network: "forum", Account: "acc", LinkID: "l2", Purpose: domain.LinkForReset, Lang: "en", ExpiresAt: expires}, mails.KindPasswordReset},
		{"announcement", "de", posted, mails.KindAnnouncement},
		{"an account's data", "en", exportAsked, mails.KindDataExport},
	} {
		msgs, err := c.Compose(context.Background(), []domain.Recorded{{Seq: 4, Event: tc.event}})
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%s: %v, %+v", tc.name, err, msgs)
		}
		m := msgs[0]
		want, label := "https://werkstatt.example.org/networks/forum/privacy", "Datenschutzhinweis"
		if tc.lang == "en" {
			want, label = want+"?lang=en", "Privacy notice"
		}
		if m.Kind != tc.kind || m.To != "mia@example.org" {
			t.Errorf("%s: kind %q to %q", tc.name, m.Kind, m.To)
		}
		if !strings.Contains(m.Text, label+": "+want+"\n") {
			t.Errorf("%s: the text lacks the link to the notice:\n%s", tc.name, m.Text)
		}
		if !strings.Contains(m.HTML, `<a href="`+strings.ReplaceAll(want, "&", "&amp;")+`">`+label+`</a>`) {
			t.Errorf("%s: the HTML lacks the link to the notice:\n%s", tc.name, m.HTML)
		}
	}
	// The account's link opens its export: the token names the network and the account.
	msgs, _ := c.Compose(context.Background(), []domain.Recorded{{Seq: 5, Event: exportAsked}})
	token := domain.AccountDataExportToken(signer.Pseudonym, exportAsked)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "https://werkstatt.example.org/my-data/"+token+"?lang=en") || msgs[0].Account != "acc" {
		t.Errorf("the link to the account's data: %+v", msgs)
	}
	if !mails.Concerns([]domain.Recorded{{Event: exportAsked}}) {
		t.Error("the outbox passes a request for an account's data by")
	}
	// A removed member gets nothing.
	c.Networks = networkLogs{"forum": append(log[:len(log):len(log)], domain.Recorded{Seq: 9, Event: domain.MemberRemoved{Account: "acc"}})}
	if msgs, err := c.Compose(context.Background(), []domain.Recorded{{Seq: 10, Event: exportAsked}}); err != nil || len(msgs) != 0 {
		t.Errorf("a removed member: %v, %+v", err, msgs)
	}
}
