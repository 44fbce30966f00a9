package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

func TestLeadGrantStatus(t *testing.T) {
	issued := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	g, err := domain.NewLeadGrant(" AMIF 2026 ", " Frau Schulz ", issued)
	if err != nil || g.Series != "AMIF 2026" || g.Label != "Frau Schulz" || g.ExpiresAt != issued.Add(domain.LeadGrantLifetime) {
		t.Fatalf("NewLeadGrant: got %+v, %v; want trimmed, expiring after LeadGrantLifetime", g, err)
	}
	revoked := g
	revoked.RevokedAt = issued.Add(time.Hour)
	tests := []struct {
		name  string
		g     domain.LeadGrant
		at    time.Time
		want  domain.GrantStatus
		holds bool
	}{
		{"fresh", g, issued, domain.GrantActive, true},
		{"last moment", g, g.ExpiresAt.Add(-time.Nanosecond), domain.GrantActive, true},
		{"at expiry", g, g.ExpiresAt, domain.GrantExpired, false},
		{"revoked", revoked, issued.Add(2 * time.Hour), domain.GrantRevoked, false},
		{"revoked stays revoked after expiry", revoked, g.ExpiresAt.Add(time.Hour), domain.GrantRevoked, false},
	}
	for _, tt := range tests {
		if got := tt.g.Status(tt.at); got != tt.want || tt.g.Holds(tt.at) != tt.holds {
			t.Errorf("%s: got %s (holds %v), want %s (holds %v)", tt.name, got, tt.g.Holds(tt.at), tt.want, tt.holds)
		}
	}
}

func TestNewLeadGrantRefuses(t *testing.T) {
	for _, c := range []struct{ series, label, field string }{
		{" ", "Frau Schulz", "series"},
		{"AMIF", "", "label"},
		{"AMIF", "a\x00b", "label"},
		{"AMIF", strings.Repeat("x", 201), "label"},
	} {
		_, err := domain.NewLeadGrant(c.series, c.label, time.Now())
		var fe domain.FieldErrors
		if !errors.As(err, &fe) || len(fe) != 1 || fe[0].Field != c.field {
			t.Errorf("NewLeadGrant(%q, %q): got %v, want a field error on %s", c.series, c.label, err, c.field)
		}
	}
}
