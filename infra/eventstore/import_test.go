package eventstore_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// TestImport checks that an imported log (as `werkstatt bench` imports its series) reads back as
// it was built, one message per commit, with the participants' personal data sealed in the
// stream.
func TestImport(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	ctx := testCtx(t)
	s := w.store(t)
	log := scenario.Series(scenario.SeriesSize{Workshops: 2, Participants: 10, Sessions: 3, Feedback: 70})
	commits, err := s.Import(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	if last, err := s.LastSeq(ctx); err != nil || last != log[len(log)-1].Seq || commits != int(last) {
		t.Fatalf("got %d commits, last sequence %d (%v); want %d", commits, last, err, log[len(log)-1].Seq)
	}
	var got []domain.Recorded
	if err := s.Replay(ctx, 1, func(b []domain.Recorded) error { got = append(got, b...); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(log) {
		t.Fatalf("read back %d events, want %d", len(got), len(log))
	}
	for i := range log {
		want := log[i]
		if g := got[i]; g.Seq != want.Seq || g.Workshop != want.Workshop || !g.At.Equal(want.At) ||
			!reflect.DeepEqual(g.Event, want.Event) {
			t.Fatalf("event %d: got %+v, want %+v", i, g, want)
		}
	}
	registered := firstRegistration(t, log)
	raw, err := s.Stream().GetMsg(ctx, registered.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if name := registered.Event.(domain.ParticipantRegistered).Person.Name; bytes.Contains(raw.Data, []byte(name)) {
		t.Errorf("the stream holds %q in clear: %s", name, raw.Data)
	}
}

func firstRegistration(t *testing.T, log []domain.Recorded) domain.Recorded {
	t.Helper()
	for _, r := range log {
		if _, ok := r.Event.(domain.ParticipantRegistered); ok {
			return r
		}
	}
	t.Fatal("the log has no registration")
	return domain.Recorded{}
}
