package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

var (
	shownToken = regexp.MustCompile(`id="lead-token">([^<]+)<`)
	grantRow   = regexp.MustCompile(`(?s)<tr id="grant-([0-9A-Za-z_-]+)">\s*<th scope="row" id="g-[^"]+">([^<]+)</th>.*?</tr>`)
)

// grantOnPage grants label access on the organiser's lead page at path and returns the answer
// and the token it shows.
func (b *browser) grantOnPage(t *testing.T, path, label string) (page, string) {
	t.Helper()
	form := b.get(path)
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(form.body)
	if key == nil {
		t.Fatalf("the lead page has no grant form with a key:\n%s", form.body)
	}
	res := b.post(path, url.Values{"_csrf": {form.csrf(t)}, "key": {key[1]}, "label": {label}})
	m := shownToken.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		t.Fatalf("grant access to %s: got %d, want 200 with the token shown:\n%s", label, res.status, res.body)
	}
	return res, m[1]
}

// grantIDs returns the grants the page lists, by label.
func grantIDs(p page) map[string]string {
	ids := map[string]string{}
	for _, m := range grantRow.FindAllStringSubmatch(p.body, -1) {
		ids[m[2]] = m[1]
	}
	return ids
}

// TestOrganiserGrantsAndRevokesLeads walks the organiser's lead page: grant access, see the
// token once, the lead signs in and reads; the organiser revokes, and the lead's very next
// request lands on the sign-in with a message.
func TestOrganiserGrantsAndRevokesLeads(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier")
	org := s.signIn(t)
	leads := "/organiser/series/Klima%202026/leads"

	s.leadWorkshop("Klima 2026", "Starkregen") // a second workshop of the series
	dash := org.get("/organiser")
	dash.mustContain(t, "the dashboard", `href="`+leads+`"`, "Zugänge der Projektleitung für Klima 2026")
	if n := strings.Count(dash.body, `href="`+leads+`"`); n != 1 {
		t.Errorf("the dashboard links the series %d times, want once", n)
	}
	org.get("/organiser/workshops/"+id).mustContain(t, "the workshop editor", `href="`+leads+`"`)
	org.get(leads).mustContain(t, "the empty lead page", "Zugänge der Projektleitung: Klima 2026", "noch kein Zugang erteilt")

	form := org.get(leads)
	rejected := org.post(leads, url.Values{"_csrf": {form.csrf(t)}, "label": {"  "}})
	if rejected.status != http.StatusUnprocessableEntity {
		t.Errorf("a grant without a label: got %d, want 422", rejected.status)
	}
	rejected.mustContain(t, "a grant without a label", "Bitte prüfen Sie die markierten Angaben.", `id="e-label"`)

	granted, token := org.grantOnPage(t, leads, "Projektleitung AMIF, Frau Schulz")
	granted.mustContain(t, "the answer to the grant", "Neuer Zugang für Projektleitung AMIF, Frau Schulz",
		"wird nur jetzt angezeigt", s.url+"/lead/sign-in")
	if cc := granted.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the token: got Cache-Control %q, want no-store", cc)
	}
	list := org.get(leads)
	if strings.Contains(list.body, token) {
		t.Errorf("the lead page after the grant: got the token again, want it shown only once")
	}
	list.mustContain(t, "the lead page after the grant", "Projektleitung AMIF, Frau Schulz", ">aktiv<", "Zugang widerrufen")
	grant := grantIDs(list)["Projektleitung AMIF, Frau Schulz"]
	if grant == "" {
		t.Fatalf("the lead page lists no grant for Frau Schulz:\n%s", list.body)
	}
	_, other := org.grantOnPage(t, leads, "Herr Roth")

	lead, roth := s.browser(), s.browser()
	lead.signInAsLead(t, token)
	roth.signInAsLead(t, other)
	lead.get("/lead").mustContain(t, "the lead's report", "Reihenbericht: Klima 2026", "Hitzeschutz im Quartier")

	// Another series' page does not revoke this series' grant.
	if got := org.post("/organiser/series/Andere%20Reihe/leads/"+grant+"/revoke", url.Values{"_csrf": {list.csrf(t)}}); got.status != http.StatusNotFound {
		t.Errorf("revoke through another series' page: got %d, want 404", got.status)
	}
	if got := lead.get("/lead"); got.status != http.StatusOK {
		t.Fatalf("the lead after a refused revocation: got %d, want 200", got.status)
	}
	if got := org.post(leads+"/"+grant+"/revoke", url.Values{}); got.status != http.StatusForbidden {
		t.Errorf("revoke without a CSRF token: got %d, want 403", got.status)
	}
	revoked := org.post(leads+"/"+grant+"/revoke", url.Values{"_csrf": {list.csrf(t)}})
	if loc := revoked.header.Get("Location"); revoked.status != http.StatusSeeOther || loc != leads+"?revoked="+grant {
		t.Fatalf("revoke: got %d to %q, want 303 back to the lead page", revoked.status, loc)
	}
	after := org.get(revoked.header.Get("Location"))
	after.mustContain(t, "the lead page after revoking", "Der Zugang für Projektleitung AMIF, Frau Schulz ist widerrufen.", ">widerrufen (")

	ended := lead.get("/lead/workshops/" + id + "/attendance")
	if ended.status != http.StatusSeeOther || ended.header.Get("Location") != "/lead/sign-in?ended=revoked" {
		t.Fatalf("the lead's next request after revoking: got %d to %q, want 303 to the sign-in", ended.status, ended.header.Get("Location"))
	}
	lead.get(ended.header.Get("Location")).mustContain(t, "the sign-in after revoking", "Ihr Zugang wurde widerrufen.")
	if got := lead.get("/lead"); got.status != http.StatusSeeOther || got.header.Get("Location") != "/lead/sign-in" {
		t.Errorf("the lead's session after revoking: got %d to %q, want it gone", got.status, got.header.Get("Location"))
	}
	form = lead.get("/lead/sign-in")
	again := lead.post("/lead/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {token}})
	if again.status != http.StatusUnauthorized {
		t.Errorf("sign-in with the revoked token: got %d, want 401", again.status)
	}
	again.mustContain(t, "sign-in with the revoked token", "Ihr Zugang wurde widerrufen.")
	if got := roth.get("/lead"); got.status != http.StatusOK {
		t.Errorf("Herr Roth after Frau Schulz's grant was revoked: got %d, want 200", got.status)
	}

	// Revoking twice is harmless; the button is gone once revoked.
	if got := org.post(leads+"/"+grant+"/revoke", url.Values{"_csrf": {list.csrf(t)}}); got.status != http.StatusSeeOther {
		t.Errorf("revoke again: got %d, want 303", got.status)
	}
	if n := strings.Count(org.get(leads).body, "Ja, jetzt widerrufen"); n != 1 {
		t.Errorf("revoke buttons after revoking one of two grants: got %d, want 1", n)
	}
	for _, path := range []string{leads} {
		if got := lead.get(path); got.status != http.StatusSeeOther || !strings.HasPrefix(got.header.Get("Location"), "/organiser/sign-in") {
			t.Errorf("GET %s as a lead: got %d to %q, want the organiser's sign-in", path, got.status, got.header.Get("Location"))
		}
	}
}

// TestLeadGrantExpires signs a lead in on a grant that ends in an hour and then in with one
// that has ended: the session lasts no longer than the grant, and the sign-in says why.
func TestLeadGrantExpires(t *testing.T) {
	s := startService(t)
	s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier")
	ctx := context.Background()
	issue := func(label string, expires time.Time) string {
		g, err := s.cfg.LeadGrants.Issue(ctx, domain.LeadGrant{Series: "Klima 2026", Label: label, IssuedAt: now.Add(-time.Hour), ExpiresAt: expires})
		if err != nil {
			t.Fatalf("issue a grant for %s: %v", label, err)
		}
		return app.LeadToken(s.cfg.Pseudonyms, g.ID)
	}
	b := s.browser()
	res := b.signInAsLead(t, issue("Frau Kurz", now.Add(time.Hour)))
	var session string
	for _, ck := range res.header.Values("Set-Cookie") {
		if strings.HasPrefix(ck, "werkstatt_lead=") {
			session = ck
		}
	}
	if !strings.Contains(session, "Max-Age=3600") {
		t.Errorf("the session of a grant that ends in an hour: got cookie %q, want Max-Age=3600", session)
	}
	form := b.get("/lead/sign-in")
	ended := b.post("/lead/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {issue("Frau Alt", now.Add(-time.Minute))}})
	if ended.status != http.StatusUnauthorized {
		t.Errorf("sign-in on an expired grant: got %d, want 401", ended.status)
	}
	ended.mustContain(t, "sign-in on an expired grant", "Dieses Token der Projektleitung ist nicht gültig oder abgelaufen.")
	b.get("/lead/sign-in?ended=expired").mustContain(t, "the sign-in after the grant expired", "Ihr Zugang ist abgelaufen.")
}
