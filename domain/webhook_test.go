package domain_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.WebhookAdded{ID: "w1", URL: "https://crm.example.org/hooks", Events: []domain.WebhookEventType{domain.HookRegistrationConfirmed}, PersonalData: true},
		domain.WebhookRemoved{ID: "w1"})
}

func TestWebhookDecisions(t *testing.T) {
	hook := domain.WebhookAdded{ID: "w1", URL: "https://crm.example.org/hooks",
		Events: []domain.WebhookEventType{domain.HookRegistrationConfirmed, domain.HookCheckinRecorded}}
	add := func(c domain.AddWebhook) domain.NetworkDecision {
		if c.ID == "" {
			c.ID = "w1"
		}
		return func(n domain.Network) ([]domain.Event, error) { return n.AddWebhook(c) }
	}
	confirmed := []domain.WebhookEventType{domain.HookRegistrationConfirmed}
	tooMany := make([]domain.Event, 0, 51)
	tooMany = append(tooMany, created)
	for i := range 50 {
		tooMany = append(tooMany, domain.WebhookAdded{ID: domain.WebhookID(fmt.Sprint("h", i)), URL: "https://example.org", Events: confirmed})
	}
	tests := []networkCase{
		{name: "add, event types in their order", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: " https://crm.example.org/hooks ", Events: []domain.WebhookEventType{domain.HookCheckinRecorded, domain.HookRegistrationConfirmed}}),
			then:   []domain.Event{hook}},
		{name: "http with a port and a query", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: "http://10.0.0.1:8080/in?x=1", Events: confirmed}),
			then:   []domain.Event{domain.WebhookAdded{ID: "w1", URL: "http://10.0.0.1:8080/in?x=1", Events: confirmed}}},
		{name: "personal data by an admin", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: "https://crm.example.org/hooks", Events: confirmed, PersonalData: true, ByAdmin: true}),
			then:   []domain.Event{domain.WebhookAdded{ID: "w1", URL: "https://crm.example.org/hooks", Events: confirmed, PersonalData: true}}},
		{name: "personal data by an organiser", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: "https://crm.example.org/hooks", Events: confirmed, PersonalData: true}), fields: []string{"personal_data"}},
		{name: "no network", decide: add(domain.AddWebhook{URL: "https://example.org", Events: confirmed}), err: domain.ErrNetworkNotFound},
		{name: "no url", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: " ", Events: confirmed}), fields: []string{"url"}},
		{name: "relative url", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "/hooks", Events: confirmed}), fields: []string{"url"}},
		{name: "other scheme", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "ftp://example.org/x", Events: confirmed}), fields: []string{"url"}},
		{name: "javascript", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "javascript:alert(1)", Events: confirmed}), fields: []string{"url"}},
		{name: "no host", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https:///x", Events: confirmed}), fields: []string{"url"}},
		{name: "user info", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://me:secret@example.org/", Events: confirmed}), fields: []string{"url"}},
		{name: "fragment", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://example.org/#x", Events: confirmed}), fields: []string{"url"}},
		{name: "NUL", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://example.org/\x00", Events: confirmed}), fields: []string{"url"}},
		{name: "control character", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://example.org/\u0085x", Events: confirmed}), fields: []string{"url"}},
		{name: "invalid UTF-8", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://example.org/\xff", Events: confirmed}), fields: []string{"url"}},
		{name: "too long", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://example.org/" + strings.Repeat("a", 2000), Events: confirmed}), fields: []string{"url"}},
		{name: "no event types", given: []domain.Event{created}, decide: add(domain.AddWebhook{URL: "https://example.org"}), fields: []string{"events"}},
		{name: "unknown event type", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: "https://example.org", Events: []domain.WebhookEventType{"registration.confirmed.v1"}}), fields: []string{"events[0]"}},
		{name: "event type twice", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: "https://example.org", Events: []domain.WebhookEventType{domain.HookCheckinRecorded, domain.HookCheckinRecorded}}), fields: []string{"events[1]"}},
		{name: "too many event types", given: []domain.Event{created},
			decide: add(domain.AddWebhook{URL: "https://example.org", Events: slices.Repeat(confirmed, 51)}), fields: []string{"events"}},
		{name: "duplicate id", given: []domain.Event{created, hook},
			decide: add(domain.AddWebhook{URL: "https://example.org", Events: confirmed}), err: domain.ErrWebhookExists},
		{name: "too many webhooks", given: tooMany,
			decide: add(domain.AddWebhook{ID: "h50", URL: "https://example.org", Events: confirmed}), err: domain.ErrTooManyWebhooks},
		{name: "no id", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddWebhook(domain.AddWebhook{ID: "", URL: "https://example.org", Events: confirmed})
			}, err: domain.ErrInvalid},
		{name: "remove", given: []domain.Event{created, hook},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.RemoveWebhook("w1") },
			then:   []domain.Event{domain.WebhookRemoved{ID: "w1"}}},
		{name: "remove twice", given: []domain.Event{created, hook, domain.WebhookRemoved{ID: "w1"}},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.RemoveWebhook("w1") }, err: domain.ErrWebhookNotFound},
		{name: "remove an unknown one", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.RemoveWebhook("nope") }, err: domain.ErrWebhookNotFound},
		{name: "removed, the id may be used again", given: []domain.Event{created, hook, domain.WebhookRemoved{ID: "w1"}},
			decide: add(domain.AddWebhook{URL: "https://crm.example.org/hooks", Events: hook.Events}), then: []domain.Event{hook}},
	}
	runNetworkCases(t, tests)
}

// TestWebhookEvolve checks that the network keeps its webhooks and a clone shares none.
func TestWebhookEvolve(t *testing.T) {
	n := foldNetwork(created, domain.WebhookAdded{ID: "a", URL: "https://a.example", Events: []domain.WebhookEventType{domain.HookCheckinRecorded}})
	c := n.Clone().Evolve(domain.WebhookRemoved{ID: "a"})
	if _, ok := n.Webhooks["a"]; !ok || len(c.Webhooks) != 0 {
		t.Fatalf("got %v and clone %v, want the webhook kept in the original only", n.Webhooks, c.Webhooks)
	}
	if !n.Webhooks["a"].Subscribes(domain.HookCheckinRecorded) || n.Webhooks["a"].Subscribes(domain.HookWorkshopChanged) {
		t.Errorf("got subscriptions %v", n.Webhooks["a"].Events)
	}
}
