package handlers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// leadGrant is a lead grant as the API shows it.
type leadGrant struct {
	ID        string     `json:"id"`
	Token     string     `json:"token"`
	Series    string     `json:"series"`
	Label     string     `json:"label"`
	Status    string     `json:"status"`
	IssuedAt  time.Time  `json:"issued_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

const leadTokens = "/api/v1/series/Werkstatt%202026/lead-tokens"

// TestLeadTokens walks the project-lead role: only the organiser grants access; the lead reads
// every report and export of its series and nothing else; a lead of another series, a forged,
// a revoked and an expired token are refused.
func TestLeadTokens(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}

	w := s.schedule(2)
	base := "/api/v1/workshops/" + w.ID
	ada := s.register(w, person("Ada", "Verein A"))
	schulz := map[string]any{"label": "Projektleitung AMIF, Frau Schulz"}
	s.must(request{method: "POST", path: leadTokens, body: schulz}, 401, nil)
	s.must(request{method: "POST", path: leadTokens, token: ada.Token, body: schulz}, 401, nil)
	var lead leadGrant
	s.must(request{method: "POST", path: leadTokens, token: org, body: schulz}, 201, &lead)
	if lead.Series != "Werkstatt 2026" || lead.Label != "Projektleitung AMIF, Frau Schulz" || lead.Status != "active" ||
		lead.Token != "lead."+lead.ID+"."+cfg.Pseudonyms.Pseudonym("lead-grant", lead.ID) {
		t.Fatalf("got %+v, want an active grant for Frau Schulz in Werkstatt 2026 with a token lead.<id>.<signature>", lead)
	}
	if d := time.Until(lead.ExpiresAt); d < 179*24*time.Hour || d > 181*24*time.Hour {
		t.Errorf("got expires_at %v, want in 180 days", lead.ExpiresAt)
	}
	var other leadGrant
	s.must(request{method: "POST", path: "/api/v1/series/Andere%20Reihe/lead-tokens", token: org,
		body: map[string]any{"label": "Herr Roth"}}, 201, &other)

	reads := []string{
		"/api/v1/series/Werkstatt%202026/report", "/api/v1/series/Werkstatt%202026/report.csv",
		"/api/v1/series/Werkstatt%202026/report/trend.svg",
		base + "/reports/attendance", base + "/reports/attendance.xlsx", base + "/reports/evaluation.pdf",
		base + "/reports/badges.pdf", base + "/reports/badges.pdf?kind=tents",
		base + "/reports/catering.csv", base + "/reports/catering.pdf",
		base + "/feedback/evaluation",
	}
	for _, path := range reads {
		s.must(request{method: "GET", path: path, token: lead.Token}, 200, nil)
		s.must(request{method: "GET", path: path, token: other.Token}, 403, nil)
	}
	refused := []request{
		{method: "GET", path: base + "/registrations"},
		{method: "GET", path: base + "/registrations/" + ada.ID},
		{method: "POST", path: base + "/feedback/open"},
		{method: "POST", path: base + "/check-ins", body: map[string]any{"registration_id": ada.ID, "day": day1}},
		{method: "PATCH", path: base, body: map[string]any{"venue": "Fulda"}},
		{method: "POST", path: leadTokens, body: schulz},
		{method: "GET", path: leadTokens},
		{method: "DELETE", path: leadTokens + "/" + lead.ID},
	}
	seq := s.lastSeq()
	for _, r := range refused {
		r.token = lead.Token
		s.must(r, 403, nil)
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("got stream sequence %d after a lead's writes, want %d unchanged", got, seq)
	}

	// Revoking one grant ends that lead's access at once and leaves the other's.
	report := "/api/v1/series/Werkstatt%202026/report"
	s.must(request{method: "DELETE", path: leadTokens + "/" + lead.ID, token: org}, 204, nil)
	s.must(request{method: "GET", path: report, token: lead.Token}, 401, nil)
	s.must(request{method: "GET", path: base + "/registrations", token: lead.Token}, 401, nil)
	s.must(request{method: "GET", path: report, token: other.Token}, 403, nil) // still holds, for its own series

	expired, err := cfg.LeadGrants.Issue(context.Background(), domain.LeadGrant{Series: "Werkstatt 2026", Label: "Frau Alt",
		IssuedAt: time.Now().Add(-domain.LeadGrantLifetime - time.Hour), ExpiresAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatalf("issue an expired grant: %v", err)
	}
	fresh := s.grant("Herr Neu")
	forged := "lead." + fresh.ID + "." + cfg.Pseudonyms.Pseudonym("lead-grant", other.ID)
	unknown := "lead.NOSUCHGRANT." + cfg.Pseudonyms.Pseudonym("lead-grant", "NOSUCHGRANT")
	for name, token := range map[string]string{"revoked": lead.Token, "expired": app.LeadToken(cfg.Pseudonyms, expired.ID),
		"forged": forged, "truncated": fresh.Token[:len(fresh.Token)-2], "unknown grant": unknown,
		"another grant's id": strings.Replace(fresh.Token, fresh.ID, other.ID, 1), "garbage": "lead.garbage"} {
		if res := s.do(request{method: "GET", path: report, token: token}); res.status != 401 {
			t.Errorf("a %s token: got %d %s, want 401", name, res.status, res.body)
		}
	}
	s.must(request{method: "GET", path: report, token: fresh.Token}, 200, nil)
}

// grant grants Werkstatt 2026's reports to label as the organiser.
func (s *service) grant(label string) leadGrant {
	s.t.Helper()
	var g leadGrant
	s.must(request{method: "POST", path: leadTokens, token: org, body: map[string]any{"label": label}}, 201, &g)
	return g
}

// TestLeadGrantList checks what the organiser sees of the grants and how revoking answers.
func TestLeadGrantList(t *testing.T) {
	s := startService(t)
	schulz, roth := s.grant("Frau Schulz"), s.grant("Herr Roth")
	var amif leadGrant
	s.must(request{method: "POST", path: "/api/v1/series/AMIF/lead-tokens", token: org, body: map[string]any{"label": "Herr Demir"}}, 201, &amif)

	s.must(request{method: "DELETE", path: leadTokens + "/" + schulz.ID, token: org}, 204, nil)
	s.must(request{method: "DELETE", path: leadTokens + "/" + schulz.ID, token: org}, 204, nil)
	s.must(request{method: "DELETE", path: leadTokens + "/NOSUCHGRANT", token: org}, 404, nil)
	s.must(request{method: "DELETE", path: leadTokens + "/" + amif.ID, token: org}, 404, nil)
	s.must(request{method: "DELETE", path: leadTokens + "/" + roth.ID}, 401, nil)

	res := s.must(request{method: "GET", path: leadTokens, token: org}, 200, nil)
	if strings.Contains(string(res.body), "lead.") || strings.Contains(string(res.body), `"token"`) {
		t.Errorf("the list of grants: got %s, want no token in it", res.body)
	}
	var list struct {
		Series string      `json:"series"`
		Grants []leadGrant `json:"grants"`
	}
	if err := json.Unmarshal(res.body, &list); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	if len(list.Grants) != 2 || list.Series != "Werkstatt 2026" {
		t.Fatalf("the list of grants: got %+v, want Werkstatt 2026's two grants", list)
	}
	got := map[string]leadGrant{}
	for _, g := range list.Grants {
		got[g.Label] = g
	}
	if g := got["Frau Schulz"]; g.ID != schulz.ID || g.Status != "revoked" || g.RevokedAt == nil {
		t.Errorf("Frau Schulz's grant: got %+v, want revoked with revoked_at", g)
	}
	if g := got["Herr Roth"]; g.ID != roth.ID || g.Status != "active" || g.RevokedAt != nil || g.IssuedAt.IsZero() {
		t.Errorf("Herr Roth's grant: got %+v, want active, issued, not revoked", g)
	}
	s.must(request{method: "GET", path: leadTokens}, 401, nil)
	var empty struct{ Grants []leadGrant }
	s.must(request{method: "GET", path: "/api/v1/series/Leer/lead-tokens", token: org}, 200, &empty)
	if empty.Grants == nil || len(empty.Grants) != 0 {
		t.Errorf("the grants of a series without any: got %v, want an empty list", empty.Grants)
	}
}

// TestLeadGrantRejections checks the problems a bad request to grant access gets.
func TestLeadGrantRejections(t *testing.T) {
	s := startService(t)
	tests := []struct {
		name   string
		r      request
		status int
		field  string
	}{
		{"no label", request{body: map[string]any{}}, 422, "label"},
		{"a blank label", request{body: map[string]any{"label": "  "}}, 422, "label"},
		{"a label too long", request{body: map[string]any{"label": strings.Repeat("x", 201)}}, 422, "label"},
		{"a blank series", request{path: "/api/v1/series/%20/lead-tokens", body: map[string]any{"label": "Frau Schulz"}}, 422, "series"},
		{"an unknown field", request{body: map[string]any{"label": "Frau Schulz", "series": "Andere"}}, 400, ""},
		{"no body", request{body: ""}, 400, ""},
		{"not JSON", request{body: "label=Frau", header: map[string]string{"Content-Type": "text/plain"}}, 415, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.method, tt.r.token = "POST", org
			if tt.r.path == "" {
				tt.r.path = leadTokens
			}
			res := s.must(tt.r, tt.status, nil)
			var p struct {
				Errors []struct{ Field string }
			}
			if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("got Content-Type %q, want application/problem+json", ct)
			}
			if err := json.Unmarshal(res.body, &p); err != nil {
				t.Fatalf("decode %s: %v", res.body, err)
			}
			if tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field) {
				t.Errorf("got %s, want a problem naming the field %s", res.body, tt.field)
			}
		})
	}
	var list struct{ Grants []leadGrant }
	s.must(request{method: "GET", path: leadTokens, token: org}, 200, &list)
	if len(list.Grants) != 0 {
		t.Errorf("got grants %+v after rejected requests, want none", list.Grants)
	}
}

// TestLeadGrantRepeat sends the same grant twice with one Idempotency-Key: one grant, the same
// token; the key with another label is refused as reused (422).
func TestLeadGrantRepeat(t *testing.T) {
	s := startService(t)
	key := map[string]string{"Idempotency-Key": "grant-schulz-1"}
	var first, again leadGrant
	s.must(request{method: "POST", path: leadTokens, token: org, header: key, body: map[string]any{"label": "Frau Schulz"}}, 201, &first)
	s.must(request{method: "POST", path: leadTokens, token: org, header: key, body: map[string]any{"label": "Frau Schulz"}}, 201, &again)
	if again.ID != first.ID || again.Token != first.Token {
		t.Errorf("a repeat: got %+v, want the first grant %+v", again, first)
	}
	s.must(request{method: "POST", path: leadTokens, token: org, header: key, body: map[string]any{"label": "Herr Roth"}}, 422, nil)
	var list struct{ Grants []leadGrant }
	s.must(request{method: "GET", path: leadTokens, token: org}, 200, &list)
	if len(list.Grants) != 1 {
		t.Errorf("got %d grants after a repeat, want 1", len(list.Grants))
	}
}

// fixedPseudonyms is a keyed hash good enough to sign test tokens.
type fixedPseudonyms struct{}

func (fixedPseudonyms) Pseudonym(purpose, value string) string {
	return purpose + "-" + value + "-signed"
}

func TestLeadGrantID(t *testing.T) {
	var p fixedPseudonyms
	token := app.LeadToken(p, "GRANT1")
	tests := []struct {
		name  string
		token string
		want  bool
	}{
		{"its own token", token, true},
		{"not a lead token", "organiser", false},
		{"truncated", token[:len(token)-2], false},
		{"another id", strings.Replace(token, "GRANT1", "GRANT2", 1), false},
		{"no signature", "lead.GRANT1", false},
		{"no id", "lead." + p.Pseudonym("lead-grant", ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := app.LeadGrantID(p, tt.token)
			if ok != tt.want || (ok && id != "GRANT1") {
				t.Errorf("got %q, %v, want GRANT1, %v", id, ok, tt.want)
			}
		})
	}
}
