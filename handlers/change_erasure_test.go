package handlers_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// TestErasureForgetsAChangedDietary: dietary needs changed after registering are sealed with
// the person's key like the first ones, so erasing the person forgets them too: in the read
// model and in every copy of the log, read back after the key is gone.
func TestErasureForgetsAChangedDietary(t *testing.T) {
	cfg, store := handlerstest.Wire(t, organiserToken)
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: store}
	w := s.schedule(2)
	path := "/api/v1/workshops/" + w.ID + "/registrations/"
	body := person("Alice", "Stadtwerke")
	body["dietary"] = "vegan"
	alice := s.register(w, body)
	s.must(request{method: "PATCH", path: path + alice.ID, token: alice.Token,
		body: map[string]any{"dietary": "glutenfrei und laktosefrei"}}, 200, nil)
	var got erasedRegistration
	s.must(request{method: "GET", path: path + alice.ID, token: org}, 200, &got)
	if got.Dietary != "glutenfrei und laktosefrei" {
		t.Fatalf("after the change: dietary %q, want the changed one", got.Dietary)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	last := s.lastSeq()
	for seq := uint64(1); seq <= last; seq++ {
		msg, err := store.Stream().GetMsg(ctx, seq)
		if err != nil {
			continue // another subject's sequence
		}
		if bytes.Contains(msg.Data, []byte("glutenfrei")) {
			t.Errorf("message %d holds the changed dietary in plain text: %s", seq, msg.Data)
		}
	}

	s.must(request{method: "DELETE", path: path + alice.ID + "/personal-data", token: org}, 204, nil)
	s.must(request{method: "GET", path: path + alice.ID, token: org}, 200, &got)
	if !got.Erased || got.Dietary != "" || got.Name != "" {
		t.Errorf("after the erasure: got %+v, want erased without name or dietary", got)
	}
	changes := 0
	err := store.Replay(ctx, 1, func(batch []domain.Recorded) error {
		for _, r := range batch {
			if c, ok := r.Event.(domain.RegistrationChanged); ok {
				changes++
				if c.Person != nil {
					t.Errorf("the log read back after the erasure still opens the changed person: %+v", c.Person)
				}
			}
		}
		return nil
	})
	if err != nil || changes != 1 {
		t.Fatalf("Replay: %v, %d changes, want one", err, changes)
	}
}
