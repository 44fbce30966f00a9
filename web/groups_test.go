package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestGroupPages: an organiser creates a working group on its page, adds a member, sees a
// rejected form again with its message, changes and ends the group; a member reads the group
// without the organisers' forms; the partner report's page shows its period form and
// downloads for the organiser and is refused to a member; the English page speaks English.
func TestGroupPages(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	var forum struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &forum)
	person := func(name, role string) *browser {
		t.Helper()
		return s.signedInMember(t, creds, forum.ID, name, "Landkreis "+name, role)
	}
	olaf, mia := person("olaf", "organiser"), person("mia", "member")
	groups := "/networks/" + forum.ID + "/groups"

	olaf.get("/networks/"+forum.ID).mustContain(t, "the network's page links its groups", `href="`+groups+`"`)
	olaf.get(groups).mustContain(t, "the organiser's empty list", "Arbeitsgruppen", "Noch keine Arbeitsgruppen.", "Neue Arbeitsgruppe")
	create := func(fields url.Values) page {
		t.Helper()
		form := olaf.get(groups)
		fields.Set("_csrf", form.csrf(t))
		fields.Set("key", form.key(t, groups))
		return olaf.post(groups, fields)
	}
	if p := create(url.Values{"name": {" "}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="g-name-e"`) {
		t.Errorf("a group without a name: got %d, want 422 with the field's message", p.status)
	}
	group := create(url.Values{"name": {"AG Sprache"}, "description": {"Sprachkurse <b>im</b> Landkreis"}, "series": {"AG Sprache"}}).located(t, "create a group")
	group, _, _ = strings.Cut(group, "?")

	form := olaf.get(group)
	form.mustContain(t, "the new group", "Arbeitsgruppe: AG Sprache", "Sprachkurse &lt;b&gt;im&lt;/b&gt; Landkreis", "Noch keine Mitglieder.", "Noch keine Treffen.",
		"Protokolle", "Noch keine Protokolle.")
	miaID := string(s.accountID("mia@landkreis.example"))
	olaf.post(group+"/members", url.Values{"_csrf": {form.csrf(t)}, "member": {miaID}}).located(t, "add mia")

	own := mia.get(group)
	own.mustContain(t, "the member's view", "AG Sprache", "mia", "Landkreis mia")
	if strings.Contains(own.body, "Arbeitsgruppe bearbeiten") || strings.Contains(own.body, "Austragen") {
		t.Errorf("a member sees the organisers' forms")
	}
	if p := mia.post(group+"/close", url.Values{"_csrf": {own.csrf(t)}}); p.status != http.StatusForbidden {
		t.Errorf("a member ends the group: got %d, want 403", p.status)
	}
	mia.get(groups).mustContain(t, "the member's list", "AG Sprache", "1 Mitglieder")
	mia.get("/networks/"+forum.ID).mustContain(t, "the network's page lists its groups", `id="network-groups"`,
		`href="`+group+`">AG Sprache</a> · 1 Mitglieder`)
	if p := s.browser().get("/networks/" + forum.ID); strings.Contains(p.body, "AG Sprache") {
		t.Errorf("the network's page shows its groups to somebody not signed in")
	}

	olaf.post(group+"/close", url.Values{"_csrf": {olaf.get(group).csrf(t)}}).located(t, "end the group")
	if p := olaf.get(group); p.status != http.StatusNotFound {
		t.Errorf("an ended group: got %d, want 404", p.status)
	}

	partners := "/networks/" + forum.ID + "/partners"
	olaf.get(partners+"?from=2037-01-01&to=2037-12-31").mustContain(t, "the report's page", "Teilnahme der Partner: Forum Integration",
		`name="from"`, partners+".xlsx?from=2037-01-01&amp;to=2037-12-31", "Im Zeitraum hat keine Partnerorganisation teilgenommen.")
	if p := olaf.get(partners + "?from=2037-13-01"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="p-from-e"`) {
		t.Errorf("a wrong date: got %d, want 422 with the field's message", p.status)
	}
	if p := olaf.get(partners + ".xlsx?from=2037-01-01&to=2037-12-31"); p.status != http.StatusOK ||
		!strings.Contains(p.header.Get("Content-Disposition"), "partnerteilnahme-forum-integration-2037-01-01-2037-12-31.xlsx") {
		t.Errorf("the XLSX download: got %d %v", p.status, p.header)
	}
	if p := mia.get(partners); p.status != http.StatusForbidden {
		t.Errorf("a member reads the partner report: got %d, want 403", p.status)
	}
	if p := s.browser().get(groups); p.status != http.StatusSeeOther {
		t.Errorf("nobody signed in: got %d, want a redirect to sign in", p.status)
	}
}
