package mails_test

import (
	"context"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
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
