package mails_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// networkLogs holds networks' logs as the event store hands them out.
type networkLogs map[domain.NetworkID][]domain.Recorded

func (l networkLogs) NetworkLog(_ context.Context, id domain.NetworkID) ([]domain.Recorded, error) {
	return l[id], nil
}

func (l networkLogs) LoadNetwork(_ context.Context, id domain.NetworkID) (domain.Network, uint64, error) {
	var n domain.Network
	for _, r := range l[id] {
		n = n.Evolve(r.Event)
	}
	return n, uint64(len(l[id])), nil
}

func netLog(id domain.NetworkID, name string, events ...domain.Event) []domain.Recorded {
	out := []domain.Recorded{{Event: domain.NetworkCreated{ID: id, Title: name}}}
	for _, e := range events {
		out = append(out, domain.Recorded{Event: e})
	}
	return out
}

// TestComposeWorded: a network's wording replaces the subject and main text of its workshops'
// mails in that language; the link, the days and the signature stay; another language and
// another network keep the built-in wording.
func TestComposeWorded(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.commit(domain.WorkshopScheduled{ID: ws, Network: "forum", Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{"2037-11-16", "2037-11-17"}, Capacity: 1})
	logs := networkLogs{
		"forum": netLog("forum", "Forum Integration", domain.MailTemplateSet{Kind: "received", Lang: "de",
			Subject: "{{if .Position}}Warteliste {{.Position}}{{else}}Willkommen{{end}} bei {{.Workshop}} ({{.Network}})",
			Text:    "Liebe·r {{.Name}},\nschön, dass Sie kommen: <b>{{.Venue}}</b> am {{.Days}}."}),
		"other": netLog("other", "Anderes Netzwerk", domain.MailTemplateSet{Kind: "received", Lang: "en", Subject: "Other", Text: "Other"}),
	}
	c := w.composer()
	c.Networks = logs
	compose := func(batch []domain.Recorded) []mails.Message {
		t.Helper()
		msgs, err := c.Compose(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}

	ann := compose(w.commit(w.registered("a", "Ann", "de", false), domain.RegistrationConfirmed{RegistrationID: "a"}))
	if len(ann) != 1 {
		t.Fatalf("Ann's mails: %+v", ann)
	}
	m := ann[0]
	if m.Subject != "Willkommen bei Sommerwerkstatt (Forum Integration)" {
		t.Errorf("the worded subject: %q", m.Subject)
	}
	token := w.keys.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(ws, "a"))
	for _, want := range []string{"Hallo Ann,", "Liebe·r Ann,\nschön, dass Sie kommen: <b>Rathaus</b> am Mo., 16.11.2037, Di., 17.11.2037.",
		"token=" + token, "Ihr persönlicher Link", "Ihr Orga-Team"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the worded text lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "eingegangen und bestätigt") {
		t.Errorf("the built-in text is still there:\n%s", m.Text)
	}
	for _, want := range []string{"Liebe·r Ann,<br>\nschön, dass Sie kommen: &lt;b&gt;Rathaus&lt;/b&gt;", "token=" + token} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("the HTML part lacks %q (escaped, with its line breaks):\n%s", want, m.HTML)
		}
	}
	if strings.Contains(m.HTML, "<b>Rathaus") {
		t.Errorf("the organiser's text reaches the HTML unescaped:\n%s", m.HTML)
	}

	ben := compose(w.commit(w.registered("b", "Ben", "de", false), domain.RegistrationWaitlisted{RegistrationID: "b", Position: 1}))
	if len(ben) != 1 || ben[0].Subject != "Warteliste 1 bei Sommerwerkstatt (Forum Integration)" {
		t.Errorf("Ben's worded waitlist mail: %+v", ben)
	}

	// A wording that fills to nothing for this person gives the built-in one.
	logs["forum"] = append(logs["forum"], domain.Recorded{Event: domain.MailTemplateSet{Kind: "received", Lang: "de",
		Subject: "{{if .Position}}Warteliste{{end}}", Text: "{{if .Position}}Sie warten.{{end}}"}})
	eva := compose(w.commit(w.registered("e", "Eva", "de", false), domain.RegistrationConfirmed{RegistrationID: "e"}))
	if len(eva) != 1 || eva[0].Subject != "Anmeldung bestätigt: Sommerwerkstatt" || !strings.Contains(eva[0].Text, "eingegangen und bestätigt") {
		t.Errorf("a wording that fills to nothing: %+v", eva)
	}
	logs["forum"] = logs["forum"][:len(logs["forum"])-1]

	// English: no wording for English in this network, the built-in one.
	cleo := compose(w.commit(w.registered("c", "Cleo", "en", false), domain.RegistrationWaitlisted{RegistrationID: "c", Position: 2}))
	if len(cleo) != 1 || cleo[0].Subject != "On the waitlist: Sommerwerkstatt" || !strings.Contains(cleo[0].Text, "number 2 on the waitlist") {
		t.Errorf("Cleo's English mail: %+v", cleo)
	}

	// A reset brings the built-in wording back for mails composed afterwards.
	logs["forum"] = append(logs["forum"], domain.Recorded{Event: domain.MailTemplateReset{Kind: "received", Lang: "de"}})
	dora := compose(w.commit(w.registered("d", "Dora", "de", false), domain.RegistrationWaitlisted{RegistrationID: "d", Position: 3}))
	if len(dora) != 1 || dora[0].Subject != "Auf der Warteliste: Sommerwerkstatt" {
		t.Errorf("after the reset: %+v", dora)
	}
}

// TestComposeOtherNetwork: a workshop of another network, and one of no network, keep the
// built-in wording.
func TestComposeOtherNetwork(t *testing.T) {
	for _, network := range []domain.NetworkID{"other", ""} {
		w := newWorld(t)
		w.commit(domain.WorkshopScheduled{ID: ws, Network: network, Title: "Sommerwerkstatt", Venue: "Rathaus",
			Days: []domain.Day{"2037-11-16"}, Capacity: 1})
		c := w.composer()
		c.Networks = networkLogs{
			"forum": netLog("forum", "Forum", domain.MailTemplateSet{Kind: "received", Lang: "de", Subject: "Worded", Text: "Worded"}),
			"other": netLog("other", "Other"),
		}
		msgs, err := c.Compose(context.Background(), w.commit(w.registered("a", "Ann", "de", false), domain.RegistrationConfirmed{RegistrationID: "a"}))
		if err != nil || len(msgs) != 1 || msgs[0].Subject != "Anmeldung bestätigt: Sommerwerkstatt" || strings.Contains(msgs[0].Text, "Worded") {
			t.Errorf("network %q: %v, %+v", network, err, msgs)
		}
	}
}

// TestComposeWordedAccountMail: an invitation follows the network's wording too.
func TestComposeWordedAccountMail(t *testing.T) {
	logs := networkLogs{"forum": netLog("forum", "Forum Integration",
		domain.MemberAdded{Account: "acc", Roles: []domain.RoleGrant{{Role: domain.RoleMember}}, Person: &domain.Person{Name: "Mia", Email: "mia@example.org"}},
		domain.MailTemplateSet{Kind: "invitation", Lang: "en", Subject: "Join {{.Network}}", Text: "Dear {{.Name}}, the link holds until {{.Expires}}."})}
	c := mails.Composer{Networks: logs, Pseudonyms: hmacPseudonyms{key: []byte("k")}, PublicURL: "https://werkstatt.example.org"}
	msgs, err := c.Compose(context.Background(), []domain.Recorded{{Seq: 4, Event: domain.PasswordLinkIssued{
		Network: "forum", Account: "acc", LinkID: "l1", Purpose: domain.LinkForInvitation, Lang: "en", ExpiresAt: time.Date(2037, 11, 8, 9, 0, 0, 0, time.UTC)}}})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("the invitation: %v, %+v", err, msgs)
	}
	if m := msgs[0]; m.Subject != "Join Forum Integration" || !strings.Contains(m.Text, "Dear Mia, the link holds until") ||
		!strings.Contains(m.Text, "/set-password/") {
		t.Errorf("the worded invitation: %+v", m)
	}
}

// TestCheckTemplate: a wording uses its kind's placeholders and {{if}} only.
func TestCheckTemplate(t *testing.T) {
	good := []domain.MailTemplate{
		{Subject: "Hallo {{.Name}}", Text: "{{.Workshop}} in {{.Venue}} an {{.Days}} ({{.Network}})"},
		{Subject: "{{if .Position}}Platz {{.Position}}{{else}}Bestätigt{{end}}", Text: "{{/* a comment */}}Text"},
		{Subject: "Ohne Platzhalter", Text: "Zeile 1\n\nZeile 2"},
	}
	for _, tpl := range good {
		if err := mails.CheckTemplate(mails.KindReceived, tpl); err != nil {
			t.Errorf("%+v refused: %v", tpl, err)
		}
	}
	bad := []struct {
		kind  mails.Kind
		tpl   domain.MailTemplate
		field string
	}{
		{mails.KindReceived, domain.MailTemplate{Subject: "{{.Nme}}", Text: "T"}, "subject"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{.Name"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{printf \"%d\" 3}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{call .Name}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{exec \"ls\"}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{range .Days}}x{{end}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{$x := .Name}}{{$x}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{.Name.Length}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{template \"x\"}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{.T.Sign}}"}, "text"},
		{mails.KindReceived, domain.MailTemplate{Subject: "S", Text: "{{.Link}}"}, "text"},
		{mails.KindCancelled, domain.MailTemplate{Subject: "S", Text: "Platz {{.Position}}"}, "text"},
		{mails.KindInvitation, domain.MailTemplate{Subject: "{{.Workshop}}", Text: "T"}, "subject"},
	}
	for _, b := range bad {
		err := mails.CheckTemplate(b.kind, b.tpl)
		var fe domain.FieldErrors
		if !errors.As(err, &fe) || len(fe) != 1 || fe[0].Field != b.field || fe[0].Code != domain.CodeNotATemplate || fe[0].Detail == "" {
			t.Errorf("%s %+v: got %v, want a not-a-template error on %s", b.kind, b.tpl, err, b.field)
		}
	}
	if err := mails.CheckTemplate("no-such-kind", domain.MailTemplate{Subject: "S", Text: "T"}); !errors.Is(err, domain.ErrMailTemplateNotFound) {
		t.Errorf("an unknown kind: %v", err)
	}
}

// TestBuiltInTemplates: every adjustable kind's built-in wording passes its own check, in every
// language, and its preview is the built-in mail.
func TestBuiltInTemplates(t *testing.T) {
	if len(mails.Adjustables()) < 6 {
		t.Fatalf("adjustable kinds: %v", mails.Adjustables())
	}
	for _, a := range mails.Adjustables() {
		for _, lang := range mails.Languages() {
			b := a.BuiltIn(lang)
			if err := mails.CheckTemplate(a.Kind, b); err != nil {
				t.Errorf("%s %s: the built-in wording %+v fails its check: %v", a.Kind, lang, b, err)
			}
			m, err := mails.Preview(a.Kind, lang, "", b)
			if err != nil || m.Subject == "" || m.Text == "" || m.HTML == "" {
				t.Errorf("%s %s: preview %v, %+v", a.Kind, lang, err, m)
			}
		}
	}
	m, err := mails.Preview(mails.KindReceived, "en", "", domain.MailTemplate{Subject: "Hi {{.Name}}", Text: "See you at {{.Venue}}"})
	if err != nil || m.Subject != "Hi Alex Example" || !strings.Contains(m.Text, "See you at Town hall, room 2") {
		t.Errorf("a preview: %v, %+v", err, m)
	}
	if _, err := mails.Preview(mails.KindReceived, "en", "", domain.MailTemplate{Subject: "{{.Secret}}", Text: "T"}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("the preview of a broken wording: %v, want it refused", err)
	}
}

// TestComposeWordedReminder: the mails the schedule sends take the network's wording too, and
// keep their fixed parts (days, agenda, personal link).
func TestComposeWordedReminder(t *testing.T) {
	w := newWorld(t)
	w.commit(domain.WorkshopScheduled{ID: ws, Network: "forum", Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{"2037-11-16"}, Capacity: 3})
	w.commit(w.registered("a", "Ann", "de", false), domain.RegistrationConfirmed{RegistrationID: "a"})
	c := w.composer()
	c.Networks = networkLogs{"forum": netLog("forum", "Forum Integration", domain.MailTemplateSet{Kind: "reminder", Lang: "de",
		Subject: "Morgen: {{.Workshop}}", Text: "Liebe·r {{.Name}}, bis bald in {{.Venue}}!"})}
	msgs, err := c.Compose(context.Background(), w.commit(domain.RemindersSent{Recipients: []domain.RegistrationID{"a"}}))
	if err != nil || len(msgs) != 1 {
		t.Fatalf("the reminder: %v, %+v", err, msgs)
	}
	m := msgs[0]
	if m.Subject != "Morgen: Sommerwerkstatt" {
		t.Errorf("the worded subject: %q", m.Subject)
	}
	for _, want := range []string{"Liebe·r Ann, bis bald in Rathaus!", "16.11.2037", "/w/W1/r/a?token="} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the worded reminder lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "Bald ist es so weit") {
		t.Errorf("the built-in text is still there:\n%s", m.Text)
	}
	if _, ok := mails.FindAdjustable("cafe-route"); !ok {
		t.Error("the café route's mail cannot be worded")
	}
	if err := mails.CheckTemplate(mails.KindCafeRoute, domain.MailTemplate{Subject: "{{.Session}}", Text: "{{.Name}}: {{.Session}}"}); err != nil {
		t.Errorf("a café route's wording with its session: %v", err)
	}
}
