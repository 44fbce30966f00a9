package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestNewOverviewFilter(t *testing.T) {
	tests := []struct {
		name, when, series, district string
		want                         domain.OverviewFilter
		field                        string // the field that breaks a rule, "" for none
	}{
		{name: "default upcoming", want: domain.OverviewFilter{When: domain.Upcoming}},
		{name: "past", when: "past", want: domain.OverviewFilter{When: domain.Past}},
		{name: "trimmed", when: " upcoming ", series: " Ideenwerkstatt ", district: " Eisenach ",
			want: domain.OverviewFilter{When: domain.Upcoming, Series: "Ideenwerkstatt", District: "Eisenach"}},
		{name: "unknown when", when: "tomorrow", field: "when"},
		{name: "when in capitals", when: "PAST", field: "when"},
		{name: "NUL in series", series: "Ideen\x00werkstatt", field: "series"},
		{name: "line break in district", district: "Eise\nnach", field: "district"},
		{name: "district too long", district: strings.Repeat("x", 201), field: "district"},
		{name: "not UTF-8", series: "\xff", field: "series"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.NewOverviewFilter(tc.when, tc.series, tc.district)
			if tc.field == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
				}
				return
			}
			var fe domain.FieldErrors
			if !errors.As(err, &fe) || len(fe) != 1 || fe[0].Field != tc.field {
				t.Fatalf("got %v, want one error of field %s", err, tc.field)
			}
		})
	}
}

func TestOver(t *testing.T) {
	for _, tc := range []struct {
		last, today domain.Day
		want        bool
	}{
		{"2026-12-04", "2026-12-05", true},
		{"2026-12-05", "2026-12-05", false},
		{"2026-12-06", "2026-12-05", false},
		{"", "2026-12-05", false},
	} {
		if got := domain.Over(tc.last, tc.today); got != tc.want {
			t.Errorf("Over(%q, %q) = %v, want %v", tc.last, tc.today, got, tc.want)
		}
	}
}
