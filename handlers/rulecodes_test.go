package handlers

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// TestProblemTypesComeFromRuleCodes checks that every domain rule answers a type derived from a
// code it carries (its own, where the API publishes it, else its class's), and that the types
// the contract names stay what they were.
func TestProblemTypesComeFromRuleCodes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Description string `json:"description"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	documented := doc.Components.Schemas["Problem"].Description
	for _, r := range domain.Rules() {
		p := toProblem(r)
		code, ok := strings.CutPrefix(p.Type, problemType)
		if !ok || !slices.Contains(domain.Codes(r), code) {
			t.Errorf("rule %s: got type %s, want one derived from its codes %v", r.Code(), p.Type, domain.Codes(r))
		}
		if !strings.Contains(documented, code) {
			t.Errorf("rule %s: answers type %s, which openapi.json's Problem does not name", r.Code(), p.Type)
		}
	}
	for _, tc := range []struct {
		rule *domain.Rule
		code string
	}{
		{domain.ErrAlreadyRegistered, "already-registered"},
		{domain.ErrNotConfirmedForCafe, "not-confirmed"},
		{domain.ErrVotingNotOpen, "conflict"},
		{domain.ErrTopicNotFound, "not-found"},
		{domain.ErrNotConfirmedToAct, "invalid"},
		{domain.ErrUnavailable, "unavailable"},
	} {
		if got := toProblem(tc.rule).Type; got != problemType+tc.code {
			t.Errorf("rule %s: got type %s, want %s", tc.rule.Code(), got, problemType+tc.code)
		}
	}
}

// TestFieldErrorsCarryTheirCode checks that each errors[] entry of a problem names its rule's
// code, and that openapi.json lists exactly the domain's field codes.
func TestFieldErrorsCarryTheirCode(t *testing.T) {
	b, err := json.Marshal(toProblem(domain.FieldErrors{{Field: "title", Code: domain.CodeRequired, Detail: "must not be empty"}}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"field":"title","code":"required","detail":"must not be empty"}`; !strings.Contains(string(b), want) {
		t.Errorf("got problem %s, want an entry %s", b, want)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	schema := doc.Components.Schemas["FieldError"]
	got, want := slices.Sorted(slices.Values(schema.Properties["code"].Enum)), slices.Sorted(slices.Values(domain.FieldCodes()))
	if !slices.Equal(got, want) {
		t.Errorf("openapi.json FieldError.code: got enum %v, want the domain's field codes %v", got, want)
	}
	if !slices.Contains(schema.Required, "code") {
		t.Errorf("openapi.json FieldError: got required %v, want code among them", schema.Required)
	}
}
