package mails_test

import (
	"context"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// TestComposeAnnouncement: an announcement goes to the members subscribed when it was posted
// who still are; each mail carries its own one-click unsubscribe link in the List-Unsubscribe
// headers and in the text; the body is data (plain text, the wired Markdown as HTML).
func TestComposeAnnouncement(t *testing.T) {
	join := func(acc domain.AccountID, name, email string) domain.MemberAdded {
		var p *domain.Person
		if name != "" {
			p = &domain.Person{Name: name, Email: email}
		}
		return domain.MemberAdded{Account: acc, Roles: []domain.RoleGrant{{Role: domain.RoleMember}}, Person: p}
	}
	posted := domain.AnnouncementPosted{ID: "a1", Network: "forum", AnnouncementText: domain.AnnouncementText{
		Title: "Treffen im März", Body: "Wir treffen uns **im Rathaus**.\n{{.Name}} <script>x</script>", Visibility: domain.MembersOnly}}
	var log []domain.Recorded
	for i, e := range []domain.Event{domain.NetworkCreated{ID: "forum", Title: "Forum Integration"},
		join("anna", "Anna Schmidt", "anna@example.org"), join("ben", "Ben Ali", "ben@example.org"),
		join("erased", "", ""), join("gone", "Gina", "gina@example.org"), join("quiet", "Quentin", "q@example.org"),
		join("late", "Lea", "lea@example.org"), join("left", "Lu", "lu@example.org"),
		domain.DigestSubscribed{Account: "anna"}, domain.DigestSubscribed{Account: "erased"}, domain.DigestSubscribed{Account: "gone"},
		domain.DigestSubscribed{Account: "left"},
		posted, // seq 13
		domain.DigestSubscribed{Account: "late"}, domain.MemberRemoved{Account: "gone"}, domain.DigestUnsubscribed{Account: "left"},
	} {
		log = append(log, domain.Recorded{Seq: uint64(i + 1), Event: e})
	}
	if !mails.Concerns([]domain.Recorded{{Seq: 13, Event: posted}}) {
		t.Error("the outbox passes an announcement by")
	}
	c := mails.Composer{Networks: networkLogs{"forum": log}, Pseudonyms: hmacPseudonyms{key: []byte("k")},
		PublicURL: "https://werkstatt.example.org/", Markdown: func(s string) string { return "<p>rendered</p>" }}
	msgs, err := c.Compose(context.Background(), []domain.Recorded{{Seq: 13, Event: posted}})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("got %v, %+v; want anna's mail only", err, msgs)
	}
	m := msgs[0]
	token := domain.DigestToken("forum", "anna", hmacPseudonyms{key: []byte("k")}.Pseudonym(domain.DigestUnsubscribePurpose, domain.DigestUnsubscribeValue("forum", "anna")))
	link := "https://werkstatt.example.org/unsubscribe/" + token
	switch {
	case m.To != "anna@example.org" || m.Account != "anna" || m.Kind != mails.KindAnnouncement:
		t.Errorf("to %q (%q), kind %q", m.To, m.Account, m.Kind)
	case m.Subject != "Forum Integration: Treffen im März":
		t.Errorf("subject %q", m.Subject)
	case m.Headers[mails.HeaderListUnsubscribe] != "<"+link+">" || m.Headers[mails.HeaderListUnsubscribePost] != "List-Unsubscribe=One-Click":
		t.Errorf("headers %v, want %s", m.Headers, link)
	case !strings.Contains(m.Text, "{{.Name}} <script>x</script>") || !strings.Contains(m.Text, link) ||
		!strings.Contains(m.Text, "https://werkstatt.example.org/networks/forum#a-a1"):
		t.Errorf("text %s", m.Text)
	case !strings.Contains(m.HTML, "<p>rendered</p>") || !strings.Contains(m.HTML, `href="`+link+`"`):
		t.Errorf("html %s", m.HTML)
	case m.ID != mails.MessageID(13, 0, mails.KindAnnouncement, c.PublicURL, "anna"):
		t.Errorf("id %q", m.ID)
	}
	if r := m.Redacted(); strings.Contains(r.Headers[mails.HeaderListUnsubscribe], token) || strings.Contains(r.Text, token) {
		t.Errorf("a kept copy holds the unsubscribe token: %+v", r)
	}
	// Without Markdown the HTML part escapes the text.
	c.Markdown = nil
	msgs, _ = c.Compose(context.Background(), []domain.Recorded{{Seq: 13, Event: posted}})
	if len(msgs) != 1 || strings.Contains(msgs[0].HTML, "<script>") || !strings.Contains(msgs[0].HTML, "&lt;script&gt;") {
		t.Errorf("html without markdown: %+v", msgs)
	}
	// Withdrawn before the mail went out: nothing; posted before the mails existed: nothing.
	withdrawn := networkLogs{"forum": append(log[:len(log):len(log)], domain.Recorded{Seq: 20, Event: domain.AnnouncementWithdrawn{ID: "a1"}})}
	c.Networks = withdrawn
	if msgs, err := c.Compose(context.Background(), []domain.Recorded{{Seq: 13, Event: posted}}); err != nil || len(msgs) != 0 {
		t.Errorf("withdrawn: %v, %+v", err, msgs)
	}
	old := posted
	old.Network = ""
	if msgs, err := c.Compose(context.Background(), []domain.Recorded{{Seq: 13, Event: old}}); err != nil || len(msgs) != 0 {
		t.Errorf("without a network: %v, %+v", err, msgs)
	}
}

// TestAnnouncementWorded: the announcement's mail is adjustable like the others.
func TestAnnouncementWorded(t *testing.T) {
	a, ok := mails.FindAdjustable("announcement")
	if !ok {
		t.Fatal("the announcement's mail is not adjustable")
	}
	m, err := mails.Preview(a.Kind, "de", "Forum", domain.MailTemplate{Subject: "Neu: {{.Announcement}}", Text: "Hallo {{.Name}} aus {{.Network}}"})
	if err != nil || m.Subject != "Neu: Treffen im März" || !strings.Contains(m.Text, "Hallo Alex Beispiel aus Forum") {
		t.Errorf("preview: %v, %+v", err, m)
	}
	if err := mails.CheckTemplate(a.Kind, domain.MailTemplate{Subject: "{{.Workshop}}", Text: "x"}); err == nil {
		t.Error("a workshop's placeholder in an announcement's mail")
	}
}
