package eventstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// TestNetworks: a network's log lives beside the workshops'; a change by one process holds in
// another at once; a repeated command appends nothing; the member's name is sealed and opens
// until the account is erased; the read models' decoding passes the network's events by.
func TestNetworks(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		a, b := w.store(t), w.store(t)
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		meta := domain.Meta{Actor: "organiser", At: at}
		if _, err := a.UpdateNetwork(ctx, "forum", meta, func(n domain.Network) ([]domain.Event, error) {
			return n.Create("forum", "Forum Integration")
		}); err != nil {
			t.Fatal(err)
		}
		add := func(account domain.AccountID, role domain.Role) domain.NetworkDecision {
			return func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: account, Name: "Anna " + string(account), Email: string(account) + "@example.org",
					Roles: []domain.RoleGrant{{Role: role}}})
			}
		}
		keyed := domain.Meta{Actor: "organiser", At: at, CommandID: "c1", Request: "r1"}
		first, err := b.UpdateNetwork(ctx, "forum", keyed, add("anna", domain.RoleAdmin))
		if err != nil {
			t.Fatal(err)
		}
		again, err := a.UpdateNetwork(ctx, "forum", keyed, add("anna", domain.RoleAdmin))
		if err != nil || !again.Duplicate || again.Seq != first.Seq {
			t.Fatalf("repeat: got %+v, %v, want the first decision (seq %d) as a duplicate", again, err, first.Seq)
		}
		if _, err := a.UpdateNetwork(ctx, "forum", domain.Meta{Actor: "organiser", At: at, CommandID: "c1", Request: "other"},
			add("ben", domain.RoleDoor)); !errors.Is(err, domain.ErrCommandReused) {
			t.Fatalf("reused command id: got %v, want ErrCommandReused", err)
		}
		if _, err := a.UpdateNetwork(ctx, "forum", meta, add("ben", domain.RoleDoor)); err != nil {
			t.Fatal(err)
		}
		n, _, err := b.LoadNetwork(ctx, "forum") // b cached the network before a's change
		if err != nil || n.Name != "Forum Integration" || !n.Members["ben"].Holds(domain.RoleDoor, "") || !n.Members["anna"].Holds(domain.RoleAdmin, "") {
			t.Fatalf("got %+v, %v, want both members as a decided them", n, err)
		}
		if _, err := b.UpdateNetwork(ctx, "forum", meta, func(n domain.Network) ([]domain.Event, error) { return n.RemoveMember("ben") }); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := a.LoadNetwork(ctx, "forum"); len(n.Members) != 1 {
			t.Errorf("after the removal by another process: got members %v, want anna only", n.Members)
		}
		if none, seq, err := a.LoadNetwork(ctx, "nobody"); err != nil || none.Exists() || seq != 0 {
			t.Errorf("unknown network: got %+v, %d, %v", none, seq, err)
		}
		ids, err := b.NetworkIDs(ctx)
		if err != nil || len(ids) != 1 || ids[0] != "forum" {
			t.Errorf("NetworkIDs: got %v, %v, want [forum]", ids, err)
		}

		log, err := a.NetworkLog(ctx, "forum")
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := log[1].Event.(domain.MemberAdded); !ok || m.Person == nil || m.Person.Name != "Anna anna" || log[1].Actor != "organiser" {
			t.Fatalf("got %+v, want anna's membership with her name opened", log[1])
		}
		if err := w.keyring.Erase(ctx, "anna"); err != nil {
			t.Fatal(err)
		}
		// Another process (b) drops its cached key when the keyring's watch tells it of the
		// erasure: soon, not at once.
		deadline := time.Now().Add(5 * time.Second)
		for {
			log, _ = b.NetworkLog(ctx, "forum")
			m := log[1].Event.(domain.MemberAdded)
			if m.Person == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("5 s after erasing the account: got person %+v, want nil", m.Person)
			}
			time.Sleep(20 * time.Millisecond)
		}

		// The read models read the whole stream: a network's commits decode as events of no workshop.
		var got []domain.Recorded
		if err := a.Replay(ctx, 1, func(batch []domain.Recorded) error { got = append(got, batch...); return nil }); err != nil {
			t.Fatalf("replay over networks: %v", err)
		}
		if len(got) != 4 || got[0].Workshop != "" {
			t.Errorf("replay: got %d events (first %+v), want the 4 network events of no workshop", len(got), got[0])
		}
	})
}
