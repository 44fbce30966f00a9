package handlers_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// leadToken is the answer to issuing a lead token.
type leadToken struct {
	Token     string    `json:"token"`
	Series    string    `json:"series"`
	ExpiresAt time.Time `json:"expires_at"`
}

// TestLeadTokens walks the project-lead role: only the organiser issues a token; the lead reads
// every report and export of its series and nothing else; a lead of another series, a tampered
// and an expired token are refused.
func TestLeadTokens(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	srv := httptest.NewServer(handlers.New(cfg))
	t.Cleanup(srv.Close)
	s := &service{t: t, url: srv.URL, events: store}

	w := s.schedule(2)
	base := "/api/v1/workshops/" + w.ID
	ada := s.register(w, person("Ada", "Verein A"))
	issue := "/api/v1/series/Werkstatt%202026/lead-tokens"
	s.must(request{method: "POST", path: issue}, 401, nil)
	s.must(request{method: "POST", path: issue, token: ada.Token}, 401, nil)
	var lead leadToken
	s.must(request{method: "POST", path: issue, token: org}, 201, &lead)
	if lead.Series != "Werkstatt 2026" || !strings.HasPrefix(lead.Token, "lead.") {
		t.Fatalf("got %+v, want a lead. token for Werkstatt 2026", lead)
	}
	if d := time.Until(lead.ExpiresAt); d < 179*24*time.Hour || d > 181*24*time.Hour {
		t.Errorf("got expires_at %v, want in 180 days", lead.ExpiresAt)
	}
	var other leadToken
	s.must(request{method: "POST", path: "/api/v1/series/Andere%20Reihe/lead-tokens", token: org}, 201, &other)

	reads := []string{
		"/api/v1/series/Werkstatt%202026/report", "/api/v1/series/Werkstatt%202026/report.csv",
		"/api/v1/series/Werkstatt%202026/report/trend.svg",
		base + "/reports/attendance", base + "/reports/attendance.xlsx", base + "/reports/evaluation.pdf",
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
		{method: "POST", path: issue},
	}
	seq := s.lastSeq()
	for _, r := range refused {
		r.token = lead.Token
		s.must(r, 403, nil)
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("got stream sequence %d after a lead's writes, want %d unchanged", got, seq)
	}

	expired, _ := handlers.IssueLeadToken(cfg.Pseudonyms, "Werkstatt 2026", time.Now().Add(-handlers.LeadTokenLifetime-time.Hour))
	tampered := strings.Replace(lead.Token, "lead.V2Vya3N0YXR0IDIwMjY", "lead.QW5kZXJlIFJlaWhl", 1)
	if tampered == lead.Token {
		t.Fatalf("tampering did not change the token %q", lead.Token)
	}
	for _, token := range []string{expired, tampered, lead.Token + "x", "lead.garbage"} {
		s.must(request{method: "GET", path: "/api/v1/series/Werkstatt%202026/report", token: token}, 401, nil)
		s.must(request{method: "GET", path: base + "/registrations", token: token}, 401, nil)
	}
}

// fixedPseudonyms is a keyed hash good enough to sign test tokens.
type fixedPseudonyms struct{}

func (fixedPseudonyms) Pseudonym(purpose, value string) string {
	return purpose + "/" + value + "/signed"
}

func TestLeadSeries(t *testing.T) {
	var p fixedPseudonyms
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	token, expires := handlers.IssueLeadToken(p, "Reihe.mit|Zeichen", now)
	tests := []struct {
		name  string
		at    time.Time
		token string
		want  bool
	}{
		{"fresh", now, token, true},
		{"a second before expiry", expires.Add(-time.Second), token, true},
		{"at expiry", expires, token, false},
		{"not a lead token", now, "organiser", false},
		{"truncated", now, token[:len(token)-2], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			series, until, ok := handlers.LeadSeries(p, tt.token, tt.at)
			if ok != tt.want || (ok && (series != "Reihe.mit|Zeichen" || !until.Equal(expires))) {
				t.Errorf("got %q until %v, %v, want %v until %v", series, until, ok, tt.want, expires)
			}
		})
	}
}
