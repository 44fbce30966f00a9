package handlers_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
)

// TestAccountOnlyExport: a person known only by an account (no registration) asks for their
// data: the request is recorded in the network's log (no address), and the link derived from it
// opens their export; the admin's export of such a person and the export by the link are both
// recorded in the network's log with the account, the channel and the actor.
func TestAccountOnlyExport(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		cfg, store := handlerstest.Wire(t, organiserToken)
		testAccountOnlyExport(t, cfg, store)
	})
	t.Run("postgres", func(t *testing.T) {
		pg, err := postgres.Open(context.Background(), postgrestest.Database(t))
		if err != nil {
			t.Fatalf("open the read models: %v", err)
		}
		t.Cleanup(pg.Close)
		cfg, store := handlerstest.WireWith(t, organiserToken, pg)
		testAccountOnlyExport(t, cfg, store)
	})
}

func testAccountOnlyExport(t *testing.T, cfg handlers.Config, store *eventstore.Store) {
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}
	a := app.New(cfg.Config)
	n := newNetworkWorld(s)

	seq := s.lastSeq()
	s.must(request{method: "POST", path: "/api/v1/people/export-requests", body: map[string]any{"email": "Mia@example.org", "lang": "en"}}, 202, nil)
	var asked []domain.AccountDataExportRequested
	for _, r := range replay(t, s.events) {
		if x, ok := r.Event.(domain.AccountDataExportRequested); ok && r.Seq > seq {
			asked = append(asked, x)
		}
	}
	if len(asked) != 1 || asked[0].Account != domain.AccountID(n.mia.ID) || asked[0].Network != domain.NetworkID(n.forum) || asked[0].Lang != "en" {
		t.Fatalf("got requests %+v, want one for Mia's account in the forum", asked)
	}
	// A second request within the interval mails nothing more.
	seq = s.lastSeq()
	s.must(request{method: "POST", path: "/api/v1/people/export-requests", body: map[string]any{"email": "mia@example.org"}}, 202, nil)
	if s.lastSeq() != seq {
		t.Errorf("a second request at once appended to the log")
	}

	recorded := func(after uint64) []domain.Recorded {
		var out []domain.Recorded
		for _, r := range replay(t, s.events) {
			if _, ok := r.Event.(domain.AccountDataExported); ok && r.Seq > after {
				out = append(out, r)
			}
		}
		return out
	}
	seq = s.lastSeq()
	e, err := a.ExportByLink(t.Context(), domain.AccountDataExportToken(cfg.Pseudonyms.Pseudonym, asked[0]))
	if err != nil || len(e.Registrations) != 0 || len(e.Memberships) != 1 || e.Memberships[0].Name != "mia" || e.Email != "mia@example.org" {
		t.Fatalf("the link: got %+v, %v, want Mia's account", e, err)
	}
	if got := recorded(seq); len(got) != 1 || got[0].Event.(domain.AccountDataExported).Channel != domain.ExportByMailLink ||
		got[0].Event.(domain.AccountDataExported).Account != domain.AccountID(n.mia.ID) || got[0].Actor != app.ActorAccount(domain.AccountID(n.mia.ID), domain.RoleMember) {
		t.Errorf("the export by link recorded %+v, want one by the mail link with Mia as the actor", got)
	}

	// The admin's export of a person known only by an account.
	seq = s.lastSeq()
	var x exported
	s.must(request{method: "GET", path: "/api/v1/people/export?email=mia@example.org", token: n.anna.Token}, 200, &x)
	got := recorded(seq)
	if len(got) != 1 || got[0].Event.(domain.AccountDataExported).Channel != domain.ExportByAdmin ||
		got[0].Actor != app.ActorAccount(domain.AccountID(n.anna.ID), domain.RoleAdmin) {
		t.Errorf("the admin's export recorded %+v, want one by the admin with Anna as the actor", got)
	}
	for _, r := range replay(t, s.events) {
		if slices.Contains([]string{"network.data_export_requested.v1", "network.personal_data_exported.v1"}, r.Event.Name()) &&
			strings.Contains(strings.ToLower(fmt.Sprintf("%+v", r.Event)), "mia@example.org") {
			t.Errorf("%s holds the address in clear: %+v", r.Event.Name(), r.Event)
		}
	}
	// An address nobody holds: nothing in any log.
	seq = s.lastSeq()
	s.must(request{method: "POST", path: "/api/v1/people/export-requests", body: map[string]any{"email": "niemand@example.org"}}, 202, nil)
	if s.lastSeq() != seq {
		t.Errorf("a request for an unknown address appended to the log")
	}
}
